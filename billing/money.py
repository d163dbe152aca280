"""Money and hours as Decimal: EUR rounded half-up to cents, minutes as hours with two decimals."""

import calendar
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def cents(value) -> Decimal:
    """Rounded half-up to cents (0.005 -> 0.01), as Croatian invoices are."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def hours_of(minutes: int) -> Decimal:
    """Minutes as hours, rounded half-up to hundredths (20 min -> 0.33 h)."""
    return (Decimal(minutes) / Decimal(60)).quantize(CENT, rounding=ROUND_HALF_UP)


def vat_of(subtotal: Decimal, rate_percent) -> Decimal:
    return cents(Decimal(subtotal) * Decimal(rate_percent) / Decimal(100))


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def previous_month(day: date) -> date:
    """The first day of the month before the day's month."""
    return month_start(month_start(day) - timedelta(days=1))


def next_month(day: date) -> date:
    return month_end(day) + timedelta(days=1)


def money_display(value) -> str:
    """An amount as the active language writes it, with two decimals and grouped thousands (1.234,50)."""
    from django.utils.formats import number_format

    return number_format(cents(value), decimal_pos=2, use_l10n=True, force_grouping=True)


def hours_display(value) -> str:
    """Hours as the active language writes them, with two decimals (10,00)."""
    from django.utils.formats import number_format

    return number_format(cents(value), decimal_pos=2, use_l10n=True)


def month_display(period: date) -> str:
    """The month and year in running text ("studeni 2026", "November 2026"): Croatian writes month names
    in small letters within a sentence."""
    from django.utils.formats import date_format
    from django.utils.translation import get_language

    text = date_format(period, "F Y")
    return text[:1].lower() + text[1:] if (get_language() or "").startswith("hr") else text
