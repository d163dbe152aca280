"""Browser journey of two-factor sign-in: a new ADMIN is sent to set-up, types the secret into "their app"
(computed here), confirms, sees the recovery codes, signs out and signs in again with a code."""

import re
from base64 import b32decode

import pytest
from django.urls import reverse
from django_otp.oath import TOTP

from accounts import services
from accounts.roles import Role
from helpdesk.models import AuditEvent
from tests.axe import assert_accessible
from tests.factories import PASSWORD, UserFactory
from tests.test_browser import browser, new_page  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser


def app_code(secret: str, steps_ahead: int = 0) -> str:
    """What an authenticator app set up with this key shows (django-otp accepts the next step too)."""
    totp = TOTP(b32decode(secret.replace(" ", "")), drift=steps_ahead)
    return f"{totp.token():06d}"


def password_step(page, base_url, email):
    page.goto(base_url + reverse("accounts:login"))
    page.fill("main input[name=username]", email)
    page.fill("main input[name=password]", PASSWORD)
    page.click("main button[type=submit]")


def test_a_new_admin_sets_up_two_factor_sign_in_and_signs_in_with_a_code(
    live_server,
    transactional_db,
    organization,
    browser,  # noqa: F811
):
    from playwright.sync_api import expect

    admin = UserFactory(email="nova.admin@jadran.test", full_name="Nova Admin")
    services.member_add(organization=organization, user=admin, roles=[Role.ADMIN], by=None)
    page = new_page(browser)
    base = live_server.url

    password_step(page, base, admin.email)
    page.wait_for_url(re.compile(r"/accounts/two-factor/setup/"))
    expect(page.locator("main")).to_contain_text("Your role requires two-factor sign-in")
    expect(page.locator("main .qr-code svg")).to_be_visible()
    assert_accessible(page)
    page.goto(base + reverse("cases:case-list"))  # nothing else answers before the set-up
    page.wait_for_url(re.compile(r"/accounts/two-factor/setup/"))

    secret = page.locator("#totp-secret").inner_text()
    page.fill("#id_code", "000000")
    page.click("main form:has(#id_code) button[type=submit]")
    expect(page.locator("main .invalid-feedback")).to_contain_text("This code is not correct")
    page.fill("#id_code", app_code(secret))
    page.click("main form:has(#id_code) button[type=submit]")

    codes = page.locator("#recovery-codes li")
    expect(codes).to_have_count(10)
    assert_accessible(page)
    page.get_by_role("link", name="I have saved them, continue").click()
    page.wait_for_url(re.compile(r"/cases/$"))  # where the admin was going when sent to the set-up

    # The header's "Sign out" sits in a menu whose look changes; its form is what matters.
    page.locator(f"form[action='{reverse('accounts:logout')}']").first.evaluate("form => form.submit()")
    page.wait_for_url(re.compile(r"/accounts/login/"))

    password_step(page, base, admin.email)
    page.wait_for_url(re.compile(r"/accounts/two-factor/\?"))
    assert_accessible(page)
    page.fill("#id_code", app_code(secret, steps_ahead=1))  # the code of the set-up step was used up
    page.press("#id_code", "Enter")
    expect(page.locator("main h1")).to_contain_text("Welcome")
    actions = list(AuditEvent.objects.filter(actor=admin).values_list("action", flat=True))
    assert actions.count(AuditEvent.Action.TWO_FACTOR_ENABLED) == 1
    assert actions.count(AuditEvent.Action.SIGN_IN) == 2


def test_the_idle_warning_offers_to_stay_signed_in(
    live_server,
    transactional_db,
    settings,
    standard_user,
    browser,  # noqa: F811
):
    from playwright.sync_api import expect

    from accounts.models import UserSession

    # A timeout a few seconds longer than the warning: the warning shows right away, and "Stay signed in"
    # (activity now: 125 seconds left) hides it.
    settings.SESSION_IDLE_TIMEOUT = 125
    settings.SESSION_IDLE_WARNING = 120
    page = new_page(browser)
    password_step(page, live_server.url, standard_user.email)
    page.wait_for_url(live_server.url + reverse("dashboard"))
    warning = page.locator("#session-warning")
    expect(warning).to_be_visible(timeout=15_000)
    assert_accessible(page)
    before = UserSession.objects.get(user=standard_user).last_activity_at

    page.get_by_role("button", name="Stay signed in").click()
    expect(warning).to_be_hidden()
    assert UserSession.objects.get(user=standard_user).last_activity_at > before
