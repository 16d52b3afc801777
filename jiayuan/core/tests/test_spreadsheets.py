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
