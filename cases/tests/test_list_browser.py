"""Browser tests of the case list on a phone (390 px) and a laptop (1366 px): cards below the md breakpoint
and a table above it, the filters behind a "Filters (n active)" button, checkbox filters with removable
chips, the case's facts before its reply form, and the keyboard shortcuts. Screenshots of each state are
written to SCREENSHOTS_DIR when it is set (a reviewer looks at them without running the portal)."""

import os
import re
from pathlib import Path

import pytest
from django.urls import reverse

from cases.models import Case
from tests.factories import case_create

from .test_browser_journeys import category, chromium, login  # noqa: F401  (fixtures)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}


@pytest.fixture
def open_page(chromium, live_server):  # noqa: F811
    contexts = []

    def make(viewport):
        context = chromium.new_context(base_url=live_server.url, locale="en-GB", viewport=viewport)
        context.set_default_timeout(8_000)
        contexts.append(context)
        page = context.new_page()
        page.console_messages = []
        page.on("console", lambda message: page.console_messages.append(message.text))
        return page

    yield make
    for context in contexts:
        context.close()


def screenshot(page, name: str) -> None:
    folder = os.environ.get("SCREENSHOTS_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def csp_violations(page) -> list[str]:
    return [text for text in page.console_messages if "Content Security Policy" in text]


@pytest.fixture
def cases(admin_user, category):  # noqa: F811
    organization = admin_user.memberships.get().organization
    made = [
        case_create(organization, admin_user, category=category, title=f"Stock report {number} is wrong",
                    priority=Case.Priority.HIGH if number % 2 else Case.Priority.NORMAL)
        for number in range(6)
    ]  # fmt: skip
    return made


def test_on_a_phone_the_list_is_cards_and_the_filters_wait_behind_a_button(open_page, admin_user, cases):
    from playwright.sync_api import expect

    page = open_page(PHONE)
    login(page, admin_user)
    page.goto(reverse("cases:case-list"))

    # No sideways scrolling, and the first case is on the first screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    first = page.locator(".case-table tbody tr").first
    expect(first).to_be_visible()
    assert first.bounding_box()["y"] < PHONE["height"]
    # A card: its reference, title, status, priority, assignee and last activity; the table head is hidden.
    expect(page.locator(".case-table thead")).to_have_css("position", "absolute")
    expect(first).to_have_css("display", "grid")
    for cell in ("ref", "title", "status", "priority", "assignee", "activity"):
        expect(first.locator(f".cell-{cell}")).to_be_visible()
    # The whole card opens the case, and is a large tap target.
    assert first.bounding_box()["height"] >= 24
    expect(page.locator("#status_0")).to_be_hidden()
    screenshot(page, "case-list-390")

    toggle = page.locator(".filters-toggle")
    expect(toggle).to_have_text("Filters")
    toggle.click()
    expect(page.locator("#filter-panel")).to_be_visible()
    page.locator("label[for=id_priority_2]").click()  # "High": a checkbox, no Ctrl-click
    expect(page).to_have_url(re.compile(r"[?&]priority=high"))
    expect(toggle).to_have_text("Filters (1 active)")
    expect(page.locator(".filter-chip")).to_have_count(1)
    expect(page.locator(".case-table tbody tr")).to_have_count(3)
    box = page.locator("label[for=id_priority_2]").bounding_box()
    assert box["height"] >= 24 or page.locator("#id_priority_2").bounding_box()["height"] >= 16
    screenshot(page, "case-list-390-filters-open")
    assert csp_violations(page) == []


def test_on_a_laptop_the_list_is_a_table_with_checkbox_filters_and_removable_chips(
    open_page, admin_user, cases
):
    from playwright.sync_api import expect

    page = open_page(LAPTOP)
    login(page, admin_user)
    page.goto(reverse("cases:case-list") + "?priority=high&status=new&q=stock")

    expect(page.locator(".filters-toggle")).to_be_hidden()
    expect(page.locator("#filter-panel")).to_be_visible()
    expect(page.locator(".case-table thead")).to_be_visible()
    expect(page.locator(".case-table tbody tr").first).to_have_css("display", "table-row")
    expect(page.locator("#id_priority_2")).to_be_checked()
    chips = page.locator(".filter-chips .filter-chip")
    expect(chips).to_have_count(4)  # three filters and "Clear filters"
    expect(chips.first).to_contain_text("Text: “stock”")
    expect(page.locator(".filter-chips")).to_contain_text("Priority: High")
    screenshot(page, "case-list-1366")

    # A chip is a link, reached with the keyboard: it opens the same search without that value.
    chip = page.locator(".filter-chip", has_text="Priority: High")
    chip.focus()
    page.keyboard.press("Enter")
    expect(page).not_to_have_url(re.compile(r"priority="))
    expect(page).to_have_url(re.compile(r"status=new"))
    expect(page.locator("#id_priority_2")).not_to_be_checked()
    expect(page.locator(".case-table tbody tr")).to_have_count(6)
    assert csp_violations(page) == []


def test_keyboard_shortcuts_search_move_in_the_list_and_show_their_help(open_page, admin_user, cases):
    from playwright.sync_api import expect

    page = open_page(LAPTOP)
    login(page, admin_user)
    page.goto(reverse("dashboard"))

    page.keyboard.press("?")
    dialog = page.locator("#shortcuts-dialog")
    expect(dialog).to_be_visible()
    screenshot(page, "shortcuts-1366")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    page.keyboard.press("/")  # no search field here: the case list's takes the focus
    expect(page).to_have_url(re.compile(r"/cases/#search$"))
    expect(page.locator("#id_q")).to_be_focused()
    page.keyboard.type("j")  # typing in a field: a letter, not a shortcut
    expect(page.locator("#id_q")).to_have_value("j")
    page.locator("#id_q").fill("")
    page.locator("#id_q").blur()

    links = page.locator(".case-table .row-link")
    page.keyboard.press("j")
    expect(links.nth(0)).to_be_focused()
    page.keyboard.press("j")
    expect(links.nth(1)).to_be_focused()
    page.keyboard.press("k")
    expect(links.nth(0)).to_be_focused()
    outline = links.nth(0).evaluate("link => getComputedStyle(link).outlineStyle")
    assert outline != "none"  # the focus is visible
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/cases/[A-Z0-9-]+/$"))
    page.wait_for_load_state()  # the shortcuts listen once the page's scripts have run

    page.keyboard.press("n")
    expect(page).to_have_url(re.compile(r"/cases/new/$"))
    assert csp_violations(page) == []


def test_on_a_phone_the_case_facts_come_before_the_reply_form(open_page, admin_user, cases):
    from playwright.sync_api import expect

    page = open_page(PHONE)
    login(page, admin_user)
    page.goto(cases[0].get_absolute_url())

    facts = page.locator(".case-facts")
    expect(facts).to_be_visible()
    expect(page.locator("#reply")).to_be_visible()
    assert facts.bounding_box()["y"] < page.locator("#reply").bounding_box()["y"]
    assert facts.bounding_box()["y"] < page.locator("#timeline").bounding_box()["y"]
    expect(page.locator("#timeline .avatar").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "case-detail-390")

    page.emulate_media(media="print")
    expect(page.locator("header")).to_be_hidden()
    expect(page.locator("#reply")).to_be_hidden()
    expect(page.locator("#timeline")).to_be_visible()
