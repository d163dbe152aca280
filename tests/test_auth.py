"""Signing in and out, throttling, the audit log, the account pages, CSRF, demo data and the navigation."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts import services
from accounts.models import Membership, Organization, OrganizationUserPermission, User
from accounts.roles import Role
from helpdesk.demo import demo_welcome
from helpdesk.models import AuditEvent
from tests.factories import PASSWORD, OrganizationFactory, member_create
from tests.permission_matrix import (
    PERSONA_FIXTURES,
    PERSONAS,
    REDIRECT,
    MatrixContext,
    an_invitation,
    collected_rows,
)

LOGIN_URL = reverse("accounts:login")
NEW_PASSWORD = "another-long-password-9"


def sign_in(client, email, password=PASSWORD, **extra):
    return client.post(LOGIN_URL, {"username": email, "password": password}, **extra)


def test_sign_in_with_email_is_audited_with_the_address(client_for, standard_user):
    client = client_for()

    response = sign_in(client, standard_user.email, REMOTE_ADDR="203.0.113.9")

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    assert client.session["_auth_user_id"] == str(standard_user.pk)
    event = AuditEvent.objects.get(action=AuditEvent.Action.SIGN_IN)
    assert (event.actor, event.target_id, event.ip_address) == (
        standard_user,
        str(standard_user.pk),
        "203.0.113.9",
    )


def test_failed_sign_in_is_refused_and_audited_with_the_address(client_for, standard_user):
    client = client_for()

    response = sign_in(client, standard_user.email, "not-the-password", REMOTE_ADDR="203.0.113.10")

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["The e-mail address or password is not correct."]
    assert "_auth_user_id" not in client.session
    event = AuditEvent.objects.get(action=AuditEvent.Action.SIGN_IN_FAILED)
    assert event.actor is None
    assert event.target_id == str(standard_user.pk)
    assert event.details == {"email": standard_user.email}
    assert event.ip_address == "203.0.113.10"


def test_sign_out_is_post_only_and_ends_the_session(client_for, standard_user):
    client = client_for(standard_user)
    assert client.get(reverse("accounts:logout")).status_code == 405

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert response["Location"] == LOGIN_URL
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SIGN_OUT, actor=standard_user).exists()


def test_five_failed_sign_ins_lock_the_account_even_against_the_right_password(
    client_for, standard_user, admin_user
):
    client = client_for()
    for _attempt in range(4):
        assert sign_in(client, standard_user.email, "wrong-password").status_code == 200

    locked = sign_in(client, standard_user.email, "wrong-password")
    assert locked.status_code == 429
    assert "signing in is blocked for 15 minutes" in locked.content.decode()

    response = sign_in(client, standard_user.email)
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # The lock is per account: a colleague at the same address still signs in.
    assert sign_in(client_for(), admin_user.email).status_code == 302


def test_four_failed_sign_ins_do_not_lock_the_account(client_for, standard_user):
    client = client_for()
    for _attempt in range(4):
        sign_in(client, standard_user.email, "wrong-password")

    assert sign_in(client, standard_user.email).status_code == 302


# --- The audit log ------------------------------------------------------------------------------------------


@pytest.fixture
def sign_ins(client_for, admin_user, other_org_user):
    """Both organizations' administrators have signed in."""
    for user in (admin_user, other_org_user):
        assert sign_in(client_for(), user.email).status_code == 302


def audited(response) -> set[tuple]:
    return {(event.action, event.actor_id, event.organization_id) for event in response.context["page"]}


def test_admin_sees_the_audit_log_of_own_organization_only(
    client_for, sign_ins, admin_user, other_org_user, organization
):
    response = client_for(admin_user).get(reverse("accounts:audit-list"))

    events = audited(response)
    assert (AuditEvent.Action.SIGN_IN, admin_user.pk, None) in events
    assert (AuditEvent.Action.MEMBER_ADDED, None, organization.pk) in events
    assert {organization_id for _action, _actor, organization_id in events} == {organization.pk, None}
    assert other_org_user.pk not in {actor for _action, actor, _organization in events}


def test_vendor_admin_sees_every_organization_in_the_audit_log(
    client_for, sign_ins, vendor_admin, admin_user, other_org_user, organization, other_organization
):
    client = client_for(vendor_admin)

    events = audited(client.get(reverse("accounts:audit-list")))
    assert {organization.pk, other_organization.pk, None} <= {
        organization_id for *_rest, organization_id in events
    }
    assert {admin_user.pk, other_org_user.pk} <= {actor for _action, actor, _organization in events}

    one = audited(client.get(reverse("accounts:audit-list"), {"organization": other_organization.pk}))
    assert {organization_id for *_rest, organization_id in one} == {other_organization.pk, None}
    assert admin_user.pk not in {actor for _action, actor, _organization in one}


