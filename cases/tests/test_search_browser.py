"""Browser journey of search (Playwright driving Chromium against the live server): typing filters the list
in place and keeps the filters in the address bar, a search is saved and reopened, and the analysis of
the same cases draws its charts, all without a Content-Security-Policy violation."""

import os
import re

import pytest
from django.urls import reverse

from cases.models import Category
from tests.factories import case_create
from tests.integration import CHROMIUM

from .test_browser_journeys import CHROMIUM_ARGS, TIMEOUT_MS, login

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.browser


@pytest.fixture
def page(live_server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(base_url=live_server.url, locale="en-GB")
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        page.console_messages = []
        page.on("console", lambda message: page.console_messages.append(message.text))
        yield page
        browser.close()


def test_search_filters_in_place_is_saved_and_analysed(page, admin_user, transactional_db):
    from playwright.sync_api import expect

    # A transactional test flushes the tables afterwards, the migration's categories with them.
    category, _created = Category.objects.get_or_create(
        code="problem", defaults={"name_hr": "Problem / greška", "name_en": "Problem / bug"}
    )
    wanted = case_create(admin_user.memberships.get().organization, admin_user, category=category,
                         title="Račun nije proknjižen")  # fmt: skip
    other = case_create(wanted.organization, admin_user, category=category, title="Skladište stoji")

    login(page, admin_user)
    page.goto(reverse("cases:case-list"))
    expect(page.locator("#results")).to_contain_text(other.reference)
    page.locator("#id_q").press_sequentially("racun", delay=30)
    expect(page).to_have_url(re.compile(r"[?&]q=racun"))
    expect(page.locator("#results")).not_to_contain_text(other.reference)
    expect(page.locator("#results")).to_contain_text(wanted.reference)
    assert page.locator("#results #results").count() == 0  # the fragment replaced, never nested

    page.fill("input[name=name]", "Računi")
    page.click("text=Save this search")
    expect(page.locator(".alert-success")).to_contain_text("Search “Računi” saved.")
    page.goto(reverse("cases:case-list"))
    page.click(".saved-searches >> text=Računi")
    expect(page).to_have_url(re.compile(r"/cases/\?q=racun(&|$)"))
    expect(page.locator("#results")).not_to_contain_text(other.reference)

    page.click("text=Analyse these cases")
    expect(page).to_have_url(re.compile(r"/cases/analysis/\?q=racun(&|$)"))
    expect(page.locator("svg.chart")).to_have_count(3)  # no module named: no chart of modules
    expect(page.locator(".analysis-scope")).to_contain_text("1 case created from")
    violations = [text for text in page.console_messages if "Content Security Policy" in text]
    assert violations == []
