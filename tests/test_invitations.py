"""An ADMIN invites by e-mail; the link is single-use, valid for seven days and refused clearly otherwise."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import Invitation, Membership, User
from accounts.roles import Role
from helpdesk.models import AuditEvent
from helpdesk.permissions import has_org_perm
from tests.factories import UserFactory
from tests.two_factor import second_factor_pass

NEW_PASSWORD = "a-long-new-password-42"
INVALID = "This invitation link is not valid. Check that you copied the whole link."
USED = "This invitation has already been used. Sign in with your account instead."
EXPIRED = "This invitation has expired. Ask the administrator of Jadran Prehrana d.o.o. to send a new one."
ACCOUNT_EXISTS = "An account with this e-mail address exists. Sign in to accept the invitation."


def invitation_path(message) -> str:
    link = re.search(r"https?://\S+/accounts/invitations/\S+/", message.body).group()
    assert link in message.alternatives[0].content  # the HTML part carries the same link
    return urlsplit(link).path


def invite(organization, by, email="nina.nova@example.com", **fields) -> str:
    """An invitation made by the service; returns its link's path."""
    _invitation, token = services.invitation_create(
        organization=organization, email=email, full_name="", roles=[], by=by, **fields
    )
    return reverse("accounts:invitation-accept", args=[token])


def accept_form(full_name="Nina Nova", password1=NEW_PASSWORD, password2=NEW_PASSWORD) -> dict:
    return {"full_name": full_name, "password1": password1, "password2": password2}


def assert_refused(response, reason):
    assert response.status_code == 410
    assert response.context["reason"] == reason
    assert reason in response.content.decode()


def test_admin_invites_by_email_and_the_invitee_joins_with_a_password(
    client_for, organization, admin_user, django_capture_on_commit_callbacks
):
    members_url = reverse("accounts:member-list", args=[organization.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(admin_user).post(
            members_url,
            {"email": "Nina.Nova@Example.com", "full_name": "Nina Nova", "roles": [Role.FIN_ADMIN]},
            REMOTE_ADDR="198.51.100.20",
        )

    assert response.status_code == 302
    assert response["Location"] == members_url
    [message] = mail.outbox
    assert message.to == ["nina.nova@example.com"]
    assert message.subject == "Invitation to the Jupiter HelpDesk for Jadran Prehrana d.o.o."
    invitation = Invitation.objects.get()
    assert invitation.roles == [Role.STANDARD, Role.FIN_ADMIN]
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.INVITATION_SENT,
        actor=admin_user,
        organization=organization,
        ip_address="198.51.100.20",
    ).exists()

    invitee = client_for()
    path = invitation_path(message)
    page = invitee.get(path)
    assert page.status_code == 200
    assert page.context["form"]["full_name"].value() == "Nina Nova"
    response = invitee.post(path, accept_form(), REMOTE_ADDR="203.0.113.30")

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    user = User.objects.get(email="nina.nova@example.com")
    assert user.full_name == "Nina Nova"
    assert user.check_password(NEW_PASSWORD)
    assert invitee.session["_auth_user_id"] == str(user.pk)
    assert Membership.objects.get(user=user, organization=organization).roles == [
        Role.STANDARD,
        Role.FIN_ADMIN,
    ]
    assert has_org_perm(user, "accounts.view_organization", organization)
    invitation.refresh_from_db()
    assert invitation.accepted_by == user
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.INVITATION_ACCEPTED,
        actor=user,
        organization=organization,
        target_id=str(invitation.pk),
        ip_address="203.0.113.30",
    ).exists()
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.MEMBER_ADDED, organization=organization, target_id=str(user.pk)
    ).exists()
    # An ADMIN or FIN_ADMIN sets up the second factor before anything else.
    assert invitee.get(reverse("dashboard"))["Location"].startswith(reverse("accounts:two-factor-setup"))
    second_factor_pass(invitee, user)
    assert invitee.get(reverse("dashboard")).context["membership"].organization == organization


def test_invitation_is_valid_for_seven_days(client_for, organization, admin_user, monkeypatch):
    path = invite(organization, admin_user)
    client = client_for()
    now = timezone.now()

    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(days=6, hours=23))
    assert client.get(path).status_code == 200

    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(days=7, minutes=1))
    assert_refused(client.get(path), EXPIRED)
    assert_refused(client.post(path, accept_form()), EXPIRED)
    assert not User.objects.filter(email="nina.nova@example.com").exists()


def test_used_invitation_is_refused(client_for, organization, admin_user):
    path = invite(organization, admin_user)
    client = client_for()
    assert client.post(path, accept_form()).status_code == 302

    assert_refused(client_for().get(path), USED)
    assert_refused(client_for().post(path, accept_form()), USED)
    assert Membership.objects.filter(user__email="nina.nova@example.com").count() == 1


