"""The session policy: 12 hours from sign-in at most (SESSION_COOKIE_AGE, absolute: activity does not extend
it), and ended earlier after SESSION_IDLE_TIMEOUT (SESSION_IDLE_TIMEOUT_STAFF for vendor staff) without a
request the user made. Each signed-in session has a UserSession row, so that its owner sees it (device,
address, sign-in, last activity) and can end it: ending deletes the session from Django's session store, so
its cookie signs nobody in any more.

A role change (accounts.services) ends every session of the person whose roles changed: permissions and the
need of a second factor are worked out afresh at their next sign-in. When people change their own roles, the
session they do it in is kept under a new key instead (`session_rotate`).
"""

from datetime import UTC, datetime, timedelta
from importlib import import_module

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from helpdesk.models import AuditEvent
from helpdesk.permissions import is_staff
from helpdesk.services import audit_record, client_ip

from . import two_factor
from .models import UserSession

SIGNED_IN_AT = "_signed_in_at"
LAST_ACTIVITY = "_last_activity"
IDLE_SECONDS = "_idle_seconds"
TOUCH_EVERY = 60  # seconds: the session and its row record activity at most once a minute
# Requests the page makes by itself (polling) and the warning's own status check are not activity.
BACKGROUND_HEADER = "HTTP_X_BACKGROUND"


def _now() -> int:
    return int(timezone.now().timestamp())


def idle_timeout_for(user) -> int:
    return settings.SESSION_IDLE_TIMEOUT_STAFF if is_staff(user) else settings.SESSION_IDLE_TIMEOUT


def session_begin(request, user) -> None:
    """A new signed-in session (called at every sign-in): its limits, the second-factor step, its row."""
    session, now = request.session, _now()
    session[SIGNED_IN_AT] = session[LAST_ACTIVITY] = now
    session[IDLE_SECONDS] = idle_timeout_for(user)
    session[two_factor.SESSION_STEP_KEY] = two_factor.step_for(user)
    _row_save(request, user)


def _row_save(request, user) -> None:
    session = request.session
    signed_in_at = datetime.fromtimestamp(session[SIGNED_IN_AT], tz=UTC)
    expires_at = signed_in_at + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    session.set_expiry(expires_at)  # a fixed date: saving the session later does not push it further
    if session.session_key is None:
        session.save()
    UserSession.objects.update_or_create(
        session_key=session.session_key,
        defaults={
            "user": user,
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
            "ip_address": client_ip(request),
            "signed_in_at": signed_in_at,
            "last_activity_at": timezone.now(),
            "expires_at": expires_at,
        },
    )


def session_rotate(request) -> None:
    """Keep the user's current session under a new key (the old key stops working, its row goes), signed in
    since the same time: after a change that ended all the user's sessions, this one included."""
    old_key = request.session.session_key
    request.session.cycle_key()
    session_forget(old_key)
    _row_save(request, request.user)
    if not two_factor.is_verified(request):  # new roles may require a second factor now
        request.session[two_factor.SESSION_STEP_KEY] = two_factor.step_for(request.user)


def ended_by_limit(request) -> str:
    """ "absolute" or "idle" when the signed-in session is past a limit; else "" (and its activity noted)."""
    session, now = request.session, _now()
    if SIGNED_IN_AT not in session:  # a session from before this policy: it starts now
        session_begin(request, request.user)
    if now - session[SIGNED_IN_AT] >= settings.SESSION_COOKIE_AGE:
        return "absolute"
    idle = session.get(IDLE_SECONDS, settings.SESSION_IDLE_TIMEOUT)
    if now - session[LAST_ACTIVITY] >= idle:
        return "idle"
    if BACKGROUND_HEADER not in request.META and now - session[LAST_ACTIVITY] >= TOUCH_EVERY:
        session_touch(request)
    return ""


def session_touch(request) -> None:
    """Note activity now (the middleware at most once a minute; "Stay signed in" always)."""
    request.session[LAST_ACTIVITY] = _now()
    UserSession.objects.filter(session_key=request.session.session_key).update(
        last_activity_at=timezone.now()
    )


def idle_seconds_left(request) -> int:
    session = request.session
    idle = session.get(IDLE_SECONDS, settings.SESSION_IDLE_TIMEOUT)
    left_idle = idle - (_now() - session.get(LAST_ACTIVITY, _now()))
    left_absolute = settings.SESSION_COOKIE_AGE - (_now() - session.get(SIGNED_IN_AT, _now()))
    return max(min(left_idle, left_absolute), 0)


def session_rekeyed(old_key: str, new_key: str) -> None:
    """The session got a new key (Django's cycle_key: a password change, session_rotate): its row follows."""
    UserSession.objects.filter(session_key=old_key).update(session_key=new_key)


def session_forget(session_key: str | None) -> None:
    """The session ended through the user (sign-out) or a limit: only its row is left to delete."""
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


def _store_delete(session_keys) -> None:
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for key in session_keys:
        store(session_key=key).delete()


def sessions_of(user):
    """The user's sessions that are still alive, the most recently used first."""
    now = timezone.now()
    return UserSession.objects.filter(
        user=user,
        expires_at__gt=now,
        last_activity_at__gt=now - timedelta(seconds=idle_timeout_for(user)),
    )


@transaction.atomic
def sessions_end(
    *, user, by, ip_address: str | None = None, keep: str | None = None, only=None, reason: str = "user"
) -> int:
    """End the user's sessions (all, `only` those keys, or all but `keep`); the number ended. Audited."""
    rows = UserSession.objects.select_for_update().filter(user=user)
    if only is not None:
        rows = rows.filter(session_key__in=only)
    if keep:
        rows = rows.exclude(session_key=keep)
    keys = list(rows.values_list("session_key", flat=True))
    if not keys:
        return 0
    _store_delete(keys)
    UserSession.objects.filter(session_key__in=keys).delete()
    audit_record(
        action=AuditEvent.Action.SESSION_ENDED,
        actor=by,
        target=user,
        details={"sessions": len(keys), "reason": reason},
        ip_address=ip_address,
    )
    return len(keys)


def sessions_purge() -> int:
    """Forget the rows of sessions past their absolute end (their store entries expire by themselves)."""
    return UserSession.objects.filter(expires_at__lte=timezone.now()).delete()[0]
