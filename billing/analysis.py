"""The cost analysis of one organization over the last 12 or 24 months (this one included): what each
month's statement charged, the consultant hours by product module and by case category, and the hours
within the contract's included hours against those above them.

- Amounts come from the lines of each month's live statement (the revision that counts), without VAT
  (PDV), by kind of line; a month without a statement (this one, until it is generated) shows none.
- Hours are the billable consultant time, in hours of two decimals (minutes / 60, half-up). Only hours
  above the included ones cost more than the monthly fee, so modules and categories are shown in hours,
  not in an amount split by a rule of our own.
- Included against extra hours: a month with a statement shows what the statement billed; a month without
  one shows its time so far against the included hours of the contract that bills it.

Four grouped queries whatever the number of entries, cached a minute per organization and period (like
cases.analysis): the page is opened again and again while the numbers barely move. The cache holds ids;
names in the reader's language are read on each request.
"""

from datetime import date
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cases.models import Category
from helpdesk.charts import Series, month_table, palette_class, stacked_columns
from releases.models import Module

from .models import Statement, StatementLine, SupportContract, TimeEntry
from .money import hours_of, money_display, month_end

CACHE_SECONDS = 60
ZERO = Decimal("0.00")
# The kinds of statement lines whose amounts make a month's cost, in the chart's order.
COST_KINDS = (
    StatementLine.Kind.MONTHLY_FEE,
    StatementLine.Kind.INCLUDED_HOURS,
    StatementLine.Kind.EXTRA_HOURS,
    StatementLine.Kind.OTHER,
)
NONE = 0  # the id of "no module" / "general work" in the figures


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def analysis_months(count: int, today: date) -> list[date]:
    """The first days of the `count` months ending with this one."""
    last = today.replace(day=1)
    return [add_months(last, offset) for offset in range(1 - count, 1)]


def cost_figures(*, organization, months: int) -> dict:
    """The organization's figures over the last `months` months, at most a minute old."""
    today = timezone.localdate()
    key = f"billing:analysis:{organization.pk}:{months}:{today.isoformat()}"
    figures = cache.get(key)
    if figures is None:
        figures = _figures(organization, analysis_months(months, today))
        cache.set(key, figures, CACHE_SECONDS)
    return figures


def _figures(organization, months: list[date]) -> dict:
    first, last = months[0], month_end(months[-1])
    position = {month: index for index, month in enumerate(months)}
    empty = [ZERO] * len(months)

    amounts = {kind: list(empty) for kind in COST_KINDS}
    billed_hours: dict[date, dict[str, Decimal]] = {}
    lines = (
        StatementLine.objects.filter(
            statement__organization=organization, statement__period__range=(first, last)
        )
        .exclude(statement__state=Statement.State.SUPERSEDED)
        .values("statement__period", "kind")
        .annotate(amount=Sum("amount"), quantity=Sum("quantity"))
        .order_by()
    )
    for row in lines:
        amounts[row["kind"]][position[row["statement__period"]]] += row["amount"]
        billed_hours.setdefault(row["statement__period"], {})[row["kind"]] = row["quantity"]
    totals = {
        row["period"]: row
        for row in Statement.objects.live()
        .filter(organization=organization, period__range=(first, last))
        .values("period", "subtotal", "vat_amount", "total")
    }

    modules: dict[int, list[int]] = {}
    categories: dict[int, list[int]] = {}
    minutes = [0] * len(months)
    entries = (
        TimeEntry.objects.billable()
        .filter(organization=organization, date__range=(first, last))
        .annotate(month=TruncMonth("date"))
        .values("month", "case__module_id", "case__category_id")
        .annotate(minutes=Sum("minutes"))
        .order_by()
    )
    for row in entries:  # at most months x modules x categories rows
        index = position[row["month"]]
        modules.setdefault(row["case__module_id"] or NONE, [0] * len(months))[index] += row["minutes"]
        categories.setdefault(row["case__category_id"] or NONE, [0] * len(months))[index] += row["minutes"]
        minutes[index] += row["minutes"]

    contracts = list(
        SupportContract.objects.filter(organization=organization)
        .overlapping(first, last)
        .order_by("valid_from")
    )
    return {
        "as_of": timezone.now(),
        "months": months,
        "amounts": amounts,
        "statements": {
            period: (row["subtotal"], row["vat_amount"], row["total"]) for period, row in totals.items()
        },
        "modules": modules,
        "categories": categories,
        "hours_split": _hours_split(months, minutes, billed_hours, contracts),
    }


