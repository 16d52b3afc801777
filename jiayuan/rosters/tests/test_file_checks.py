"""Files that are not a well-formed roster: rejected with a clear reason, nothing written."""

import io
import zipfile

import pytest

from jiayuan.rosters.definitions import ROSTERS

from .helpers import problems, roster_file, workbook_bytes

NOT_EXCEL = (
    'The file is not an Excel workbook (.xlsx). Save it from Excel or WPS as "Excel Workbook (*.xlsx)" '
    "and upload it again."
)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"


def _zip_that_is_not_a_workbook() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<doc/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "content",
    [
        "小区编码,楼栋,单元,房号\nC0001,1号楼,1单元,301\n".encode(),
        PNG,
        b"",
        _zip_that_is_not_a_workbook(),
    ],
    ids=["csv-text", "png", "empty-file", "docx-like-zip"],
)
def test_a_file_that_is_not_excel_is_rejected_with_a_clear_reason(run_import, content):
    result = run_import("town_clerk", "rooms", content, filename="rooms.xlsx")
    assert problems(result) == [(None, "", NOT_EXCEL)]


def test_an_old_xls_workbook_is_rejected_with_advice_to_save_as_xlsx(run_import):
    result = run_import("town_clerk", "rooms", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    assert result.errors[0].row is None
    assert ".xls" in result.errors[0].reason


def test_an_empty_sheet_is_rejected(run_import):
    result = run_import("town_clerk", "rooms", workbook_bytes())
    assert problems(result) == [
        (
            1,
            "",
            "The sheet is empty. The first row must hold the column headers: "
            "小区编码、楼栋、单元、房号、楼层、专有面积(㎡)、面积来源.",
        )
    ]


def test_a_sheet_with_headers_but_no_rows_is_rejected(run_import):
    result = run_import("town_clerk", "rooms", roster_file("rooms"))
    assert problems(result) == [(2, "", "The sheet has headers but no data rows.")]


def test_a_sheet_without_the_roster_headers_is_rejected(run_import):
    content = workbook_bytes(["name", "building", "area"], ["C0001", "1", "90"])
    result = run_import("town_clerk", "rooms", content)
    assert problems(result) == [
        (
            1,
            "",
            "The column headers were not found. The first row must hold the column "
            "headers: 小区编码、楼栋、单元、房号、楼层、专有面积(㎡)、面积来源.",
        )
    ]


def test_a_wrong_header_and_a_missing_one_are_both_named(run_import):
    headers = ["小区编码", "楼号", "单元", "房号", "楼层", "专有面积(㎡)", "面积来源"]
    result = run_import(
        "town_clerk", "rooms", workbook_bytes(headers, ["C0001", "1号楼", "1单元", "301", 3, 90, "登记面积"])
    )
    assert problems(result) == [
        (
            1,
            "楼号",
            "Unknown column. The accepted columns are: 小区编码、楼栋、单元、房号、楼层、专有面积(㎡)、面积来源.",
        ),
        (1, "楼栋", "This column is missing from the header row."),
    ]


def test_a_column_given_twice_is_rejected(run_import):
    headers = [*ROSTERS["rooms"].headers, "房号"]
    result = run_import(
        "town_clerk", "rooms", workbook_bytes(headers, ["C0001", "1号楼", "1单元", "301", 3, 90, "登记面积", "302"])
    )
    assert problems(result) == [(1, "房号", "This column appears twice.")]


def test_too_many_rows_are_refused(run_import, settings):
    settings.ROSTER_MAX_ROWS = 2
    rows = [["C0001", "9号楼", "1单元", str(n), 1, 80, "登记面积"] for n in range(3)]
    result = run_import("town_clerk", "rooms", roster_file("rooms", *rows))
    assert problems(result) == [(4, "", "The sheet has more than 2 data rows; split it into several files.")]


def test_a_title_row_above_the_headers_and_blank_rows_are_tolerated(run_import):
    content = workbook_bytes(
        ["青华社区房屋名册"],
        [],
        ROSTERS["rooms"].headers,
        ["C0001", "9号楼", "1单元", "101", 1, 80, "登记面积"],
        [],
        [None, " "],
        ["C0001", "9号楼", "1单元", "102", 1, 81, "实测"],
    )
    result = run_import("town_clerk", "rooms", content)
    assert result.ok, problems(result)
    assert result.counts == {"buildings": 1, "units": 1, "rooms": 2}


def test_headers_in_full_width_brackets_and_m2_are_accepted(run_import):
    headers = ["小区编码", "楼栋", "单元", "房号", "楼层", "专有面积（m²）", "面积来源"]
    result = run_import(
        "town_clerk", "rooms", workbook_bytes(headers, ["C0001", "9号楼", "1单元", "101", 1, 80, "登记面积"])
    )
    assert result.ok, problems(result)


def test_the_example_row_of_the_template_is_skipped(run_import):
    example = ROSTERS["rooms"].example_row
    result = run_import(
        "town_clerk", "rooms", roster_file("rooms", example, ["C0001", "9号楼", "1单元", "101", 1, 80, "登记面积"])
    )
    assert result.ok, problems(result)
    assert result.rows == 1


def _bomb(part: str = "xl/sharedStrings.xml", megabytes: int = 3) -> bytes:
    """A small .xlsx whose one part expands to `megabytes` MB: it compresses about a thousand times."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, "<sst><si><t>" + "A" * (megabytes * 1024 * 1024) + "</t></si></sst>")
    return buffer.getvalue()


def test_a_shared_strings_bomb_under_the_size_bounds_is_refused_by_its_compression_ratio(run_import, settings):
    """The issue's attack: 611 KB expanding to 250 MB, under the size guard. The ratio gives it away."""
    settings.ROSTER_MAX_ZIP_RATIO = 100
    content = _bomb()
    assert len(content) < 20_000
    result = run_import("town_clerk", "owners", content, filename="owners.xlsx")
    assert problems(result) == [
        (
            None,
            "",
            "owners.xlsx: its part xl/sharedStrings.xml expands more than 100 times "
            "its compressed size, which a genuine workbook does not; save it again "
            "from Excel or WPS.",
        )
    ]


def test_a_workbook_over_the_expanded_bounds_is_refused_naming_the_file_the_part_and_the_limit(run_import, settings):
    settings.ROSTER_MAX_ZIP_RATIO = 10_000
    settings.ROSTER_MAX_PART_BYTES = 1024 * 1024
    result = run_import("town_clerk", "owners", _bomb(), filename="owners.xlsx")
    assert problems(result) == [
        (
            None,
            "",
            "owners.xlsx: its part xl/sharedStrings.xml expands to more than "
            "1.0\xa0MB when opened; split the workbook into several files.",
        )
    ]
    settings.ROSTER_MAX_PART_BYTES = 40 * 1024 * 1024
    settings.ROSTER_MAX_UNZIPPED_BYTES = 2 * 1024 * 1024
    result = run_import("town_clerk", "owners", _bomb(), filename="owners.xlsx")
    assert problems(result) == [
        (None, "", "owners.xlsx expands to more than 2.0\xa0MB when opened; split it into several files.")
    ]


def test_a_genuine_large_roster_is_within_the_default_ratio(settings):
    """A real workbook of repetitive rows compresses far less than the bomb bound (the bound stays safe)."""
    from jiayuan.core.spreadsheets import check_workbook_expansion

    rows = [["C0001", f"{n % 30 + 1}号楼", "1单元", str(n), "3", "89.50", "登记"] for n in range(30_000)]
    with zipfile.ZipFile(io.BytesIO(roster_file("rooms", *rows))) as archive:
        check_workbook_expansion(archive, max_total=10**9, max_part=10**9, max_ratio=settings.ROSTER_MAX_ZIP_RATIO)


def test_a_sheet_with_more_cells_than_the_bound_stops_there(run_import, settings):
    """One cell in row 1,000,000 makes the reader walk a million blank rows of 64 columns: bounded."""
    from openpyxl import Workbook

    settings.ROSTER_MAX_CELLS = 64 * 1000
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(ROSTERS["rooms"].headers)
    sheet.append(["C0001", "1号楼", "1单元", "301", "3", "89.5", "登记"])
    sheet.cell(row=1_000_000, column=1, value="C0001")
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = run_import("town_clerk", "rooms", buffer.getvalue(), filename="rooms.xlsx")
    assert problems(result) == [
        (
            None,
            "",
            "rooms.xlsx has more than 64000 cells (rows × columns, blank ones "
            "included); delete the empty rows and columns or split it into "
            "several files.",
        )
    ]
    assert result.counts.get("rooms", 0) == 0
