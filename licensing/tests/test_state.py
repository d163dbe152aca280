"""A licence's state comes from its dates and its suspension flag; the same rule in Python (a row's state)
and in SQL (the staff list's filter), with the 60-day boundary where "active" becomes "expiring"."""

from datetime import date, timedelta

import pytest

from licensing.models import Granule, Licence
from licensing.selectors import licence_state_q
from licensing.services import reminder_threshold
from licensing.tests.factories import licence_make

TODAY = date(2027, 3, 15)


def licence(**fields) -> Licence:
    terms = {"valid_from": TODAY - timedelta(days=100), "valid_until": TODAY + timedelta(days=200)}
    return Licence(number="L", **{**terms, **fields})


@pytest.mark.parametrize(
    ("days_left", "state"),
    [
        (200, Licence.State.ACTIVE),
        (61, Licence.State.ACTIVE),
        (60, Licence.State.EXPIRING),  # the boundary: 60 days or less is expiring
        (1, Licence.State.EXPIRING),
        (0, Licence.State.EXPIRING),  # its last day still counts
        (-1, Licence.State.EXPIRED),
    ],
)
def test_the_state_follows_the_end_date(days_left, state):
    assert licence(valid_until=TODAY + timedelta(days=days_left)).state_on(TODAY) == state


def test_suspension_wins_over_the_dates():
    assert licence(is_suspended=True).state_on(TODAY) == Licence.State.SUSPENDED
    expired = licence(valid_until=TODAY - timedelta(days=5), is_suspended=True)
    assert expired.state_on(TODAY) == Licence.State.SUSPENDED


def test_a_licence_that_has_not_started_is_pending_and_not_in_force():
    future = licence(valid_from=TODAY + timedelta(days=1))
    assert future.state_on(TODAY) == Licence.State.PENDING
    assert not future.is_in_force_on(TODAY)
    assert licence(valid_from=TODAY).state_on(TODAY) == Licence.State.ACTIVE


@pytest.mark.parametrize(
    ("support_until", "licence_fields", "active", "state"),
    [
        (TODAY + timedelta(days=100), {}, True, Licence.SupportState.ACTIVE),
        (TODAY + timedelta(days=60), {}, True, Licence.SupportState.EXPIRING),
        (TODAY, {}, True, Licence.SupportState.EXPIRING),
        (TODAY - timedelta(days=1), {}, False, Licence.SupportState.ENDED),
        (None, {}, False, Licence.SupportState.NONE),
        # Support counts only while the licence itself is in force.
        (TODAY + timedelta(days=100), {"is_suspended": True}, False, Licence.SupportState.ENDED),
        (
            TODAY + timedelta(days=100),
            {"valid_until": TODAY - timedelta(days=1)},
            False,
            Licence.SupportState.ENDED,
        ),
    ],
)
def test_support_is_active_until_its_end_and_only_with_a_licence_in_force(
    support_until, licence_fields, active, state
):
    row = licence(support_until=support_until, **licence_fields)
    assert row.support_active_on(TODAY) is active
    assert row.support_state_on(TODAY) == state


def test_a_granule_without_dates_follows_the_licence_and_one_with_dates_its_own():
    assert Granule(quantity=1).is_active_on(TODAY)
    assert Granule(quantity=1, valid_from=TODAY, valid_until=TODAY).is_active_on(TODAY)
    assert not Granule(quantity=1, valid_from=TODAY + timedelta(days=1)).is_active_on(TODAY)
    assert not Granule(quantity=1, valid_until=TODAY - timedelta(days=1)).is_active_on(TODAY)


@pytest.mark.parametrize(
    ("days_left", "threshold"),
    [(61, None), (60, 60), (31, 60), (30, 30), (8, 30), (7, 7), (0, 7), (-1, None)],
)
def test_the_reminder_due_is_the_nearest_threshold_reached(days_left, threshold):
    assert reminder_threshold(days_left) == threshold


def test_the_sql_filter_agrees_with_the_state_of_each_row(organization, other_organization):
    """Licences on both sides of every boundary, each found by its own state's filter and no other."""
    from django.utils import timezone

    today = timezone.localdate()
    cases = {
        "active": {"valid_until": today + timedelta(days=61)},
        "expiring": {"valid_until": today + timedelta(days=60)},
        "expiring-today": {"valid_until": today},
        "expired": {"valid_until": today - timedelta(days=1)},
        "suspended": {"is_suspended": True},
        "pending": {"valid_from": today + timedelta(days=1)},
    }
    rows = {}
    for name, fields in cases.items():
        rows[name] = licence_make(organization, is_current=False, number=f"L-{name}", **fields)
    for row in rows.values():
        matches = {
            state
            for state in Licence.State.values
            if Licence.objects.filter(licence_state_q(state, today), pk=row.pk).exists()
        }
        assert matches == {row.state_on(today)}, row.number
