from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from helpdesk.models import AuditEvent
from helpdesk.permissions import has_org_perm, organizations_with_perm

from .models import Membership, Organization


def memberships_of(user) -> QuerySet[Membership]:
    """The user's active memberships, for the organization switcher."""
    if not user.is_authenticated:
        return Membership.objects.none()
    return (
        Membership.objects.active()
        .filter(user=user)
        .select_related("organization")
        .order_by("organization__name")
    )


def organizations_visible_to(user, perm: str = "accounts.view_organization") -> QuerySet[Organization]:
    return organizations_with_perm(user, perm)


def get_organization_for(user, pk: int, perm: str) -> Organization:
    """The organization if the user may do `perm` there: 404 when the user cannot see it (its existence stays
    hidden), 403 when they see it but may not do `perm`."""
    organization = get_object_or_404(organizations_visible_to(user), pk=pk)
    if not has_org_perm(user, perm, organization):
        raise PermissionDenied
    return organization


def members_of(organization: Organization) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organization=organization)
        .select_related("user")
        .order_by("-is_active", "user__full_name", "user__email")
    )


def audit_events_for(organization: Organization | None) -> QuerySet[AuditEvent]:
    """An organization's events, its members' sign-ins and password changes included (those they made while
    members: AuditEvent.member_of); None means every event (vendor admins)."""
    events = AuditEvent.objects.for_list()
    if organization is None:
        return events
    return events.filter(Q(organization=organization) | Q(member_of__contains=[organization.pk]))
