"""The monitoring agent: measures the machine it runs on and posts the results to the portal's ingestion API
(`POST /api/monitoring/results/`, README "Monitoring agent").

Only the standard library (and psycopg for the database check): the module runs without Django, as
`python monitoring/agent.py --url ... --token ...` on a customer's server, and `manage.py monitoring_agent`
wraps it. Each check returns result dicts in the shape of the payload; `post` sends them.
"""

import os
import sys

# Run as `python monitoring/agent.py`, Python puts monitoring/ first on the path, where the app's
# selectors.py would shadow the standard library's `selectors` (which urllib needs).
if sys.path and os.path.abspath(sys.path[0] or ".") == os.path.dirname(os.path.abspath(__file__)):
    del sys.path[0]

import argparse  # noqa: E402
import json  # noqa: E402
import shutil  # noqa: E402
import time  # noqa: E402
import urllib.error  # noqa: E402
import urllib.request  # noqa: E402
from datetime import UTC, datetime  # noqa: E402

# Thresholds of the issue: disk free below 20 % is a warning, below 10 % critical; a backup older than
# 26 hours (a nightly one missed) a warning, older than 50 hours (two missed) critical.
DISK_WARNING_PERCENT = 20
DISK_CRITICAL_PERCENT = 10
BACKUP_WARNING_HOURS = 26
BACKUP_CRITICAL_HOURS = 50
# A database that takes over a second to accept a connection, or a URL over 2 s to answer, is a warning.
CONNECT_WARNING_MS = 1000
ANSWER_WARNING_MS = 2000
TIMEOUT_SECONDS = 10
MAX_BATCH = 1000  # the API's limit per request
MIN_INTERVAL = 10  # the API refuses a shorter one
ATTEMPTS = 5
MAX_BACKOFF_SECONDS = 60
USER_AGENT = "jupiter-monitoring-agent/1"


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _result(component, kind, check, status, value, unit, message, measured_at, interval) -> dict:
    result = {
        "component": component,
        "kind": kind,
        "check": check,
        "status": status,
        "value": None if value is None else round(value, 2),
        "unit": unit,
        "message": message[:500],
        "measured_at": measured_at.isoformat(),
    }
    if interval:
        result["interval"] = interval
    return result


# --- The checks ---------------------------------------------------------------------------------------------


def disk_check(path: str, *, now: datetime | None = None, interval: int | None = None) -> list[dict]:
    """Free space of the file system holding `path`, in % of its size (what an unprivileged user may use)."""
    now = now or _now()
    try:
        usage = shutil.disk_usage(path)
    except OSError as error:
        return [
            _result(f"Disk {path}", "disk", "disk free", "UNKNOWN", None, "%",
                    f"Cannot measure {path}: {error.strerror or error}", now, interval)
        ]  # fmt: skip
    percent = usage.free * 100 / usage.total if usage.total else 0.0
    if percent < DISK_CRITICAL_PERCENT:
        status = "CRITICAL"
    elif percent < DISK_WARNING_PERCENT:
        status = "WARNING"
    else:
        status = "OK"
    message = (
        f"{percent:.1f} % free: {usage.free / 2**30:.1f} of {usage.total / 2**30:.1f} GiB "
        f"(warning below {DISK_WARNING_PERCENT} %, critical below {DISK_CRITICAL_PERCENT} %)"
    )
    return [_result(f"Disk {path}", "disk", "disk free", status, percent, "%", message, now, interval)]


