"""Reading an uploaded roster: is it an Excel workbook, are the headers right, is every cell well formed.

Nothing here touches the database; it turns a file into typed rows plus a list of
problems, each naming the Excel row, the column header, the value and the reason.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from jiayuan.core.spreadsheets import WorkbookTooLarge, check_workbook_expansion
from jiayuan.people.services import clean_id_number, clean_phone

from .definitions import BOOL, CHOICE, DATE, DECIMAL, ID_NUMBER, INT, PHONE, Column, Roster
from .report import RowError

MAX_COLUMNS = 64  # columns read per row; anything further right is ignored
HEADER_SEARCH_ROWS = 5  # a title row or two above the headers is common in hand-kept rosters
MAX_LEADING_BLANK_ROWS = 1000
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")
AREA_UNITS = re.compile(r"\s*(㎡|m²|m2|平方米|平米)$", re.IGNORECASE)


class CellError(ValueError):
    """A cell that cannot be read as its column's kind; the message is the reason."""


@dataclass
class ParsedRow:
    """One data row: its Excel row number, the cells as text, and the typed values."""

    number: int
    roster: Roster
    raw: dict[str, str]
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    bad: set[str] = field(default_factory=set)

    def error(self, key: str, reason: str, *, value: str | None = None) -> None:
        header = self.roster.column(key).header if key else ""
        shown = self.raw.get(key, "") if value is None else value
        self.errors.append(RowError(self.number, header, shown[:100], str(reason)))
        if key:
            self.bad.add(key)

    def ok(self, *keys: str) -> bool:
        """True when none of `keys` had a problem so far."""
        return not self.bad.intersection(keys)

    def __getitem__(self, key: str):
        return self.values.get(key)


@dataclass
class ReadResult:
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)  # file and header problems


def read_roster(roster: Roster, data: bytes, *, max_rows: int, filename: str = "") -> ReadResult:
    """Parse `data` as `roster`. File-level problems stop early; cell problems stay on their rows."""
    result = ReadResult()
    filename = filename or _("The workbook")
    try:
        workbook, sheet_rows = _open_rows(data, filename)
    except CellError as exc:
        result.errors.append(RowError(None, "", "", str(exc)))
        return result
    try:
        _read_rows(roster, _guarded(sheet_rows, filename), max_rows, result)
    except CellError as exc:  # the sheet's XML broke off while being read
        result.rows.clear()
        result.errors[:] = [RowError(None, "", "", str(exc))]
    finally:
        workbook.close()
    return result


def _guarded(sheet_rows, filename: str):
    """The sheet's rows; a workbook that breaks while being read becomes a CellError, not a traceback, and
    one with more than settings.ROSTER_MAX_CELLS cells (blank rows count: a lone row 1048576 yields them all)
    stops there."""
    iterator = iter(sheet_rows)
    limit = settings.ROSTER_MAX_CELLS
    cells_read = 0
    while True:
        try:
            cells = next(iterator)
        except StopIteration:
            return
        except Exception as exc:
            raise CellError(_not_excel_message()) from exc
        cells_read += len(cells)
        if cells_read > limit:
            raise CellError(
                _(
                    "%(file)s has more than %(max)s cells (rows × columns, blank ones included); "
                    "delete the empty rows and columns or split it into several files."
                )
                % {"file": filename, "max": limit}
            )
        yield cells


def _too_large_message(exc: WorkbookTooLarge, filename: str) -> str:
    if exc.limit == "ratio":
        return _(
            "%(file)s: its part %(part)s expands more than %(max)s times its compressed size, which a "
            "genuine workbook does not; save it again from Excel or WPS."
        ) % {"file": filename, "part": exc.part, "max": exc.value}
    if exc.limit == "part":
        return _(
            "%(file)s: its part %(part)s expands to more than %(max)s when opened; split the workbook "
            "into several files."
        ) % {"file": filename, "part": exc.part, "max": filesizeformat(exc.value)}
    return _("%(file)s expands to more than %(max)s when opened; split it into several files.") % {
        "file": filename,
        "max": filesizeformat(exc.value),
    }


def _not_excel_message() -> str:
    return _(
        'The file is not an Excel workbook (.xlsx). Save it from Excel or WPS as "Excel Workbook (*.xlsx)" '
        "and upload it again."
    )


