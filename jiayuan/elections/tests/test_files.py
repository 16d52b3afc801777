"""The tally's ROOMS and BALLOTS files: a workbook that would expand beyond the bounds is refused unopened."""

import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook

from jiayuan.elections.files import FileError, read_rooms


def _rooms_workbook(path, *extra_rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["room", "owner", "area", "area_source", "developer_unsold"])
    sheet.append(["1-101", "alice", 90, "registered", "no"])
    for row in extra_rows:
        sheet.append(row)
    workbook.save(path)
    return path


def test_a_rooms_workbook_is_read(tmp_path):
    rooms = read_rooms(_rooms_workbook(tmp_path / "rooms.xlsx"))
    assert [(room.area) for room in rooms] == [Decimal("90")]


def test_a_shared_strings_bomb_as_rooms_file_is_refused_unopened(tmp_path, settings):
    settings.ROSTER_MAX_ZIP_RATIO = 100
    path = tmp_path / "rooms.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/sharedStrings.xml", "<sst><si><t>" + "A" * 3 * 1024 * 1024 + "</t></si></sst>")
    with pytest.raises(FileError) as caught:
        read_rooms(path)
    assert str(caught.value) == (
        "rooms.xlsx: refused unopened: its part xl/sharedStrings.xml would expand beyond "
        "JIAYUAN_ROSTER_MAX_ZIP_RATIO=100."
    )


def test_a_rooms_workbook_with_more_cells_than_the_bound_stops_there(tmp_path, settings):
    settings.ROSTER_MAX_CELLS = 50
    path = _rooms_workbook(tmp_path / "rooms.xlsx", *[[f"1-{n}", "bob", 80, "registered", "no"] for n in range(20)])
    with pytest.raises(FileError) as caught:
        read_rooms(path)
    assert caught.value.reason == "more than 50 cells; split the file."


def test_the_tally_files_neutralise_formula_cells_and_the_tally_reads_them_back(tmp_path):
    from jiayuan.core.spreadsheets import safe_cell
    from jiayuan.elections.files import read_ballots

    path = tmp_path / "ballots.csv"
    path.write_text("owner,choice\n" + f"{safe_cell('=cmd|calc')},agree\n", encoding="utf-8")
    assert path.read_text(encoding="utf-8").splitlines()[1].startswith("'=")
    assert [ballot.owner for ballot in read_ballots(path)] == ["=cmd|calc"]
