"""Browser journey of the licence (Playwright driving Chromium against the live server): a FIN_ADMIN opens
"Licence" from the header and reads the licence's history; a SYS_ADMIN sees the licensed modules; a
STANDARD user has no such entry; a vendor admin renews the licence through its preview."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from licensing import services
from licensing.models import LicenceChange
from licensing.tests.factories import licence_make
from tests.factories import member_create
from tests.header import header_link
from tests.test_browser import browser  # noqa: F401  (fixture)
from tests.test_paging_browser import TIMEOUT_MS, login

pytestmark = pytest.mark.browser


@pytest.fixture
def new_page(browser, live_server):  # noqa: F811  (browser: the Chromium fixture imported above)
    """A new page of its own browser context (its own session), at a desktop width for the full header."""

    def make():
        context = browser.new_context(
            base_url=live_server.url, locale="en-GB", viewport={"width": 1280, "height": 800}
        )
        context.set_default_timeout(TIMEOUT_MS)
        return context.new_page()

    return make


@pytest.fixture
def licence(transactional_db, organization, vendor_admin):
    licence = licence_make(organization, modules=["finance", "warehouse"], number="JL-2026-0042")
    for reason in ("Invoice overdue", "Invoice paid"):
        change = services.Reactivation() if licence.is_suspended else services.Suspension()
        services.licence_change(licence=licence, change=change, by=vendor_admin, reason=reason)
        licence.refresh_from_db()
    return licence


def _nav(page):
    return page.get_by_role("navigation", name="Main navigation")


def test_a_fin_admin_reads_the_licence_history_and_a_sys_admin_the_modules(new_page, licence, organization):
    from playwright.sync_api import expect

    fin_admin = member_create(organization, [Role.FIN_ADMIN], email="fin@jadran.test", full_name="Fran")
    page = new_page()
    login(page, fin_admin)
    header_link(page, "Licence").click()
    expect(page.locator("#licence-terms")).to_contain_text("JL-2026-0042")
    expect(page.locator("#licence-terms [data-state]")).to_have_text("Active")
    expect(page.locator("#licence-granules")).to_have_count(0)
    page.click("#licence-history-link")
    page.wait_for_url(re.compile(r"/licence/\d+/history/$"))
    history = page.locator("#licence-history")
    expect(history.locator(".licence-change")).to_have_count(2)
    expect(history).to_contain_text("Licence suspended")
    expect(history).to_contain_text("Invoice overdue")
    expect(history).to_contain_text("Licence reactivated")

    sys_admin = member_create(organization, [Role.SYS_ADMIN], email="sys@jadran.test", full_name="Stipe")
    page = new_page()
    login(page, sys_admin)
    header_link(page, "Licence").click()
    expect(page.locator("#licence-granules")).to_contain_text("Warehouse")
    expect(page.locator("#licence-terms")).to_have_count(0)
    expect(page.locator("#licence-history-link")).to_have_count(0)


def test_a_standard_user_has_no_licence_entry(new_page, licence, organization):
    from playwright.sync_api import expect

    standard = member_create(organization, [Role.STANDARD], email="std@jadran.test", full_name="Sara")
    page = new_page()
    login(page, standard)
    expect(_nav(page).get_by_role("link", name="Licence", exact=True)).to_have_count(0)


def test_a_vendor_admin_renews_a_licence_after_seeing_the_change(new_page, licence, vendor_admin):
    from playwright.sync_api import expect

    page = new_page()
    login(page, vendor_admin)
    header_link(page, "Licences").click()
    page.get_by_role("link", name="JL-2026-0042").click()
    page.get_by_role("link", name="Terms, renewal and support").click()
    new_end = licence.valid_until + timedelta(days=365)
    page.fill("#id_valid_until", new_end.isoformat())
    page.fill("#id_support_until", new_end.isoformat())
    page.fill("#id_reason", "Renewed for another year")
    page.get_by_role("button", name="Preview the change").click()
    expect(page.locator("#change-preview")).to_contain_text("valid until")
    assert LicenceChange.objects.filter(kind="renewed").count() == 0
    page.get_by_role("button", name="Save the change").click()
    page.wait_for_url(re.compile(rf"{reverse('licensing:licence-detail', args=[licence.pk])}$"))
    expect(page.locator("#licence-recent-changes")).to_contain_text("Renewed for another year")
    licence.refresh_from_db()
    assert licence.valid_until == new_end and licence.valid_until > timezone.localdate()
