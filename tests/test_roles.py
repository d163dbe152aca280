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
from tests.two_factor import second_factor_pass

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


def test_last_admin_cannot_lose_the_admin_role(organization, admin_user, vendor_admin):
    with pytest.raises(ValidationError) as error:
        services.role_remove(
            membership=membership_of(admin_user, organization), role=Role.ADMIN, by=vendor_admin
        )

    assert error.value.messages == [LAST_ADMIN]
    assert Role.ADMIN in membership_of(admin_user, organization).roles
    assert held(admin_user, organization) == ROLE_PERMISSIONS[Role.ADMIN]


def test_last_admin_cannot_be_deactivated(organization, admin_user, vendor_admin):
    with pytest.raises(ValidationError) as error:
        services.member_deactivate(membership=membership_of(admin_user, organization), by=vendor_admin)

    assert error.value.messages == [LAST_ADMIN]
    assert membership_of(admin_user, organization).is_active


def test_an_admin_is_demoted_by_another_admin(organization, admin_user):
    other_admin = member_create(organization, [Role.ADMIN])

    services.role_remove(membership=membership_of(admin_user, organization), role=Role.ADMIN, by=other_admin)

    assert membership_of(admin_user, organization).roles == [Role.STANDARD]
    assert held(admin_user, organization) == ROLE_PERMISSIONS[Role.STANDARD]


# --- An administrator's own row -----------------------------------------------------------------------------

OWN_ADMIN_ROLE = "You cannot remove your own administrator role: another administrator can do it."
OWN_DEACTIVATION = "You cannot deactivate yourself: another administrator can do it."


def test_admin_cannot_remove_their_own_admin_role_even_with_another_admin(organization, admin_user):
    member_create(organization, [Role.ADMIN])

    with pytest.raises(ValidationError) as error:
        services.role_remove(
            membership=membership_of(admin_user, organization), role=Role.ADMIN, by=admin_user
        )

    assert error.value.messages == [OWN_ADMIN_ROLE]
    assert Role.ADMIN in membership_of(admin_user, organization).roles
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.ROLE_REMOVED).exists()


def test_admin_cannot_deactivate_themselves_even_with_another_admin(organization, admin_user):
    member_create(organization, [Role.ADMIN])

    with pytest.raises(ValidationError) as error:
        services.member_deactivate(membership=membership_of(admin_user, organization), by=admin_user)

    assert error.value.messages == [OWN_DEACTIVATION]
    assert membership_of(admin_user, organization).is_active


def test_admin_may_change_their_other_roles(organization, admin_user):
    membership = services.member_roles_set(
        membership=membership_of(admin_user, organization),
        roles=[Role.STANDARD, Role.ADMIN, Role.SYS_ADMIN],
        by=admin_user,
    )

    assert membership.roles == [Role.STANDARD, Role.ADMIN, Role.SYS_ADMIN]


def test_removing_own_admin_role_in_the_member_list_is_refused_with_the_reason(
    client_for, organization, admin_user
):
    member_create(organization, [Role.ADMIN])
    url = reverse("accounts:member-role", args=[organization.pk, membership_of(admin_user, organization).pk])

    response = client_for(admin_user).post(url, {"roles": [Role.STANDARD]}, follow=True)

    assert response.redirect_chain == [(reverse("accounts:member-list", args=[organization.pk]), 302)]
    assert messages_of(response) == [OWN_ADMIN_ROLE]
    assert membership_of(admin_user, organization).roles == [Role.STANDARD, Role.ADMIN]


def test_deactivating_oneself_in_the_member_list_is_refused_with_the_reason(
    client_for, organization, admin_user
):
    member_create(organization, [Role.ADMIN])
    membership = membership_of(admin_user, organization)
    url = reverse("accounts:member-deactivate", args=[organization.pk, membership.pk])

    response = client_for(admin_user).post(url, follow=True)

    assert messages_of(response) == [OWN_DEACTIVATION]
    assert membership_of(admin_user, organization).is_active


def test_own_row_shows_the_admin_switch_fixed_and_no_deactivate_button(
    client_for, organization, admin_user, standard_user
):
    response = client_for(admin_user).get(reverse("accounts:member-list", args=[organization.pk]))

    own, other = membership_of(admin_user, organization), membership_of(standard_user, organization)
    html = response.content.decode()
    own_row = html[html.index(f'id="member-{own.pk}"') :].split("</tr>", 1)[0]
    other_row = html[html.index(f'id="member-{other.pk}"') :].split("</tr>", 1)[0]
    assert f'id="role-{own.pk}-ADMIN" aria-describedby="role-desc-ADMIN" checked disabled' in own_row
    assert '<input type="hidden" name="roles" value="ADMIN">' in own_row
    assert "member-deactivate" not in own_row and "/deactivate/" not in own_row
    assert f'id="role-{other.pk}-ADMIN" aria-describedby="role-desc-ADMIN">' in other_row
    assert "Deactivate" in other_row
    # Every role is described once, FIN_ADMIN and SYS_ADMIN included.
    for role in Role:
        assert html.count(f'<dd id="role-desc-{role}">') == 1


def test_admin_sets_the_roles_in_the_member_list_each_change_audited(
    client_for, organization, admin_user, standard_user
):
    membership = membership_of(standard_user, organization)
    services.role_grant(membership=membership, role=Role.SYS_ADMIN, by=admin_user)
    url = reverse("accounts:member-role", args=[organization.pk, membership.pk])

    response = client_for(admin_user).post(url, {"roles": [Role.STANDARD, Role.FIN_ADMIN]}, follow=True)

    assert messages_of(response) == ["The roles of Sara Standard have been changed."]
    assert membership_of(standard_user, organization).roles == [Role.STANDARD, Role.FIN_ADMIN]
    changes = AuditEvent.objects.filter(
        target_id=str(standard_user.pk),
        action__in=[AuditEvent.Action.ROLE_GRANTED, AuditEvent.Action.ROLE_REMOVED],
    ).order_by("pk")
    assert [(event.action, event.details["role"]) for event in changes][-2:] == [
        (AuditEvent.Action.ROLE_GRANTED, Role.FIN_ADMIN),
        (AuditEvent.Action.ROLE_REMOVED, Role.SYS_ADMIN),
    ]


def test_a_refused_change_undoes_the_grants_sent_with_it(client_for, organization, admin_user, standard_user):
    membership = membership_of(standard_user, organization)
    url = reverse("accounts:member-role", args=[organization.pk, membership.pk])

    # STANDARD left out: every member keeps it, so the FIN_ADMIN grant sent along is not kept either.
    response = client_for(admin_user).post(url, {"roles": [Role.FIN_ADMIN]}, follow=True)

    assert "Every member is a standard user" in messages_of(response)[0]
    assert membership_of(standard_user, organization).roles == [Role.STANDARD]


def test_an_unknown_role_in_the_member_list_is_refused(client_for, organization, admin_user, standard_user):
    membership = membership_of(standard_user, organization)
    url = reverse("accounts:member-role", args=[organization.pk, membership.pk])

    response = client_for(admin_user).post(url, {"roles": [Role.STANDARD, "OWNER"]}, follow=True)

    assert messages_of(response) == ["Choose the roles from the list."]
    assert membership_of(standard_user, organization).roles == [Role.STANDARD]


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
    second_factor_pass(client, user)  # the authenticator of their FIN_ADMIN days stays theirs
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
