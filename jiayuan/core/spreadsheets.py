"""Cells that a spreadsheet program will not run: text beginning with = + - @ (or a tab or carriage
return before them) is a formula to Excel, LibreOffice and WPS, so exported text gets a leading
apostrophe there (OWASP's CSV-injection advice). Numbers stay numbers. Pure: no Django import."""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """`value` as it may go into an exported cell: formula-like text neutralised, anything else as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unsafe_cell(text: str) -> str:
    """The text `safe_cell` wrote, as it was (for files the platform reads back, such as the tally files)."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


class WorkbookTooLarge(ValueError):
    """A workbook (a zip) that would expand beyond a bound when opened. `limit` names the bound crossed
    ("total", "part" or "ratio"), `value` is the bound and `part` the zip member that crossed it."""

    def __init__(self, limit: str, value: int, part: str = ""):
        self.limit, self.value, self.part = limit, value, part
        super().__init__(f"{limit} bound {value} crossed" + (f" by {part}" if part else ""))


RATIO_CHECK_FROM_BYTES = 1024 * 1024  # small parts (styles, content types) may compress very well


def check_workbook_expansion(archive, *, max_total: int, max_part: int, max_ratio: int) -> None:
    """Refuse a workbook before anything decompresses it: `archive` is an open `zipfile.ZipFile`, whose
    directory declares each member's expanded size (zipfile stops reading a member at that size). Openpyxl
    streams rows but loads the shared strings whole, so a few hundred KB can otherwise become gigabytes."""
    total = 0
    for info in archive.infolist():
        total += info.file_size
        if info.file_size > max_part:
            raise WorkbookTooLarge("part", max_part, info.filename)
        if info.file_size > RATIO_CHECK_FROM_BYTES and info.file_size > max_ratio * max(info.compress_size, 1):
            raise WorkbookTooLarge("ratio", max_ratio, info.filename)
    if total > max_total:
        raise WorkbookTooLarge("total", max_total)
