import hashlib
from contextlib import contextmanager

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import connection, models, transaction

from accounts.models import Membership, User

from . import throttle
from .models import AuditEvent
from .permissions import NotVisible

# The trigger of migration 0012 that refuses UPDATE and DELETE of audit rows.
APPEND_ONLY_TRIGGER = "helpdesk_auditevent_append_only"
# One audit row per person (or address) and path in this many seconds: a reload, or a script repeating
# one refused request, is recorded once a minute.
ACCESS_DENIED_REPEAT_SECONDS = 60


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
    target_repr: str = "",
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
        target_repr=str(target)[:200] if target is not None else target_repr[:200],
        details=details or {},
        ip_address=ip_address,
    )


def _organizations_of(person) -> list[int]:
    if person is None:
        return []
    return sorted(Membership.objects.active().filter(user=person).values_list("organization_id", flat=True))


def access_denied_record(*, request, exception: Exception) -> AuditEvent | None:
    """Audit a refused request: a 403 (PermissionDenied, with the permission when the code named it) or a
    404 for an object that exists but is not the user's to see (NotVisible: another organization's). A 404
    for a missing object is no denial and is not recorded. Bounded so that nobody can flood the trail: one
    row per person and path a minute, and RATES["access-denied-audit"] rows per person a minute. The event
    is personal (no organization): it shows in the logs of the person's own organizations, and says nothing
    of whose object it was; only the path they asked for."""
    if not isinstance(exception, PermissionDenied | NotVisible):
        return None
    user = request.user
    who = f"user:{user.pk}" if user.is_authenticated else f"ip:{client_ip(request)}"
    path_hash = hashlib.sha256(request.path.encode()).hexdigest()[:32]
    if not cache.add(f"access-denied:{who}:{path_hash}", 1, ACCESS_DENIED_REPEAT_SECONDS):
        return None
    details = {"status": 403, "method": request.method, "path": request.path[:500]}
    if isinstance(exception, NotVisible):
        if not exception.exists():
            return None
        lookup = {name: str(value)[:100] for name, value in exception.lookup.items()}
        details.update(status=404, object_type=exception.model._meta.label_lower, lookup=lookup)
    elif exception.args and isinstance(exception.args[0], str):
        details["permission"] = exception.args[0][:100]
    counted = throttle.usage(request, "access-denied-audit", key="user_or_ip")
    if counted is not None and counted["should_limit"]:
        return None
    return audit_record(
        action=AuditEvent.Action.ACCESS_DENIED,
        actor=user,
        details=details,
        ip_address=client_ip(request),
        target_repr=request.path,
    )


@contextmanager
def audit_trail_unlocked():
    """For invented data only (the demo backdates its history, the benchmark undoes its runs): lets the
    enclosing transaction change audit rows, which the database refuses otherwise. ALTER TABLE needs the
    table's owner, so a portal whose database role does not own its tables cannot do this at all; request
    and task code never does. The trigger is off only inside this transaction (DDL is transactional)."""
    with transaction.atomic(), connection.cursor() as cursor:
        _audit_trigger_set(cursor, "DISABLE")
        yield
        _audit_trigger_set(cursor, "ENABLE")


def _audit_trigger_set(cursor, state: str) -> None:
    # ALTER TABLE waits for no deferred foreign key check of rows inserted before it: they are made now.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute(f"ALTER TABLE helpdesk_auditevent {state} TRIGGER {APPEND_ONLY_TRIGGER}")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
