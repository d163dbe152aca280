"""`python -m bench --monitoring`: the monitoring targets (issue 11, item 9).

1. Ingestion through gunicorn (2 sync workers, as the load phase runs the portal): Python threads post
   batches of 500 results to `/api/monitoring/results/`, each with times of its own (nothing is a
   duplicate), rotating over many installations' tokens (so the per-installation rate limit is not what is
   measured); results/s accepted and the time of each batch (p50, p95). Target: ≥ 10,000 results/s with
   p95 ≤ 200 ms.
2. The status page in-process over `--stored` results (default 10,000,000, generated in SQL with
   generate_series): p95 ≤ 50 ms and ≤ 12 queries; the installation page and a check's history beside it.

Data (child process, bench database): organizations with members (bench.people), two installations each
(production and test) of six components with four checks, `--stored` results spread over those checks
every 5 minutes back from now, each installation's newest results through the ingestion service (so the
current state, the components' states and incidents are what ingestion makes), and a separate organization
whose INGEST_INSTALLATIONS installations, each with a token, receive the load.
"""

import itertools
import json
import math
import random
import threading
import time
from datetime import UTC, datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone

from . import BenchError
from .measure import percentile

INGEST_INSTALLATIONS = 40
BATCH = 500
INGEST_COMPONENTS, INGEST_CHECKS = 10, 10  # 100 checks per installation, 5 measurement times per batch
INTERVAL = timedelta(minutes=5)
TARGET_RESULTS_PER_SECOND = 10_000
TARGET_BATCH_P95_MS = 200
TARGET_PAGE_P95_MS = 50
TARGET_PAGE_QUERIES = 12
RESULT_TABLE = "monitoring_result"
INGEST_ORGANIZATION = "Bench ingest d.o.o."

# What an ERP installation's agent measures: component (name, kind) with checks (name, unit, low, high).
COMPONENTS = [
    ("Baza podataka", "database", [
        ("connect time", "ms", 2, 40), ("database size", "MB", 20_000, 21_000), ("disk free", "%", 30, 60),
        ("active connections", "", 20, 140)]),
    ("Aplikacijski poslužitelj", "application_server", [
        ("answer time", "ms", 40, 400), ("cpu", "%", 5, 80), ("memory free", "%", 20, 70),
        ("sessions", "", 10, 200)]),
    ("Sigurnosna kopija", "backup", [
        ("newest backup age", "h", 1, 24), ("backup size", "MB", 9_000, 9_500), ("disk free", "%", 25, 50),
        ("duration", "min", 20, 45)]),
    ("Disk D:", "disk", [
        ("disk free", "%", 15, 70), ("read latency", "ms", 1, 20), ("write latency", "ms", 1, 30),
        ("queue length", "", 0, 4)]),
    ("eRačun servis", "integration", [
        ("answer time", "ms", 80, 900), ("queue", "", 0, 30), ("failed today", "", 0, 3),
        ("certificate days left", "d", 20, 300)]),
    ("Licencni poslužitelj", "licence_server", [
        ("answer time", "ms", 5, 60), ("seats free", "", 2, 40), ("named users", "", 30, 60),
        ("days to expiry", "d", 30, 365)]),
]  # fmt: skip
CHECKS_PER_INSTALLATION = sum(len(checks) for _name, _kind, checks in COMPONENTS)


# --- Data (in a child process connected to the bench database) ----------------------------------------------


def monitoring_data(*, stored: int, organizations: int, customers: int = 200, out=print) -> dict:
    """Generate the status pages' data and the ingestion's installations; what the measurements need."""
    from helpdesk.celery import app

    # What ingestion enqueues (the critical components' cases and notifications) is queued in this process's
    # memory and never run, as a web process hands it to the broker: no e-mail leaves the benchmark.
    saved = app.conf.task_always_eager, app.conf.broker_url
    app.conf.task_always_eager, app.conf.broker_url = False, "memory://localhost/"
    try:
        return _monitoring_data(stored=stored, organizations=organizations, customers=customers, out=out)
    finally:
        app.conf.task_always_eager, app.conf.broker_url = saved


