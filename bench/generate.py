"""Fill a database with generated cases: people through the ORM, cases, events and watchers through COPY.

Loading follows PostgreSQL's advice for bulk loads: secondary indexes and foreign keys of the three big
tables are dropped first and made again at the end (one pass over sorted data instead of millions of single
inserts), cases go through a temporary table so each row is written once with its full-text vector, computed
in SQL from the title, the description and the events' public reply bodies as services.case_reply does.
"""

import random
import time
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from cases.models import Case, CaseNumber, Category
from helpdesk.fulltext import SEARCH_CONFIG
from releases.models import Module

from .people import people_create
from .timeline import CASE_COLUMNS, EVENT_COLUMNS, SPAN_DAYS, WATCHER_COLUMNS, CaseRows, span_start

BIG_TABLES = ["cases_case", "cases_caseevent", "cases_casewatcher"]
BATCH = 10_000


@dataclass
class Facts:
    """What the measurements need to know about the generated data."""

    cases: int
    events: int
    dispatcher: str
    consultant: str
    customer: str
    detail_reference: str
    seconds: float
    last_case_id: int = 0  # the measurements' own cases come after it, and are deleted after each run
    numbers: dict | None = None  # CaseNumber rows as generated: year -> last number

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def _next_id(cursor, table: str) -> int:
    cursor.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}")  # noqa: S608  (a constant name)
    return cursor.fetchone()[0]


def _drop_secondary(cursor) -> list[str]:
    """Drop the foreign keys and non-unique indexes of the big tables; return the SQL that makes them
    again."""
    restore = []
    for table in BIG_TABLES:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'f'",
            [table],
        )
        for name, definition in cursor.fetchall():
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            restore.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        cursor.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
            "WHERE indrelid = %s::regclass AND NOT indisprimary AND NOT indisunique",
            [table],
        )
        for name, definition in cursor.fetchall():
            cursor.execute(f"DROP INDEX {name}")
            restore.insert(0, definition)  # indexes before foreign keys: their checks use them
    return restore


def _copy(cursor, table: str, columns: str, rows: list[tuple]) -> None:
    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _cases_insert(cursor) -> None:
    """Move the cases from the load table, each with its search vector (never internal notes)."""
    cursor.execute(
        f"INSERT INTO cases_case ({CASE_COLUMNS}, search_vector) "  # noqa: S608  (constant names)
        f"SELECT {', '.join('l.' + c.strip() for c in CASE_COLUMNS.split(','))}, "
        "setweight(to_tsvector(%(config)s::regconfig, l.title), 'A') "
        "|| setweight(to_tsvector(%(config)s::regconfig, l.description), 'B') "
        "|| coalesce(setweight(to_tsvector(%(config)s::regconfig, r.replies), 'C'), ''::tsvector) "
        "FROM bench_case_load l LEFT JOIN ("
        "  SELECT case_id, string_agg(body, ' ' ORDER BY created_at, id) AS replies FROM cases_caseevent"
        "  WHERE kind = 'reply' AND NOT is_internal GROUP BY case_id"
        ") r ON r.case_id = l.id ORDER BY l.id",
        {"config": SEARCH_CONFIG},
    )


def _load(cursor, rows: CaseRows, cases: int, now, out) -> tuple[int, str]:
    """Stream every case, event and watcher; return the number of events and the detail case's reference."""
    cursor.execute(
        "CREATE TEMPORARY TABLE bench_case_load (LIKE cases_case INCLUDING DEFAULTS) ON COMMIT DROP"
    )
    start = span_start(now)
    step = (SPAN_DAYS * 86400 - 300) / cases
    detail_at = min(cases - 1, int(cases * 0.995))
    events_total, detail_reference, started = 0, "", time.monotonic()
    for first in range(0, cases, BATCH):
        count = min(BATCH, cases - first)
        case_rows, events, watchers = rows.batch(count, start, step, detail_at, first)
        if first <= detail_at < first + count:
            detail_reference = case_rows[detail_at - first][1]
        _copy(cursor, "bench_case_load", CASE_COLUMNS, case_rows)
        _copy(cursor, "cases_caseevent", EVENT_COLUMNS, events)
        _copy(cursor, "cases_casewatcher", WATCHER_COLUMNS, watchers)
        events_total += len(events)
        done = first + count
        if done == cases or done % (BATCH * 10) == 0:
            out(f"  {done:,} cases, {events_total:,} events ({time.monotonic() - started:.0f} s)")
    return events_total, detail_reference


