"""`python -m bench --billing`: last month's statements of 1,000 organizations (50 time entries each),
made by a real Celery worker (prefork, 2 processes) exactly as on the 1st of a month: the beat task fans out
one task per organization, each computes the statement's lines, renders its PDF with WeasyPrint, stores it
and tells the approvers (in-app and by e-mail, to a local SMTP server that keeps nothing). Timed from sending
the beat task until the last statement has its PDF and every approver their notification.

The data is made in the bench's own database like the case benchmark's (bench/database.py): organizations,
members and cases by bench/generate.py, then contracts through bulk_create and the time entries with COPY.
The worker runs on a queue of the run's own (bench/worker_settings.py) and writes its PDFs to a temporary
MEDIA_ROOT, never to the portal's files.
"""

import logging
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from . import BenchError
from .generate import _copy, generate

CASES_PER_ORGANIZATION = 5
ENTRY_COLUMNS = (
    "consultant_id, organization_id, case_id, date, minutes, is_billable, description, internal_note, "
    "statement_id, created_at, updated_at"
)
WORKER_READY_SECONDS = 60


# --- The data -----------------------------------------------------------------------------------------------


def billing_data(
    *, organizations: int, entries: int, seed: int = 2026, vacuum: bool = True, out=print
) -> dict:
    """Organizations with members and cases (bench/generate.py), a contract each, `entries` time entries
    each in last month and a travel charge for every tenth; into the default database (the bench's, or a
    test's)."""
    from accounts.models import Organization, User
    from accounts.roles import StaffGroup
    from billing.demo_texts import CASE_WORK, GENERAL_WORK, TRAVEL
    from billing.models import OtherCharge, SupportContract, TimeEntry
    from billing.money import month_end, previous_month
    from cases.models import Case

    started = time.monotonic()
    generate(
        cases=organizations * CASES_PER_ORGANIZATION,
        organizations=organizations,
        customers=organizations,
        seed=seed,
        vacuum=False,
        out=out,
    )
    rng = random.Random(seed)
    period = previous_month(timezone.localdate())
    with transaction.atomic():
        orgs = list(Organization.objects.order_by("pk").values_list("pk", "language"))
        consultants = list(
            User.objects.filter(groups__name=StaffGroup.CONSULTANT)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        cases: dict[int, list[tuple[int, str, str]]] = {}
        for case_id, organization_id, category, module_hr, module_en in Case.objects.order_by(
            "organization_id", "-created_at"
        ).values_list("pk", "organization_id", "category__code", "module__name_hr", "module__name_en"):
            cases.setdefault(organization_id, []).append(
                (case_id, category, module_hr or "ERP", module_en or "ERP")
            )
        SupportContract.objects.bulk_create(
            SupportContract(
                organization_id=organization_id,
                valid_from=_months_before(period, 11),
                monthly_fee=Decimal(rng.choice([150, 290, 450, 520, 890, 1200])),
                included_hours=Decimal(rng.choice([2, 5, 8, 10, 16, 20])),
                hourly_rate=Decimal(rng.choice([45, 52, 55, 58, 65, 75])),
                sla_tier=rng.choice(list(SupportContract.SlaTier)),
            )
            for organization_id, _language in orgs
        )
        rows = []
        now = timezone.now()
        days = [period + timedelta(days=n) for n in range((month_end(period) - period).days + 1)]
        working_days = [day for day in days if day.weekday() < 5]
        for organization_id, language in orgs:
            own_cases = cases.get(organization_id, [])[:CASES_PER_ORGANIZATION]
            for _number in range(entries):
                case_id, description = None, None
                if own_cases and rng.random() < 0.85:
                    case_id, category, module_hr, module_en = rng.choice(own_cases)
                    hr, en = rng.choice(CASE_WORK.get(category, CASE_WORK["other"]))
                    description = (en if language == "en" else hr).format(
                        module=module_en if language == "en" else module_hr, version="2026.4.1"
                    )
                    minutes = rng.choice([15, 30, 30, 45, 60, 60, 90, 120, 180])
                else:
                    minutes, hr, en, _every = rng.choice(GENERAL_WORK)
                    description = en if language == "en" else hr
                rows.append(
                    (
                        rng.choice(consultants),
                        organization_id,
                        case_id,
                        rng.choice(working_days),
                        minutes,
                        rng.random() < 0.92,
                        description,
                        "",
                        None,
                        now,
                        now,
                    )
                )
        with connection.cursor() as cursor:
            _copy(cursor, TimeEntry._meta.db_table, ENTRY_COLUMNS, rows)
        travel_hr, travel_en, amount = TRAVEL
        OtherCharge.objects.bulk_create(
            OtherCharge(
                organization_id=organization_id,
                date=working_days[len(working_days) // 2],
                description=travel_en if language == "en" else travel_hr,
                quantity=Decimal(1),
                unit_price=Decimal(amount),
            )
            for organization_id, language in orgs[::10]
        )
    if vacuum:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    out(f"  {len(orgs):,} contracts, {len(rows):,} time entries in {period:%m/%Y}")
    return {
        "organizations": len(orgs),
        "entries": len(rows),
        "period": period.isoformat(),
        "seconds": round(time.monotonic() - started, 1),
    }


def last_month() -> date:
    """The month the run's statements are for: the one before today's, as on the 1st of a month."""
    from billing.money import previous_month

    return previous_month(timezone.localdate())


def _months_before(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


# --- The run (in a process whose Celery app sends to the worker's queue) ------------------------------------


def results_undo() -> int:
    """Forget what an earlier run made (statements, their lines and notifications, sent outbox rows), so that
    every run generates the same statements."""
    from billing.models import OtherCharge, Statement, TimeEntry
    from helpdesk.models import AuditEvent, Notification, OutboxMessage
    from helpdesk.services import audit_trail_unlocked

    with audit_trail_unlocked():
        TimeEntry.objects.exclude(statement=None).update(statement=None)
        OtherCharge.objects.exclude(statement=None).update(statement=None)
        Notification.objects.filter(verb="statement.ready").delete()
        AuditEvent.objects.filter(target_type="billing.statement").delete()
        OutboxMessage.objects.all().delete()
        deleted, _by_model = Statement.objects.all().delete()
    return deleted


def statements_run(*, timeout: float = 900, out=print) -> dict:
    """Send the monthly beat task to the broker and wait until every organization with a contract has last
    month's statement with its PDF and every approver their notification; the figures of the run."""
    from billing.models import Statement
    from billing.money import previous_month
    from billing.selectors import APPROVE_PERM, organizations_with_contract_in
    from billing.tasks import statements_monthly
    from helpdesk.models import Notification
    from helpdesk.permissions import users_with_perm

    period = previous_month(timezone.localdate())
    organization_ids = list(organizations_with_contract_in(period).values_list("pk", flat=True))
    expected = len(organization_ids)
    recipients = users_with_perm(APPROVE_PERM, organization_ids).count()
    statements = Statement.objects.filter(period=period)
    ready = Notification.objects.filter(verb="statement.ready")
    cpu_before = _cpu_times()
    started = time.monotonic()
    statements_monthly.apply_async()
    first_pdf, last_report, pdfs, notified = None, started, 0, 0
    while True:
        pdfs = statements.exclude(pdf_sha256="").count()
        notified = ready.count()
        now = time.monotonic()
        if pdfs and first_pdf is None:
            first_pdf = now - started
        if pdfs >= expected and notified >= recipients:
            break
        if now - started > timeout:
            raise BenchError(
                f"Only {pdfs} of {expected} statements had their PDF and {notified} of {recipients} "
                f"approvers their notification after {timeout:.0f} s."
            )
        if now - last_report >= 10:
            out(f"  {pdfs:,} of {expected:,} statements with their PDF ({now - started:.0f} s)")
            last_report = now
        time.sleep(0.2)
    seconds = time.monotonic() - started
    cpu_busy = _cpu_busy(cpu_before)
    return {
        "period": period.isoformat(),
        "organizations": expected,
        "statements": statements.count(),
        "pdfs": pdfs,
        "notifications": notified,
        "lines": _line_count(statements),
        "seconds": round(seconds, 1),
        "first_pdf_seconds": round(first_pdf or 0, 1),
        "per_second": round(expected / seconds, 1),
        "cpu_busy": cpu_busy,
    }


def _line_count(statements) -> int:
    from billing.models import StatementLine

    return StatementLine.objects.filter(statement__in=statements).count()


def _cpu_times() -> list[int] | None:
    try:
        return [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except OSError:
        return None


def _cpu_busy(before: list[int] | None) -> float | None:
    """The share of the machine's CPU time spent working since `before` (idle and iowait are not work)."""
    after = _cpu_times()
    if before is None or after is None:
        return None
    spent = [a - b for a, b in zip(after, before, strict=False)]
    return round(1 - (spent[3] + spent[4]) / sum(spent), 3) if sum(spent) else None


# --- The worker and the mail server (in the parent process) -------------------------------------------------


class MailCounter:
    """An aiosmtpd handler that counts the messages it receives and keeps none."""

    def __init__(self):
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
        return "250 Message accepted for delivery"


@contextmanager
def smtp_sink():
    """An SMTP server on a free port of 127.0.0.1 that counts what it receives: (counter, port)."""
    try:
        from aiosmtpd.controller import Controller
    except ImportError as error:
        raise BenchError("The billing benchmark needs aiosmtpd (pip install -e '.[dev]').") from error
    from .load import _free_port

    # aiosmtpd logs every command of every session at INFO: thousands of lines around the figures.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    counter = MailCounter()
    controller = Controller(counter, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield counter, controller.port
    finally:
        controller.stop()


def worker_env(env: dict, *, redis_url: str, queue: str, smtp_port: int, media_root: str) -> dict:
    """The environment of the worker and of the process that sends its tasks: the bench database, the broker,
    the run's queue, the local SMTP server and a temporary MEDIA_ROOT (never S3)."""
    env = {key: value for key, value in env.items() if not key.startswith("S3_")}
    env.update(
        REDIS_URL=redis_url,
        BENCH_QUEUE=queue,
        DJANGO_SETTINGS_MODULE="bench.worker_settings",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_port),
        EMAIL_USE_TLS="0",
        MEDIA_ROOT=media_root,
    )
    return env


class Worker:
    """`celery worker` (prefork) for the duration of a `with` block, its log in a file; its CPU time (with its
    pool processes') is measured from the moment it is ready."""

    def __init__(self, env: dict, *, queue: str, concurrency: int, log_path: Path):
        self.env, self.queue, self.concurrency, self.log_path = env, queue, concurrency, log_path

    def __enter__(self):
        command = [
            sys.executable, "-m", "celery", "-A", "helpdesk", "worker",
            "--pool=prefork", f"--concurrency={self.concurrency}", "-Q", self.queue, "--loglevel=INFO",
            "--without-heartbeat", "--without-gossip", "--without-mingle",
        ]  # fmt: skip
        self.log = self.log_path.open("wb")
        self.process = subprocess.Popen(  # noqa: S603
            command, env=self.env, cwd=settings.BASE_DIR, stdout=self.log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + WORKER_READY_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            if " ready." in self.log_path.read_text(errors="replace"):
                self.cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
                return self
            time.sleep(0.2)
        self.__exit__()
        raise BenchError(f"The Celery worker did not start; its log:\n{self.tail()}")

    def __exit__(self, *exc_info):
        if self.process.poll() is None:
            self.process.terminate()  # a warm shutdown: running tasks finish
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def cpu_seconds(self) -> float:
        """CPU time of the worker and its pool since it was ready (after it has exited)."""
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        before = self.cpu_before
        return round(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, 1)

    def tail(self) -> str:
        return self.log_path.read_text(errors="replace")[-3000:]

    def errors(self) -> list[str]:
        """The log lines of failed tasks (a run must have none)."""
        lines = self.log_path.read_text(errors="replace").splitlines()
        return [line for line in lines if "ERROR" in line or "Traceback" in line]


def default_redis_url() -> str:
    return os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"


def queue_name() -> str:
    return f"bench-billing-{uuid.uuid4().hex[:12]}"


def queue_forget(redis_url: str, queue: str) -> None:
    """Delete the run's queue and its bindings from Redis."""
    import redis

    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(match=f"*{queue}*"):
        client.delete(key)


@contextmanager
def media_folder():
    with tempfile.TemporaryDirectory(prefix="bench-billing-media-") as folder:
        yield folder


def pdf_bytes(media_root: str) -> int:
    return sum(path.stat().st_size for path in Path(media_root).rglob("*.pdf"))


# --- The report ---------------------------------------------------------------------------------------------


def billing_report(figures: dict, *, meta: dict, concurrency: int, load_before: str, load_after: str) -> str:
    """The result in a few lines of markdown, for PERFORMANCE.md."""
    from .report import git_revision, machine

    target = "met" if figures["seconds"] <= 120 else "missed"
    cpu = f", CPU {figures['cpu_busy']:.0%} busy" if figures.get("cpu_busy") is not None else ""
    return "\n".join(
        [
            f"## Monthly statements: {figures['organizations']:,} organizations "
            f"({timezone.localtime():%Y-%m-%d %H:%M %Z})",
            "",
            f"- Machine: {machine()}; load average {load_before} before, {load_after} after{cpu}",
            f"- Data: {meta['facts']['entries']:,} time entries of {figures['period'][:7]} "
            f"({meta['facts']['entries'] // max(1, figures['organizations'])} per organization), generated "
            f"{meta.get('generated_at', '?')}",
            f"- Code: git {git_revision()}",
            f"- Worker: Celery prefork, concurrency {concurrency}, Redis broker on 127.0.0.1, a queue of its "
            "own",
            "",
            "| statements | with PDF | lines | notifications | e-mails | wall s | first PDF s | statements/s "
            "| worker CPU s | PDFs MB | target ≤ 120 s |",
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
            f"| {figures['statements']:,} | {figures['pdfs']:,} | {figures['lines']:,} | "
            f"{figures['notifications']:,} | {figures['mails']:,} | **{figures['seconds']:.1f}** | "
            f"{figures['first_pdf_seconds']:.1f} | {figures['per_second']:.1f} | "
            f"{figures['worker_cpu']:.0f} | {figures['pdf_bytes'] / 1e6:.1f} | {target} |",
            "",
            "*wall s*: from sending the beat task to the last PDF and notification; *worker CPU s*: user and "
            "system time of the worker and its pool processes over the run.",
            "",
        ]
    )
