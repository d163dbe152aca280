"""Spreadsheet downloads of a list (the case export, the history of consultant services): CSV or XLSX
written row by row as the rows are read, so memory stays flat however many rows there are.

CSV is semicolon-separated UTF-8 with a byte order mark: the list separator of Croatian Excel, which then
opens the file with the letters č, ć, ž, š, đ intact. Text that a spreadsheet would run as a formula
(starting with = + - @) is kept as plain text in both formats. Datetimes are written as given (callers pass
them naive, in local time); dates and Decimals stay real dates and numbers in XLSX.
"""

import csv
import tempfile
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal

from django.http import FileResponse, StreamingHttpResponse
from django.utils.formats import get_format
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

CSV_DELIMITER = ";"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def as_text(value, decimal_separator: str = ".") -> str:
    """A CSV cell: datetimes and dates in ISO order, decimals with the language's separator (Croatian Excel
    reads "1,50" as a number and "1.50" as a date), formulas defused."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal | float):
        return str(value).replace(".", decimal_separator)
    if isinstance(value, int):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


class _Echo:
    """csv.writer writes into this and gets the line back, so each row can be streamed at once."""

    def write(self, value: str) -> str:
        return value


def _csv_lines(header: list[str], rows: Iterable[list], decimal_separator: str) -> Iterator[str]:
    writer = csv.writer(_Echo(), delimiter=CSV_DELIMITER)
    yield "\ufeff" + writer.writerow(header)
    for row in rows:
        yield writer.writerow([as_text(value, decimal_separator) for value in row])


def csv_response(file_name: str, header: list[str], rows: Iterable[list]) -> StreamingHttpResponse:
    """Rows go out as they are read (`rows` may be a generator over a server-side cursor), after the view
    has returned: the decimal separator of the request's language is read now."""
    lines = _csv_lines(header, rows, get_format("DECIMAL_SEPARATOR"))
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response


def xlsx_cell(sheet, value):
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
        cell.data_type = "s"  # never a formula, whatever the text starts with
        return cell
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, datetime):
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, date):
        cell.number_format = "yyyy-mm-dd"
    elif isinstance(value, Decimal):
        cell.number_format = "0.00"
    return cell


def xlsx_response(file_name: str, sheet_title: str, header: list[str], rows: Iterable[list]) -> FileResponse:
    """A write-only workbook (rows are not kept in memory) saved to a temporary file, then streamed."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title[:31])
    bold = Font(bold=True)
    cells = []
    for title in header:
        cell = xlsx_cell(sheet, title)
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)
    for row in rows:
        sheet.append([xlsx_cell(sheet, value) for value in row])
    handle = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it once sent)
    workbook.save(handle)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=file_name, content_type=XLSX_TYPE)