def database_check(url: str, *, now: datetime | None = None, interval: int | None = None) -> list[dict]:
    """PostgreSQL: the time to connect (critical when it cannot be reached) and the database's size."""
    now = now or _now()
    component = f"PostgreSQL {database_label(url)}"

    def result(check, status, value, unit, message):
        return _result(component, "database", check, status, value, unit, message, now, interval)

    try:
        import psycopg
    except ImportError:
        return [
            result("connect time", "UNKNOWN", None, "ms", "psycopg is not installed (pip install psycopg)")
        ]
    started = time.perf_counter()
    try:
        with psycopg.connect(url, connect_timeout=TIMEOUT_SECONDS, autocommit=True) as connection:
            connect_ms = (time.perf_counter() - started) * 1000
            size = connection.execute("SELECT pg_database_size(current_database())").fetchone()[0]
    except psycopg.Error as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return [
            result("connect time", "CRITICAL", None, "ms", f"Cannot connect: {reason}"),
            result("database size", "UNKNOWN", None, "MB", "Not measured: the database cannot be reached"),
        ]
    slow = connect_ms > CONNECT_WARNING_MS
    return [
        result(
            "connect time",
            "WARNING" if slow else "OK",
            connect_ms,
            "ms",
            f"Connected in {connect_ms:.0f} ms (warning above {CONNECT_WARNING_MS} ms)",
        ),
        result("database size", "OK", size / 2**20, "MB", f"{size / 2**30:.2f} GiB"),
    ]


def database_label(url: str) -> str:
    """The database's name and host from its URL, without the password."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "postgres"
    return f"{name}@{parts.hostname}" if parts.hostname else name


def backup_check(folder: str, *, now: datetime | None = None, interval: int | None = None) -> list[dict]:
    """The age in hours of the newest file in `folder` (and its subfolders): the last backup written."""
    now = now or _now()

    def result(status, hours, message):
        return _result(f"Backup {folder}", "backup", "newest backup age", status, hours, "h", message, now,
                       interval)  # fmt: skip

    newest, newest_name = None, ""
    try:
        if not os.path.isdir(folder):
            return [result("CRITICAL", None, f"The backup folder {folder} does not exist")]
        for root, _dirs, files in os.walk(folder):
            for name in files:
                try:
                    modified = os.stat(os.path.join(root, name)).st_mtime
                except OSError:
                    continue  # removed while we looked (backup rotation)
                if newest is None or modified > newest:
                    newest, newest_name = modified, name
    except OSError as error:
        return [result("UNKNOWN", None, f"Cannot read {folder}: {error.strerror or error}")]
    if newest is None:
        return [result("CRITICAL", None, f"No backup file in {folder}")]
    hours = max(0.0, (now.timestamp() - newest) / 3600)
    if hours > BACKUP_CRITICAL_HOURS:
        status = "CRITICAL"
    elif hours > BACKUP_WARNING_HOURS:
        status = "WARNING"
    else:
        status = "OK"
    message = (
        f"Newest: {newest_name}, {hours:.1f} h old "
        f"(warning after {BACKUP_WARNING_HOURS} h, critical after {BACKUP_CRITICAL_HOURS} h)"
    )
    return [result(status, hours, message)]


def http_check(url: str, *, now: datetime | None = None, interval: int | None = None) -> list[dict]:
    """A GET of `url`: its answer time; critical when it fails or answers 5xx, a warning for 4xx or slow."""
    now = now or _now()
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})  # noqa: S310
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            response.read()
            code = response.status
    except urllib.error.HTTPError as error:
        code = error.code
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        return [_result(f"HTTP {url}", "service", "answer time", "CRITICAL", None, "ms",
                        f"No answer: {reason}", now, interval)]  # fmt: skip
    elapsed = (time.perf_counter() - started) * 1000
    if code >= 500:
        status = "CRITICAL"
    elif code >= 400 or elapsed > ANSWER_WARNING_MS:
        status = "WARNING"
    else:
        status = "OK"
    message = f"HTTP {code} in {elapsed:.0f} ms (warning above {ANSWER_WARNING_MS} ms)"
    return [_result(f"HTTP {url}", "service", "answer time", status, elapsed, "ms", message, now, interval)]


def licence_usage_query(url: str, query: str) -> list[dict]:
    """Named users per licensed module from the ERP's database: `query` returns rows (module code, count)."""
    import psycopg

    with psycopg.connect(url, connect_timeout=TIMEOUT_SECONDS, autocommit=True) as connection:
        rows = connection.execute(query).fetchall()
    return [{"module": str(module), "named_users": int(count)} for module, count in rows]


