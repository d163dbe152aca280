"""Bar charts drawn on the server as SVG: the geometry is computed here, the template only draws it
(templates/components/_chart.html; a monthly chart with its table: _month_section.html). Used by the case
analysis (cases.analysis) and the cost analysis (billing.analysis).

No JavaScript library and no inline styles (the Content-Security-Policy forbids both): sizes and positions
are SVG attributes, colours come from CSS classes in static/css/portal.css. Every chart is followed on its
page by a table of the same numbers, which is what screen readers read.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass, field

WIDTH = 720
PALETTE_SIZE = 8


@dataclass
class Series:
    label: str
    css_class: str
    values: list


@dataclass
class Rect:
    x: float
    y: float
    width: float
    height: float
    css_class: str = ""
    title: str = ""


@dataclass
class Text:
    x: float
    y: float
    label: str


@dataclass
class Polyline:
    points: str  # "x,y x,y ..." in SVG units
    css_class: str


@dataclass
class Chart:
    width: int
    height: int
    rects: list[Rect] = field(default_factory=list)
    gridlines: list[Rect] = field(default_factory=list)
    axis_labels: list[Text] = field(default_factory=list)  # left of the plot, right-aligned
    item_labels: list[Text] = field(default_factory=list)  # under bars (columns) or left of them (rows)
    value_labels: list[Text] = field(default_factory=list)  # after horizontal bars
    legend: list[tuple[str, str]] = field(default_factory=list)
    item_anchor: str = "middle"  # SVG text-anchor of item_labels
    polylines: list[Polyline] = field(default_factory=list)  # drawn under the rects (lines of a time series)


def palette_class(index: int) -> str:
    return f"chart-series-{index % PALETTE_SIZE}"


def nice_scale(maximum: float, *, whole: bool = True, steps: int = 4) -> tuple[float, float]:
    """(top, step): a round top of the axis at or above `maximum`, in at most `steps` round steps
    (1, 2 or 5 times a power of ten); whole numbers only for counts."""
    if maximum <= 0:
        return 1, 1
    raw = maximum / steps
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    if whole:
        step = max(1, round(step))
    return math.ceil(maximum / step - 1e-9) * step, step


def stacked_columns(
    *, labels: list[str], series: list[Series], height: int = 240, value_text: Callable | None = None
) -> Chart:
    """One column per label (a month), stacked from the bottom in series order; each piece has a tooltip
    (its value written by `value_text`, e.g. an amount in the page's language). Values are numbers the
    geometry can divide (int or float, not Decimal)."""
    value_text = value_text or _number
    left, right, top, bottom = 44, 8, 12, 28
    plot_width, plot_height = WIDTH - left - right, height - top - bottom
    totals = [sum(values) for values in zip(*(s.values for s in series), strict=True)] or [0] * len(labels)
    scale_top, step = nice_scale(max(totals, default=0))
    chart = Chart(width=WIDTH, height=height, legend=[(s.label, s.css_class) for s in series])
    baseline = top + plot_height
    tick = 0
    while tick <= scale_top:
        y = round(baseline - tick / scale_top * plot_height, 1)
        chart.gridlines.append(Rect(x=left, y=y, width=plot_width, height=1))
        chart.axis_labels.append(Text(x=left - 6, y=y + 4, label=_number(tick)))
        tick += step
    slot = plot_width / max(len(labels), 1)
    bar_width = round(slot * 0.64, 1)
    for index, label in enumerate(labels):
        x = round(left + index * slot + (slot - bar_width) / 2, 1)
        chart.item_labels.append(Text(x=round(x + bar_width / 2, 1), y=height - 8, label=label))
        stacked = 0
        for one in series:
            value = one.values[index]
            if not value:
                continue
            bar_height = value / scale_top * plot_height
            chart.rects.append(
                Rect(
                    x=x,
                    y=round(baseline - stacked - bar_height, 1),
                    width=bar_width,
                    height=round(bar_height, 1),
                    css_class=one.css_class,
                    title=f"{label}, {one.label}: {value_text(value)}",
                )
            )
            stacked += bar_height
    return chart


def horizontal_bars(*, rows: list[tuple[str, float, str]], css_class: str = "chart-series-0") -> Chart:
    """One bar per (label, value, value as text) row, longest scale at the largest value."""
    left, right, row_height, bar_height = 210, 110, 28, 18
    plot_width = WIDTH - left - right
    chart = Chart(width=WIDTH, height=max(len(rows), 1) * row_height + 8, item_anchor="end")
    scale_top = max((value for _label, value, _text in rows), default=0) or 1
    for index, (label, value, text) in enumerate(rows):
        y = 4 + index * row_height
        width = round(value / scale_top * plot_width, 1)
        chart.item_labels.append(Text(x=left - 8, y=y + 14, label=_shorten(label)))
        chart.rects.append(
            Rect(x=left, y=y, width=width, height=bar_height, css_class=css_class, title=f"{label}: {text}")
        )
        chart.value_labels.append(Text(x=round(left + width + 6, 1), y=y + 14, label=text))
    return chart


def time_series(
    *,
    points: list[tuple[str, float | None, str]],
    css_class: str,
    label: str,
    thresholds: list[tuple[float, str, str]] = (),
    marked: list[tuple[int, str]] = (),
    height: int = 260,
    ticks: int = 6,
) -> Chart:
    """A line through (label, value or None, value as text) points at even steps in time (a gap where the
    value is None), horizontal lines at the (value, label, css class) thresholds, a small square on the
    (index, css class) points `marked` (e.g. critical results), and about `ticks` labels under the axis."""
    left, right, top, bottom = 52, 8, 12, 28
    plot_width, plot_height = WIDTH - left - right, height - top - bottom
    values = [value for _label, value, _text in points if value is not None]
    scale_top, step = nice_scale(max([*values, *(t[0] for t in thresholds)], default=0) * 1.05, whole=False)
    chart = Chart(
        width=WIDTH, height=height, legend=[(label, css_class)] + [(t[1], t[2]) for t in thresholds]
    )
    baseline = top + plot_height
    tick = 0.0
    while tick <= scale_top + 1e-9:
        y = round(baseline - tick / scale_top * plot_height, 1)
        chart.gridlines.append(Rect(x=left, y=y, width=plot_width, height=1))
        chart.axis_labels.append(Text(x=left - 6, y=y + 4, label=_number(round(tick, 6))))
        tick += step
    slot = plot_width / max(len(points) - 1, 1)

    def at(index: int, value: float) -> tuple[float, float]:
        return round(left + index * slot, 1), round(
            baseline - min(value, scale_top) / scale_top * plot_height, 1
        )

    run: list[str] = []
    for index, (_label, value, _text) in enumerate([*points, ("", None, "")]):
        if value is None:
            if run:
                chart.polylines.append(Polyline(points=" ".join(run), css_class=f"chart-line {css_class}"))
            run = []
            continue
        x, y = at(index, value)
        run.append(f"{x},{y}")
    every = max(1, math.ceil(len(points) / ticks))
    for index in range(0, len(points), every):
        chart.item_labels.append(Text(x=round(left + index * slot, 1), y=height - 8, label=points[index][0]))
    for value, name, threshold_class in thresholds:
        _x, y = at(0, value)
        chart.rects.append(
            Rect(x=left, y=y - 0.75, width=plot_width, height=1.5, css_class=threshold_class, title=name)
        )
    for index, marker_class in marked:
        label, value, text = points[index]
        if value is not None:
            x, y = at(index, value)
            chart.rects.append(
                Rect(x=x - 3, y=y - 3, width=6, height=6, css_class=marker_class, title=f"{label}: {text}")
            )
    return chart


def month_table(month_labels: list[str], series: list[Series]) -> dict:
    """The numbers of a monthly chart for templates/components/_month_table.html: a row per month (a value
    per series and their total), the totals per series and the grand total. The values may be Decimal."""
    rows = [
        {"label": label, "values": [s.values[i] for s in series], "total": sum(s.values[i] for s in series)}
        for i, label in enumerate(month_labels)
    ]
    return {
        "columns": [s.label for s in series],
        "rows": rows,
        "totals": [sum(s.values) for s in series],
        "total": sum(row["total"] for row in rows),
    }


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _shorten(label: str, limit: int = 30) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
