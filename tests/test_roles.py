"""Roles are guardian object permissions on the organization, changed only through the audited services."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts import selectors, services
from accounts.models import Membership, OrganizationUserPermission, User
from accounts.roles import ROLE_PERMISSIONS, STAFF_GROUP_PERMISSIONS, Role, permissions_for_roles
from helpdesk.models import AuditEvent
from helpdesk.permissions import has_org_perm
from tests.factories import PASSWORD, member_create

EVERY_ROLE_PERMISSION = permissions_for_roles(list(Role))


def held(user, organization) -> set[str]:
    """The codenames of the user's object-permission rows on the organization."""
    rows = OrganizationUserPermission.objects.filter(user=user, content_object=organization).values_list(
        "permission__content_type__app_label", "permission__codename"
    )
    return {f"{app_label}.{codename}" for app_label, codename in rows}


def fresh(user) -> User:
    """The user loaded again: permission answers are cached on the user object."""
    return User.objects.get(pk=user.pk)


def membership_of(user, organization) -> Membership:
    return Membership.objects.get(user=user, organization=organization)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.mark.parametrize("role", list(Role))
def test_role_grant_gives_exactly_the_role_permissions_in_that_organization_only(
    role, organization, other_organization, admin_user
):
    user = member_create(organization)
    services.member_add(organization=other_organization, user=user, roles=[], by=None)

    services.role_grant(membership=membership_of(user, organization), role=role, by=admin_user)

    expected = ROLE_PERMISSIONS[Role.STANDARD] | ROLE_PERMISSIONS[role]
    assert held(user, organization) == expected
    assert held(user, other_organization) == ROLE_PERMISSIONS[Role.STANDARD]
    user = fresh(user)
    for perm in EVERY_ROLE_PERMISSION:
        assert has_org_perm(user, perm, organization) == (perm in expected), perm
        assert has_org_perm(user, perm, other_organization) == (perm in ROLE_PERMISSIONS[Role.STANDARD]), perm


def test_member_holds_no_permission_in_an_organization_they_do_not_belong_to(admin_user, other_organization):
    assert held(admin_user, other_organization) == set()
    assert not any(has_org_perm(admin_user, perm, other_organization) for perm in EVERY_ROLE_PERMISSION)


def test_role_remove_keeps_the_codenames_another_role_still_gives(monkeypatch, organization, admin_user):
    # FIN_ADMIN is given one of ADMIN's own codenames, so that taking ADMIN away must keep it.
    shared = "helpdesk.view_auditevent"
    monkeypatch.setitem(ROLE_PERMISSIONS, Role.FIN_ADMIN, ROLE_PERMISSIONS[Role.FIN_ADMIN] | {shared})
    user = member_create(organization, [Role.ADMIN, Role.FIN_ADMIN])

    services.role_remove(membership=membership_of(user, organization), role=Role.ADMIN, by=admin_user)

    assert membership_of(user, organization).roles == [Role.STANDARD, Role.FIN_ADMIN]
    assert held(user, organization) == permissions_for_roles([Role.STANDARD, Role.FIN_ADMIN])
    assert shared in held(user, organization)
    assert "accounts.manage_members" not in held(user, organization)
    assert not has_org_perm(fresh(user), "accounts.manage_members", organization)


def test_role_grant_and_remove_are_audited(organization, admin_user):
    user = member_create(organization)
    membership = membership_of(user, organization)

    services.role_grant(membership=membership, role=Role.SYS_ADMIN, by=admin_user, ip_address="198.51.100.7")
    services.role_remove(membership=membership, role=Role.SYS_ADMIN, by=admin_user, ip_address="198.51.100.7")

    events = AuditEvent.objects.filter(
        action__in=[AuditEvent.Action.ROLE_GRANTED, AuditEvent.Action.ROLE_REMOVED]
    ).order_by("pk")
    assert [
        (e.action, e.actor, e.organization, e.target_type, e.target_id, e.details, e.ip_address)
        for e in events
    ] == [
        (
            action,
            admin_user,
            organization,
            "accounts.user",
            str(user.pk),
            {"role": "SYS_ADMIN"},
            "198.51.100.7",
        )
        for action in (AuditEvent.Action.ROLE_GRANTED, AuditEvent.Action.ROLE_REMOVED)
    ]


def test_granting_a_role_already_held_changes_nothing_and_is_not_audited(organization, admin_user):
    user = member_create(organization, [Role.FIN_ADMIN])
    events_before = AuditEvent.objects.count()

    services.role_grant(membership=membership_of(user, organization), role=Role.FIN_ADMIN, by=admin_user)

    assert AuditEvent.objects.count() == events_before
    assert membership_of(user, organization).roles == [Role.STANDARD, Role.FIN_ADMIN]


def test_unknown_role_is_refused(organization, admin_user):
    with pytest.raises(ValidationError, match="Unknown role"):
        services.role_grant(membership=membership_of(admin_user, organization), role="OWNER", by=admin_user)


def test_standard_role_cannot_be_removed(organization, admin_user, standard_user):
    with pytest.raises(ValidationError, match="Every member is a standard user"):
        services.role_remove(
            membership=membership_of(standard_user, organization), role=Role.STANDARD, by=admin_user
        )
    assert held(standard_user, organization) == ROLE_PERMISSIONS[Role.STANDARD]