def measure(options: dict, *, err=None) -> dict:
    """Everything the options ask for, as one payload: {"results": [...], "versions": [...], ...}."""
    now, interval = _now(), options.get("interval")
    results = []
    for path in options.get("disk") or ["/"]:
        results += disk_check(path, now=now, interval=interval)
    if options.get("database_url"):
        results += database_check(options["database_url"], now=now, interval=interval)
    if options.get("backup_dir"):
        results += backup_check(options["backup_dir"], now=now, interval=interval)
    for url in options.get("http_check") or []:
        results += http_check(url, now=now, interval=interval)
    payload = {"results": results}
    if options.get("installation_products"):
        payload["versions"] = [
            {"product": product, "version": version} for product, version in options["installation_products"]
        ]
    usage = [
        {"module": module, "named_users": int(count)} for module, count in options.get("licence_usage") or []
    ]
    if options.get("licence_query") and options.get("database_url"):
        try:
            usage += licence_usage_query(options["database_url"], options["licence_query"])
        except Exception as error:  # psycopg's errors, a bad query: the other results are still worth sending
            (err or print)(f"Licence usage not measured: {error}")
    if usage:
        payload["licence_usage"] = usage
    return payload


def name_value(text: str) -> tuple[str, str]:
    """An argument NAME=VALUE (argparse `type`)."""
    key, separator, value = text.partition("=")
    if not separator or not key.strip() or not value.strip():
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    return key.strip(), value.strip()


def name_count(text: str) -> tuple[str, int]:
    key, value = name_value(text)
    if not value.isdigit():
        raise argparse.ArgumentTypeError(f"expected MODULE=NUMBER, got {text!r}")
    return key, int(value)


# --- Sending ------------------------------------------------------------------------------------------------


