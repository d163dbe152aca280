"""The session policy (accounts.sessions): absolute and idle limits, the list of one's sessions and ending
them, rotation on role changes and password changes, and reset links valid one hour."""

import re
from datetime import timedelta
from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts import services, sessions
from accounts.models import UserSession
from accounts.roles import Role
from helpdesk.models import AuditEvent
from tests.factories import PASSWORD, member_create
from tests.two_factor import other_session_make

DASHBOARD = reverse("dashboard")
LOGIN_URL = reverse("accounts:login")


def session_shift(client, **seconds_ago):
    """Move the session's sign-in or last activity into the past (no sleeping)."""
    session = client.session
    now = int(timezone.now().timestamp())
    for key, ago in seconds_ago.items():
        session[{"signed_in": sessions.SIGNED_IN_AT, "activity": sessions.LAST_ACTIVITY}[key]] = now - ago
    session.save()


def store_has(session_key) -> bool:
    return import_module(settings.SESSION_ENGINE).SessionStore().exists(session_key)


def test_sign_in_records_the_session_with_device_and_address(client_for, standard_user):
    client = client_for(HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux) Firefox/140.0", REMOTE_ADDR="203.0.113.5")
    client.post(LOGIN_URL, {"username": standard_user.email, "password": PASSWORD})
    row = UserSession.objects.get(user=standard_user)
    assert row.session_key == client.session.session_key
    assert "Firefox" in row.user_agent and row.ip_address == "203.0.113.5"
    assert row.expires_at - row.signed_in_at == timedelta(hours=12)


def test_a_session_ends_after_the_idle_timeout(client_for, standard_user):
    client = client_for(standard_user)
    key = client.session.session_key
    session_shift(client, activity=settings.SESSION_IDLE_TIMEOUT - 60)
    assert client.get(DASHBOARD).status_code == 200

    session_shift(client, activity=settings.SESSION_IDLE_TIMEOUT + 1)
    response = client.get(DASHBOARD, follow=True)
    assert response.redirect_chain[-1][0].startswith(LOGIN_URL)
    assert "You were signed out after a time without activity" in response.text
    assert not store_has(key)
    assert not UserSession.objects.filter(session_key=key).exists()


def test_staff_have_their_own_idle_timeout(client_for, settings, consultant, standard_user):
    settings.SESSION_IDLE_TIMEOUT_STAFF = 60 * 60
    staff, customer = client_for(consultant), client_for(standard_user)
    session_shift(staff, activity=45 * 60)
    session_shift(customer, activity=45 * 60)
    assert staff.get(DASHBOARD).status_code == 200
    assert customer.get(DASHBOARD)["Location"].startswith(LOGIN_URL)


def test_requests_the_page_makes_by_itself_are_not_activity(client_for, standard_user):
    client = client_for(standard_user)
    session_shift(client, activity=10 * 60)
    before = client.session[sessions.LAST_ACTIVITY]
    status = client.get(reverse("accounts:session-status"), HTTP_X_BACKGROUND="1").json()
    assert settings.SESSION_IDLE_TIMEOUT - 10 * 60 - 5 <= status["seconds_left"] <= 20 * 60
    assert client.get(reverse("notification-count"), HTTP_X_BACKGROUND="1").status_code == 200
    assert client.session[sessions.LAST_ACTIVITY] == before

    ping = client.post(reverse("accounts:session-ping")).json()  # "Stay signed in"
    assert ping["seconds_left"] == settings.SESSION_IDLE_TIMEOUT
    assert client.session[sessions.LAST_ACTIVITY] > before


def test_a_session_ends_12_hours_after_sign_in_whatever_the_activity(client_for, standard_user):
    client = client_for(standard_user)
    session_shift(client, signed_in=12 * 60 * 60 - 60, activity=0)
    assert client.get(DASHBOARD).status_code == 200
    session_shift(client, signed_in=12 * 60 * 60, activity=0)
    response = client.get(DASHBOARD, follow=True)
    assert "a session lasts at most 12 hours" in response.text


def test_the_session_expires_on_a_fixed_date_that_activity_does_not_move(client_for, standard_user):
    client = client_for(standard_user)
    expiry = client.session.get_expiry_date()
    session_shift(client, activity=5 * 60)
    client.get(DASHBOARD)
    assert client.session.get_expiry_date() == expiry


def test_the_page_carries_the_idle_warning(client_for, standard_user):
    page = client_for(standard_user).get(DASHBOARD).text
    seconds = int(re.search(r'<meta name="session-timeout" content="(\d+)"', page).group(1))
    assert settings.SESSION_IDLE_TIMEOUT - 5 <= seconds <= settings.SESSION_IDLE_TIMEOUT
    assert "js/session-timeout.js" in page and 'id="session-warning"' in page


