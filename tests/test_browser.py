"""Browser journeys: Chromium driven by Playwright against the live server."""

import re

import pytest
from django.core import mail
from django.db import connections
from django.urls import reverse

from tests.factories import PASSWORD
from tests.integration import CHROMIUM, CHROMIUM_ARGS
from tests.two_factor import code_step

pytestmark = pytest.mark.browser


@pytest.fixture
def browser(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the test's ORM calls are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        # Database connections opened while Playwright runs belong to its context, where Django's own
        # teardown does not see them; left open, they would keep the test database from being dropped.
        connections.close_all()


def new_page(browser):
    page = browser.new_context(locale="en-US").new_page()
    page.set_default_timeout(10_000)
    return page


def test_admin_invites_a_user_who_joins_and_appears_in_the_member_list(
    live_server, transactional_db, settings, organization, admin_user, browser
):
    from playwright.sync_api import expect

    settings.PORTAL_BASE_URL = live_server.url
    members_url = live_server.url + reverse("accounts:member-list", args=[organization.pk])

    admin = new_page(browser)
    admin.goto(live_server.url + reverse("accounts:login"))
    admin.fill("main input[name=username]", admin_user.email)
    admin.fill("main input[name=password]", PASSWORD)
    admin.click("main button[type=submit]")
    code_step(admin, admin_user)
    expect(admin.locator("main h1")).to_contain_text("Welcome, Ante")

    admin.goto(members_url)
    admin.fill("main input[name=email]", "nina.nova@example.com")
    admin.fill("main input[name=full_name]", "Nina")
    admin.check("main input[name=roles][value=SYS_ADMIN]")
    admin.click("main form:has(input[name=email]) button[type=submit]")
    expect(admin.locator("main .alert-success")).to_contain_text(
        "An invitation has been sent to nina.nova@example.com"
    )

    [message] = mail.outbox
    link = re.search(r"https?://\S+/accounts/invitations/\S+/", message.body).group()
    invitee = new_page(browser)
    invitee.goto(link)
    invitee.fill("main input[name=full_name]", "Nina Nova")
    invitee.fill("main input[name=password1]", "a-long-new-password-42")
    invitee.fill("main input[name=password2]", "a-long-new-password-42")
    invitee.click("main button[type=submit]")
    expect(invitee.locator("main h1")).to_contain_text("Welcome, Nina")
    expect(invitee.locator("main")).to_contain_text("Jadran Prehrana d.o.o.")

    admin.reload()
    new_member = admin.locator("#members tr", has_text="nina.nova@example.com")
    expect(new_member).to_contain_text("Nina Nova")
    expect(new_member).to_contain_text("System administrator")
