"""Exported cells never start a formula, and the tally files read back what was written."""

from io import BytesIO

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from jiayuan.core.spreadsheets import FORMULA_STARTS, safe_cell, unsafe_cell
from jiayuan.core.xlsx import xlsx_bytes


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1"])
def test_formula_like_text_gets_an_apostrophe_in_an_exported_workbook(text):
    sheet = load_workbook(BytesIO(xlsx_bytes(["name", "area"], [[text, -12.5]]))).active
    assert sheet["A2"].value == "'" + text
    assert sheet["B2"].value == -12.5  # a real number stays a number


@given(st.text())
def test_what_safe_cell_writes_unsafe_cell_reads_back(text):
    written = safe_cell(text)
    assert not written.startswith(("=", "+", "-", "@"))
    if not (text.startswith("'") and text[1:].startswith(FORMULA_STARTS)):  # already neutralised text
        assert unsafe_cell(written) == text


def test_a_sheet_has_a_header_filter_real_dates_and_columns_as_wide_as_their_text():
    import datetime as dt

    rows = [["晋江市青阳街道金利花园小区", dt.datetime(2026, 3, 1, 9, 30), dt.date(2026, 3, 4)], ["短", None, None]]
    sheet = load_workbook(BytesIO(xlsx_bytes(["小区", "受理时间", "期限"], rows))).active
    assert sheet.auto_filter.ref == "A1:C3"
    assert sheet["B2"].value == dt.datetime(2026, 3, 1, 9, 30) and sheet["B2"].number_format == "yyyy-mm-dd hh:mm"
    assert sheet["C2"].value == dt.datetime(2026, 3, 4) and sheet["C2"].number_format == "yyyy-mm-dd"
    assert sheet.column_dimensions["A"].width == 2 * len("晋江市青阳街道金利花园小区") + 2
    assert sheet.column_dimensions["C"].width == 12
