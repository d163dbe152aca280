"""Browser journeys of cases (Playwright driving Chromium against the live server): a customer's case from
logging to confirmed resolution, the dispatcher's self-refreshing queue, and the language switch.

One browser for the module; each journey opens its own contexts (a customer and a consultant are two
separate sessions, as they would be on two computers)."""

import os
import re

import pytest
from django.db import connections
from django.urls import reverse

from cases import services
from cases.models import Case, Category
from tests.axe import assert_accessible
from tests.factories import PASSWORD
from tests.header import header_link
from tests.integration import CHROMIUM, CHROMIUM_ARGS
from tests.two_factor import code_step

# Playwright's sync API runs an event loop in this thread; Django would refuse the test's own ORM calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.browser

TIMEOUT_MS = 8_000
# The queue polls every 5 s: one full period plus the request, with room for a loaded machine.
QUEUE_POLL_TIMEOUT_MS = 12_000
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


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


# (width, colour mode): wide enough for the header's expanded navigation (it collapses below 1200 px), and a
# phone in the dark mode; the journeys run on both, with axe-core after each step.
LAPTOP_LIGHT = (1366, "light")
PHONE_DARK = (390, "dark")
SCREENS = pytest.mark.parametrize(
    "screen", [LAPTOP_LIGHT, PHONE_DARK], ids=["1366-light", "390-dark"], indirect=True
)


@pytest.fixture
def screen(request):
    return getattr(request, "param", LAPTOP_LIGHT)


@pytest.fixture
def new_page(chromium, live_server, screen):
    """new_page() is a page in a fresh browser context (its own cookies), closed after the test."""
    contexts = []
    width, color_scheme = screen

    def make():
        context = chromium.new_context(
            base_url=live_server.url,
            locale="en-GB",
            viewport={"width": width, "height": 800},
            color_scheme=color_scheme,
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def category(transactional_db):
    # A transactional test flushes the tables afterwards, the migration's categories with them.
    category, _created = Category.objects.get_or_create(
        code="problem", defaults={"name_hr": "Problem / greška", "name_en": "Problem / bug"}
    )
    return category


def login(page, user, password=PASSWORD):
    page.goto(reverse("accounts:login"))
    page.fill("#id_username", user.email)
    page.fill("#id_password", password)
    page.click("main form button[type=submit]")
    code_step(page, user)
    page.wait_for_url(re.compile(r"^https?://[^/]+/$"))  # the dashboard


@SCREENS
def test_customer_case_from_logging_to_confirmed_resolution(
    new_page, standard_user, consultant, category, media_root
):
    from playwright.sync_api import expect

    services.consultant_set_availability(user=consultant, available=True)

    customer = new_page()
    login(customer, standard_user)
    assert_accessible(customer, where="customer dashboard")
    customer.goto(reverse("cases:case-create"))
    assert_accessible(customer, where="new case form")
    customer.fill("#id_title", "Invoice totals are wrong after the upgrade")
    customer.select_option("#id_category", str(category.pk))
    customer.fill("#id_description", "The VAT line is added twice on **every** invoice.")
    customer.set_input_files(
        "#id_files", files=[{"name": "invoice.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}]
    )
    customer.click("#case-create-form button[type=submit]")
    customer.wait_for_url(re.compile(r"/cases/JS-\d{4}-\d{6}/$"))
    case = Case.objects.get(title="Invoice totals are wrong after the upgrade")
    expect(customer.locator("#case-assignee")).to_have_text(str(consultant))
    assert_accessible(customer, where="the customer's new case")

    link = customer.locator(".attachments a", has_text="invoice.pdf")
    with customer.expect_download() as download_info:
        link.click()
    assert download_info.value.suggested_filename == "invoice.pdf"
    response = customer.request.get(link.get_attribute("href"))
    assert response.ok
    assert response.headers["content-disposition"].startswith("attachment")
    assert response.body() == PDF_BYTES

    staff = new_page()
    login(staff, consultant)
    header_link(staff, "My work").click()
    assert_accessible(staff, where="My work")
    staff.click(f"a:text-is('{case.reference}')")
    staff.fill("#id_body", "Fixed in the VAT rounding patch; please check today's invoices.")
    staff.click("#reply button[type=submit]")
    expect(staff.locator("#timeline")).to_contain_text("VAT rounding patch")
    staff.click("button[data-status=resolved]")
    expect(staff.locator("#case-status")).to_have_text("Resolved")
    assert_accessible(staff, where="the consultant's resolved case")

    customer.reload()
    expect(customer.locator("#timeline")).to_contain_text("VAT rounding patch")
    confirm = customer.locator("button[data-status=closed]")
    expect(confirm).to_have_text("Confirm the resolution")
    confirm.click()
    expect(customer.locator("#case-status")).to_have_text("Closed")
    assert_accessible(customer, where="the customer's closed case")
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
    assert case.first_response_at is not None and case.closed_at is not None


@SCREENS
def test_dispatcher_queue_shows_a_new_case_without_reload(
    new_page, dispatcher, organization, standard_user, category
):
    from playwright.sync_api import expect

    page = new_page()
    login(page, dispatcher)
    page.goto(reverse("cases:queue"))
    expect(page.locator("#waiting-count")).to_have_text("0")

    # Nobody is available, so the case waits in the queue; created (and committed) after the page loaded.
    case = services.case_create(
        organization=organization,
        reporter=standard_user,
        category=category,
        title="Payroll export stops at 99 %",
        description="The export never finishes.",
    )
    assert case.status == Case.Status.NEW

    new_row = page.locator("#queue tr.case-new", has_text=case.reference)
    expect(new_row).to_be_visible(timeout=QUEUE_POLL_TIMEOUT_MS)
    expect(page.locator("#waiting-count")).to_have_text("1")
    assert_accessible(page, where="the queue after its live refresh")


def test_language_switch_in_the_header(new_page, standard_user):
    from playwright.sync_api import expect

    standard_user.language = "hr"
    standard_user.save(update_fields=["language"])
    page = new_page()
    login(page, standard_user)
    expect(page.locator("html")).to_have_attribute("lang", "hr")

    page.click(".language-switch button[value=en]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#main-nav")).to_contain_text("Cases")
    page.goto(reverse("cases:case-list"))
    expect(page.locator("h1")).to_have_text("Cases")

    page.click(".language-switch button[value=hr]")
    expect(page.locator("html")).to_have_attribute("lang", "hr")
    assert page.url.endswith(reverse("cases:case-list"))
    standard_user.refresh_from_db()
    assert standard_user.language == "hr"
