from django.db import models

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
    """Write one immutable audit event."""
    return AuditEvent.objects.create(
        action=action,
        actor=actor if actor is not None and actor.is_authenticated else None,
        organization=organization,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:200] if target is not None else "",
        details=details or {},
        ip_address=ip_address,
    )