def test_staff_groups_hold_exactly_their_permissions(db):
    for name, perms in STAFF_GROUP_PERMISSIONS.items():
        group = Group.objects.get(name=name)
        rows = group.permissions.values_list("content_type__app_label", "codename")
        assert {f"{app_label}.{codename}" for app_label, codename in rows} == perms, name


def test_staff_hold_their_permissions_in_every_organization(
    dispatcher, vendor_admin, organization, other_organization
):
    for org in (organization, other_organization):
        assert has_org_perm(dispatcher, "accounts.view_organization", org)
        assert not has_org_perm(dispatcher, "accounts.manage_members", org)
        assert has_org_perm(vendor_admin, "accounts.manage_members", org)


# --- The last administrator ---------------------------------------------------------------------------------

LAST_ADMIN = (
    "Ante Admin is the last administrator of Jadran Prehrana d.o.o.: "
    "make another member an administrator first."
)


def test_last_admin_cannot_remove_own_admin_role(organization, admin_user):
    with pytest.raises(ValidationError) as error:
        services.role_remove(
            membership=membership_of(admin_user, organization), role=Role.ADMIN, by=admin_user
        )

    assert error.value.messages == [LAST_ADMIN]
    assert Role.ADMIN in membership_of(admin_user, organization).roles
    assert held(admin_user, organization) == ROLE_PERMISSIONS[Role.ADMIN]


def test_last_admin_cannot_be_deactivated(organization, admin_user):
    with pytest.raises(ValidationError) as error:
        services.member_deactivate(membership=membership_of(admin_user, organization), by=admin_user)

    assert error.value.messages == [LAST_ADMIN]
    assert membership_of(admin_user, organization).is_active


def test_admin_may_step_down_while_another_admin_remains(organization, admin_user):
    member_create(organization, [Role.ADMIN])

    services.role_remove(membership=membership_of(admin_user, organization), role=Role.ADMIN, by=admin_user)

    assert membership_of(admin_user, organization).roles == [Role.STANDARD]
    assert held(admin_user, organization) == ROLE_PERMISSIONS[Role.STANDARD]


def test_last_admin_removing_own_admin_role_in_the_member_list_sees_why(client_for, organization, admin_user):
    url = reverse("accounts:member-role", args=[organization.pk, membership_of(admin_user, organization).pk])

    response = client_for(admin_user).post(url, {"role": Role.ADMIN, "grant": "0"}, follow=True)

    assert response.redirect_chain == [(reverse("accounts:member-list", args=[organization.pk]), 302)]
    assert messages_of(response) == [LAST_ADMIN]
    assert LAST_ADMIN in response.content.decode()
    assert Role.ADMIN in membership_of(admin_user, organization).roles


def test_last_admin_deactivating_themselves_in_the_member_list_sees_why(client_for, organization, admin_user):
    membership = membership_of(admin_user, organization)
    url = reverse("accounts:member-deactivate", args=[organization.pk, membership.pk])

    response = client_for(admin_user).post(url, follow=True)

    assert messages_of(response) == [LAST_ADMIN]
    assert membership_of(admin_user, organization).is_active


def test_admin_grants_a_role_in_the_member_list(client_for, organization, admin_user, standard_user):
    membership = membership_of(standard_user, organization)
    url = reverse("accounts:member-role", args=[organization.pk, membership.pk])

    response = client_for(admin_user).post(url, {"role": Role.FIN_ADMIN, "grant": "1"}, follow=True)

    assert messages_of(response) == ["The roles of Sara Standard have been changed."]
    assert membership_of(standard_user, organization).roles == [Role.STANDARD, Role.FIN_ADMIN]


# --- Deactivation -------------------------------------------------------------------------------------------


def test_deactivated_member_cannot_sign_in_and_loses_the_open_session(
    client_for, organization, admin_user, standard_user
):
    signed_in = client_for(standard_user)

    services.member_deactivate(membership=membership_of(standard_user, organization), by=admin_user)

    assert held(standard_user, organization) == set()
    assert not fresh(standard_user).is_active
    assert signed_in.get(reverse("dashboard")).status_code == 302
    client = client_for()
    response = client.post(reverse("accounts:login"), {"username": standard_user.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.MEMBER_DEACTIVATED, actor=admin_user, organization=organization
    ).exists()


def test_member_deactivated_in_one_of_two_organizations_keeps_the_other(
    client_for, organization, other_organization, admin_user
):
    user = member_create(organization, [Role.FIN_ADMIN])
    services.member_add(organization=other_organization, user=user, roles=[], by=None)

    services.member_deactivate(membership=membership_of(user, organization), by=admin_user)

    user = fresh(user)
    assert user.is_active
    assert not has_org_perm(user, "accounts.view_organization", organization)
    assert has_org_perm(user, "accounts.view_organization", other_organization)
    assert [m.organization for m in selectors.memberships_of(user)] == [other_organization]
    client = client_for()
    response = client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).context["membership"].organization == other_organization


def test_roles_cannot_be_granted_to_a_deactivated_member(organization, admin_user, standard_user):
    membership = membership_of(standard_user, organization)
    services.member_deactivate(membership=membership, by=admin_user)

    with pytest.raises(ValidationError, match="deactivated member"):
        services.role_grant(membership=membership, role=Role.FIN_ADMIN, by=admin_user)


def test_member_of_an_inactive_organization_holds_nothing_there(organization, admin_user):
    organization.is_active = False
    organization.save()

    assert not has_org_perm(fresh(admin_user), "accounts.view_organization", organization)
