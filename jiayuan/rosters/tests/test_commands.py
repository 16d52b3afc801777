"""import_roster and export_roster: exit status 0 on success, 2 on a rejected file; scope of --user applies."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from jiayuan.places.models import Room

from .helpers import roster_file


@pytest.fixture
def rooms_file(tmp_path):
    def write(*rows):
        path = tmp_path / "rooms.xlsx"
        path.write_bytes(roster_file("rooms", *rows))
        return path

    return write


def test_import_roster_writes_the_rows_and_reports_the_counts(world, db, rooms_file):
    path = rooms_file(["C0003", "2号楼", "1单元", "101", 1, 90, "登记面积"])
    out = io.StringIO()
    call_command("import_roster", "rooms", str(path), stdout=out)
    assert "1 rows imported" in out.getvalue()
    assert "rooms: 1" in out.getvalue()
    assert Room.objects.filter(unit__building__compound=world.compound_b, unit__building__number="2号楼").exists()


def test_import_roster_prints_the_report_and_exits_with_status_2(world, db, rooms_file):
    path = rooms_file(["C0003", "2号楼", "1单元", "101", 1, 90, "登记面积"])
    out = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import_roster", "rooms", str(path), "--user", "town_clerk", stdout=out)
    assert raised.value.returncode == 2
    assert "row 2, 小区编码 = 'C0003': Unknown compound code." in out.getvalue()
    assert not Room.objects.filter(unit__building__number="2号楼").exists()


def test_the_jiayuan_import_alias_exits_with_status_2_on_errors(world, db, rooms_file, capsys, keep_connections):
    from jiayuan.cli import main

    path = rooms_file(["C0001", "2号楼", "1单元", "101", 1, 0, "登记面积"])
    with pytest.raises(SystemExit) as exited:
        main(["jiayuan", "import", "rooms", str(path)])
    assert exited.value.code == 2
    assert "The area must be greater than zero." in capsys.readouterr().out


def test_import_roster_refuses_unknown_and_non_staff_accounts(world, db, rooms_file):
    path = rooms_file(["C0001", "2号楼", "1单元", "101", 1, 90, "登记面积"])
    for username in ("nobody", "resident"):
        with pytest.raises(CommandError) as raised:
            call_command("import_roster", "rooms", str(path), "--user", username)
        assert raised.value.returncode == 1


def test_export_roster_writes_what_the_account_may_see(world, db, tmp_path):
    path = tmp_path / "compounds.xlsx"
    out = io.StringIO()
    call_command("export_roster", "compounds", str(path), "--user", "community_secretary", stdout=out)
    assert "1 rows written" in out.getvalue()
    sheet = load_workbook(path).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["C0001"]


def test_export_roster_with_an_out_of_scope_filter_fails(world, db, tmp_path):
    with pytest.raises(CommandError):
        call_command("export_roster", "rooms", str(tmp_path / "x.xlsx"), "--user", "town_clerk", "--compound", "C0003")
