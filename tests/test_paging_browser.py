"""Browser journey of paging (Playwright driving Chromium against the live server, at a desktop width): a
person filters the case list and the audit log, clicks "Next" and "Previous", and sees the right rows each
time, with the filter still applied."""

import re

import pytest
from django.db import connections
from django.urls import reverse

from accounts.roles import Role
from cases.models import Case
from helpdesk.models import AuditEvent
from tests.factories import PASSWORD, case_create, member_create
from tests.integration import CHROMIUM, CHROMIUM_ARGS
from tests.two_factor import code_step

pytestmark = pytest.mark.browser

TIMEOUT_MS = 8_000
# Every row the tests make is labelled "<kind> row <number>", numbered in the order the rows were made.
ROW = re.compile(r"\w+ row \d{3}")


def labels(kind: str, first: int, last: int) -> list[str]:
    """The row labels from `first` down to `last`, newest first as the lists show them."""
    return [f"{kind} row {number:03d}" for number in range(first, last - 1, -1)]


@pytest.fixture
def new_page(live_server, monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the test's ORM calls are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)

        def make():
            # A desktop: wide enough for the header's expanded navigation (it collapses below 1200 px).
            context = browser.new_context(
                base_url=live_server.url, locale="en-GB", viewport={"width": 1280, "height": 800}
            )
            context.set_default_timeout(TIMEOUT_MS)
            return context.new_page()

        yield make
        browser.close()
        # Connections opened while Playwright runs belong to its context, where Django's teardown does not
        # see them; left open, they would keep the test database from being dropped.
        connections.close_all()


def login(page, user):
    page.goto(reverse("accounts:login"))
    page.fill("#id_username", user.email)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    code_step(page, user)
    page.wait_for_url(re.compile(r"^https?://[^/]+/$"))  # the dashboard


def rows_in(page, selector: str) -> list[str]:
    return ROW.findall(page.locator(selector).inner_text())


def pager_click(page, name: str, scope: str = "main") -> None:
    page.locator(f"{scope} .pagination").get_by_role("link", name=name).click()


def test_a_customer_pages_through_the_case_list_before_and_after_filtering_it(
    new_page, transactional_db, organization
):
    from playwright.sync_api import expect

    customer = member_create(organization, [Role.STANDARD], email="pager@jadran.test", full_name="Petra")
    for number in range(1, 31):
        case_create(organization, customer, title=f"Urgent row {number:03d}", priority=Case.Priority.HIGH)
    # Newer than every high-priority case: the unfiltered list starts with these, and so would a list
    # whose filter was lost on the way.
    for number in range(1, 31):
        case_create(organization, customer, title=f"Routine row {number:03d}")
    page = new_page()
    login(page, customer)

    page.goto(reverse("cases:case-list"))
    assert rows_in(page, "#results") == labels("Routine", 30, 6)
    pager_click(page, "Next")
    expect(page).to_have_url(re.compile(r"[?&]page=2(&|$)"))
    expect(page.locator("#results .pagination")).to_contain_text("Page 2")
    assert rows_in(page, "#results") == labels("Routine", 5, 1) + labels("Urgent", 30, 11)
    pager_click(page, "Previous")
    expect(page.locator("#results .pagination")).to_contain_text("Page 1")
    assert rows_in(page, "#results") == labels("Routine", 30, 6)

    page.check('input[name="priority"][value="high"]')  # htmx refreshes the results and the address bar
    expect(page).to_have_url(re.compile(r"[?&]priority=high(&|$)"))
    expect(page.locator("#results")).not_to_contain_text("Routine row")
    assert rows_in(page, "#results") == labels("Urgent", 30, 6)

    pager_click(page, "Next", scope="#results")
    expect(page).to_have_url(re.compile(r"[?&]page=2(&|$)"))
    expect(page).to_have_url(re.compile(r"[?&]priority=high(&|$)"))
    expect(page.locator("#results .pagination")).to_contain_text("Page 2")
    assert rows_in(page, "#results") == labels("Urgent", 5, 1)
    expect(page.locator('input[name="priority"][value="high"]')).to_be_checked()  # the form keeps the filter
    expect(page.locator("#results .pagination").get_by_role("link", name="Next")).to_have_count(0)

    pager_click(page, "Previous", scope="#results")
    expect(page).to_have_url(re.compile(r"[?&]page=1(&|$)"))
    expect(page.locator("#results .pagination")).to_contain_text("Page 1")
    assert rows_in(page, "#results") == labels("Urgent", 30, 6)
    expect(page.locator("#results .pagination").get_by_role("link", name="Previous")).to_have_count(0)


def test_a_vendor_admin_pages_through_the_audit_log_of_one_organization(
    new_page, transactional_db, organization, other_organization, vendor_admin
):
    from playwright.sync_api import expect

    def events(of, label):
        return [
            AuditEvent(action=AuditEvent.Action.ORGANIZATION_CHANGED, organization=of, target_repr=label(n))
            for n in range(1, 61)
        ]

    AuditEvent.objects.bulk_create(events(organization, lambda n: f"Audit row {n:03d}"))
    AuditEvent.objects.bulk_create(events(other_organization, lambda n: f"Elsewhere {n}"))

    page = new_page()
    login(page, vendor_admin)
    page.goto(reverse("accounts:audit-list"))
    page.select_option("#id_organization", label=organization.name)
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(rf"[?&]organization={organization.pk}(&|$)"))
    expect(page.locator("h1")).to_contain_text(organization.name)
    assert rows_in(page, "main table") == labels("Audit", 60, 11)

    pager_click(page, "Next")
    expect(page).to_have_url(re.compile(r"[?&]page=2(&|$)"))
    expect(page.locator(".pagination")).to_contain_text("Page 2")
    expect(page.locator("h1")).to_contain_text(organization.name)
    assert rows_in(page, "main table") == labels("Audit", 10, 1)
    expect(page.locator("main table")).not_to_contain_text("Elsewhere")

    pager_click(page, "Previous")
    expect(page).to_have_url(re.compile(r"[?&]page=1(&|$)"))
    assert rows_in(page, "main table") == labels("Audit", 60, 11)
    expect(page.locator("main table")).not_to_contain_text("Elsewhere")
