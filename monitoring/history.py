"""The history chart of one check (helpdesk.charts.time_series): the average of each bucket as a line, the
warning and critical thresholds as horizontal lines, and buckets with a warning or critical result marked."""

import math

from django.utils import dateformat, formats
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from helpdesk.charts import Chart, time_series
from monitoring.templatetags.monitoring_tags import measurement

from . import selectors
from .models import Check, Status

# Axis labels under the chart (helpdesk.charts.time_series labels every ceil(points / ticks)-th point).
TICKS = 6


def range_choices() -> list[tuple[str, str]]:
    return [("24h", _("24 hours")), ("7d", _("7 days")), ("30d", _("30 days"))]


def value_text(value: float | None, unit: str) -> str:
    return measurement(value, unit)


def history_chart(
    check: Check, buckets: list[selectors.Bucket], range_: selectors.Range, now=None
) -> Chart | None:
    """The chart of the buckets, a point per bucket of the range (a gap where there was no result); None
    when the range holds no value."""
    if not any(bucket.average is not None for bucket in buckets):
        return None
    start, end = selectors.range_bounds(range_, now)
    by_start = {bucket.start: bucket for bucket in buckets}
    moments = [start + index * range_.bucket for index in range((end - start) // range_.bucket)]
    # Only the few points the axis labels, and the marked ones' tooltips, need their texts formatted.
    every = max(1, math.ceil(len(moments) / TICKS))
    tick_format = "H:i" if range_.key == "24h" else formats.get_format("SHORT_DATE_FORMAT")
    points, marked = [], []
    for index, moment in enumerate(moments):
        bucket = by_start.get(moment)
        average = bucket.average if bucket else None
        worst = bucket.worst if bucket else Status.OK
        labelled = index % every == 0 or worst >= Status.WARNING
        label = dateformat.format(localtime(moment), tick_format) if labelled else ""
        points.append((label, average, value_text(average, check.unit) if worst >= Status.WARNING else ""))
        if worst >= Status.WARNING:
            css = "chart-threshold-critical" if worst == Status.CRITICAL else "chart-threshold-warning"
            marked.append((index, css))
    thresholds = []
    if check.warning_threshold is not None:
        text = _("Warning at %(value)s") % {"value": value_text(check.warning_threshold, check.unit)}
        thresholds.append((check.warning_threshold, text, "chart-threshold-warning"))
    if check.critical_threshold is not None:
        text = _("Critical at %(value)s") % {"value": value_text(check.critical_threshold, check.unit)}
        thresholds.append((check.critical_threshold, text, "chart-threshold-critical"))
    return time_series(
        points=points,
        css_class="chart-series-0",
        label=_("Average"),
        thresholds=thresholds,
        marked=marked,
        ticks=TICKS,
    )
