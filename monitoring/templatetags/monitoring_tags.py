"""The status badge of the monitoring pages: its text says the state, the colour only repeats it."""

from django import template
from django.utils import formats
from django.utils.html import format_html

from monitoring.models import Status

register = template.Library()

TONES = {
    Status.OK: "text-bg-success",
    Status.UNKNOWN: "text-bg-secondary",
    Status.WARNING: "text-bg-warning",
    Status.CRITICAL: "text-bg-danger",
}


@register.simple_tag
def status_badge(status) -> str:
    status = Status(status)
    return format_html('<span class="badge {} status-badge">{}</span>', TONES[status], status.label)


@register.filter
def measurement(value, unit="") -> str:
    """A measured value with at most two decimals and no trailing zeros, in the page's notation (41,5),
    and its unit if it has one ("41,5 %")."""
    if value is None:
        return "—"
    rounded = round(float(value), 2)
    if rounded.is_integer():
        number = str(int(rounded))
    else:
        number = repr(rounded)
        # number_format without its Decimal detour (no grouping: USE_THOUSAND_SEPARATOR is off); the rare
        # exponent or nan/inf goes the long way.
        if "e" in number or "n" in number:
            number = formats.number_format(rounded, use_l10n=True)
        else:
            number = number.replace(".", formats.get_format("DECIMAL_SEPARATOR"))
    return f"{number} {unit}" if unit else number
