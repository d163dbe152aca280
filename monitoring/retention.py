"""Retention: raw results are kept MONITORING_RESULT_RETENTION_DAYS (30), then folded into hourly rollups
(count, minimum, maximum, average, worst state per check and hour), which are kept
MONITORING_ROLLUP_RETENTION_DAYS (2 years). The hourly beat task works in bounded batches until done or
out of its time budget; the next run goes on where it stopped.

A batch deletes its raw rows and merges them into the rollups in one statement, so an interrupted run loses
or counts nothing twice, and a run repeated finds nothing left to fold. Rows of an hour already folded (a
batch boundary inside an hour, or an agent's late backlog) merge into its rollup: counts add up, minimum
and maximum widen, the worst state stays the worst, and the averages are weighted by their result counts
(exact for a check that always or never reports a value)."""

import time
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction

BATCH_SIZE = 5000
# The task's soft time limit is 60 s (CELERY_TASK_SOFT_TIME_LIMIT); a batch takes well under a second.
BUDGET_SECONDS = 40

FOLD_SQL = """
WITH doomed AS (
    DELETE FROM monitoring_result WHERE id IN (
        SELECT id FROM monitoring_result WHERE measured_at < %(cutoff)s
        LIMIT %(batch_size)s FOR UPDATE SKIP LOCKED
    )
    RETURNING check_item_id, status, value, measured_at
), hourly AS (
    SELECT check_item_id,
           date_trunc('hour', measured_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS hour,
           count(*) AS count, min(value) AS minimum, max(value) AS maximum, avg(value) AS average,
           max(status) AS worst_status
    FROM doomed GROUP BY 1, 2
), merged AS (
    INSERT INTO monitoring_hourlyrollup AS rollup
        (check_item_id, hour, count, minimum, maximum, average, worst_status)
    SELECT check_item_id, hour, count, minimum, maximum, average, worst_status FROM hourly
    ON CONFLICT (check_item_id, hour) DO UPDATE SET
        count = rollup.count + excluded.count,
        minimum = LEAST(rollup.minimum, excluded.minimum),
        maximum = GREATEST(rollup.maximum, excluded.maximum),
        average = CASE
            WHEN rollup.average IS NULL THEN excluded.average
            WHEN excluded.average IS NULL THEN rollup.average
            ELSE (rollup.average * rollup.count + excluded.average * excluded.count)
                 / (rollup.count + excluded.count)
        END,
        worst_status = GREATEST(rollup.worst_status, excluded.worst_status)
    RETURNING 1
)
SELECT (SELECT count(*) FROM doomed), (SELECT count(*) FROM merged)
"""

EXPIRE_SQL = """
DELETE FROM monitoring_hourlyrollup WHERE id IN (
    SELECT id FROM monitoring_hourlyrollup WHERE hour < %(cutoff)s LIMIT %(batch_size)s FOR UPDATE SKIP LOCKED
)
"""


@dataclass
class RetentionOutcome:
    folded: int = 0  # raw results folded into rollups and deleted
    rollups_expired: int = 0
    batches: list[int] = field(default_factory=list)  # the raw rows of each folding batch
    finished: bool = True  # False: the time budget ran out with work left


def fold_cutoff(now):
    """Raw results before this are folded: whole hours only, so an hour is folded in one run."""
    cutoff = now - timedelta(days=settings.MONITORING_RESULT_RETENTION_DAYS)
    return cutoff.replace(minute=0, second=0, microsecond=0)


def rollup_cutoff(now):
    return now - timedelta(days=settings.MONITORING_ROLLUP_RETENTION_DAYS)


def retention_apply(
    *, now, batch_size: int = BATCH_SIZE, budget_seconds: float = BUDGET_SECONDS
) -> RetentionOutcome:
    """Fold the old raw results into hourly rollups and delete them, then delete the expired rollups, each
    in batches of at most `batch_size` rows, until done or out of time."""
    outcome = RetentionOutcome()
    deadline = time.monotonic() + budget_seconds
    params = {"cutoff": fold_cutoff(now), "batch_size": batch_size}
    while True:
        if time.monotonic() >= deadline:
            outcome.finished = False
            return outcome
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(FOLD_SQL, params)
            folded, _rollups = cursor.fetchone()
        if folded:
            outcome.batches.append(folded)
            outcome.folded += folded
        if folded < batch_size:
            break
    params = {"cutoff": rollup_cutoff(now), "batch_size": batch_size}
    while True:
        if time.monotonic() >= deadline:
            outcome.finished = False
            return outcome
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(EXPIRE_SQL, params)
            expired = cursor.rowcount
        outcome.rollups_expired += expired
        if expired < batch_size:
            return outcome
