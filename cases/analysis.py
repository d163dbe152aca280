"""The case analysis page's figures: cases per month by category and by status, median times to first
response and to resolution, and the busiest product modules.

Everything is aggregated by PostgreSQL (GROUP BY, percentile_cont) in three queries, whatever the number of
cases. The figures are cached for CACHE_SECONDS per scope (all cases for staff; the user and the
organizations they hold the permissions on for a customer) and filters, in the Django cache (Redis when
REDIS_URL is set, else the memory of the process): the page is opened again and again with the same
filters while the numbers barely move, so a minute-old figure, labelled with its time, is the better
trade than a heavy query on every visit. The cache holds numbers by id; names in the user's language
come from the (cached) filter menus on each request (analysis_report).

Every figure covers the cases created in twelve calendar months (local time) that end with the month of
the "created to" filter, or with this month. The queries read only columns of case_analysis_idx, so over
a million cases they are index-only scans of the window (measured: about 0.5 s for all of a year's 200,000
cases with nothing else in the cache, on a busy two-core machine; a few ms when cached).
"""

import hashlib
import json
from datetime import date, datetime, timedelta

from django.contrib.postgres.fields import ArrayField
from django.core.cache import cache
from django.db.models import Aggregate, Count, DateTimeField, DurationField, F, Func, IntegerField, Value
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import get_language, gettext

from helpdesk.charts import Series, horizontal_bars, month_table, palette_class, stacked_columns
from helpdesk.dates import day_start
from helpdesk.permissions import organization_scope

from . import selectors
from .models import Case
from .search import cases_filter, filter_menus

CACHE_SECONDS = 60
MONTHS = 12
TOP_MODULES = 10


class Median(Aggregate):
    """PostgreSQL's continuous median, which Django lacks: percentile_cont(0.5) WITHIN GROUP (ORDER BY x).
    NULLs are skipped, so a median of `first_response_at - created_at` covers the answered cases only."""

    function = "PERCENTILE_CONT"
    name = "Median"
    arity = 1
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)%(filter)s"


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def analysis_months(filters: dict, today: date) -> list[date]:
    """The twelve months (their first days) ending with the month of `created_to`, or with this month."""
    last = (filters.get("created_to") or today).replace(day=1)
    return [add_months(last, offset) for offset in range(1 - MONTHS, 1)]


def _cache_key(user, filters: dict) -> str:
    analyse = organization_scope(user, "cases.analyse_cases")
    see_all = organization_scope(user, "cases.view_all_org_cases")
    if analyse.everywhere and see_all.everywhere:
        scope = ["all"]
    else:  # what cases_for_analysis depends on: the user (own cases) and their organizations
        member = organization_scope(user, "cases.view_org_cases")
        scope = [user.pk, analyse.key, see_all.key, member.key]
    chosen = {}
    for name, value in sorted(filters.items()):
        if name == "sort" or value is None or value == "" or value == []:
            continue
        if hasattr(value, "pk"):
            value = value.pk
        elif isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, list | tuple):
            value = sorted(value)
        chosen[name] = value
    raw = json.dumps([scope, chosen, timezone.get_current_timezone_name()], sort_keys=True, default=str)
    return "cases:analysis:" + hashlib.sha256(raw.encode()).hexdigest()


def case_figures(*, user, filters: dict) -> dict:
    """The figures for the cases the user may analyse that match the filters, at most a minute old."""
    key = _cache_key(user, filters)
    figures = cache.get(key)
    if figures is None:
        figures = _figures(selectors.cases_for_analysis(user), filters)
        cache.set(key, figures, CACHE_SECONDS)
    return figures


class MonthNumber(Func):
    """1 for a moment in the first of the given month starts, 2 in the second... (PostgreSQL width_bucket:
    a binary search per row, much cheaper than converting every row's time to the local zone)."""

    function = "WIDTH_BUCKET"
    output_field = IntegerField()

    def __init__(self, expression, starts: list[datetime]):
        super().__init__(expression, Value(starts, output_field=ArrayField(DateTimeField())))


