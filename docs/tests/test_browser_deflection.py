"""Browser journey: a customer starts a case, sees a suggested FAQ entry, opens it and marks it helpful,
then leaves without logging the case; staff see the vote and the deflection on the knowledge report."""

from datetime import timedelta

import pytest
from django.db.models import F
from django.urls import reverse

from docs.models import SuggestionView
from docs.tests.factories import FaqEntryFactory
from tests.factories import PASSWORD
from tests.test_browser import browser, new_page  # noqa: F401  (fixture)
from tests.two_factor import code_step

pytestmark = pytest.mark.browser


def sign_in(page, base_url, user):
    page.goto(base_url + reverse("accounts:login"))
    page.fill("main input[name=username]", user.email)
    page.fill("main input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    code_step(page, user)
    page.wait_for_url(base_url + reverse("dashboard"))


def test_a_suggested_answer_deflects_a_case_and_staff_see_it_on_the_report(
    live_server,
    transactional_db,
    browser,  # noqa: F811
    standard_user,
    consultant,
):
    from playwright.sync_api import expect

    entry = FaqEntryFactory(
        title_en="How do I send an e-invoice to a customer?",
        body_en="Open **e-Invoicing**, choose the invoice and press *Send*.",
    )
    FaqEntryFactory(title_en="How do I close the payroll month?")

    customer = new_page(browser)
    sign_in(customer, live_server.url, standard_user)
    customer.goto(live_server.url + reverse("cases:case-create"))
    expect(customer.locator("#suggestions")).to_contain_text("While you type the title")
    customer.locator("#id_title").press_sequentially("E-invoice does not reach the customer", delay=20)
    suggestion = customer.locator("#suggested-faq a")
    expect(suggestion).to_have_count(1)
    expect(suggestion).to_have_text(entry.title_en)

    with customer.expect_popup() as opened:
        suggestion.click()
    answer = opened.value
    expect(answer.locator("main h1")).to_contain_text(entry.title_en)
    expect(answer.locator("#faq-answer strong")).to_have_text("e-Invoicing")
    answer.get_by_role("button", name="Yes").click()
    expect(answer.locator("#vote-thanks")).to_be_visible()
    expect(answer.get_by_role("button", name="Yes")).to_have_attribute("aria-pressed", "true")
    # The form the customer left behind still holds the title; they close it without logging the case.
    expect(customer.locator("#id_title")).to_have_value("E-invoice does not reach the customer")
    answer.close()
    customer.close()

    # Half an hour passes without a case from this customer: the visit counts as deflected.
    SuggestionView.objects.update(created_at=F("created_at") - timedelta(minutes=31))

    staff = new_page(browser)
    sign_in(staff, live_server.url, consultant)
    staff.goto(live_server.url + reverse("docs:knowledge-report"))
    helpful = staff.locator("#most-helpful li")
    expect(helpful).to_have_count(1)
    expect(helpful).to_contain_text(entry.title_en)
    expect(helpful).to_contain_text("1 helpful, 0 not helpful")
    week = staff.locator("#deflections tbody tr")
    expect(week).to_have_count(1)
    expect(week.locator("td").nth(1)).to_have_text("1")
    expect(week.locator("td").nth(2)).to_have_text("1")