def _monitoring_data(*, stored: int, organizations: int, customers: int, out) -> dict:
    from monitoring import services
    from monitoring.models import Check, Component, Installation

    from .people import people_create

    rng = random.Random(11)
    started = time.monotonic()
    with transaction.atomic():
        people = people_create(rng, organizations, customers=customers)
        installations = Installation.objects.bulk_create(
            Installation(organization=organization, name=name, environment=environment)
            for organization in people.organizations
            for name, environment in (("Produkcija", "production"), ("Test", "test"))
        )
        components = Component.objects.bulk_create(
            Component(installation=installation, name=name, kind=kind)
            for installation in installations
            for name, kind, _checks in COMPONENTS
        )
        checks_of = {name: checks for name, _kind, checks in COMPONENTS}
        Check.objects.bulk_create(
            Check(component=component, name=name, unit=unit, interval=int(INTERVAL.total_seconds()))
            for component in components
            for name, unit, _low, _high in checks_of[component.name]
        )
    out(f"  {len(people.organizations)} organizations, {len(installations)} installations, "
        f"{len(installations) * CHECKS_PER_INSTALLATION:,} checks")  # fmt: skip
    now = timezone.now().replace(second=0, microsecond=0)
    results_started = time.monotonic()
    per_check = _results_generate(stored, now, out)
    results_seconds = time.monotonic() - results_started
    # The newest round of every installation through the ingestion service: the current state as agents
    # leave it, three components critical (their incidents open) and some warnings.
    red = set(rng.sample(range(len(installations)), 3))
    for index, installation in enumerate(installations):
        services.results_ingest(
            installation=installation, results=_round(installation, now, rng, critical=index in red)
        )
    tokens = _ingest_installations(out)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    first = people.organizations[0]
    return {
        "stored": stored,
        "results": (per_check + 1) * len(installations) * CHECKS_PER_INSTALLATION,
        "per_check": per_check,
        "installations": len(installations),
        # The organization's SYS_ADMIN, whose role is to watch its installations (bench.people: position 5).
        "customer": people.customers[first.pk][5].email,
        "consultant": people.consultants[0].email,
        "installation_id": installations[0].pk,
        "check_id": Check.objects.filter(component__installation=installations[0]).order_by("pk").first().pk,
        "tokens": tokens,
        "results_seconds": round(results_seconds, 1),
        "seconds": round(time.monotonic() - started, 1),
    }


def _round(installation, now, rng, *, critical: bool) -> list[dict]:
    from monitoring.models import Status

    results = []
    for position, (component, kind, checks) in enumerate(COMPONENTS):
        for name, unit, low, high in checks:
            status = Status.OK
            if critical and position == 0 and name == "connect time":
                status = Status.CRITICAL
            elif rng.random() < 0.03:
                status = Status.WARNING
            value = rng.uniform(low, high)
            results.append({"component": component, "check": name, "status": status, "value": value,
                            "unit": unit, "message": "", "measured_at": now, "kind": kind})  # fmt: skip
    return results


def _results_generate(stored: int, now: datetime, out) -> int:
    """`stored` results (rounded up to whole rounds of every check) in one INSERT ... SELECT over
    generate_series, time-ordered (as agents write them), with the table's indexes and foreign key dropped
    during the load and made again after it. Returns the results per check."""
    from monitoring.models import Check

    checks = Check.objects.count()
    per_check = max(1, math.ceil(stored / checks))
    with connection.cursor() as cursor:
        restore = _secondary_drop(cursor, RESULT_TABLE)
        started = time.monotonic()
        # Mostly OK; a value in the check's usual range; 2 % warnings. Rounds every 5 minutes back from the
        # round before `now` (which the ingestion service writes).
        cursor.execute(
            f"""
            INSERT INTO {RESULT_TABLE} (check_item_id, status, value, unit, message, measured_at)
            SELECT c.id, CASE WHEN random() < 0.02 THEN 2 ELSE 0 END, round((random() * 100)::numeric, 2),
                   c.unit, '', %s - n * %s
            FROM generate_series(%s, 1, -1) AS n CROSS JOIN monitoring_check c
            """,  # noqa: S608  (a constant table name)
            [now, INTERVAL, per_check],
        )
        inserted = time.monotonic()
        cursor.execute("SET maintenance_work_mem = '512MB'")
        for statement in restore:
            cursor.execute(statement)
        cursor.execute("RESET maintenance_work_mem")
    out(
        f"  {per_check * checks:,} results ({per_check:,} per check, every 5 minutes): inserted in "
        f"{inserted - started:.0f} s, indexes and foreign key in {time.monotonic() - inserted:.0f} s"
    )
    return per_check