def test_tampered_invitation_link_is_refused(client_for, organization, admin_user):
    path = invite(organization, admin_user)
    token = path.rstrip("/").rsplit("/", 1)[1]
    tampered_token = token[:-3] + ("xyz" if token[-3:] != "xyz" else "abc")
    tampered = reverse("accounts:invitation-accept", args=[tampered_token])

    assert_refused(client_for().get(tampered), INVALID)
    assert_refused(client_for().post(tampered, accept_form()), INVALID)


def test_invitation_of_a_deactivated_organization_is_refused(client_for, organization, admin_user):
    path = invite(organization, admin_user)
    organization.is_active = False
    organization.save()

    assert_refused(client_for().get(path), INVALID)


def test_password_mismatch_keeps_the_typed_full_name(client_for, organization, admin_user):
    path = invite(organization, admin_user)

    response = client_for().post(
        path, accept_form(full_name="Marta Mišić", password2="a-different-password-7")
    )

    assert response.status_code == 200
    assert response.context["form"].errors["password2"] == ["The two passwords differ."]
    assert 'value="Marta Mišić"' in response.content.decode()
    assert not User.objects.filter(email="nina.nova@example.com").exists()


def test_existing_account_must_sign_in_to_accept(client_for, organization, admin_user):
    existing = UserFactory(email="nina.nova@example.com")
    path = invite(organization, admin_user)

    anonymous = client_for()
    page = anonymous.get(path)
    assert page.context["account_exists"]
    assert ACCOUNT_EXISTS in page.content.decode()
    takeover = accept_form(password1="x-takeover-pw-1", password2="x-takeover-pw-1")
    assert anonymous.post(path, takeover).status_code == 200
    assert not Membership.objects.filter(user=existing).exists()
    existing.refresh_from_db()
    assert not existing.check_password("x-takeover-pw-1")

    signed_in = client_for(existing)
    assert signed_in.get(path).context["signed_in"] == existing
    response = signed_in.post(path)

    assert response.status_code == 302
    assert Membership.objects.get(user=existing, organization=organization).roles == [Role.STANDARD]


def test_a_deactivated_account_comes_back_through_an_invitation_for_the_new_organization_only(
    client_for, organization, other_organization, admin_user, other_org_user
):
    """Deactivated in one organization (and so unable to sign in), Nina is invited by another: the link,
    mailed to her address, lets her choose a new password; only the inviting organization takes her back."""
    nina = UserFactory(email="nina.nova@example.com", full_name="Nina Nova")
    services.member_add(organization=organization, user=nina, roles=[Role.ADMIN], by=None)
    services.member_deactivate(
        membership=Membership.objects.get(user=nina, organization=organization), by=admin_user
    )
    nina.refresh_from_db()
    assert not nina.is_active
    path = invite(other_organization, other_org_user, email="Nina.Nova@example.com")

    anonymous = client_for()
    page = anonymous.get(path)
    assert not page.context["account_exists"] and page.context["account_deactivated"]
    assert ACCOUNT_EXISTS not in page.content.decode()
    response = anonymous.post(path, accept_form(full_name="Nina Nova"))

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    nina.refresh_from_db()
    assert nina.is_active and nina.check_password(NEW_PASSWORD)
    assert User.objects.filter(email__iexact="nina.nova@example.com").count() == 1
    assert Membership.objects.get(user=nina, organization=other_organization).is_active
    assert not Membership.objects.get(user=nina, organization=organization).is_active
    assert not has_org_perm(nina, "accounts.manage_members", organization)
    accepted = AuditEvent.objects.get(action=AuditEvent.Action.INVITATION_ACCEPTED)
    assert accepted.details == {"reactivated_account": True}
    assert (
        client_for()
        .post(reverse("accounts:login"), {"username": nina.email, "password": NEW_PASSWORD})
        .status_code
        == 302
    )


def test_signed_in_user_cannot_accept_an_invitation_for_another_address(client_for, organization, admin_user):
    path = invite(organization, admin_user)

    response = client_for(UserFactory(email="someone.else@example.com")).post(path)

    assert_refused(
        response, "This invitation was sent to nina.nova@example.com. Sign in with that address to accept it."
    )
    assert Invitation.objects.get().accepted_at is None


def test_inviting_an_active_member_shows_the_reason_in_the_form(
    client_for, organization, admin_user, standard_user
):
    response = client_for(admin_user).post(
        reverse("accounts:member-list", args=[organization.pk]),
        {"email": standard_user.email, "full_name": "Sara Standard"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "standard@jadran.test is already a member of this organization."
    ]
    assert not Invitation.objects.exists()


@pytest.mark.parametrize(
    "persona, status", [("standard_user", 403), ("fin_admin_user", 403), ("other_org_user", 404)]
)
def test_only_an_admin_of_the_organization_may_invite(
    persona, status, request, client_for, organization, django_capture_on_commit_callbacks
):
    user = request.getfixturevalue(persona)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(user).post(
            reverse("accounts:member-list", args=[organization.pk]),
            {"email": "intruder@example.com", "full_name": "In Truder"},
        )

    assert response.status_code == status
    assert not Invitation.objects.exists()
    assert mail.outbox == []
