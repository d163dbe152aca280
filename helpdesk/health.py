"""What `/health/` reports: each dependency of the portal, checked with a short timeout, and whether this
process can serve its pages (README, "Health and logs").

Essential components (settings.HEALTH_ESSENTIAL, the database by default) decide the HTTP status: 503 when
one is down, so that a load balancer stops sending requests to this process. The others only make the
overall status "degraded" and stay 200: Redis, the worker, the storage, the mail server and the virus
scanner are shared by every process, so taking them all out of service would refuse every page for the
sake of one feature (the cache degrades to none, tasks wait in the outbox, uploads are refused).

Nothing here says more than a status, a latency and the exception's class: no host, user or message (a
database error names its server and role), since anyone may ask. The checks other than the database are
kept for settings.HEALTH_CHECK_CACHE_SECONDS per process, so that a flood of requests to this public URL
costs the mail server, the bucket and clamd nothing more.
"""

import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.mail import mailers
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.db import connection

from . import clamav

OK = "ok"
DOWN = "down"
NOT_CONFIGURED = "not configured"

# A dependency that does not answer within this many seconds counts as down.
TIMEOUT_SECONDS = 2
# The Celery beat schedule runs helpdesk.tasks.worker_heartbeat every minute; a worker that has not run it
# for three minutes is stuck, gone, or beat is.
HEARTBEAT_KEY = "worker-heartbeat"
HEARTBEAT_MAX_AGE_SECONDS = 180


@dataclass
class Result:
    status: str
    latency_ms: float | None = None
    essential: bool = False
    detail: str = ""


def database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return OK


def redis() -> str:
    if not settings.REDIS_URL:
        return NOT_CONFIGURED
    import redis as redis_client

    client = redis_client.Redis.from_url(
        settings.REDIS_URL, socket_connect_timeout=TIMEOUT_SECONDS, socket_timeout=TIMEOUT_SECONDS
    )
    try:
        client.ping()
    finally:
        client.close()
    return OK


def worker() -> str | tuple[str, str]:
    """The heartbeat the worker writes when beat asks; without a broker tasks run in the web process."""
    if not settings.REDIS_URL:
        return NOT_CONFIGURED, "tasks run in the web process"
    beat = cache.get(HEARTBEAT_KEY)
    if beat is None:
        return DOWN, "no heartbeat"
    age = int(time.time() - beat)
    if age > HEARTBEAT_MAX_AGE_SECONDS:
        return DOWN, f"last heartbeat {age} s ago"
    return OK, f"last heartbeat {age} s ago"


def heartbeat_write() -> None:
    """The worker's side (helpdesk.tasks.worker_heartbeat)."""
    cache.set(HEARTBEAT_KEY, time.time(), timeout=24 * 60 * 60)


def storage() -> str:
    """A small file written and deleted where uploads go (the local disk or the bucket)."""
    name = default_storage.save(f"health/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    default_storage.delete(name)
    return OK


def mail() -> str | tuple[str, str]:
    """A connection opened to the SMTP server (and closed: nothing is sent)."""
    backend = mailers.default
    if not isinstance(backend, SmtpBackend):
        return NOT_CONFIGURED, type(backend).__module__.rsplit(".", 1)[-1]
    backend.timeout = TIMEOUT_SECONDS
    backend.fail_silently = False
    try:
        backend.open()
    finally:
        backend.close()
    return OK


def virus_scanner() -> str:
    return {"ok": OK, "unreachable": DOWN}.get(clamav.status(), NOT_CONFIGURED)


CHECKS: dict[str, Callable] = {
    "database": database,
    "redis": redis,
    "worker": worker,
    "storage": storage,
    "mail": mail,
    "virus_scanner": virus_scanner,
}

# name -> (monotonic time, Result): the last result of each check but the database's, in this process.
_kept: dict[str, tuple[float, Result]] = {}


def _run(name: str) -> Result:
    started = time.monotonic()
    try:
        answer = CHECKS[name]()
    except Exception as error:  # whatever a dependency raises means it is down, reported by class only
        answer = (DOWN, type(error).__name__)
    status, detail = answer if isinstance(answer, tuple) else (answer, "")
    latency = round((time.monotonic() - started) * 1000, 1) if status != NOT_CONFIGURED else None
    return Result(status=status, latency_ms=latency, detail=detail)


def check(name: str) -> Result:
    keep = settings.HEALTH_CHECK_CACHE_SECONDS
    now = time.monotonic()
    if name != "database" and keep > 0 and name in _kept and now - _kept[name][0] < keep:
        result = _kept[name][1]
    else:
        result = _run(name)
        _kept[name] = (now, result)
    return Result(**{**asdict(result), "essential": name in settings.HEALTH_ESSENTIAL})


def report() -> tuple[dict, int]:
    """The JSON body and the HTTP status of /health/."""
    components = {name: check(name) for name in CHECKS}
    if any(result.essential and result.status == DOWN for result in components.values()):
        overall, http_status = DOWN, 503
    elif any(result.status == DOWN for result in components.values()):
        overall, http_status = "degraded", 200
    else:
        overall, http_status = OK, 200
    body = {
        "status": overall,
        "components": {
            name: {k: v for k, v in asdict(r).items() if v != ""} for name, r in components.items()
        },
    }
    return body, http_status
