from django.db import models

from accounts.models import Membership, User

from .models import AuditEvent


def client_ip(request) -> str | None:
    """The client's address as the server saw it (a proxy in front must set REMOTE_ADDR correctly)."""
    return request.META.get("REMOTE_ADDR") if request is not None else None


def audit_record(
    *,
    action: str,
    actor=None,
    organization=None,
    target: models.Model | None = None,
    details: dict | None = None,
    ip_address: str | None = None,
) -> AuditEvent:
    """Write one immutable audit event. One that concerns no organization but a person (their sign-in,
    their password) is kept for the organizations the person is an active member of now: a former member's
    later sign-ins elsewhere never show in the log of the organization they left."""
    actor = actor if actor is not None and actor.is_authenticated else None
    person = target if isinstance(target, User) else actor
    return AuditEvent.objects.create(
        action=action,
        actor=actor,
        organization=organization,
        member_of=_organizations_of(person) if organization is None else [],
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:200] if target is not None else "",
        details=details or {},
        ip_address=ip_address,
    )


def _organizations_of(person) -> list[int]:
    if person is None:
        return []
    return sorted(Membership.objects.active().filter(user=person).values_list("organization_id", flat=True))