def _case_numbers(cursor, numbers: dict[int, int]) -> None:
    for year, last in numbers.items():
        cursor.execute(
            "INSERT INTO cases_casenumber (year, last_number) VALUES (%s, %s) "
            "ON CONFLICT (year) DO UPDATE SET last_number = EXCLUDED.last_number",
            [year, last],
        )


def _sequences_reset(cursor) -> None:
    for table in BIG_TABLES:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT max(id) FROM {table}))",  # noqa: S608
            [table],
        )


def generate(
    *,
    cases: int,
    events_per_case: int = 4,
    organizations: int = 50,
    customers: int = 400,
    seed: int = 2026,
    vacuum: bool = True,
    out=print,
) -> Facts:
    """Generate `cases` cases (with `events_per_case` events each, one case with 50) and their people into
    the default database, freshly migrated (the bench database, or a test's). Ids and reference numbers
    continue after any cases already there. `vacuum` ends with VACUUM ANALYZE, which cannot run inside a
    transaction (a test's)."""
    started = time.monotonic()
    rng = random.Random(seed)
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
        people = people_create(rng, organizations, customers)
        members = sum(map(len, people.customers.values()))
        out(f"  {len(people.organizations)} organizations, {members} customers")
        categories = {category.code: category for category in Category.objects.all()}
        modules = list(Module.objects.order_by("pk"))
        first_ids = tuple(_next_id(cursor, table) for table in BIG_TABLES)
        numbers = dict(CaseNumber.objects.values_list("year", "last_number"))
        rows = CaseRows(
            rng,
            people,
            categories,
            modules,
            now=now,
            first_ids=first_ids,
            numbers=numbers,
            events_per_case=events_per_case,
            text_pool=min(4000, max(200, cases)),
        )
        restore = _drop_secondary(cursor)
        events, detail_reference = _load(cursor, rows, cases, now, out)
        step = time.monotonic()
        _cases_insert(cursor)
        out(f"  search vectors and cases written ({time.monotonic() - step:.0f} s)")
        step = time.monotonic()
        for statement in restore:
            cursor.execute(statement)
        out(f"  indexes and foreign keys made again ({time.monotonic() - step:.0f} s)")
        _case_numbers(cursor, rows.numbers)
        _sequences_reset(cursor)
    if vacuum:
        step = time.monotonic()
        with connection.cursor() as cursor:
            # Sets hint bits and the visibility map now, as a long-lived database has them.
            cursor.execute(f"VACUUM (ANALYZE) {', '.join(BIG_TABLES)}")
            cursor.execute("ANALYZE")
        out(f"  vacuumed and analyzed ({time.monotonic() - step:.0f} s)")
    return Facts(
        cases=cases,
        events=events,
        dispatcher=people.dispatcher.email,
        consultant=people.consultants[0].email,
        customer=people.customer.email,
        detail_reference=detail_reference,
        seconds=round(time.monotonic() - started, 1),
        last_case_id=rows.case_id - 1,
        numbers={str(year): last for year, last in rows.numbers.items()},
    )


@transaction.atomic
def measurements_undo(*, last_case_id: int, numbers: dict) -> int:
    """Delete the cases that measuring created (creating a case is one of the pages), with everything that
    hangs on them, and restore the reference numbers: every run then measures the same data."""
    deleted, _per_model = Case.objects.filter(pk__gt=last_case_id).delete()
    for year, last in numbers.items():
        CaseNumber.objects.filter(year=int(year)).update(last_number=last)
    return deleted