def _figures(cases, filters: dict) -> dict:
    """Counts and medians of the window's cases, by ids (names are looked up when shown). Three queries,
    each an index-only scan of case_analysis_idx over the window when no other filter needs the table."""
    now = timezone.now()
    months = analysis_months(filters, timezone.localdate(now))
    starts = [day_start(month) for month in [*months, add_months(months[-1], 1)]]
    cases = (
        cases_filter(cases, filters).order_by().filter(created_at__gte=starts[0], created_at__lt=starts[-1])
    )
    categories: dict[int, list[int]] = {}
    statuses = {status: [0] * MONTHS for status in Case.Status.values}
    grouped = (
        cases.annotate(month=MonthNumber("created_at", starts[:-1]))
        .values("month", "status", "category_id")
        .annotate(count=Count("*"))
    )
    for row in grouped:  # at most 12 months x categories x statuses rows, never one per case
        position = row["month"] - 1
        categories.setdefault(row["category_id"], [0] * MONTHS)[position] += row["count"]
        statuses[row["status"]][position] += row["count"]
    times = cases.aggregate(
        total=Count("*"),
        responded=Count("first_response_at"),
        resolved=Count("resolved_at"),
        first_response=Median(F("first_response_at") - F("created_at"), output_field=DurationField()),
        resolution=Median(F("resolved_at") - F("created_at"), output_field=DurationField()),
    )
    modules = (
        cases.filter(module__isnull=False)
        .values("module_id")
        .annotate(count=Count("*"))
        .order_by("-count", "module_id")[:TOP_MODULES]
    )
    return {
        "as_of": now,
        "months": months,
        "last_day": add_months(months[-1], 1) - timedelta(days=1),
        "total": times["total"],
        "categories": categories,
        "statuses": statuses,
        "first_response": _seconds(times["first_response"]),
        "responded": times["responded"],
        "resolution": _seconds(times["resolution"]),
        "resolved": times["resolved"],
        "modules": [(row["module_id"], row["count"]) for row in modules],
    }


def _seconds(value: timedelta | None) -> float | None:
    return None if value is None else value.total_seconds()


def duration_text(seconds: float | None) -> str:
    """A duration as people read it: "2 d 3 h", "3 d", "3 h 20 min", "4 h", "45 min" (minutes rounded)."""
    if seconds is None:
        return "—"
    minutes = round(seconds / 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days and hours:
        return gettext("%(days)d d %(hours)d h") % {"days": days, "hours": hours}
    if days:
        return gettext("%(days)d d") % {"days": days}
    if hours and minutes:
        return gettext("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": minutes}
    if hours:
        return gettext("%(hours)d h") % {"hours": hours}
    return gettext("%(minutes)d min") % {"minutes": minutes}


def _names(figures: dict) -> dict[str, dict[int, str]]:
    """id -> name in the active language of every category and module, in their own order, from the
    filter menus (cached; read again when the figures name one created since)."""
    english = (get_language() or "hr").startswith("en")
    wanted = {"category": set(figures["categories"]), "module": {pk for pk, _count in figures["modules"]}}
    for refresh in (False, True):
        menus = filter_menus(refresh=refresh)
        names = {
            kind: {pk: en if english else hr for pk, hr, en in menus[kind]} for kind in ("category", "module")
        }
        if all(wanted[kind] <= names[kind].keys() for kind in wanted):
            break
    return names


def analysis_report(figures: dict) -> dict:
    """Charts and tables of the figures, labelled in the active language."""
    names = _names(figures)
    axis_labels = [date_format(month, "m/Y") for month in figures["months"]]
    table_labels = [date_format(month, "YEAR_MONTH_FORMAT") for month in figures["months"]]
    present = [pk for pk in names["category"] if pk in figures["categories"]]
    by_category = [
        Series(names["category"][pk], palette_class(i), figures["categories"][pk])
        for i, pk in enumerate(present)
    ]
    by_status = [
        Series(str(label), f"chart-status-{value}", figures["statuses"][value])
        for value, label in Case.Status.choices
        if any(figures["statuses"][value])
    ]
    modules = [(names["module"].get(pk, str(pk)), count) for pk, count in figures["modules"]]
    medians = [
        (gettext("First response"), figures["first_response"], figures["responded"]),
        (gettext("Resolution"), figures["resolution"], figures["resolved"]),
    ]
    return {
        "as_of": figures["as_of"],
        "first_month": figures["months"][0],
        "last_day": figures["last_day"],
        "total": figures["total"],
        "by_category": {
            "chart": stacked_columns(labels=axis_labels, series=by_category),
            "table": month_table(table_labels, by_category),
        },
        "by_status": {
            "chart": stacked_columns(labels=axis_labels, series=by_status),
            "table": month_table(table_labels, by_status),
        },
        "medians": {
            "chart": horizontal_bars(
                rows=[(label, (secs or 0) / 3600, duration_text(secs)) for label, secs, _count in medians]
            ),
            "rows": [
                {
                    "label": label,
                    "text": duration_text(seconds),
                    "hours": None if seconds is None else number_format(seconds / 3600, decimal_pos=1),
                    "count": count,
                }
                for label, seconds, count in medians
            ],
        },
        "modules": {
            "chart": horizontal_bars(rows=[(label, count, str(count)) for label, count in modules]),
            "rows": modules,
        },
    }
