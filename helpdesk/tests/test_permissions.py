"""The permission API of helpdesk.permissions: scopes, the view guard, and who holds a permission."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from accounts import services as account_services
from accounts.models import Membership, Organization, OrganizationUserPermission
from accounts.roles import Role
from cases.selectors import cases_visible_to
from helpdesk.permissions import (
    CURRENT_ORGANIZATION,
    EVERYWHERE,
    GLOBALLY,
    NOWHERE,
    Scope,
    is_staff,
    organization_scope,
    require_perm,
    users_with_perm,
)
from tests.factories import OrganizationFactory, UserFactory, case_create, member_create


def fresh(user):
    """The user as a new request sees them: no permissions cached from before a change."""
    return type(user).objects.get(pk=user.pk)


def global_perm_grant(user, perm: str):
    app_label, codename = perm.split(".")
    user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return fresh(user)


# --- Scope --------------------------------------------------------------------------------------------------


def test_scope_tells_everywhere_these_and_nowhere_apart():
    these = Scope(ids=frozenset({3, 1}))
    assert EVERYWHERE and these and not NOWHERE
    assert 42 in EVERYWHERE and 3 in these and 2 not in these and 1 not in NOWHERE
    assert EVERYWHERE.key == "all" and these.key == "1,3" and NOWHERE.key == ""


def test_scope_filters_a_queryset_in_sql(organization, other_organization, standard_user, other_org_user):
    organizations = Organization.objects.all()
    assert set(EVERYWHERE.filter(organizations, field="pk")) == {organization, other_organization}
    assert list(Scope(ids=frozenset({organization.pk})).filter(organizations, field="pk")) == [organization]
    assert list(NOWHERE.filter(organizations, field="pk")) == []


def test_scope_of_a_member_is_their_organizations_only(organization, other_organization, standard_user):
    scope = organization_scope(standard_user, "cases.view_org_cases")
    assert not scope.everywhere and scope.ids == {organization.pk}
    assert organization_scope(standard_user, "cases.view_all_org_cases") == NOWHERE
    assert organization_scope(UserFactory(), "cases.view_org_cases") == NOWHERE


def test_scope_of_staff_is_every_organization(consultant):
    assert organization_scope(consultant, "cases.view_org_cases") == EVERYWHERE
    assert organization_scope(consultant, "cases.assign_case") == NOWHERE  # dispatchers only


def test_scope_of_an_inactive_member_is_empty(organization, standard_user):
    membership = Membership.objects.get(user=standard_user)
    account_services.member_deactivate(
        membership=membership, by=member_create(organization, [Role.ADMIN]), ip_address=None
    )
    assert organization_scope(fresh(standard_user), "cases.view_org_cases") == NOWHERE


def test_view_org_cases_held_globally_without_view_all_shows_what_the_organizations_allow(db):
    """Global `cases.view_org_cases` without `view_all_org_cases`: every case of an organization that shows
    its standard users everything, and in one that does not, the user's own and watched cases. (Before the
    scope object, "every organization" and "none" were both falsy, and this user saw nothing.)"""
    open_organization = OrganizationFactory()
    restricted = OrganizationFactory(standard_users_see_own_cases_only=True)
    reporter = member_create(open_organization, [Role.STANDARD])
    restricted_reporter = member_create(restricted, [Role.STANDARD])
    visible = case_create(open_organization, reporter)
    hidden = case_create(restricted, restricted_reporter)
    user = global_perm_grant(member_create(restricted, [Role.STANDARD]), "cases.view_org_cases")
    own = case_create(restricted, user)

    assert organization_scope(user, "cases.view_org_cases") == EVERYWHERE
    assert set(cases_visible_to(user)) == {visible, own}
    assert hidden not in cases_visible_to(user)


# --- The view guard -----------------------------------------------------------------------------------------


def _request(user, membership=None):
    request = RequestFactory().get("/")
    request.user = user
    request.membership = membership
    return request


@require_perm("cases.view_org_cases")
def anywhere_view(request):
    return "ok"


@require_perm("cases.view_queue", where=GLOBALLY)
def staff_view(request):
    return "ok"


@require_perm("cases.create_case", where=CURRENT_ORGANIZATION)
def organization_view(request):
    return "ok"


def test_require_perm_anywhere_admits_members_and_staff(standard_user, consultant):
    assert anywhere_view(_request(standard_user)) == "ok"
    assert anywhere_view(_request(consultant)) == "ok"
    with pytest.raises(PermissionDenied):
        anywhere_view(_request(UserFactory()))


def test_require_perm_globally_refuses_an_object_permission(organization, consultant, dispatcher):
    """A codename granted on an organization never opens a vendor function."""
    customer = member_create(organization, [Role.ADMIN])

    # Written as accounts.services writes grants (guardian's save() takes Organization permissions only).
    OrganizationUserPermission.objects.bulk_create(
        [
            OrganizationUserPermission(
                user=customer,
                content_object=organization,
                permission=Permission.objects.get(content_type__app_label="cases", codename="view_queue"),
            )
        ]
    )
    customer = fresh(customer)
    assert organization_scope(customer, "cases.view_queue").ids == {organization.pk}
    with pytest.raises(PermissionDenied):
        staff_view(_request(customer))
    assert staff_view(_request(dispatcher)) == "ok"


def test_require_perm_in_current_organization_needs_a_membership_there(organization, standard_user):
    membership = Membership.objects.get(user=standard_user)
    assert organization_view(_request(standard_user, membership)) == "ok"
    with pytest.raises(PermissionDenied):
        organization_view(_request(standard_user, None))


def test_require_perm_refuses_an_unknown_place():
    with pytest.raises(ValueError, match="unknown"):
        require_perm("cases.view_org_cases", where="somewhere")


def test_staff_is_one_permission(consultant, dispatcher, vendor_admin, admin_user):
    assert is_staff(consultant) and is_staff(dispatcher) and is_staff(vendor_admin)
    assert not is_staff(admin_user)


# --- users_with_perm ----------------------------------------------------------------------------------------


def test_users_with_perm_are_the_organizations_active_holders(organization, other_organization):
    admin = member_create(organization, [Role.ADMIN])
    fin = member_create(organization, [Role.FIN_ADMIN])
    standard = member_create(organization, [Role.STANDARD])
    other_admin = member_create(other_organization, [Role.ADMIN])

    assert set(users_with_perm("accounts.manage_members", organization)) == {admin}
    assert set(users_with_perm("accounts.manage_members", organization.pk)) == {admin}
    assert set(users_with_perm("cases.view_org_cases", organization)) == {admin, fin, standard}
    assert set(users_with_perm("accounts.manage_members", [organization, other_organization])) == {
        admin,
        other_admin,
    }
    assert set(users_with_perm("accounts.manage_members")) == {admin, other_admin}


def test_users_with_perm_leave_out_staff_and_former_or_inactive_members(organization, consultant):
    admin = member_create(organization, [Role.ADMIN])
    leaver = member_create(organization, [Role.STANDARD])
    sleeper = member_create(organization, [Role.STANDARD])
    account_services.member_deactivate(
        membership=Membership.objects.get(user=leaver), by=admin, ip_address=None
    )
    sleeper.is_active = False
    sleeper.save(update_fields=["is_active"])

    holders = set(users_with_perm("cases.view_org_cases", organization))
    assert holders == {admin}
    assert consultant not in holders


def test_users_with_perm_of_an_inactive_organization_are_none(organization):
    member_create(organization, [Role.ADMIN])
    organization.is_active = False
    organization.save(update_fields=["is_active"])
    assert not users_with_perm("accounts.manage_members", organization).exists()
