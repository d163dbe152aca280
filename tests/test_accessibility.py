"""Every role's main pages in Chromium, in Croatian and English, in the light and the dark colour mode, at
1366 px and 390 px: axe-core finds no critical or serious violation (tests/axe.py), and the header stays on
one line from 1200 px and never scrolls sideways. The light pages are written to screenshots/ (README.md), so
a reviewer sees the portal without running it.

One browser for the module, one context per role, language and colour mode; each page is visited in a loop.
A new page is a line in PAGES (a new app's pages too)."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client
from django.urls import reverse

from cases.models import Case
from tests.axe import assert_accessible
from tests.factories import case_create
from tests.integration import CHROMIUM, CHROMIUM_ARGS
from tests.two_factor import login_verified

# Playwright's sync API runs an event loop in this thread; Django would refuse the test's own ORM calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(settings.BASE_DIR) / "screenshots"
WIDE, PHONE = 1366, 390
HEIGHT = 800
# A header line: a link's padding around one line of text; two lines would be over 60 px.
ONE_LINE_PX = 48

# persona fixture -> (screenshot name, pages as (name, URL name, args from the `data` fixture's dict))
PAGES = {
    "standard_user": (
        "customer",
        [
            ("dashboard", "dashboard", None),
            ("case-list", "cases:case-list", None),
            ("case-detail", "cases:case-detail", "waiting_case"),
            ("case-create", "cases:case-create", None),
            ("knowledge", "docs:knowledge-search", None),
            ("notifications", "notification-list", None),
            ("profile", "accounts:profile", None),
        ],
    ),
    "admin_user": (
        "customer-admin",
        [
            ("dashboard", "dashboard", None),
            ("members", "accounts:my-members", None),
            ("audit-log", "accounts:audit-list", None),
            ("case-analysis", "cases:case-analysis", None),
        ],
    ),
    "fin_admin_user": (
        "customer-fin-admin",
        [
            ("billing", "billing:overview", None),
            ("statements", "billing:statement-list", None),
            ("licence", "licensing:licence-current", None),
        ],
    ),
    "sys_admin_user": (
        "customer-sys-admin",
        [
            ("releases", "releases:release-list", None),
            ("licence", "licensing:licence-current", None),
            ("monitoring", "monitoring:overview", None),
            ("installation", "monitoring:installation", "installation"),
            ("check-history", "monitoring:check-history", "check"),
        ],
    ),
    "dispatcher": (
        "dispatcher",
        [
            ("dashboard", "dashboard", None),
            ("queue", "cases:queue", None),
            ("case-detail", "cases:case-detail", "critical_case"),
        ],
    ),
    "consultant": (
        "consultant",
        [
            ("my-work", "cases:my-work", None),
            ("time", "billing:time-list", None),
            ("monitoring", "monitoring:overview", None),
        ],
    ),
    "vendor_admin": (
        "vendor-admin",
        [
            ("dashboard", "dashboard", None),
            ("organizations", "accounts:organization-list", None),
            ("licences", "licensing:licence-list", None),
            ("case-list", "cases:case-list", None),
        ],
    ),
}


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    # Connections opened while Playwright ran belong to its context, where Django's teardown does not see
    # them; left open, they would keep the test database from being dropped.
    connections.close_all()


@pytest.fixture
def data(transactional_db, organization, standard_user, admin_user, fin_admin_user, consultant):
    """What the pages show: a case waiting for the customer at high priority and a new critical one (the
    badges and priorities axe once failed), a contract with a statement, a licence."""
    from billing.tests.factories import statement_make
    from licensing.tests.factories import licence_make

    licence_make(organization)
    statement_make(organization)
    waiting = case_create(organization, standard_user, title="VAT line added twice", priority="high")
    Case.objects.filter(pk=waiting.pk).update(status=Case.Status.WAITING, assignee=consultant)
    critical = case_create(organization, standard_user, title="Warehouse closing fails", priority="critical")
    installation = monitored_demo(organization)
    check = installation.components.get(name="Baza podataka").checks.get()
    return {
        "waiting_case": waiting.reference,
        "critical_case": critical.reference,
        "installation": installation.pk,
        "check": check.pk,
    }


def monitored_demo(organization):
    """An installation with a critical, a warning, an OK and a silent component (the status badges)."""
    from monitoring import services
    from monitoring.models import Status
    from monitoring.tests.factories import installation_make, result

    installation = installation_make(organization)
    services.results_ingest(
        installation=installation,
        results=[
            result("Baza podataka", "disk free", Status.CRITICAL, value=6.5, unit="%"),
            result("Backup", "age", Status.WARNING, value=30, unit="h", kind="backup"),
            result("Disk D:", "free space", Status.OK, value=310, unit="GB", kind="disk"),
            result("Licence server", "answer time", Status.OK, ago=timedelta(hours=2), value=30, unit="ms"),
        ],
    )
    return installation


def signed_in_context(chromium, live_server, user, *, scheme: str):
    """A browser context with the user's session (verified with the second factor), as after signing in."""
    client = Client()
    login_verified(client, user)
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": WIDE, "height": HEIGHT}, color_scheme=scheme
    )
    context.set_default_timeout(10_000)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context


