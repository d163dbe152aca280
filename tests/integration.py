"""The real services integration tests need (Redis, Chromium, another process on the test database): a test
that needs one skips with the reason when it is missing, and fails instead when REQUIRE_SERVICES=1 (CI)."""

import os
import subprocess
from urllib.parse import quote, urlencode

import pytest

# The browser the journeys drive: Debian's Chromium unless CHROMIUM_PATH names another build.
CHROMIUM = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


def redis_url() -> str:
    return os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL


def _redis_problem() -> str | None:
    import redis

    try:
        redis.Redis.from_url(redis_url(), socket_connect_timeout=1, socket_timeout=1).ping()
    except redis.RedisError as error:
        return f"Redis at {redis_url()} does not answer ({error})"
    return None


def _chromium_problem() -> str | None:
    if not os.access(CHROMIUM, os.X_OK):
        return f"{CHROMIUM} is not installed (apt-get install -y chromium)"
    return None


# The ClamAV daemon the virus-scan tests start (tests/clamav.py): Debian's unless CLAMD_PATH names another.
CLAMD = os.environ.get("CLAMD_PATH") or "/usr/sbin/clamd"


def _clamav_problem() -> str | None:
    if not os.access(CLAMD, os.X_OK):
        return f"{CLAMD} is not installed (apt-get install -y clamav-daemon)"
    return None


# Marker name -> check; conftest.py runs the check for every test carrying the marker.
SERVICE_CHECKS = {"redis": _redis_problem, "browser": _chromium_problem, "clamav": _clamav_problem}


def services_required(*names: str) -> None:
    """Skip the calling test, with the reason, when a service it needs is missing; with REQUIRE_SERVICES=1
    fail it instead, so that a missing service never passes silently in CI."""
    for name in names:
        problem = SERVICE_CHECKS[name]()
        if problem:
            if os.environ.get("REQUIRE_SERVICES") == "1":
                pytest.fail(f"{problem}; REQUIRE_SERVICES=1 forbids skipping", pytrace=False)
            pytest.skip(problem)


def database_url(settings_dict) -> str:
    """A DATABASE_URL for another process (a Celery worker) that reaches the same database as this one."""
    user = quote(settings_dict["USER"] or "", safe="")
    if settings_dict["PASSWORD"]:
        user += ":" + quote(settings_dict["PASSWORD"], safe="")
    host = settings_dict["HOST"] or ""
    if host.startswith("/"):  # a Unix socket directory
        host = quote(host, safe="")
    port = f":{settings_dict['PORT']}" if settings_dict["PORT"] else ""
    # The embedded PostgreSQL gives its socket directory as the `host` option.
    options = {key: value for key, value in settings_dict["OPTIONS"].items() if isinstance(value, str | int)}
    query = f"?{urlencode(options)}" if options else ""
    return f"postgres://{user}@{host}{port}/{quote(settings_dict['NAME'], safe='')}{query}"


def process_stop(process: subprocess.Popen, timeout: float = 10) -> None:
    """Stop a service a test started: SIGTERM, and SIGKILL if it has not exited within `timeout` seconds."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