def _open_rows(data: bytes, filename: str):
    """The workbook and its first worksheet's rows (tuples of values); CellError for anything not .xlsx."""
    if data[:4] == b"\xd0\xcf\x11\xe0":
        raise CellError(
            _(
                "The file is an old-format (.xls) or password-protected workbook. Save it as an "
                'unprotected "Excel Workbook (*.xlsx)" and upload it again.'
            )
        )
    if data[:4] != b"PK\x03\x04":
        raise CellError(_not_excel_message())
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            # openpyxl streams the rows but holds the shared strings whole: bound both before it opens anything.
            check_workbook_expansion(
                archive,
                max_total=settings.ROSTER_MAX_UNZIPPED_BYTES,
                max_part=settings.ROSTER_MAX_PART_BYTES,
                max_ratio=settings.ROSTER_MAX_ZIP_RATIO,
            )
    except WorkbookTooLarge as exc:
        raise CellError(_too_large_message(exc, filename)) from None
    except Exception as exc:  # BadZipFile and the like
        raise CellError(_not_excel_message()) from exc
    try:
        from openpyxl import load_workbook

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about extensions it does not read
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheets = workbook.worksheets
    except CellError:
        raise
    except Exception as exc:  # BadZipFile, InvalidFileException, KeyError, XML errors...
        raise CellError(_not_excel_message()) from exc
    if not sheets:
        workbook.close()
        raise CellError(_("The workbook has no worksheet."))
    sheet = sheets[0]
    sheet.reset_dimensions()  # some writers declare a wrong used range; read what is there
    return workbook, sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)


def normalise_header(value: Any) -> str:
    text = re.sub(r"\s+", "", cell_text(value))
    text = text.replace("（", "(").replace("）", ")").rstrip("*")
    return re.sub(r"\((m²|m2|M2|平方米|平米)\)", "(㎡)", text)


def _read_rows(roster: Roster, sheet_rows, max_rows: int, result: ReadResult) -> None:
    known = {normalise_header(column.header): column for column in roster.columns}
    expected = "、".join(roster.headers)
    header_row = None
    first_filled = None
    positions: dict[int, Column] = {}
    for number, cells in enumerate(sheet_rows, start=1):
        if header_row is None:
            if _blank(cells):
                if first_filled is None and number >= MAX_LEADING_BLANK_ROWS:
                    break
                continue
            first_filled = first_filled or number
            if any(normalise_header(cell) in known for cell in cells):
                header_row = number
                positions = _check_headers(roster, known, cells, number, result)
                if result.errors:
                    return
            elif number - first_filled + 1 >= HEADER_SEARCH_ROWS:
                break
            continue
        if _blank(cells):
            continue
        if len(result.rows) >= max_rows:
            result.errors.append(
                RowError(
                    number,
                    "",
                    "",
                    _("The sheet has more than %(max)s data rows; split it into several files.") % {"max": max_rows},
                )
            )
            result.rows.clear()
            return
        row = _parse_row(roster, positions, cells, number)
        if row is not None:
            result.rows.append(row)
    if header_row is None:
        if first_filled is None:
            result.errors.append(
                RowError(
                    1,
                    "",
                    "",
                    _("The sheet is empty. The first row must hold the column headers: %(headers)s.")
                    % {"headers": expected},
                )
            )
        else:
            result.errors.append(
                RowError(
                    first_filled,
                    "",
                    "",
                    _("The column headers were not found. The first row must hold the column headers: %(headers)s.")
                    % {"headers": expected},
                )
            )
        return
    if not result.rows:
        result.errors.append(RowError(header_row + 1, "", "", _("The sheet has headers but no data rows.")))


def _check_headers(roster: Roster, known: dict, cells, number: int, result: ReadResult) -> dict[int, Column]:
    positions: dict[int, Column] = {}
    seen: set[str] = set()
    for index, cell in enumerate(cells):
        name = normalise_header(cell)
        if not name:
            continue
        column = known.get(name)
        if column is None:
            result.errors.append(
                RowError(
                    number,
                    cell_text(cell),
                    cell_text(cell),
                    _("Unknown column. The accepted columns are: %(headers)s.")
                    % {"headers": "、".join(roster.headers)},
                )
            )
        elif column.key in seen:
            result.errors.append(RowError(number, column.header, cell_text(cell), _("This column appears twice.")))
        else:
            seen.add(column.key)
            positions[index] = column
    for column in roster.columns:
        if column.required and column.key not in seen:
            result.errors.append(RowError(number, column.header, "", _("This column is missing from the header row.")))
    return positions