def _secondary_drop(cursor, table: str) -> list[str]:
    """Drop the table's foreign keys, unique constraints and other indexes (not its primary key); the SQL
    that makes them again."""
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype IN ('f', 'u')",
        [table],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
        "WHERE x.indrelid = %s::regclass AND NOT x.indisprimary "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)",
        [table],
    )
    indexes = cursor.fetchall()
    restore = []
    for name, definition in constraints:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        restore.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    for name, definition in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
        restore.insert(0, definition)
    return restore


def _ingest_installations(out) -> list[str]:
    """The organization whose installations receive the ingestion load; a token each (raw, bench data)."""
    from accounts.models import Organization
    from monitoring import services
    from monitoring.models import Installation

    from .people import _oib

    organization = Organization.objects.create(name=INGEST_ORGANIZATION, oib=_oib(999_999), address="Bench")
    tokens = []
    for number in range(INGEST_INSTALLATIONS):
        installation = Installation.objects.create(organization=organization, name=f"Ingest {number + 1}")
        _token, raw = services.token_create(installation=installation, name="bench", by=None)
        tokens.append(raw)
    out(f"  {INGEST_INSTALLATIONS} installations with a token each for the ingestion load")
    return tokens


def ingest_undo() -> int:
    """Delete what earlier ingestion runs stored (the ingest organization's results), so every run starts
    from the generated data."""
    from monitoring.models import Result

    deleted, _by_model = Result.objects.filter(
        check_item__component__installation__organization__name=INGEST_ORGANIZATION
    ).delete()
    return deleted


def ingest_count() -> int:
    from monitoring.models import Result

    return Result.objects.filter(
        check_item__component__installation__organization__name=INGEST_ORGANIZATION
    ).count()


# --- The status pages, in-process ---------------------------------------------------------------------------


class Page:
    method, expected = "GET", 200

    def __init__(self, key: str, label: str, persona: str, path: str, target: bool):
        self.key, self.label, self.persona, self.path, self.target = key, label, persona, path, target


def pages(facts: dict) -> list[Page]:
    from django.urls import reverse

    check = reverse("monitoring:check-history", args=[facts["check_id"]])
    return [
        Page("overview", "Status page /monitoring/", "customer", reverse("monitoring:overview"), True),
        Page("overview-staff", "Status page, every customer", "consultant", reverse("monitoring:overview"),
             True),
        Page("installation", "Installation page", "customer",
             reverse("monitoring:installation", args=[facts["installation_id"]]), False),
        Page("history-24h", "Check history, 24 h", "customer", f"{check}?range=24h", False),
        Page("history-30d", "Check history, 30 days", "customer", f"{check}?range=30d", False),
    ]  # fmt: skip


def pages_measure(facts: dict, requests: int, only: set[str] | None = None, out=print) -> dict:
    from accounts.models import User

    from .measure import _client, page_measure

    # Signed in past the second factor where the user needs one (staff).
    clients = {
        "customer": _client(User.objects.get(email=facts["customer"])),
        "consultant": _client(User.objects.get(email=facts["consultant"])),
    }
    figures = {}
    for page in pages(facts):
        if only and page.key not in only:
            continue
        figures[page.key] = page_measure(clients[page.persona], page, page.path, {}, requests)
        if "error" not in figures[page.key]:
            figures[page.key]["cpu_p95_ms"] = _cpu_p95(clients[page.persona], page.path, requests)
        out(f"  {page.key}: {figures[page.key]}")
    return figures


def _cpu_p95(client, path: str, requests: int) -> float:
    """p95 of the CPU a request costs, this process's and its PostgreSQL backend's: unlike its time, hardly
    a matter of how many other processes wait for the cores."""
    import psutil

    connection.ensure_connection()
    backend = psutil.Process(connection.connection.info.backend_pid)
    spent = []
    for _ in range(requests):
        python, database = time.process_time(), backend.cpu_times()
        client.get(path)
        after = backend.cpu_times()
        database_s = after.user + after.system - database.user - database.system
        spent.append((time.process_time() - python + database_s) * 1000)
    return round(percentile(spent, 0.95), 1)


# --- The ingestion load (in the parent process, against gunicorn) -------------------------------------------


