"""Two-factor sign-in (accounts.two_factor): who must use it, the code after the password, recovery codes,
the set-up page, the Django admin, and the limit on wrong codes."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services, two_factor
from accounts.roles import Role
from helpdesk.models import AuditEvent
from tests.factories import PASSWORD, UserFactory
from tests.two_factor import authenticator_give, code_for, login_verified

LOGIN_URL = reverse("accounts:login")
VERIFY_URL = reverse("accounts:two-factor-verify")
SETUP_URL = reverse("accounts:two-factor-setup")


def sign_in(client, user, password=PASSWORD):
    response = client.post(LOGIN_URL, {"username": user.email, "password": password})
    assert response.status_code == 302
    return response


def new_admin(organization, email="nova.admin@jadran.test"):
    """An ADMIN made through the membership service, without the authenticator the factories give."""
    user = UserFactory(email=email, full_name="Nova Admin")
    services.member_add(organization=organization, user=user, roles=[Role.ADMIN], by=None)
    return user


def actions_of(user) -> list[str]:
    return list(AuditEvent.objects.filter(target_id=str(user.pk)).values_list("action", flat=True))


@pytest.mark.parametrize(
    "persona, required",
    [
        ("standard_user", False),
        ("sys_admin_user", False),
        ("admin_user", True),
        ("fin_admin_user", True),
        ("dispatcher", True),
        ("consultant", True),
        ("vendor_admin", True),
    ],
)
def test_the_second_factor_is_required_for_staff_admins_and_financial_admins(request, persona, required):
    assert two_factor.is_required(request.getfixturevalue(persona)) is required


def test_superusers_and_django_admin_users_must_use_a_second_factor(db):
    assert two_factor.is_required(UserFactory(is_superuser=True))
    assert two_factor.is_required(UserFactory(is_staff=True))


def test_a_new_admin_is_sent_to_set_up_and_can_do_nothing_else(client_for, organization):
    admin = new_admin(organization)
    client = client_for()
    sign_in(client, admin)

    for url in (reverse("dashboard"), reverse("cases:case-list"), reverse("accounts:profile")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(SETUP_URL + "?next=")
    assert client.get(SETUP_URL).status_code == 200
    assert client.post(reverse("language-switch"), {"language": "hr"}).status_code == 302
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("dashboard"))["Location"].startswith(LOGIN_URL)


def test_setting_up_confirms_the_app_shows_ten_recovery_codes_once_and_is_audited(client_for, organization):
    admin = new_admin(organization)
    client = client_for()
    sign_in(client, admin)
    page = client.get(SETUP_URL + "?next=/cases/")
    device = TOTPDevice.objects.get(user=admin, confirmed=False)
    secret = two_factor.secret_text(device)
    assert "<svg" in page.text and secret in page.text

    wrong = client.post(SETUP_URL, {"code": "000000", "next": "/cases/"})
    assert "This code is not correct" in wrong.text
    assert client.get(reverse("dashboard")).status_code == 302  # still not set up

    done = client.post(SETUP_URL, {"code": code_for(device), "next": "/cases/"})
    codes = re.findall(r"<li>([a-z2-7]{8})</li>", done.text)
    assert len(codes) == 10
    assert sorted(codes) == sorted(
        StaticToken.objects.filter(device__user=admin).values_list("token", flat=True)
    )
    assert 'href="/cases/"' in done.text
    assert client.get(reverse("dashboard")).status_code == 200
    assert AuditEvent.Action.TWO_FACTOR_ENABLED in actions_of(admin)
    profile = client.get(reverse("accounts:profile")).text
    assert "10 recovery codes are left" in profile and codes[0] not in profile  # shown once only


def test_sign_in_asks_for_the_authenticators_code_after_the_password(client_for, admin_user):
    client = client_for()
    response = sign_in(client, admin_user)
    response = client.get(response["Location"])
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY_URL)
    assert client.get(VERIFY_URL).status_code == 200

    wrong = client.post(VERIFY_URL, {"code": "123456", "next": "/cases/"})
    assert wrong.status_code == 200 and "This code is not correct" in wrong.text
    authenticator_give(
        admin_user
    ).throttle_reset()  # django-otp makes the device wait a second after a failure
    right = client.post(VERIFY_URL, {"code": code_for(admin_user), "next": "/cases/"})
    assert right.status_code == 302 and right["Location"] == "/cases/"
    assert client.get(reverse("dashboard")).status_code == 200
    assert client.session[DEVICE_ID_SESSION_KEY] == authenticator_give(admin_user).persistent_id
    assert AuditEvent.Action.SECOND_FACTOR_FAILED in actions_of(admin_user)


def test_a_code_is_accepted_once(client_for, admin_user):
    code = code_for(admin_user)
    first = client_for()
    sign_in(first, admin_user)
    assert first.post(VERIFY_URL, {"code": code}).status_code == 302
    second = client_for()
    sign_in(second, admin_user)
    assert second.post(VERIFY_URL, {"code": code}).status_code == 200  # the same code again: refused


def test_a_recovery_code_signs_in_once_and_is_audited(client_for, admin_user):
    codes = two_factor.recovery_codes_regenerate(user=admin_user, ip_address=None)
    client = client_for()
    sign_in(client, admin_user)
    response = client.post(VERIFY_URL, {"code": codes[0].upper()[:4] + "-" + codes[0][4:]}, follow=True)
    assert response.status_code == 200
    assert "Signed in with a recovery code: 9 are left" in response.text
    assert AuditEvent.Action.RECOVERY_CODE_USED in actions_of(admin_user)

    again = client_for()
    sign_in(again, admin_user)
    assert again.post(VERIFY_URL, {"code": codes[0]}).status_code == 200
    assert again.get(reverse("dashboard"))["Location"].startswith(VERIFY_URL)
    StaticDevice.objects.get(user=admin_user).throttle_reset()  # the device waits a second after a failure
    assert again.post(VERIFY_URL, {"code": codes[1]}).status_code == 302


def test_wrong_codes_are_limited(client_for, admin_user):
    client = client_for()
    sign_in(client, admin_user)
    for _attempt in range(5):
        assert client.post(VERIFY_URL, {"code": "111111"}).status_code == 200
    blocked = client.post(VERIFY_URL, {"code": code_for(admin_user)})
    assert blocked.status_code == 429
    assert "Too many wrong codes" in blocked.text
    assert client.get(reverse("dashboard"))["Location"].startswith(VERIFY_URL)


def test_a_user_without_a_second_factor_signs_in_with_the_password_only(client_for, standard_user):
    client = client_for()
    sign_in(client, standard_user)
    assert client.get(reverse("dashboard")).status_code == 200


def test_an_optional_user_sets_up_and_turns_off_the_second_factor(client_for, standard_user, admin_user):
    client = client_for(standard_user)
    client.get(SETUP_URL)
    device = TOTPDevice.objects.get(user=standard_user)
    client.post(SETUP_URL, {"code": code_for(device)})
    assert two_factor.has_authenticator(standard_user)
    fresh = client_for()
    sign_in(fresh, standard_user)
    assert fresh.get(reverse("dashboard"))["Location"].startswith(VERIFY_URL)

    client.post(reverse("accounts:two-factor-disable"))
    assert not two_factor.has_authenticator(standard_user)
    assert AuditEvent.Action.TWO_FACTOR_DISABLED in actions_of(standard_user)

    refused = client_for(admin_user).post(reverse("accounts:two-factor-disable"), follow=True)
    assert "Your role requires two-factor sign-in" in refused.text
    assert two_factor.has_authenticator(admin_user)


def test_new_recovery_codes_replace_the_old_ones_and_are_audited(client_for, admin_user):
    old = two_factor.recovery_codes_regenerate(user=admin_user, ip_address=None)
    response = client_for(admin_user).post(reverse("accounts:recovery-codes"))
    new = re.findall(r"<li>([a-z2-7]{8})</li>", response.text)
    assert len(new) == 10 and not set(old) & set(new)
    assert actions_of(admin_user).count(AuditEvent.Action.RECOVERY_CODES_REGENERATED) == 2


def test_the_django_admin_requires_the_second_factor(db):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    authenticator_give(superuser)
    unverified = Client()
    unverified.force_login(superuser)  # password only: no second factor yet
    response = unverified.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY_URL) or "login" in response["Location"]
    assert unverified.get(reverse("admin:login"))["Location"].startswith(VERIFY_URL)

    verified = Client()
    login_verified(verified, superuser)
    assert verified.get(reverse("admin:index")).status_code == 200


def test_the_admin_site_refuses_an_unverified_session_even_past_the_middleware(rf, db):
    from django.contrib import admin
    from django.contrib.sessions.backends.db import SessionStore

    superuser = UserFactory(is_superuser=True, is_staff=True)
    request = rf.get("/admin/")
    request.user, request.session = superuser, SessionStore()
    assert not admin.site.has_permission(request)
    request.session[DEVICE_ID_SESSION_KEY] = authenticator_give(superuser).persistent_id
    assert admin.site.has_permission(request)


def test_demo_staff_and_admins_sign_in_with_the_printed_key(client_for, db):
    from accounts import demo
    from accounts.services import staff_groups_sync

    staff_groups_sync()
    demo.seed()
    welcome = "\n".join(demo.welcome())
    assert demo.demo_totp_secret() in welcome
    assert re.search(r"admin@jadran\.demo .* \*$", welcome, re.MULTILINE)
    assert not re.search(r"korisnik@jadran\.demo .* \*$", welcome, re.MULTILINE)
    for email in ("admin@jadran.demo", "dispecer@jupiter-software.hr"):
        client = client_for()
        client.post(LOGIN_URL, {"username": email, "password": demo.DEMO_PASSWORD})
        assert client.post(VERIFY_URL, {"code": demo.demo_totp_code()}).status_code == 302
        assert client.get(reverse("dashboard")).status_code == 200
