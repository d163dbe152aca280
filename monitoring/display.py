"""What the status pages show of each check and history bucket, made in Python once per page: the pages list
hundreds of checks or buckets, and a template tag, filter or {% include %} per cell costs more than the whole
rest of the page. Each translated text is looked up once per page, not once per row; the HTML is the same as
the templates would make."""

from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse
from django.utils import dateformat, formats
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from .models import Check, Component, Installation, Status
from .templatetags.monitoring_tags import TONES, measurement

EMPTY = "—"


def badges() -> dict[int, SafeString]:
    """The status badge of each state, in the page's language (monitoring_tags.status_badge)."""
    return {
        status: format_html('<span class="badge {} status-badge">{}</span>', TONES[status], status.label)
        for status in Status
    }


class DateText:
    """`|date:"SHORT_DATETIME_FORMAT"` of the page's language, the format looked up once. A format ending
    in hours and minutes (every language of the portal's) has its date part formatted once per day: a
    history table's 180 rows fall on a few days."""

    def __init__(self, format_name: str = "SHORT_DATETIME_FORMAT"):
        self.format = formats.get_format(format_name)
        self.day_format = self.format.removesuffix("H:i") if self.format.endswith(" H:i") else None
        self.days = {}

    def __call__(self, moment: datetime | None) -> str:
        if moment is None:
            return ""
        local = localtime(moment)
        if self.day_format is None:
            return dateformat.format(local, self.format)
        day = self.days.get(local.date())
        if day is None:
            day = self.days[local.date()] = dateformat.format(local, self.day_format)
        return f"{day}{local.hour:02d}:{local.minute:02d}"


class ThresholdText:
    """A check's thresholds ("warning ≥ 80 %, critical ≥ 90 %"), as monitoring/_thresholds.html did."""

    def __init__(self):
        self.warning = _("warning %(sign)s %(value)s")
        self.critical = _("critical %(sign)s %(value)s")
        self.none = format_html('<span class="text-body-secondary">{}</span>', _("reported by the agent"))

    def __call__(self, check: Check) -> SafeString:
        warning, critical = check.warning_threshold, check.critical_threshold
        if warning is None and critical is None:
            return self.none
        sign = "≥" if check.higher_is_worse else "≤"
        parts = []
        for template, value in ((self.warning, warning), (self.critical, critical)):
            if value is not None:
                text = template % {"sign": sign, "value": conditional_escape(measurement(value, check.unit))}
                parts.append(f'<span class="text-nowrap">{text}</span>')
        return mark_safe(", ".join(parts))  # noqa: S308 (translations are ours; the values escaped)


@dataclass(slots=True)
class CheckRow:
    """One check's row of the components table: no result yet (`measured` empty), overdue (`overdue_note`:
    shown UNKNOWN after 3 intervals without a result) or current."""

    name: str
    url: str
    badge: SafeString
    value: str
    thresholds: SafeString
    measured: str
    measured_iso: str
    overdue_note: str
    message: str


def components_rows(components, now: datetime) -> None:
    """Give each component (components_with_checks) `rows` (a CheckRow per check), `badge` and `since`."""
    badge_of, date_text, thresholds = badges(), DateText(), ThresholdText()
    # One reverse() for every check's link: the pk is the path's only variable part.
    marker = 2_147_483_647
    url_head, url_tail = reverse("monitoring:check-history", args=[marker]).split(str(marker))
    since, no_result_since = _("since %(since)s"), _("No result since %(when)s")
    for component in components:
        component.badge = badge_of[component.status]
        component.since = since % {"since": date_text(component.status_since)}
        rows = []
        for check in component.checks.all():
            latest = getattr(check, "latest", None)
            row = CheckRow(
                name=check.name,
                url=f"{url_head}{check.pk}{url_tail}",
                badge=badge_of[Status.UNKNOWN],
                value=EMPTY,
                thresholds=thresholds(check),
                measured="",
                measured_iso="",
                overdue_note="",
                message="",
            )
            if latest is not None:
                row.measured = date_text(latest.measured_at)
                row.measured_iso = localtime(latest.measured_at).isoformat()
                row.value = measurement(latest.value, check.unit)
                # Overdue at once, even before the staleness sweep has marked it (LatestResult.stale_after).
                if latest.is_stale or latest.stale_after <= now:
                    row.overdue_note = no_result_since % {"when": row.measured}
                else:
                    row.badge = badge_of[latest.status]
                    row.message = _truncate(latest.message, 120)
            rows.append(row)
        component.rows = rows


def _truncate(text: str, length: int) -> str:
    """|truncatechars:length."""
    return text if len(text) <= length else text[: length - 1] + "…"


@dataclass(slots=True)
class BucketRow:
    start: str
    count: int
    minimum: str
    average: str
    maximum: str
    badge: SafeString


def bucket_rows(buckets) -> list[BucketRow]:
    """The history table's rows, newest first."""
    badge_of, date_text = badges(), DateText()
    return [
        BucketRow(
            start=date_text(bucket.start),
            count=bucket.count,
            minimum=measurement(bucket.minimum),
            average=measurement(bucket.average),
            maximum=measurement(bucket.maximum),
            badge=badge_of[bucket.worst],
        )
        for bucket in reversed(buckets)
    ]


@dataclass(slots=True)
class StaffRow:
    status: int
    badge: SafeString
    since: str
    organization: str
    installation: str
    installation_url: str
    environment: str
    name: str
    kind: str
    last_measured: str
    incidents: list


def staff_rows(components) -> list[StaffRow]:
    """The staff overview's rows (selectors.components_for_staff): only texts, the labels and each
    installation's link made once."""
    badge_of, date_text = badges(), DateText()
    kinds = {value: str(label) for value, label in Component.Kind.choices}
    environments = {value: str(label) for value, label in Installation.Environment.choices}
    links = {}
    rows = []
    for component in components:
        installation = component.installation
        if installation.pk not in links:
            links[installation.pk] = installation.get_absolute_url()
        rows.append(
            StaffRow(
                status=component.status,
                badge=badge_of[component.status],
                since=date_text(component.status_since),
                organization=installation.organization.name,
                installation=installation.name,
                installation_url=links[installation.pk],
                environment=environments.get(installation.environment, installation.environment),
                name=component.name,
                kind=kinds.get(component.kind, component.kind),
                last_measured=date_text(component.last_measured_at) or EMPTY,
                incidents=component.open_incidents,
            )
        )
    return rows


def options(field) -> SafeString:
    """A select's <option>s for a bound choice field, as Django's Select widget renders them without a
    template per option."""
    value = field.value()
    selected = "" if value is None else str(value)
    return mark_safe(  # noqa: S308 (format_html escapes each value and label)
        "".join(
            format_html(
                '<option value="{}"{}>{}</option>', key, " selected" if str(key) == selected else "", label
            )
            for key, label in field.field.choices
        )
    )
