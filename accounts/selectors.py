from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from helpdesk.dates import day_start
from helpdesk.models import AuditEvent
from helpdesk.permissions import get_visible_or_404, has_org_perm, organizations_with_perm

from .models import Membership, Organization
from .roles import Role


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
    organization = get_visible_or_404(organizations_visible_to(user), pk=pk)
    if not has_org_perm(user, perm, organization):
        raise PermissionDenied(perm)
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


def audit_events_filter(events: QuerySet[AuditEvent], data: dict) -> QuerySet[AuditEvent]:
    """The audit log's filters (AuditFilterForm): a person acting or acted on, an action, local days."""
    if data.get("person"):
        who = data["person"].strip()
        events = events.filter(
            Q(actor__email__iexact=who) | Q(actor__full_name__icontains=who) | Q(target_repr__icontains=who)
        )
    if data.get("action"):
        events = events.filter(action=data["action"])
    if data.get("date_from"):
        events = events.filter(created_at__gte=day_start(data["date_from"]))
    if data.get("date_to"):
        events = events.filter(created_at__lt=day_start(data["date_to"] + timedelta(days=1)))
    return events


def audit_role_labels_add(events) -> None:
    """Name the role of each role change (`event.role_label`), from its details, in the reader's language."""
    for event in events:
        role = event.details.get("role") if isinstance(event.details, dict) else None
        event.role_label = Role(role).label if role in Role.values else ""