def test_the_profile_lists_sessions_and_ends_another_one(client_for, standard_user):
    mine, phone = client_for(standard_user), client_for(standard_user, HTTP_USER_AGENT="Phone")
    other = other_session_make(standard_user, user_agent="Firefox on Linux", ip_address="198.51.100.7")
    page = mine.get(reverse("accounts:profile")).text
    assert "Firefox on Linux" in page and "198.51.100.7" in page and "This session" in page

    response = mine.post(reverse("accounts:session-end", args=[other.pk]))
    assert response.status_code == 302
    assert not store_has(other.session_key)
    assert not UserSession.objects.filter(pk=other.pk).exists()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SESSION_ENDED, actor=standard_user).exists()

    mine.post(reverse("accounts:sessions-end-others"))
    assert phone.get(DASHBOARD)["Location"].startswith(LOGIN_URL)
    assert mine.get(DASHBOARD).status_code == 200
    assert list(UserSession.objects.filter(user=standard_user).values_list("session_key", flat=True)) == [
        mine.session.session_key
    ]


def test_nobody_ends_another_persons_session(client_for, standard_user, admin_user):
    other = other_session_make(standard_user)
    client = client_for(admin_user)
    assert client.post(reverse("accounts:session-end", args=[other.pk])).status_code == 404
    assert store_has(other.session_key)


def test_the_profile_page_has_a_bounded_number_of_queries(
    client_for, standard_user, django_assert_max_num_queries
):
    client = client_for(standard_user)
    client.get(reverse("accounts:profile"))
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("accounts:profile"))
    for number in range(20):
        other_session_make(standard_user, user_agent=f"Browser {number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("accounts:profile")).status_code == 200


def test_a_role_change_ends_the_persons_sessions(client_for, organization, admin_user, standard_user):
    member = client_for(standard_user)
    membership = standard_user.memberships.get()
    services.role_grant(membership=membership, role=Role.FIN_ADMIN, by=admin_user)

    assert member.get(DASHBOARD)["Location"].startswith(LOGIN_URL)
    assert not UserSession.objects.filter(user=standard_user).exists()
    # Signing in again works the roles out afresh: a FIN_ADMIN must now set up a second factor.
    member.post(LOGIN_URL, {"username": standard_user.email, "password": PASSWORD})
    assert member.get(DASHBOARD)["Location"].startswith(reverse("accounts:two-factor-setup"))


def test_changing_ones_own_roles_keeps_the_session_under_a_new_key(client_for, organization, admin_user):
    client = client_for(admin_user)
    old_key = client.session.session_key
    membership = admin_user.memberships.get()
    url = reverse("accounts:member-role", args=[organization.pk, membership.pk])
    roles = [Role.STANDARD, Role.ADMIN, Role.SYS_ADMIN]
    assert client.post(url, {"roles": roles}).status_code == 302
    assert Role.SYS_ADMIN in admin_user.memberships.get().roles

    new_key = client.session.session_key
    assert new_key != old_key and not store_has(old_key)
    assert client.get(DASHBOARD).status_code == 200
    assert UserSession.objects.filter(user=admin_user).get().session_key == new_key


def test_a_password_change_ends_the_other_sessions(client_for, standard_user):
    mine = client_for(standard_user)
    other = other_session_make(standard_user)
    response = mine.post(
        reverse("accounts:password-change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-password-7",
            "new_password2": "a-new-long-password-7",
        },
    )
    assert response.status_code == 302
    assert not store_has(other.session_key)
    assert UserSession.objects.filter(user=standard_user).get().session_key == mine.session.session_key


@pytest.mark.parametrize("minutes, valid", [(59, True), (61, False)])
def test_a_password_reset_link_is_valid_for_one_hour(client_for, standard_user, monkeypatch, minutes, valid):
    assert settings.PASSWORD_RESET_TIMEOUT == 60 * 60
    token = default_token_generator.make_token(standard_user)
    later = default_token_generator._now() + timedelta(minutes=minutes)
    monkeypatch.setattr(type(default_token_generator), "_now", lambda self: later)
    uid = urlsafe_base64_encode(force_bytes(standard_user.pk))
    response = client_for().get(reverse("accounts:password-reset-confirm", args=[uid, token]), follow=True)
    assert ("new_password1" in response.text) is valid


def test_purging_forgets_the_rows_of_expired_sessions(standard_user):
    stale = other_session_make(standard_user)
    UserSession.objects.filter(pk=stale.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    alive = other_session_make(standard_user)
    assert sessions.sessions_purge() == 1
    assert list(UserSession.objects.values_list("pk", flat=True)) == [alive.pk]


def test_accepting_an_invitation_signed_in_goes_on_under_a_new_key_with_the_new_duties(
    client_for, organization, other_organization, admin_user
):
    person = member_create(other_organization, [Role.STANDARD], email="person@northwind.test")
    client = client_for(person)
    old_key = client.session.session_key
    _invitation, token = services.invitation_create(
        organization=organization, email=person.email, full_name="", roles=[Role.ADMIN], by=admin_user
    )
    assert client.post(reverse("accounts:invitation-accept", args=[token])).status_code == 302

    assert client.session.session_key != old_key and not store_has(old_key)
    # Now an ADMIN: the second factor is set up before anything else.
    assert client.get(DASHBOARD)["Location"].startswith(reverse("accounts:two-factor-setup"))
