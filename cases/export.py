"""The case export: the filtered cases the user may analyse, as CSV or XLSX.

Only fields of the case itself are exported, the public description included; replies and internal notes
never are. Times are local (Europe/Zagreb). CSV is semicolon-separated UTF-8 with a byte order mark: the
list separator of Croatian Excel, which then opens the file with the letters č, ć, ž, š, đ intact. Text
that a spreadsheet would run as a formula (starting with = + - @) is kept as plain text in both formats.
"""

import csv
import tempfile
from collections.abc import Iterator
from datetime import datetime

from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from .models import Case

EXPORT_LIMIT = 50_000
CSV_DELIMITER = ";"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
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


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


class _Echo:
    """csv.writer writes into this and gets the line back, so each row can be streamed at once."""

    def write(self, value: str) -> str:
        return value


def _csv_lines(header: list[str], rows: Iterator[list]) -> Iterator[str]:
    writer = csv.writer(_Echo(), delimiter=CSV_DELIMITER)
    yield "\ufeff" + writer.writerow(header)
    for row in rows:
        yield writer.writerow([_as_text(value) for value in row])


def _file_name(extension: str) -> str:
    return f"cases-{timezone.localtime():%Y%m%d-%H%M}.{extension}"


def csv_response(cases: QuerySet[Case]) -> StreamingHttpResponse:
    """Rows go out as they are read: memory stays flat however many cases match."""
    response = StreamingHttpResponse(
        _csv_lines(export_header(), export_rows(cases)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_file_name("csv")}"'
    return response


def _xlsx_cell(sheet, value):
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
        cell.data_type = "s"  # never a formula, whatever the text starts with
        return cell
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, datetime):
        cell.number_format = "yyyy-mm-dd hh:mm"
    return cell


def xlsx_response(cases: QuerySet[Case]) -> FileResponse:
    """A write-only workbook (rows are not kept in memory) saved to a temporary file, then streamed."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Cases")[:31])
    bold = Font(bold=True)
    header = []
    for title in export_header():
        cell = _xlsx_cell(sheet, title)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in export_rows(cases):
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    handle = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it once sent)
    workbook.save(handle)
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=_file_name("xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
