"""Reading the ROOMS and BALLOTS files of `jiayuan tally` (.csv in UTF-8, with or without BOM, or .xlsx).

ROOMS columns: room, owner (several joined by ";"), area, area_source (registered/surveyed/contract),
developer_unsold (yes/no). BALLOTS columns: owner, choice (agree/against/abstain or 同意/反对/弃权).
Row numbers are the spreadsheet's: the header is row 1. Every error names the file, row and reason.
"""

from __future__ import annotations

import csv
import io
import zipfile
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings

from jiayuan.core.spreadsheets import WorkbookTooLarge, check_workbook_expansion, unsafe_cell

from .tally import AREA_SOURCES, Ballot, Room

ROOM_COLUMNS = ("room", "owner", "area", "area_source", "developer_unsold")
BALLOT_COLUMNS = ("owner", "choice")
CHOICE_WORDS = {
    "agree": "agree",
    "against": "against",
    "abstain": "abstain",
    "同意": "agree",
    "反对": "against",
    "弃权": "abstain",
}
YES_NO = {"yes": True, "no": False, "y": True, "n": False, "是": True, "否": False, "": False}


class FileError(ValueError):
    def __init__(self, path: Path, row: int | None, reason: str):
        self.path, self.row, self.reason = path, row, reason
        super().__init__(f"{path.name}, row {row}: {reason}" if row is not None else f"{path.name}: {reason}")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):  # openpyxl gives floats for decimals typed into a cell
        value = Decimal(repr(value))
    return unsafe_cell(str(value).strip())  # the apostrophe the platform's own export put before =, +, -, @


def _workbook_table(path: Path) -> list[list]:
    """The first sheet's rows, refused unopened when the zip would expand beyond the roster bounds and
    stopped after settings.ROSTER_MAX_CELLS cells."""
    import openpyxl

    try:
        with zipfile.ZipFile(path) as archive:
            check_workbook_expansion(
                archive,
                max_total=settings.ROSTER_MAX_UNZIPPED_BYTES,
                max_part=settings.ROSTER_MAX_PART_BYTES,
                max_ratio=settings.ROSTER_MAX_ZIP_RATIO,
            )
    except WorkbookTooLarge as exc:
        setting = {
            "total": "JIAYUAN_ROSTER_MAX_UNZIPPED_BYTES",
            "part": "JIAYUAN_ROSTER_MAX_PART_BYTES",
            "ratio": "JIAYUAN_ROSTER_MAX_ZIP_RATIO",
        }[exc.limit]
        where = f"its part {exc.part}" if exc.part else "it"
        raise FileError(path, None, f"refused unopened: {where} would expand beyond {setting}={exc.value}.") from None
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        table, cells = [], 0
        for row in book.worksheets[0].iter_rows(values_only=True):
            cells += len(row)
            if cells > settings.ROSTER_MAX_CELLS:
                raise FileError(path, len(table) + 1, f"more than {settings.ROSTER_MAX_CELLS} cells; split the file.")
            table.append(list(row))
    finally:
        book.close()
    return table


def _rows(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """[(row number, {column: text})] for the non-empty rows below the header."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            text = path.read_bytes().decode("utf-8-sig")
            table = list(csv.reader(io.StringIO(text)))
        elif suffix == ".xlsx":
            table = _workbook_table(path)
        else:
            raise FileError(path, None, "expected a .csv or .xlsx file.")
    except FileNotFoundError:
        raise FileError(path, None, "no such file.") from None
    except UnicodeDecodeError:
        raise FileError(path, None, "not UTF-8 text.") from None
    except FileError:
        raise
    except Exception as exc:  # a corrupt workbook: openpyxl raises many kinds
        raise FileError(path, None, f"cannot be read as a workbook ({exc.__class__.__name__}).") from None
    if not table:
        raise FileError(path, 1, "the file is empty; expected a header row.")
    header = [_cell(c).lower() for c in table[0]]
    missing = [c for c in columns if c not in header]
    if missing:
        raise FileError(path, 1, f"missing column(s) {', '.join(missing)}; expected {', '.join(columns)}.")
    index = {c: header.index(c) for c in columns}
    rows = []
    for number, raw in enumerate(table[1:], start=2):
        cells = [_cell(c) for c in raw]
        if not any(cells):
            continue
        rows.append((number, {c: cells[i] if i < len(cells) else "" for c, i in index.items()}))
    return rows


def read_rooms(path: Path) -> list[Room]:
    rooms = []
    for row, cells in _rows(path, ROOM_COLUMNS):
        if not cells["room"]:
            raise FileError(path, row, "the room is empty.")
        try:
            area = Decimal(cells["area"])
        except InvalidOperation:
            raise FileError(path, row, f"the area {cells['area']!r} is not a number.") from None
        if not area.is_finite() or area <= 0:
            raise FileError(path, row, f"the area must be greater than zero, not {cells['area']}.")
        source = cells["area_source"].lower()
        if source not in AREA_SOURCES:
            raise FileError(
                path, row, f"unknown area_source {cells['area_source']!r}; expected {', '.join(AREA_SOURCES)}."
            )
        flag = cells["developer_unsold"].lower()
        if flag not in YES_NO:
            raise FileError(path, row, f"developer_unsold must be yes or no, not {cells['developer_unsold']!r}.")
        owners = tuple(o.strip() for o in cells["owner"].split(";") if o.strip())
        if not owners and not YES_NO[flag]:
            raise FileError(path, row, "the owner is empty.")
        rooms.append(
            Room(
                room=cells["room"], owners=owners, area=area, area_source=source, developer_unsold=YES_NO[flag], row=row
            )
        )
    return rooms


def read_ballots(path: Path) -> list[Ballot]:
    ballots = []
    for row, cells in _rows(path, BALLOT_COLUMNS):
        if not cells["owner"]:
            raise FileError(path, row, "the owner is empty.")
        choice = CHOICE_WORDS.get(cells["choice"].lower())
        if choice is None:
            raise FileError(
                path, row, f"unknown choice {cells['choice']!r}; expected agree, against or abstain (同意, 反对, 弃权)."
            )
        ballots.append(Ballot(owner=cells["owner"], choice=choice, row=row))
    return ballots