class SendError(Exception):
    """The portal refused the batch (`status` its HTTP status), or could not be reached after every attempt
    (`status` None)."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


def post(base_url: str, token: str, payload: dict, *, out=print, sleep=time.sleep) -> dict:
    """POST the payload (in batches of at most MAX_BATCH results); the summed answer {"accepted",
    "duplicates"}. Retries a 429 after its Retry-After, a 5xx or a connection error with a growing wait;
    any other refusal (400, 401, 413) is a SendError at once: sending it again would not help."""
    endpoint = base_url.rstrip("/") + "/api/monitoring/results/"
    results = payload["results"]
    totals = {"accepted": 0, "duplicates": 0}
    for start in range(0, max(len(results), 1), MAX_BATCH):
        batch = {**payload, "results": results[start : start + MAX_BATCH]}
        if start:  # versions and licence usage go with the first batch only
            batch = {"results": batch["results"]}
        answer = _post_batch(endpoint, token, batch, out=out, sleep=sleep)
        for key in totals:
            totals[key] += int(answer.get(key, 0))
    return totals


def _post_batch(endpoint: str, token: str, batch: dict, *, out, sleep) -> dict:
    body = json.dumps(batch).encode()
    headers = {
        "Authorization": f"Token {token}",
        "Content-Type": "application/json",
        "Accept": "application/json",
        "User-Agent": USER_AGENT,
    }
    backoff = 1.0
    for attempt in range(1, ATTEMPTS + 1):
        request = urllib.request.Request(endpoint, data=body, headers=headers, method="POST")  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                return json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            text = error.read().decode(errors="replace")[:1000]
            if error.code == 429:
                wait = _retry_after(error.headers.get("Retry-After"), backoff)
            elif error.code >= 500:
                wait = backoff
            else:
                raise SendError(
                    f"The portal refused the results: HTTP {error.code} {text}", error.code
                ) from None
            problem = f"HTTP {error.code}"
        except (urllib.error.URLError, OSError) as error:
            wait, problem = backoff, f"cannot reach the portal ({getattr(error, 'reason', error)})"
        if attempt == ATTEMPTS:
            raise SendError(f"Gave up after {ATTEMPTS} attempts: {problem}")
        out(f"Attempt {attempt}: {problem}; trying again in {wait:.0f} s")
        sleep(wait)
        backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
    raise AssertionError("unreachable")


def _retry_after(value: str | None, default: float) -> float:
    try:
        return min(max(float(value), 0.0), MAX_BACKOFF_SECONDS * 5)
    except (TypeError, ValueError):
        return default


# --- The command line ---------------------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--url", required=True, help="The portal's address, e.g. https://helpdesk.example.hr")
    parser.add_argument("--token", help="The installation's agent token (default: $MONITORING_TOKEN).")
    parser.add_argument("--once", action="store_true", help="Measure and send once, then exit (for cron).")
    parser.add_argument(
        "--interval", type=int, metavar="SECONDS",
        help="Seconds between rounds (default 60). Sent with the results, so the portal knows when the next "
        "is due: with --once, give cron's period.",
    )  # fmt: skip
    parser.add_argument(
        "--disk",
        action="append",
        metavar="PATH",
        help="A path whose disk to measure (repeatable; default /).",
    )
    parser.add_argument("--database-url", metavar="URL", help="postgres://user:password@host/name to check.")
    parser.add_argument("--backup-dir", metavar="PATH", help="The folder the backups are written to.")
    parser.add_argument("--http-check", action="append", metavar="URL", help="A URL to time (repeatable).")
    parser.add_argument(
        "--installation-products", nargs="+", type=name_value, metavar="PRODUCT=VERSION",
        help="The product versions installed (the portal's product codes).",
    )  # fmt: skip
    parser.add_argument(
        "--licence-usage", nargs="+", type=name_count, metavar="MODULE=USERS",
        help="Named users per licensed module (the portal's module codes).",
    )  # fmt: skip
    parser.add_argument(
        "--licence-query", metavar="SQL",
        help="A query on --database-url returning rows (module code, named users).",
    )  # fmt: skip


def run(options: dict, *, out=print, err=None) -> int:
    """Measure and send, once or every --interval seconds. Returns 0 when the (last) round was accepted, 1
    when it was not, 2 for a refused token or bad options (a loop stops then: retrying cannot help)."""
    err = err or (lambda text: print(text, file=sys.stderr, flush=True))
    token = options.get("token") or os.environ.get("MONITORING_TOKEN")
    if not token:
        err("No token: give --token or set MONITORING_TOKEN.")
        return 2
    if options.get("interval") is not None and options["interval"] < MIN_INTERVAL:
        err(f"--interval must be at least {MIN_INTERVAL} seconds.")
        return 2
    while True:
        started = time.monotonic()
        code = _round(options, token, out=out, err=err)
        if options.get("once") or code == 2:
            return code
        time.sleep(max(0.0, (options.get("interval") or 60) - (time.monotonic() - started)))


def _round(options: dict, token: str, *, out, err) -> int:
    payload = measure(options, err=err)
    bad = sum(result["status"] != "OK" for result in payload["results"])
    try:
        answer = post(options["url"], token, payload, out=out)
    except SendError as error:
        err(str(error))
        return 2 if error.status == 401 else 1
    out(
        f"{_now():%Y-%m-%d %H:%M:%S} UTC: sent {len(payload['results'])} results ({bad} not OK): "
        f"{answer['accepted']} accepted, {answer['duplicates']} duplicates"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="monitoring/agent.py", description="Measure this machine and send the results to the portal."
    )
    add_arguments(parser)
    return run(vars(parser.parse_args(argv)))


if __name__ == "__main__":
    sys.exit(main())
