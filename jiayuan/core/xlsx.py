"""Writing any list to .xlsx: `xlsx_response(filename, headers, rows)`.

Rows are written streaming (openpyxl write-only mode). Text that starts like a formula
is kept as text, so a name typed as "=HYPERLINK(...)" never becomes a live formula.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from itertools import chain, islice
from urllib.parse import quote

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill

from .spreadsheets import safe_cell

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="FDECEA")


# Column widths are measured on the header and the first rows (write-only sheets fix widths before any row).
MEASURED_ROWS = 200
MIN_WIDTH, MAX_WIDTH = 8, 48


def _cell(sheet, value):
    value = safe_cell(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, however the text starts
        cell.number_format = "@"
    elif isinstance(value, dt.datetime):
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, dt.date):
        cell.number_format = "yyyy-mm-dd"
    return cell


def _shown_width(value) -> int:
    """How many character widths a value takes in a cell: Chinese characters count two."""
    if value is None:
        return 0
    if isinstance(value, dt.datetime):
        return 16
    if isinstance(value, dt.date):
        return 10
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(value))


def xlsx_bytes(
    headers: Sequence[str], rows: Iterable[Sequence], *, title: str = "Sheet1", widths: Sequence[int] | None = None
) -> bytes:
    """An .xlsx workbook with one sheet: a bold header row with a filter on it, frozen, printed on every page, then
    `rows`; each column as wide as its header and its first rows need. Dates and times are real dates."""
    rows = iter(rows)
    first = list(islice(rows, MEASURED_ROWS))
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(title))
    for index, header in enumerate(headers):
        if widths:
            width = widths[index]
        else:
            needed = max([_shown_width(header)] + [_shown_width(row[index]) for row in first if index < len(row)])
            width = max(MIN_WIDTH, min(MAX_WIDTH, needed + 2))
        sheet.column_dimensions[_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=str(header))
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        header_cells.append(cell)
    sheet.append(header_cells)
    count = 0
    for row in chain(first, rows):
        sheet.append([_cell(sheet, value) for value in row])
        count += 1
    if headers:
        sheet.auto_filter.ref = f"A1:{_column_letter(len(headers) - 1)}{count + 1}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(
    filename: str,
    headers: Sequence[str],
    rows: Iterable[Sequence],
    *,
    title: str = "Sheet1",
    widths: Sequence[int] | None = None,
    ascii_filename: str = "",
) -> HttpResponse:
    """A download of `rows` under `headers` as `filename` (.xlsx is added if missing).

    `ascii_filename` is what clients that cannot read a UTF-8 file name get instead.
    """
    return xlsx_file_response(
        filename, xlsx_bytes(headers, rows, title=title, widths=widths), ascii_filename=ascii_filename
    )


def xlsx_file_response(filename: str, content: bytes, *, ascii_filename: str = "") -> HttpResponse:
    if not filename.lower().endswith(".xlsx"):
        filename += ".xlsx"
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    ascii_name = ascii_filename or filename.encode("ascii", "ignore").decode()
    ascii_name = "".join(ch for ch in ascii_name if ch.isalnum() or ch in "._-") or "export.xlsx"
    if not ascii_name.lower().endswith(".xlsx"):
        ascii_name += ".xlsx"
    response["Content-Disposition"] = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    return response


def _sheet_title(title: str) -> str:
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in str(title)).strip() or "Sheet1"
    return cleaned[:31]


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)
