"""Rate limits (helpdesk.throttle, django-axes): password reset e-mails, failed sign-ins per address and per
(account, address), searches and exports per user."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from helpdesk.models import AuditEvent
from tests.factories import PASSWORD

LOGIN_URL = reverse("accounts:login")
RESET_URL = reverse("accounts:password-reset")
ATTACKER = "198.51.100.7"
OFFICE = "203.0.113.5"


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    """django-ratelimit counts in fixed windows of the clock: a clock that stands still keeps a test inside
    one window (a real one could cross a window's end in the middle); `clock.now += 300` moves on."""
    clock = SimpleNamespace(now=1_900_000_000.0)
    clock.time = lambda: clock.now
    monkeypatch.setattr("django_ratelimit.core.time", clock)
    return clock


def sign_in(client, email, password=PASSWORD, address=ATTACKER):
    return client.post(LOGIN_URL, {"username": email, "password": password}, REMOTE_ADDR=address)


# --- Password reset -----------------------------------------------------------------------------------------


def test_repeated_password_resets_send_one_email_in_five_minutes_and_answer_the_same(
    client_for, standard_user, mailoutbox, django_capture_on_commit_callbacks, clock
):
    client = client_for()
    with django_capture_on_commit_callbacks(execute=True):
        responses = [client.post(RESET_URL, {"email": standard_user.email.upper()}) for _ in range(8)]
        unknown = client.post(RESET_URL, {"email": "nobody@example.com"})

    assert {(response.status_code, response["Location"]) for response in [*responses, unknown]} == {
        (302, reverse("accounts:password-reset-done"))
    }
    assert [mail.to for mail in mailoutbox] == [[standard_user.email]]

    clock.now += 300
    with django_capture_on_commit_callbacks(execute=True):
        client.post(RESET_URL, {"email": standard_user.email})
    assert len(mailoutbox) == 2


# --- Sign-in ------------------------------------------------------------------------------------------------


def test_failures_elsewhere_do_not_lock_a_user_out_of_their_own_browser(client_for, admin_user):
    attacker = client_for()
    for _attempt in range(5):
        sign_in(attacker, admin_user.email, "guessing")

    assert sign_in(attacker, admin_user.email, PASSWORD).status_code == 429
    response = sign_in(client_for(), admin_user.email, address=OFFICE)
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")


def test_many_accounts_tried_from_one_address_block_that_address(client_for, standard_user):
    attacker = client_for()
    statuses = [
        sign_in(attacker, f"user{number}@example.com", "guessing").status_code for number in range(30)
    ]

    assert statuses == [200] * 20 + [429] * 10
    blocked = sign_in(attacker, standard_user.email)  # even with a right password
    assert blocked.status_code == 429
    assert int(blocked["Retry-After"]) > 0
    assert "too many failed sign-ins from your network address" in blocked.content.decode()
    assert "_auth_user_id" not in attacker.session
    # The failures before the block were audited; another address signs in as usual.
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SIGN_IN_FAILED).count() == 20
    assert sign_in(client_for(), standard_user.email, address=OFFICE).status_code == 302


def test_successful_sign_ins_from_one_address_are_not_limited(client_for, standard_user):
    for _attempt in range(25):
        assert sign_in(client_for(), standard_user.email, address=OFFICE).status_code == 302


# --- Searches and exports -----------------------------------------------------------------------------------


def requests_until_refused(client, url, params, limit):
    statuses = [client.get(url, params).status_code for _ in range(limit + 5)]
    return statuses.index(429) if 429 in statuses else None


@pytest.mark.parametrize(
    ("url_name", "params", "persona", "limit"),
    [
        ("cases:case-list", {"q": "invoice"}, "standard_user", 30),
        ("cases:case-list", {"status": "new"}, "standard_user", 30),
        ("docs:knowledge-search", {"q": "invoice"}, "standard_user", 30),
        ("cases:case-export", {"format": "csv"}, "admin_user", 10),
        ("cases:case-analysis", {}, "admin_user", 20),
    ],
)
def test_searches_and_exports_are_limited_per_user(
    url_name, params, persona, limit, request, client_for, vendor_admin
):
    client = client_for(request.getfixturevalue(persona))
    url = reverse(url_name)

    assert requests_until_refused(client, url, params, limit) == limit

    refused = client.get(url, params)
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    html = refused.content.decode()
    assert "Too many requests" in html and "Please wait" in html
    assert 'id="notification-bell"' in html  # the portal's page, with its header
    # Another person is not affected.
    assert client_for(vendor_admin).get(url, params).status_code == 200


def test_the_case_list_without_a_search_is_not_limited(client_for, standard_user):
    client = client_for(standard_user)

    assert {client.get(reverse("cases:case-list"), {"page": 1}).status_code for _ in range(40)} == {200}
