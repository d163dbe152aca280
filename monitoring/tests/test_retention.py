"""Retention: raw results past 30 days folded into hourly rollups (count, minimum, maximum, average, worst
state) and deleted, in bounded batches, idempotently; rollups past 2 years deleted."""

from datetime import UTC, datetime, timedelta

import pytest

from monitoring import retention
from monitoring.models import Check, Component, HourlyRollup, Installation, Result, Status

NOW = datetime(2026, 12, 1, 12, 30, tzinfo=UTC)
OLD_HOUR = datetime(2026, 10, 1, 8, 0, tzinfo=UTC)  # 61 days before NOW


@pytest.fixture
def check(organization):
    installation = Installation.objects.create(organization=organization, name="Produkcija")
    component = Component.objects.create(installation=installation, name="Baza podataka")
    return Check.objects.create(component=component, name="disk free", unit="%")


def results_add(check, rows):
    """(minutes after OLD_HOUR, status, value) rows as raw results."""
    Result.objects.bulk_create(
        [
            Result(
                check_item=check,
                status=status,
                value=value,
                measured_at=OLD_HOUR + timedelta(minutes=minutes),
            )
            for minutes, status, value in rows
        ]
    )


def rollups(check) -> list[tuple]:
    return list(
        HourlyRollup.objects.filter(check_item=check)
        .order_by("hour")
        .values_list("hour", "count", "minimum", "maximum", "average", "worst_status")
    )


def test_old_results_fold_into_hourly_rollups_and_are_deleted(check):
    results_add(
        check,
        [
            (0, Status.OK, 1.0),
            (20, Status.WARNING, 2.0),
            (40, Status.OK, 6.0),
            (65, Status.CRITICAL, 10.0),  # the next hour
            (70, Status.UNKNOWN, None),  # no value: counted, not averaged
        ],
    )
    recent = Result.objects.create(
        check_item=check, status=Status.OK, value=5.0, measured_at=NOW - timedelta(days=29)
    )

    outcome = retention.retention_apply(now=NOW)

    assert (outcome.folded, outcome.finished) == (5, True)
    assert rollups(check) == [
        (OLD_HOUR, 3, 1.0, 6.0, 3.0, Status.WARNING),
        (OLD_HOUR + timedelta(hours=1), 2, 10.0, 10.0, 10.0, Status.CRITICAL),
    ]
    assert list(Result.objects.all()) == [recent]


def test_only_whole_hours_past_30_days_are_folded(check):
    cutoff_hour = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)  # NOW - 30 days, to the hour
    Result.objects.bulk_create(
        [
            Result(
                check_item=check, status=Status.OK, value=1.0, measured_at=cutoff_hour - timedelta(minutes=1)
            ),
            Result(
                check_item=check, status=Status.OK, value=1.0, measured_at=cutoff_hour + timedelta(minutes=1)
            ),
        ]
    )

    assert retention.retention_apply(now=NOW).folded == 1
    assert Result.objects.get().measured_at == cutoff_hour + timedelta(minutes=1)


def test_batches_are_bounded_and_their_parts_of_an_hour_merge_exactly(check):
    results_add(check, [(minute, Status.OK, float(minute)) for minute in range(0, 50, 10)])  # 0..40

    outcome = retention.retention_apply(now=NOW, batch_size=2)

    assert outcome.batches == [2, 2, 1]
    assert rollups(check) == [(OLD_HOUR, 5, 0.0, 40.0, 20.0, Status.OK)]
    assert Result.objects.count() == 0


def test_running_again_changes_nothing_and_a_late_result_merges(check):
    results_add(check, [(0, Status.OK, 2.0), (30, Status.OK, 4.0)])
    retention.retention_apply(now=NOW)
    first = rollups(check)

    again = retention.retention_apply(now=NOW)
    assert (again.folded, rollups(check)) == (0, first)

    results_add(check, [(45, Status.CRITICAL, 9.0)])  # an agent's backlog, long after
    retention.retention_apply(now=NOW)
    assert rollups(check) == [(OLD_HOUR, 3, 2.0, 9.0, 5.0, Status.CRITICAL)]


def test_rollups_older_than_two_years_are_deleted(check):
    def rollup(hour):
        return HourlyRollup(
            check_item=check, hour=hour, count=1, minimum=1, maximum=1, average=1, worst_status=0
        )

    expired = NOW - timedelta(days=731)
    kept = NOW - timedelta(days=729)
    HourlyRollup.objects.bulk_create([rollup(expired), rollup(expired - timedelta(hours=1)), rollup(kept)])

    outcome = retention.retention_apply(now=NOW, batch_size=1)

    assert outcome.rollups_expired == 2
    assert list(HourlyRollup.objects.values_list("hour", flat=True)) == [kept]


def test_out_of_time_it_stops_and_the_next_run_goes_on(check):
    results_add(check, [(0, Status.OK, 1.0)])

    assert retention.retention_apply(now=NOW, budget_seconds=0).finished is False
    assert Result.objects.count() == 1
    assert retention.retention_apply(now=NOW).finished is True
    assert Result.objects.count() == 0
