"""Browser journey of the billing pages (Playwright driving Chromium against the live server): a FIN_ADMIN
opens Billing from the header, reads this month's hours against the included hours, analyses the costs over 24
months and filters the consultant services, all without a Content-Security-Policy violation (the hour bar
and the charts are SVG sized by attributes, never by inline styles)."""

import os
import re
from datetime import timedelta

import pytest
from django.db import connections
from django.urls import reverse
from django.utils import timezone

from billing.tests.factories import contract_make, entry_make, statement_make
from cases.tests.test_browser_journeys import CHROMIUM_ARGS, TIMEOUT_MS, login
from tests.integration import CHROMIUM

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.browser


@pytest.fixture
def page(live_server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(
            base_url=live_server.url, locale="en-GB", viewport={"width": 1280, "height": 800}
        )
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        page.console_messages = []
        page.on("console", lambda message: page.console_messages.append(message.text))
        yield page
        browser.close()
        # Connections opened while Playwright runs belong to its context, where Django's teardown does not
        # see them; left open, they would keep the test database from being dropped.
        connections.close_all()


def test_a_fin_admin_reads_hours_costs_and_services(
    page, organization, fin_admin_user, consultant, transactional_db
):
    from playwright.sync_api import expect

    contract_make(organization, included_hours="10")
    entry_make(organization, consultant, minutes=720, description="Month-end closing")
    statement_make(organization)
    entry_make(
        organization, consultant, day=timezone.localdate(), minutes=540, description="On-site training"
    )

    login(page, fin_admin_user)
    page.locator("header").get_by_role("link", name="Billing").click()
    expect(page).to_have_url(re.compile(r"/billing/$"))
    expect(page.locator("#budget-text")).to_contain_text(
        "9.00 h of the 10.00 h included this month used (90 %)."
    )
    expect(page.get_by_role("img", name=re.compile("9.00 h of the 10.00 h"))).to_be_visible()

    page.locator("#billing-tabs").get_by_role("link", name="Cost analysis").click()
    expect(page.locator("svg.chart")).to_have_count(4)
    page.select_option("#id_months", "24")
    page.get_by_role("button", name="Analyse").click()
    expect(page).to_have_url(re.compile(r"months=24"))
    expect(page.locator("table.analysis-table").first.locator("tbody tr")).to_have_count(24)

    page.locator("#billing-tabs").get_by_role("link", name="Consultant services").click()
    expect(page.locator("#service-list")).to_contain_text("On-site training")
    page.fill("#id_date_to", (timezone.localdate().replace(day=1) - timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("#service-list")).to_contain_text("Month-end closing")
    expect(page.locator("#service-list")).not_to_contain_text("On-site training")

    violations = [text for text in page.console_messages if "Content Security Policy" in text]
    assert violations == []
    assert reverse("billing:overview") in page.content()
