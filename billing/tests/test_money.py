"""Money is Decimal, rounded half-up to cents; VAT (PDV) 25 % is computed once on the subtotal; hours are
summed in minutes and converted once."""

from datetime import date
from decimal import Decimal

import pytest

from billing.models import StatementLine, SupportContract, TimeEntry
from billing.money import cents, hours_of, month_end, previous_month, vat_of
from billing.services import Line, split_hours, statement_lines_compute, statement_totals


@pytest.mark.parametrize(
    ("value", "expected"),
    [("0.005", "0.01"), ("0.015", "0.02"), ("2.675", "2.68"), ("-0.005", "-0.01"), ("10.004", "10.00")],
)
def test_cents_round_half_up_not_to_even(value, expected):
    # Python's default (banker's) rounding would give 0.00, 0.02, 2.67 (binary float even worse).
    assert cents(Decimal(value)) == Decimal(expected)


@pytest.mark.parametrize(
    ("subtotal", "vat"),
    [("100.00", "25.00"), ("0.02", "0.01"), ("0.06", "0.02"), ("33.33", "8.33"), ("1234.58", "308.65")],
)
def test_vat_is_25_percent_rounded_half_up(subtotal, vat):
    assert vat_of(Decimal(subtotal), 25) == Decimal(vat)


def test_hours_of_minutes():
    assert hours_of(20) == Decimal("0.33")
    assert hours_of(50) == Decimal("0.83")
    assert hours_of(90) == Decimal("1.50")


def test_months():
    assert previous_month(date(2026, 1, 15)) == date(2025, 12, 1)
    assert previous_month(date(2026, 3, 1)) == date(2026, 2, 1)
    assert month_end(date(2028, 2, 1)) == date(2028, 2, 29)


def entries(*minutes):
    return [TimeEntry(pk=index, minutes=value) for index, value in enumerate(minutes, start=1)]


def test_hours_are_summed_in_minutes_before_rounding():
    # Three 20-minute entries are one hour, not 3 × 0.33 = 0.99.
    included, extra, within, above = split_hours(entries(20, 20, 20), Decimal("0"))
    assert (included, extra) == (Decimal("0"), Decimal("1.00"))
    assert [entry.pk for entry in above] == [1, 2, 3]


def test_the_entry_that_crosses_the_included_hours_belongs_to_both_lines():
    included, extra, within, above = split_hours(entries(240, 240, 240), Decimal("10"))
    assert (included, extra) == (Decimal("10"), Decimal("2.00"))
    assert [entry.pk for entry in within] == [1, 2, 3]
    assert [entry.pk for entry in above] == [3]


def test_within_the_included_hours_nothing_is_extra():
    included, extra, within, above = split_hours(entries(60, 90), Decimal("10"))
    assert (included, extra, above) == (Decimal("2.50"), Decimal("0.00"), [])


def test_lines_and_totals_of_a_month():
    contract = SupportContract(
        monthly_fee=Decimal("499.99"), included_hours=Decimal("2"), hourly_rate=Decimal("55.55")
    )
    lines = statement_lines_compute(contract, date(2026, 3, 1), entries(100, 100, 50), [])
    assert [line.kind for line in lines] == ["monthly_fee", "included_hours", "extra_hours"]
    assert [line.quantity for line in lines] == [Decimal(1), Decimal(2), Decimal("2.17")]
    # 2.17 h × 55.55 = 120.5435 -> 120.54; subtotal 620.53; VAT 155.1325 -> 155.13.
    assert [line.amount for line in lines] == [Decimal("499.99"), Decimal("0.00"), Decimal("120.54")]
    assert statement_totals(lines, Decimal(25)) == (Decimal("620.53"), Decimal("155.13"), Decimal("775.66"))


def test_vat_is_computed_on_the_subtotal_not_summed_per_line():
    # Per line: 3 × 0.01 = 0.03 (each 0.0125 rounds to 0.01); on the subtotal: 0.15 × 25 % = 0.0375 -> 0.04.
    lines = [Line(StatementLine.Kind.OTHER, "x", Decimal(1), "C62", Decimal("0.05")) for _ in range(3)]
    assert statement_totals(lines, Decimal(25)) == (Decimal("0.15"), Decimal("0.04"), Decimal("0.19"))
