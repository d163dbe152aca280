"""Browser journey of monitoring (Playwright driving Chromium against the live server): a SYS_ADMIN opens
Monitoring from the header, sees the red component, opens the case its incident opened, and once an OK
result arrives sees it resolved: the status page refreshes itself (htmx, every 30 s) without a reload, and
the case is resolved. On a desktop and on a phone, in English and Croatian, without a Content-Security-Policy
violation. Screenshots go to MONITORING_SCREENSHOTS when it names a folder (to look at the pages)."""

import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connections

from accounts.roles import Role
from cases.models import Case
from cases.tests.test_browser_journeys import login
from monitoring import services
from monitoring.models import Check, Incident, Status
from monitoring.tests.factories import installation_make, monitored, result
from tests.factories import member_create
from tests.integration import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.browser

TIMEOUT_MS = 8_000
# The status page polls every 30 s: one full period plus the request, with room for a loaded machine.
REFRESH_TIMEOUT_MS = 45_000
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def new_page(live_server, monkeypatch):
    """new_page(viewport, locale) opens a page in a fresh browser context. The test body runs inside
    Playwright's event loop, whose database connections Django's teardown does not see: closed at the end."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)

        def make(viewport=DESKTOP, locale="en-GB"):
            context = browser.new_context(base_url=live_server.url, locale=locale, viewport=viewport)
            context.set_default_timeout(TIMEOUT_MS)
            page = context.new_page()
            page.console_messages = []
            page.on("console", lambda message: page.console_messages.append(message.text))
            return page

        yield make
        browser.close()
    connections.close_all()


def shot(page, name: str) -> None:
    folder = os.environ.get("MONITORING_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)


@pytest.fixture
def red_database(transactional_db, organization):
    """A production installation whose database disk has been critical for ten minutes: past the grace time,
    so its incident has opened a case."""
    installation = installation_make(organization)
    services.results_ingest(
        installation=installation,
        results=[
            result("Backup", "age of newest backup", Status.OK, value=9, unit="h", kind="backup"),
            result(
                "Baza podataka", "disk free", Status.CRITICAL, ago=timedelta(minutes=10), value=6.5, unit="%"
            ),
        ],
    )
    # The next result, ten minutes into the critical spell, outlasts the grace time: the case opens.
    services.results_ingest(
        installation=installation,
        results=[result("Baza podataka", "disk free", Status.CRITICAL, value=6.2, unit="%")],
    )
    Check.objects.filter(name="disk free").update(
        warning_threshold=20, critical_threshold=10, higher_is_worse=False
    )
    incident = Incident.objects.get(component__name="Baza podataka", resolved_at=None)
    assert incident.case is not None
    return installation, incident.case


def test_a_sys_admin_sees_a_red_component_open_its_case_and_resolve(new_page, organization, red_database):
    from playwright.sync_api import expect

    installation, case = red_database
    sys_admin = member_create(organization, [Role.SYS_ADMIN], email="sistem@jadran.test", full_name="Stipe")
    page = new_page()
    login(page, sys_admin)
    expect(page.locator("#monitoring-panel")).to_contain_text("Monitoring: 1 component critical")
    header = page.locator("header")
    if not header.get_by_role("link", name="Monitoring").is_visible():  # grouped in the Products menu
        header.get_by_role("button", name="Products").click()
    header.get_by_role("link", name="Monitoring").click()
    database = page.locator('tbody[data-component="Baza podataka"]')
    expect(database.locator(".status-badge").first).to_have_text("Critical")
    expect(database).to_contain_text("6.2 %")
    expect(database).to_contain_text("critical ≤ 10 %")
    shot(page, "overview-red-1366-en")

    database.get_by_role("link", name=re.compile(f"case {case.reference}")).click()
    expect(page).to_have_url(re.compile(case.get_absolute_url()))
    expect(page.locator("h1")).to_contain_text(case.reference)
    shot(page, "case-1366-en")

    page.go_back()
    expect(database.locator(".status-badge").first).to_have_text("Critical")
    services.results_ingest(
        installation=installation,
        results=[result("Baza podataka", "disk free", Status.OK, value=38.0, unit="%")],
    )
    # No reload: the page's own 30 s refresh brings the new state.
    expect(database.locator(".status-badge").first).to_have_text("OK", timeout=REFRESH_TIMEOUT_MS)
    expect(database).not_to_contain_text(f"case {case.reference}")
    expect(page.locator('section[data-installation="Produkcija"] .card-header .status-badge')).to_have_text(
        "OK"
    )
    shot(page, "overview-resolved-1366-en")

    case.refresh_from_db()
    assert case.status == Case.Status.RESOLVED
    page.goto(case.get_absolute_url())
    expect(page.locator("#case-status")).to_have_text("Resolved")

    page.goto(installation.get_absolute_url())
    expect(page.locator("#incidents")).to_contain_text(case.reference)
    page.locator('tr[data-check="disk free"]').get_by_role("link", name="disk free").click()
    expect(page.locator("svg.chart")).to_be_visible()
    expect(page.locator("#history-table tbody tr")).not_to_have_count(0)
    shot(page, "history-1366-en")
    violations = [text for text in page.console_messages if "Content Security Policy" in text]
    assert violations == []


def test_on_a_phone_in_croatian_the_red_component_and_its_case_are_in_reach(
    new_page, organization, red_database
):
    from playwright.sync_api import expect

    installation, case = red_database
    sys_admin = member_create(organization, [Role.SYS_ADMIN], email="sistem@jadran.test", full_name="Stipe")
    sys_admin.language = "hr"
    sys_admin.save(update_fields=["language"])
    page = new_page(PHONE, "hr-HR")
    login(page, sys_admin)
    page.goto("/monitoring/")
    database = page.locator('tbody[data-component="Baza podataka"]')
    expect(database.locator(".status-badge").first).to_be_visible()
    # The table scrolls inside its box, the page itself does not scroll sideways.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, "overview-red-390-hr")
    page.goto(installation.get_absolute_url())
    expect(page.locator("#tokens")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, "installation-390-hr")

    services.results_ingest(
        installation=installation,
        results=[result("Baza podataka", "disk free", Status.OK, value=38.0, unit="%")],
    )
    page.goto("/monitoring/")
    expect(database).not_to_contain_text(case.reference)
    shot(page, "overview-resolved-390-hr")
    violations = [text for text in page.console_messages if "Content Security Policy" in text]
    assert violations == []


def test_a_sys_admin_creates_a_token_sees_it_once_and_revokes_it(new_page, organization, red_database):
    from playwright.sync_api import expect

    installation, _case = red_database
    sys_admin = member_create(organization, [Role.SYS_ADMIN], email="sistem@jadran.test", full_name="Stipe")
    page = new_page()
    login(page, sys_admin)
    page.goto(installation.get_absolute_url())
    page.fill("#id_name", "Backup server")
    page.get_by_role("button", name="Create a token").click()
    raw = page.locator("#new-token").input_value()
    assert raw.startswith("jmt_")
    assert services.token_authenticate(raw) is not None
    shot(page, "token-created-1366-en")
    page.get_by_role("link", name="Done, back to the installation").click()
    row = page.locator('tr[data-token="Backup server"]')
    expect(row).to_contain_text(raw[:12])
    assert raw not in page.content()
    row.locator("summary").click()
    row.get_by_role("button", name="Yes, revoke it").click()
    expect(page.locator('tr[data-token="Backup server"]')).to_contain_text("Revoked")
    shot(page, "installation-1366-en")
    assert services.token_authenticate(raw) is None


def test_a_consultant_sees_every_customers_red_components_first(
    new_page, organization, other_organization, consultant, red_database
):
    from playwright.sync_api import expect

    monitored(other_organization, name="Northwind ERP", components=3, checks=2, status=Status.WARNING)
    page = new_page()
    login(page, consultant)
    page.goto("/monitoring/")
    rows = page.locator("#component-list tbody tr")
    expect(rows.first).to_contain_text("Critical")
    expect(rows.first).to_contain_text("Baza podataka")
    expect(rows.nth(1)).to_contain_text("Warning")
    page.select_option("#id_organization", label="Northwind Trading Ltd.")
    page.get_by_role("button", name="Filter").click()
    expect(rows).to_have_count(3)
    shot(page, "staff-1366-en")
    violations = [text for text in page.console_messages if "Content Security Policy" in text]
    assert violations == []