def assert_header_fits(page, where: str) -> None:
    """One line from 1200 px, no sideways scrolling at any width."""
    sizes = page.evaluate(
        """() => ({
            scroll: document.documentElement.scrollWidth,
            width: window.innerWidth,
            links: [...document.querySelectorAll('header .nav-link')]
                .filter(link => link.offsetParent !== null)
                .map(link => [link.textContent.trim(), link.getBoundingClientRect().height]),
        })"""
    )
    assert sizes["scroll"] <= sizes["width"], f"{where}: the page scrolls sideways ({sizes['scroll']} px)"
    if sizes["width"] >= 1200:
        tall = [(text, height) for text, height in sizes["links"] if height > ONE_LINE_PX]
        assert not tall, f"{where}: header entries on more than one line: {tall}"


def visit_pages(page, persona, name, pages, data, *, lang, scheme, width):
    page.set_viewport_size({"width": width, "height": HEIGHT})
    for page_name, url_name, arg in pages:
        where = f"{name} {page_name} {width} px {lang} {scheme}"
        page.goto(reverse(url_name, args=[data[arg]] if arg else None))
        assert page.locator("html").get_attribute("data-bs-theme") == scheme, where
        assert_accessible(page, where=where)
        if scheme == "light" and (lang == "hr" or page_name == "dashboard"):
            page.screenshot(path=SCREENSHOTS / f"{name}-{page_name}-{width}-{lang}.png")
        elif page_name == pages[0][0] and width == WIDE and lang == "hr":
            page.screenshot(path=SCREENSHOTS / f"{name}-{page_name}-{width}-{lang}-dark.png")


@pytest.mark.parametrize("persona", list(PAGES))
def test_every_page_of_every_role_is_accessible_in_both_languages_and_modes(
    persona, request, chromium, live_server, data
):
    user = request.getfixturevalue(persona)
    name, pages = PAGES[persona]
    SCREENSHOTS.mkdir(exist_ok=True)
    for lang in ("hr", "en"):
        user.language = lang
        user.save(update_fields=["language"])
        for scheme in ("light", "dark"):
            context = signed_in_context(chromium, live_server, user, scheme=scheme)
            page = context.new_page()
            for width in (WIDE, PHONE):
                visit_pages(page, persona, name, pages, data, lang=lang, scheme=scheme, width=width)
            context.close()


@pytest.mark.parametrize("persona", ["vendor_admin", "admin_user"])
def test_the_header_is_one_line_from_1200_px_and_a_menu_on_a_phone(
    persona, request, chromium, live_server, data
):
    from playwright.sync_api import expect

    user = request.getfixturevalue(persona)
    for lang in ("hr", "en"):
        user.language = lang
        user.save(update_fields=["language"])
        context = signed_in_context(chromium, live_server, user, scheme="light")
        page = context.new_page()
        page.goto(reverse("dashboard"))
        for width in (1366, 1280, 1200, PHONE):
            page.set_viewport_size({"width": width, "height": HEIGHT})
            assert_header_fits(page, f"{persona} {lang} {width} px")
        # On a phone the bell, the account and the language stay in view; the entries open from the toggler.
        header = page.locator("header")
        expect(header.locator(".language-switch button")).to_be_visible()
        expect(header.locator("#notification-bell")).to_be_visible()
        expect(header.locator(".user-menu")).to_be_visible()
        expect(header.locator("#main-nav")).to_be_hidden()
        header.locator(".navbar-toggler").click()
        expect(header.locator("#main-nav .nav-link").first).to_be_visible()
        if persona == "admin_user":
            expect(header.locator(".org-name")).to_be_visible()
        context.close()