def _blank(cells) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


def _parse_row(roster: Roster, positions: dict[int, Column], cells, number: int) -> ParsedRow | None:
    raw = {column.key: "" for column in roster.columns}
    cell_values = {}
    for index, column in positions.items():
        value = cells[index] if index < len(cells) else None
        raw[column.key] = cell_text(value)
        cell_values[column.key] = value
    if raw == dict(zip([c.key for c in roster.columns], roster.example_row, strict=True)):
        return None  # the template's example row, left in place
    row = ParsedRow(number=number, roster=roster, raw=raw)
    for column in roster.columns:
        value = cell_values.get(column.key)
        if raw[column.key] == "":
            row.values[column.key] = None
            if column.required:
                row.error(column.key, _("A value is required."))
            continue
        try:
            row.values[column.key] = parse_cell(column, value)
        except CellError as exc:
            row.error(column.key, str(exc))
    return row


def cell_text(value: Any) -> str:
    """A cell as the text a person would read in it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def parse_cell(column: Column, value: Any):
    """The typed value of a non-empty cell, or CellError with the reason."""
    parser = _PARSERS.get(column.kind, _parse_text)
    return parser(column, value)


def _parse_text(column: Column, value: Any) -> str:
    text = cell_text(value)
    if column.max_length and len(text) > column.max_length:
        raise CellError(
            _("At most %(max)s characters are allowed, this has %(length)s.")
            % {"max": column.max_length, "length": len(text)}
        )
    return text


def _parse_int(column: Column, value: Any) -> int:
    if isinstance(value, bool):
        raise CellError(_("A whole number is required."))
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        text = cell_text(value)
        if not re.fullmatch(r"[+-]?\d+(\.0+)?", text):
            raise CellError(_("A whole number is required."))
        number = int(Decimal(text))
    if column.min_value is not None and number < column.min_value:
        raise CellError(_("The number must be at least %(min)s.") % {"min": column.min_value})
    if column.max_value is not None and number > column.max_value:
        raise CellError(_("The number must be at most %(max)s.") % {"max": column.max_value})
    if column.key == "year_built" and number > dt.date.today().year:
        raise CellError(_("The year is in the future."))
    return number


def _parse_decimal(column: Column, value: Any) -> Decimal:
    if isinstance(value, bool):
        raise CellError(_("A number of square metres is required."))
    text = str(value) if isinstance(value, (int, float, Decimal)) else AREA_UNITS.sub("", cell_text(value))
    try:
        number = Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise CellError(_("The area must be a number of square metres.")) from None
    if not number.is_finite():
        raise CellError(_("The area must be a number of square metres."))
    if number <= 0:
        raise CellError(_("The area must be greater than zero."))
    if number >= Decimal("10000000"):
        raise CellError(_("The area is too large."))
    if number != number.quantize(Decimal("0.01")):
        raise CellError(_("The area may have at most two decimals."))
    return number.quantize(Decimal("0.01"))


def _parse_date(column: Column, value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        for fmt in DATE_FORMATS:
            try:
                return dt.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
    raise CellError(_("A date such as 2024-01-31 is required."))


def _lookup(column: Column, value: Any):
    if isinstance(value, bool) and column.kind == BOOL:
        return value
    text = cell_text(value).lower()
    for code, spellings in (column.choices or {}).items():
        if text in {s.lower() for s in spellings} or (not isinstance(code, bool) and text == code.lower()):
            return code
    raise CellError(_("Not an accepted value; use one of: %(values)s.") % {"values": "、".join(column.accepted_values)})


def _parse_id_number(column: Column, value: Any) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise CellError(
            _(
                "The ID number was stored as a number, which loses digits in Excel; format the column "
                "as text and type the number again."
            )
        )
    try:
        return clean_id_number(cell_text(value))
    except ValidationError as exc:
        raise CellError(" ".join(exc.messages)) from None


def _parse_phone(column: Column, value: Any) -> str:
    try:
        return clean_phone(cell_text(value))
    except ValidationError as exc:
        raise CellError(" ".join(exc.messages)) from None


_PARSERS = {
    INT: _parse_int,
    DECIMAL: _parse_decimal,
    DATE: _parse_date,
    CHOICE: _lookup,
    BOOL: _lookup,
    ID_NUMBER: _parse_id_number,
    PHONE: _parse_phone,
}
