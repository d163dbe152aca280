"""The history of consultant services as CSV or XLSX: the filtered time entries of one organization, as
the page lists them (billing.reports.services_of), written by helpdesk.exports.

Customers get what the page shows them: billable time with the description they see. Staff also get the
non-billable time and the internal note. Hours are numbers (two decimals), dates real dates in XLSX.
"""

from collections.abc import Iterator

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.models import Organization
from helpdesk import exports

from .models import TimeEntry
from .money import hours_of

EXPORT_LIMIT = 50_000
FIELDS = (
    "date",
    "consultant__full_name",
    "consultant__email",
    "case__reference",
    "case__title",
    "case__module__name_hr",
    "case__module__name_en",
    "minutes",
    "is_billable",
    "description",
    "internal_note",
)


def export_header(*, staff: bool) -> list[str]:
    header = [
        _("Date"),
        _("Consultant"),
        _("Case"),
        _("Case title"),
        _("Product module"),
        _("Hours"),
        _("Billable"),
        _("Description"),
    ]
    return [*header, _("Internal note")] if staff else header


def export_rows(entries: QuerySet[TimeEntry], *, staff: bool) -> Iterator[list]:
    """One list of values per entry, at most EXPORT_LIMIT, then a note as a last one-cell row if more
    matched. Words are translated now, in the request's language, though the rows are read later, while
    the response streams."""
    english = (get_language() or "hr").startswith("en")
    words = {
        "yes": _("Yes"),
        "no": _("No"),
        "general": _("General work"),
        "note": _("The export stops at %(limit)s entries. Narrow the filters to export the rest.")
        % {"limit": number_format(EXPORT_LIMIT, force_grouping=True)},
    }
    return _rows(
        entries, staff=staff, module_field="case__module__name_" + ("en" if english else "hr"), words=words
    )


def _rows(entries, *, staff: bool, module_field: str, words: dict) -> Iterator[list]:
    rows = entries.values_list(*FIELDS)[: EXPORT_LIMIT + 1].iterator(chunk_size=2000)
    for number, row in enumerate(rows, start=1):
        if number > EXPORT_LIMIT:
            yield [words["note"]]
            return
        values = dict(zip(FIELDS, row, strict=True))
        line = [
            values["date"],
            values["consultant__full_name"] or values["consultant__email"],
            values["case__reference"] or words["general"],
            values["case__title"] or "",
            values[module_field] or "",
            hours_of(values["minutes"]),
            words["yes"] if values["is_billable"] else words["no"],
            values["description"],
        ]
        yield [*line, values["internal_note"]] if staff else line


def _file_name(organization: Organization, extension: str) -> str:
    return f"services-{organization.pk}-{timezone.localtime():%Y%m%d-%H%M}.{extension}"


def export_response(
    entries: QuerySet[TimeEntry], *, organization: Organization, staff: bool, file_format: str
) -> HttpResponse:
    header, rows = export_header(staff=staff), export_rows(entries, staff=staff)
    if file_format == "xlsx":
        return exports.xlsx_response(_file_name(organization, "xlsx"), _("Consultant services"), header, rows)
    return exports.csv_response(_file_name(organization, "csv"), header, rows)