def test_a_former_members_later_sign_ins_stay_out_of_the_organizations_log(
    client_for, organization, other_organization, admin_user, other_org_user
):
    """Petra works for two organizations; the first deactivates her. Her sign-in from before stays in its
    log; her sign-ins after it belong to the other organization's log only."""
    petra = member_create(organization, [Role.STANDARD], email="petra@example.com")
    services.member_add(organization=other_organization, user=petra, roles=[], by=None)
    assert sign_in(client_for(), petra.email).status_code == 302
    services.member_deactivate(
        membership=Membership.objects.get(user=petra, organization=organization), by=admin_user
    )
    assert sign_in(client_for(), petra.email).status_code == 302

    def her_sign_ins(viewer):
        page = client_for(viewer).get(reverse("accounts:audit-list")).context["page"]
        return [
            event
            for event in page
            if event.action == AuditEvent.Action.SIGN_IN and event.actor_id == petra.pk
        ]

    assert len(her_sign_ins(admin_user)) == 1
    assert len(her_sign_ins(other_org_user)) == 2


# --- Account pages ------------------------------------------------------------------------------------------


def test_profile_changes_name_and_language(client_for, standard_user):
    client = client_for(standard_user)

    response = client.post(reverse("accounts:profile"), {"full_name": "Sara Nova", "language": "hr"})

    assert response.status_code == 302
    standard_user.refresh_from_db()
    assert (standard_user.full_name, standard_user.language) == ("Sara Nova", "hr")
    assert '<html lang="hr">' in client.get(reverse("accounts:profile")).content.decode()


def test_profile_refuses_an_unknown_language(client_for, standard_user):
    response = client_for(standard_user).post(
        reverse("accounts:profile"), {"full_name": "Sara", "language": "xx"}
    )

    assert response.status_code == 200
    assert "language" in response.context["form"].errors
    assert 'value="Sara"' in response.content.decode()


