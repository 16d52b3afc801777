"""`jiayuan tally` on .csv and .xlsx files."""

import json
from io import StringIO

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

ROOMS = [
    ("room", "owner", "area", "area_source", "developer_unsold"),
    ("101", "Wang", "100.5", "registered", "no"),
    ("102", "Li;Zhang", "80", "surveyed", "no"),
    ("103", "Wang", "90", "contract", "no"),
    ("201", "DevCo", "70", "registered", "yes"),
    ("202", "DevCo", "70", "registered", "yes"),
]
BALLOTS = [("owner", "choice"), ("Wang", "同意"), ("Zhang", "agree"), ("DevCo", "abstain")]


@pytest.fixture
def write(tmp_path):
    def write(name, rows):
        path = tmp_path / name
        if path.suffix == ".xlsx":
            book = openpyxl.Workbook()
            for row in rows:
                book.active.append(list(row))
            book.save(path)
        else:
            path.write_text("\n".join(",".join(row) for row in rows) + "\n", encoding="utf-8-sig")
        return path

    return write


def run(rooms, ballots, matter, *extra):
    out = StringIO()
    call_command("tally", "--rooms", str(rooms), "--ballots", str(ballots), "--matter", str(matter), *extra, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_tally_prints_the_electorate_participation_quorum_agreement_threshold_and_decision(write, suffix):
    with translation.override("en"):
        out = run(write("rooms" + suffix, ROOMS), write("ballots" + suffix, BALLOTS), 6)
    assert "total area 410.5 m², 3 heads" in out
    assert "3 heads (1/1 of total)" in out
    assert "met: yes" in out
    assert "Agreeing: area 270.5 m² (541/821 of participating), 2 heads (2/3 of participating)" in out
    assert "Threshold: >= 3/4" in out
    assert "Decision: not passed" in out


def test_tally_speaks_chinese_by_default(write):
    out = run(write("rooms.csv", ROOMS), write("ballots.csv", BALLOTS), 6)
    assert "专有部分总面积 410.5 ㎡，业主总人数 3 人" in out
    assert "表决结果：未通过" in out


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_tally_json_is_one_object_with_the_agreed_keys(write, suffix):
    data = json.loads(run(write("rooms" + suffix, ROOMS), write("ballots" + suffix, BALLOTS), 1, "--json"))
    assert {
        "total_area",
        "total_heads",
        "participating_area",
        "participating_heads",
        "quorum_met",
        "agree_area",
        "agree_heads",
        "threshold",
        "passed",
    } <= data.keys()
    assert data["total_area"] == "410.5" and data["total_heads"] == 3
    assert data["participating_area"] == "410.5" and data["participating_heads"] == 3
    assert data["agree_area"] == "270.5" and data["agree_heads"] == 2
    assert data["quorum_met"] is True and data["threshold"] == "> 1/2" and data["passed"] is True
    assert data["agree_area_share"] == "541/821"


MALFORMED = [
    ("unknown owner", ROOMS, BALLOTS + [("Nobody", "agree")], "ballots", 5, "Unknown owner 'Nobody'"),
    ("duplicate ballot", ROOMS, BALLOTS + [("Li", "against")], "ballots", 5, "Duplicate ballot"),
    (
        "negative area",
        ROOMS + [("301", "Chen", "-3", "registered", "no")],
        BALLOTS,
        "rooms",
        7,
        "the area must be greater than zero",
    ),
    ("unknown choice", ROOMS, BALLOTS + [("Li", "maybe")], "ballots", 5, "unknown choice 'maybe'"),
]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize(("case", "rooms", "ballots", "bad_file", "row", "reason"), MALFORMED)
def test_a_malformed_file_is_an_error_naming_file_row_and_reason(
    write, suffix, case, rooms, ballots, bad_file, row, reason
):
    with pytest.raises(CommandError) as error:
        run(write("rooms" + suffix, rooms), write("ballots" + suffix, ballots), 1)
    assert error.value.returncode == 2
    assert str(error.value).startswith(f"{bad_file}{suffix}, row {row}: ")
    assert reason in str(error.value)


def test_a_missing_column_is_an_error_on_the_header_row(write):
    with pytest.raises(CommandError, match=r"ballots.csv, row 1: missing column\(s\) choice"):
        run(write("rooms.csv", ROOMS), write("ballots.csv", [("owner", "vote"), ("Wang", "agree")]), 1)


@pytest.mark.parametrize(("case", "rooms", "ballots", "bad_file", "row", "reason"), MALFORMED)
def test_the_jiayuan_command_exits_with_status_2_on_a_malformed_file(
    write, capsys, keep_connections, case, rooms, ballots, bad_file, row, reason
):
    from jiayuan.cli import main

    args = ["--rooms", str(write("rooms.csv", rooms)), "--ballots", str(write("ballots.csv", ballots))]
    with pytest.raises(SystemExit) as exited:
        main(["jiayuan", "tally", *args, "--matter", "1"])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert f"{bad_file}.csv, row {row}: " in err and reason in err


def test_the_jiayuan_command_prints_json_and_exits_normally(write, capsys, keep_connections):
    from jiayuan.cli import main

    main(
        [
            "jiayuan",
            "tally",
            "--rooms",
            str(write("rooms.csv", ROOMS)),
            "--ballots",
            str(write("b.csv", BALLOTS)),
            "--matter",
            "6",
            "--json",
        ]
    )
    data = json.loads(capsys.readouterr().out)
    assert data["passed"] is False and data["threshold"] == ">= 3/4"