def _fragments() -> list[tuple[str, str]]:
    """Each ingest check's result as JSON around its measured_at: (before, after)."""
    kinds = ["database", "application_server", "backup", "disk", "service", "integration", "licence_server"]
    fragments = []
    for component in range(INGEST_COMPONENTS):
        for check in range(INGEST_CHECKS):
            before = json.dumps(
                {
                    "component": f"Component {component + 1}",
                    "check": f"check {check + 1}",
                    "status": "WARNING" if (component, check) == (3, 7) else "OK",
                    "value": 40.0 + check,
                    "unit": "%",
                    "message": "measured by the bench",
                    "kind": kinds[component % len(kinds)],
                    "interval": 60,
                    "measured_at": "",
                }  # fmt: skip
            )
            fragments.append((before[:-2], '"}'))  # before ends with measured_at's opening quote
    return fragments


def batch_body(fragments, started: datetime, number: int) -> bytes:
    """Batch `number`: every check at BATCH // len(fragments) times of its own, milliseconds apart from
    those of every other batch (no duplicate, and every batch newer than the last run's)."""
    times = BATCH // len(fragments)
    stamps = [
        (started + timedelta(milliseconds=number * times + offset)).isoformat() for offset in range(times)
    ]
    items = [before + stamp + after for stamp in stamps for before, after in fragments]
    return ('{"results": [' + ",".join(items) + "]}").encode()


def server_processes(gunicorn_pid: int, settings_dict, database_name: str) -> dict:
    """The processes that serve the load: gunicorn's workers and the PostgreSQL backends of the database."""
    import psutil

    from .database import admin_connect

    with admin_connect(settings_dict) as admin:
        pids = admin.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND backend_type = 'client backend'",
            [database_name],
        ).fetchall()
    return {
        "gunicorn": psutil.Process(gunicorn_pid).children(),
        "postgres": [psutil.Process(pid) for (pid,) in pids],
    }


def _cpu_seconds(processes: dict) -> dict:
    import psutil

    seconds = {}
    for name, group in processes.items():
        total = 0.0
        for process in group:
            try:
                times = process.cpu_times()
            except psutil.Error:  # ended meanwhile
                continue
            total += times.user + times.system
        seconds[name] = total
    return seconds


def ingest_run(port: int, tokens: list[str], *, duration: float, connections: int, processes=None) -> dict:
    """`connections` threads post batches for `duration` seconds, each batch with the next token; the
    figures: batches, results accepted, duplicates, errors, results/s, batch p50/p95/max, and when
    `processes()` gives the server's processes (server_processes), their CPU time per batch."""
    import http.client

    fragments = _fragments()
    started_at = datetime.now(UTC) - timedelta(seconds=30)
    numbers = itertools.count()
    latencies, accepted, duplicates, errors = [], [], [], []
    warm_up = 0
    for token in tokens:  # each installation's components and checks exist before the timing starts
        status, answer = _post(port, token, batch_body(fragments, started_at, next(numbers)))
        if status != 201:
            raise BenchError(f"The warm-up batch was refused: HTTP {status} {answer[:300]!r}")
        warm_up += json.loads(answer)["accepted"]
    deadline = time.monotonic() + duration

    def worker():
        while time.monotonic() < deadline:
            number = next(numbers)
            body = batch_body(fragments, started_at, number)
            began = time.perf_counter()
            try:
                status, answer = _post(port, tokens[number % len(tokens)], body)
            except (OSError, http.client.HTTPException) as error:
                status, answer = 0, str(error).encode()
            latencies.append((time.perf_counter() - began) * 1000)
            if status == 201:
                outcome = json.loads(answer)
                accepted.append(outcome["accepted"])
                duplicates.append(outcome["duplicates"])
            else:
                errors.append(f"HTTP {status}: {answer[:200]!r}")

    serving = processes() if processes else {}
    server_before = _cpu_seconds(serving)
    cpu_before = _cpu_times()
    began = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.monotonic() - began
    cpu_busy = _cpu_busy(cpu_before)
    server_cpu = {
        name: round((spent - server_before[name]) * 1000 / max(1, len(latencies)), 1)
        for name, spent in _cpu_seconds(serving).items()
    }
    if not latencies:
        raise BenchError("No batch was sent.")
    return {
        "batches": len(latencies),
        "accepted": sum(accepted),
        "warm_up_accepted": warm_up,
        "duplicates": sum(duplicates),
        "errors": len(errors),
        "error_samples": errors[:5],
        "seconds": round(seconds, 1),
        "results_per_second": round(sum(accepted) / seconds),
        "p50_ms": round(percentile(latencies, 0.5), 1),
        "p95_ms": round(percentile(latencies, 0.95), 1),
        "max_ms": round(max(latencies), 1),
        "cpu_busy": cpu_busy,
        "cpu_ms_per_batch": server_cpu,  # {"gunicorn": ms, "postgres": ms}
        "connections": connections,
    }