def _hours_split(months, minutes, billed_hours, contracts) -> dict[str, list[Decimal]]:
    """Included and extra hours per month: as billed when the month has a statement, else its time so far
    against the included hours of the contract that bills the month (the latest one that runs into it)."""
    included, extra = [], []
    for index, month in enumerate(months):
        billed = billed_hours.get(month)
        if billed is not None:
            included.append(billed.get(StatementLine.Kind.INCLUDED_HOURS, ZERO))
            extra.append(billed.get(StatementLine.Kind.EXTRA_HOURS, ZERO))
            continue
        hours = hours_of(minutes[index])
        running = [
            contract
            for contract in contracts
            if contract.valid_from <= month_end(month) and (contract.valid_until or month) >= month
        ]
        allowance = running[-1].included_hours if running else ZERO
        included.append(min(hours, allowance))
        extra.append(max(hours - allowance, ZERO))
    return {"included": included, "extra": extra}


# --- The report: charts and tables in the reader's language -------------------------------------------------


def _names(model, ids, none_label: str) -> dict[int, str]:
    names = {row.pk: row.name for row in model.objects.filter(pk__in=[pk for pk in ids if pk != NONE])}
    return {pk: names.get(pk, none_label if pk == NONE else str(pk)) for pk in ids}


def _ordered(series_by_id: dict[int, list], names: dict[int, str]) -> list[int]:
    """Largest total first; "none" last."""
    return sorted(series_by_id, key=lambda pk: (pk == NONE, -sum(series_by_id[pk]), names[pk]))


def _hour_series(minutes_by_id: dict[int, list[int]], names: dict[int, str]) -> list[Series]:
    return [
        Series(names[pk], palette_class(index), [hours_of(value) for value in minutes_by_id[pk]])
        for index, pk in enumerate(_ordered(minutes_by_id, names))
    ]


def _section(axis_labels, table_labels, series: list[Series], value_text) -> dict:
    """A chart (values as floats for the geometry) and its table (the Decimals themselves)."""
    drawn = [Series(s.label, s.css_class, [float(value) for value in s.values]) for s in series]
    return {
        "chart": stacked_columns(labels=axis_labels, series=drawn, value_text=value_text),
        "table": month_table(table_labels, series),
    }


def _hours_text(value: float) -> str:
    return _("%(hours)s h") % {"hours": money_display(value)}


def _money_text(value: float) -> str:
    return _("%(amount)s EUR") % {"amount": money_display(value)}


def cost_report(figures: dict) -> dict:
    """Charts and tables of the figures, labelled in the active language."""
    months = figures["months"]
    axis_labels = [date_format(month, "m/Y") for month in months]
    table_labels = [date_format(month, "YEAR_MONTH_FORMAT") for month in months]
    kind_labels = dict(StatementLine.Kind.choices)
    costs = [
        Series(str(kind_labels[kind]), palette_class(index), figures["amounts"][kind])
        for index, kind in enumerate(COST_KINDS)
        if any(figures["amounts"][kind])
    ]
    module_names = _names(Module, figures["modules"], _("No module or general work"))
    category_names = _names(Category, figures["categories"], _("General work (no case)"))
    split = figures["hours_split"]
    hours = [
        Series(_("Within the included hours"), "chart-series-2", split["included"]),
        Series(_("Above the included hours"), "chart-series-1", split["extra"]),
    ]
    statements = figures["statements"].values()
    return {
        "as_of": figures["as_of"],
        "first_month": months[0],
        "last_day": month_end(months[-1]),
        "months": len(months),
        "subtotal": sum((subtotal for subtotal, _vat, _total in statements), ZERO),
        "vat": sum((vat for _subtotal, vat, _total in statements), ZERO),
        "total": sum((total for _subtotal, _vat, total in statements), ZERO),
        "statements": len(figures["statements"]),
        "costs": _section(axis_labels, table_labels, costs, _money_text),
        "by_module": _section(
            axis_labels, table_labels, _hour_series(figures["modules"], module_names), _hours_text
        ),
        "by_category": _section(
            axis_labels, table_labels, _hour_series(figures["categories"], category_names), _hours_text
        ),
        "hours": _section(axis_labels, table_labels, hours, _hours_text),
    }