def test_password_change_keeps_the_session_and_is_audited(client_for, standard_user):
    client = client_for(standard_user)

    response = client.post(
        reverse("accounts:password-change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")
    assert client.get(reverse("accounts:profile")).status_code == 200
    assert AuditEvent.objects.filter(action=AuditEvent.Action.PASSWORD_CHANGED, actor=standard_user).exists()
    assert sign_in(client_for(), standard_user.email, PASSWORD).status_code == 200
    assert sign_in(client_for(), standard_user.email, NEW_PASSWORD).status_code == 302


def test_password_change_refuses_a_wrong_old_password(client_for, standard_user):
    response = client_for(standard_user).post(
        reverse("accounts:password-change"),
        {"old_password": "not-it", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors


@pytest.fixture
def two_organization_user(organization, other_organization):
    user = member_create(organization, [Role.FIN_ADMIN], email="two@example.com")
    services.member_add(organization=other_organization, user=user, roles=[], by=None)
    return user


def test_two_organization_user_switches_the_organization(
    client_for, two_organization_user, organization, other_organization
):
    client = client_for(two_organization_user)
    page = client.get(reverse("dashboard"))
    assert page.context["current_membership"].organization == organization
    assert 'name="organization"' in page.content.decode()

    response = client.post(reverse("accounts:organization-switch"), {"organization": other_organization.pk})

    assert response.status_code == 302
    assert client.get(reverse("dashboard")).context["current_membership"].organization == other_organization


def test_switching_to_a_foreign_organization_gets_404(client_for, two_organization_user, organization):
    client = client_for(two_organization_user)
    foreign = OrganizationFactory()

    response = client.post(reverse("accounts:organization-switch"), {"organization": foreign.pk})

    assert response.status_code == 404
    assert client.get(reverse("dashboard")).context["current_membership"].organization == organization


# --- CSRF ---------------------------------------------------------------------------------------------------

# Views that take a POST without a POST row in a permission matrix: (URL name, persona, URL arguments).
MORE_POST_VIEWS = [
    ("accounts:login", "anonymous", lambda ctx: {}),
    ("accounts:logout", "standard", lambda ctx: {}),
    ("accounts:password-reset", "anonymous", lambda ctx: {}),
    ("accounts:password-reset-confirm", "anonymous", lambda ctx: {"uidb64": "MQ", "token": "set-password"}),
    ("accounts:password-change", "standard", lambda ctx: {}),
    ("accounts:profile", "standard", lambda ctx: {}),
    ("accounts:invitation-accept", "anonymous", an_invitation),
]


def _post_views() -> dict:
    """Every view that takes a POST: the list above and each POST row of every app's matrix, each posted by
    a persona for whom the POST succeeds there (so that only the missing token can refuse it)."""
    views = {url_name: (persona, kwargs) for url_name, persona, kwargs in MORE_POST_VIEWS}
    for row in collected_rows():
        # The API takes no cookie, only its Authorization token, so no forged cross-site request can carry
        # a credential there: CSRF does not apply (monitoring/tests/test_api.py: a session is refused).
        if row.method == "post" and not row.url_name.startswith("api:"):
            persona = next((p for p in PERSONAS if row.expected(p) in (200, REDIRECT)), "anonymous")
            views.setdefault(row.url_name, (persona, row.kwargs))
    return views


POST_VIEWS = _post_views()


def test_csrf_is_checked_on_every_foundation_post_view():
    assert {
        "language-switch",
        "accounts:login",
        "accounts:logout",
        "accounts:organization-switch",
        "accounts:member-list",
        "accounts:member-role",
        "accounts:member-deactivate",
        "accounts:invitation-accept",
        "accounts:profile",
        "accounts:organization-create",
    } <= set(POST_VIEWS)


@pytest.mark.parametrize("url_name", POST_VIEWS)
def test_post_without_csrf_token_is_refused(url_name, request, client_for, organization):
    persona, kwargs = POST_VIEWS[url_name]
    user = request.getfixturevalue(PERSONA_FIXTURES[persona]) if persona in PERSONA_FIXTURES else None
    client = client_for(user, enforce_csrf_checks=True)
    url = reverse(url_name, kwargs=kwargs(MatrixContext(organization=organization, request=request)))

    response = client.post(url, {"language": "en"})

    assert response.status_code == 403
    assert "The form could not be sent" in response.content.decode()  # the portal's page (helpdesk/errors.py)


# --- Demo data ----------------------------------------------------------------------------------------------


def test_seed_demo_runs_twice_and_every_login_runserver_demo_prints_signs_in(
    client_for, db, monkeypatch, settings, tmp_path
):
    # seed_demo also makes the apps' demo content: a few cases are enough; its files go to a temporary place.
    monkeypatch.setattr("cases.demo.DEMO_CASES", 3)
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", stdout=StringIO())
    counts = [model.objects.count() for model in (User, Organization, Membership, OrganizationUserPermission)]
    call_command("seed_demo", stdout=StringIO())

    assert [
        model.objects.count() for model in (User, Organization, Membership, OrganizationUserPermission)
    ] == counts
    welcome = "\n".join(demo_welcome("http://127.0.0.1:8000/"))
    logins = re.findall(r"^ +(\S+@\S+) ", welcome, re.MULTILINE)
    password = re.search(r"uses the password (\S+)", welcome).group(1)
    # Every active user; monitoring's reporter of incident cases never signs in.
    assert len(logins) == len(set(logins)) == User.objects.filter(is_active=True).count() == 21
    for email in logins:
        response = sign_in(client_for(), email, password)
        assert response.status_code == 302, email
        assert response["Location"] == reverse("dashboard")


# --- Navigation ---------------------------------------------------------------------------------------------

FOUNDATION_NAV = ["dashboard", "accounts:organization-list", "accounts:my-members", "accounts:audit-list"]


@pytest.mark.parametrize(
    "persona, expected",
    [
        ("standard_user", ["dashboard"]),
        ("admin_user", ["dashboard", "accounts:my-members", "accounts:audit-list"]),
        ("fin_admin_user", ["dashboard"]),
        ("sys_admin_user", ["dashboard"]),
        ("other_org_user", ["dashboard", "accounts:my-members", "accounts:audit-list"]),
        ("dispatcher", ["dashboard"]),
        ("consultant", ["dashboard"]),
        ("vendor_admin", ["dashboard", "accounts:organization-list", "accounts:audit-list"]),
    ],
)
def test_navigation_shows_only_the_items_the_persona_may_open(persona, expected, request, client_for):
    client = client_for(request.getfixturevalue(persona))

    response = client.get(reverse("dashboard"))

    nav_urls = [item.url for part in response.context["nav_items"] for item in getattr(part, "items", [part])]
    foundation_urls = [reverse(name) for name in FOUNDATION_NAV]
    assert [url for url in nav_urls if url in foundation_urls] == [reverse(name) for name in expected]
    content = response.content.decode()
    for name in set(FOUNDATION_NAV) - set(expected):
        assert f'href="{reverse(name)}"' not in content, name
    for url in nav_urls:
        assert client.get(url, follow=True).status_code == 200, url
