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