def _post(port: int, token: str, body: bytes) -> tuple[int, bytes]:
    import http.client

    client = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        client.request(
            "POST",
            "/api/monitoring/results/",
            body=body,
            headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
        )
        response = client.getresponse()
        return response.status, response.read()
    finally:
        client.close()


def _cpu_times():
    from .billing import _cpu_times

    return _cpu_times()


def _cpu_busy(before):
    from .billing import _cpu_busy

    return _cpu_busy(before)


# --- The report ---------------------------------------------------------------------------------------------


def monitoring_report(
    *, meta: dict, ingest: dict | None, page_figures: dict | None, load_before: str, load_after: str
) -> str:
    """The run in markdown, for PERFORMANCE.md."""
    from .report import git_revision, machine

    facts = meta["facts"]
    lines = [
        f"## Monitoring: ingestion and the status page ({timezone.localtime():%Y-%m-%d %H:%M %Z})",
        "",
        f"- Machine: {machine()}; load average {load_before} before, {load_after} after",
        f"- Data: {facts['results']:,} results stored ({facts['per_check']:,} per check of "
        f"{facts['installations']} installations), generated {meta.get('generated_at', '?')} in "
        f"{meta.get('generate_seconds', '?')} s (the results themselves {facts['results_seconds']} s)",
        f"- Code: git {git_revision()}",
        "",
    ]
    if ingest:
        met = (
            ingest["results_per_second"] >= TARGET_RESULTS_PER_SECOND
            and ingest["p95_ms"] <= TARGET_BATCH_P95_MS
            and not ingest["errors"]
        )
        cpu = f"{ingest['cpu_busy']:.0%}" if ingest.get("cpu_busy") is not None else "-"
        lines += [
            f"Ingestion: gunicorn, 2 sync workers, {ingest['connections']} connections posting batches of "
            f"{BATCH} for {ingest['seconds']} s over {INGEST_INSTALLATIONS} installations' tokens",
            "",
            "| batches | results accepted | duplicates | errors | results/s | batch p50 ms | batch p95 ms | "
            "max ms | CPU busy | target ≥ 10,000/s, p95 ≤ 200 ms |",
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
            f"| {ingest['batches']:,} | {ingest['accepted']:,} | {ingest['duplicates']} | "
            f"{ingest['errors']} | "
            f"**{ingest['results_per_second']:,}** | {ingest['p50_ms']} | **{ingest['p95_ms']}** | "
            f"{ingest['max_ms']} | {cpu} | {'met' if met else 'missed'} |",
            "",
        ]
        spent = ingest.get("cpu_ms_per_batch") or {}
        if spent.get("gunicorn") and spent.get("postgres"):
            per_batch = spent["gunicorn"] + spent["postgres"]
            lines += [
                f"CPU per batch of {BATCH}: {spent['gunicorn']} ms in the gunicorn workers (Python), "
                f"{spent['postgres']} ms in their PostgreSQL backends; two otherwise idle cores could take "
                f"about {2000 / per_batch * BATCH:,.0f} results/s.",
                "",
            ]
    if page_figures:
        lines += [
            "Pages in-process (Django's test client, production settings): 'first' the first request, "
            "p50/p95 the server time, 'p95 CPU' the CPU a request takes in this process and its PostgreSQL "
            "backend (which depends less on the machine's other work):",
            "",
            "| page | as | first ms | p50 ms | p95 ms | p95 CPU ms | queries "
            "| target p95 ≤ 50 ms, ≤ 12 queries |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |",
        ]
        for page in pages(facts):
            figures = page_figures.get(page.key) or {"error": "not measured"}
            if "error" in figures:
                lines.append(f"| {page.label} | {page.persona} | - | - | - | - | - | {figures['error']} |")
                continue
            verdict = "-"
            if page.target:
                good = figures["p95_ms"] <= TARGET_PAGE_P95_MS and figures["queries"] <= TARGET_PAGE_QUERIES
                verdict = "met" if good else "missed"
            lines.append(
                f"| {page.label} | {page.persona} | {figures['first_ms']} | {figures['p50_ms']} | "
                f"**{figures['p95_ms']}** | {figures.get('cpu_p95_ms', '-')} | {figures['queries']} | "
                f"{verdict} |"
            )
        lines.append("")
    return "\n".join(lines)
