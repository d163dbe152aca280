"""The case export: the filtered cases the user may analyse, as CSV or XLSX.

Only fields of the case itself are exported, the public description included; replies and internal notes
never are. Times are local (Europe/Zagreb). The files are written by helpdesk.exports (CSV for Croatian
Excel, formulas defused in both formats).
"""

from collections.abc import Iterator
from datetime import datetime

from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from helpdesk import exports

from .models import Case

EXPORT_LIMIT = 50_000
FIELDS = (
    "reference",
    "title",
    "organization__name",
    "reporter__full_name",
    "reporter__email",
    "category__name_hr",
    "category__name_en",
    "module__name_hr",
    "module__name_en",
    "priority",
    "status",
    "assignee__full_name",
    "assignee__email",
    "created_at",
    "first_response_at",
    "resolved_at",
    "closed_at",
    "last_activity_at",
    "description",
)


def export_header() -> list[str]:
    return [
        _("Reference"),
        _("Title"),
        _("Organization"),
        _("Reporter"),
        _("Category"),
        _("Product module"),
        _("Priority"),
        _("Status"),
        _("Assignee"),
        _("Created"),
        _("First response"),
        _("Resolved"),
        _("Closed"),
        _("Last activity"),
        _("Description"),
    ]


def limit_note() -> str:
    return _("The export stops at %(limit)s cases. Narrow the filters to export the rest.") % {
        "limit": number_format(EXPORT_LIMIT, force_grouping=True)
    }


def export_rows(cases: QuerySet[Case]) -> Iterator[list]:
    """One list of values per case (datetimes naive, in local time), at most EXPORT_LIMIT, then the
    limit note as a last one-cell row if more cases matched. Labels are translated now, in the request's
    language, though the rows are read later, while the response streams."""
    english = (get_language() or "hr").startswith("en")
    labels = {
        "priority": {value: str(label) for value, label in Case.Priority.choices},
        "status": {value: str(label) for value, label in Case.Status.choices},
    }
    return _rows(cases, english=english, labels=labels, note=limit_note())


def _rows(cases: QuerySet[Case], *, english: bool, labels: dict, note: str) -> Iterator[list]:
    language = "en" if english else "hr"
    rows = cases.values_list(*FIELDS)[: EXPORT_LIMIT + 1].iterator(chunk_size=2000)
    for number, row in enumerate(rows, start=1):
        if number > EXPORT_LIMIT:
            yield [note]
            return
        values = dict(zip(FIELDS, row, strict=True))
        yield [
            values["reference"],
            values["title"],
            values["organization__name"],
            values["reporter__full_name"] or values["reporter__email"],
            values[f"category__name_{language}"],
            values[f"module__name_{language}"] or "",
            labels["priority"].get(values["priority"], values["priority"]),
            labels["status"].get(values["status"], values["status"]),
            values["assignee__full_name"] or values["assignee__email"] or "",
            _local(values["created_at"]),
            _local(values["first_response_at"]),
            _local(values["resolved_at"]),
            _local(values["closed_at"]),
            _local(values["last_activity_at"]),
            values["description"],
        ]


def _local(moment: datetime | None) -> datetime | None:
    return None if moment is None else timezone.localtime(moment).replace(tzinfo=None, microsecond=0)


def _file_name(extension: str) -> str:
    return f"cases-{timezone.localtime():%Y%m%d-%H%M}.{extension}"


def csv_response(cases: QuerySet[Case]) -> StreamingHttpResponse:
    """Rows go out as they are read: memory stays flat however many cases match."""
    return exports.csv_response(_file_name("csv"), export_header(), export_rows(cases))


def xlsx_response(cases: QuerySet[Case]) -> FileResponse:
    return exports.xlsx_response(_file_name("xlsx"), _("Cases"), export_header(), export_rows(cases))
