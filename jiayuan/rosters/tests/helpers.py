"""Building roster files in memory, and counting what an import may have written."""

from __future__ import annotations

import datetime as dt
import io
from itertools import count

from openpyxl import Workbook, load_workbook

from jiayuan.core.identity import id_check_character, make_id_number
from jiayuan.core.models import AuditEntry
from jiayuan.organisations.models import Organisation, Post
from jiayuan.people.models import Ownership, PartyMembership, Person
from jiayuan.places.models import Building, Compound, Room, Unit
from jiayuan.rosters.definitions import ROSTERS

_serial = count(500)


def new_id(birth=dt.date(1985, 4, 12)) -> str:
    """A valid ID number nobody in the test world has (region 350521; the world uses 350582)."""
    n = next(_serial)
    return make_id_number("350521", birth + dt.timedelta(days=n // 1000), n % 1000)


def wrong_checksum(id_number: str) -> str:
    last = "0" if id_number[-1] != "0" else "1"
    return id_number[:17] + last


def with_birth(date_digits: str) -> str:
    """An ID number whose checksum is right but whose birth date is `date_digits` (YYYYMMDD)."""
    first17 = f"350521{date_digits}123"
    return first17 + id_check_character(first17)


def workbook_bytes(*rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def roster_file(kind: str, *rows) -> bytes:
    """A file with the roster's headers and `rows` (row 2 onwards)."""
    return workbook_bytes(ROSTERS[kind].headers, *rows)


def sheet_rows(content: bytes, index: int = 0) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(content))
    return [tuple(row) for row in workbook.worksheets[index].iter_rows(values_only=True)]


COUNTED = (Compound, Building, Unit, Room, Person, Ownership, PartyMembership, Post, Organisation, AuditEntry)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def problems(result) -> list[tuple]:
    return [(e.row, e.column, e.reason) for e in result.errors]
