import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from jiayuan.dashboard.management.commands.report import REPORTS, _width, render_table

pytestmark = pytest.mark.django_db

REQUIRED = {
    "compounds",
    "party_org_coverage",
    "committee_formation",
    "yijiantiao_compounds",
    "two_committee_post_holders",
    "building_heads",
    "party_venues",
}


def run(*args) -> str:
    out = io.StringIO()
    call_command("report", *args, stdout=out)
    return out.getvalue()


def test_coverage_json_is_one_object_with_the_figures_as_fractions(world):
    data = json.loads(run("coverage", "--json", "--as-of", "2025-06-30"))
    assert REQUIRED <= set(data)
    assert data["report"] == "coverage"
    assert data["as_of"] == "2025-06-30"
    assert data["region"] == {"code": "350582", "name": "晋江市", "level": "city"}
    assert data["compounds"] == 3
    assert data["party_org_coverage"] == pytest.approx(2 / 3)
    assert data["committee_formation"] == pytest.approx(1 / 3)
    assert 0 <= data["party_org_coverage"] <= 1 and isinstance(data["party_org_coverage"], float)
    assert (data["yijiantiao_compounds"], data["two_committee_post_holders"]) == (0, 0)
    assert (data["building_heads"], data["party_venues"]) == (1, 0)
    assert [row["region"]["name"] for row in data["rows"]] == ["青阳街道", "池店镇"]
    assert data["rows"][0]["compounds"] == 2


def test_coverage_json_matches_the_api_figures(world, as_role):
    from_command = json.loads(run("coverage", "--json", "--region", "350582001"))
    from_api = as_role("city_admin").get("/api/v1/dashboard/coverage", {"region": "350582001"}).json()
    assert {key: from_command[key] for key in from_api["totals"]} == from_api["totals"]
    assert from_command["rows"] == from_api["rows"]


def test_a_region_narrows_the_report_to_its_children(world):
    data = json.loads(run("coverage", "--json", "--region", "350582001"))
    assert data["region"]["name"] == "青阳街道"
    assert data["compounds"] == 2
    assert [row["region"]["code"] for row in data["rows"]] == ["350582001001", "350582001002"]


def test_an_early_date_shows_no_coverage(world):
    data = json.loads(run("coverage", "--json", "--as-of", "2023-12-31"))
    assert (data["party_org_coverage"], data["committee_formation"], data["building_heads"]) == (0.0, 0.0, 0)


def test_the_table_lists_the_totals_and_one_aligned_line_per_town(world):
    lines = run("coverage", "--as-of", "2025-06-30").splitlines()
    assert "晋江市" in lines[0] and "2025-06-30" in lines[0]
    assert any(line.rstrip().endswith("66.7% (2/3)") for line in lines)
    town_lines = [line for line in lines if line.startswith(("青阳街道", "池店镇"))]
    assert len(town_lines) == 2
    # The code column starts at the same display position on both lines (Chinese characters are two wide).
    positions = {_width(line[: line.index("350582")]) for line in town_lines}
    assert len(positions) == 1


def test_render_table_pads_chinese_text_by_display_width():
    lines = render_table(["Name", "Code", "N"], [["青阳街道", "1", "12"], ["ab", "2", "3"]])
    assert lines[0] == "Name      Code   N"
    assert lines[2] == "青阳街道  1     12"
    assert lines[3] == "ab        2      3"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["appraisals"], "'appraisals'"),
        (["coverage", "--region", "999999"], "--region"),
        (["coverage", "--as-of", "2025-02-30"], "--as-of"),
    ],
)
def test_bad_input_is_a_usage_error_with_exit_code_2(world, args, message):
    with pytest.raises(CommandError) as caught:
        run(*args)
    assert caught.value.returncode == 2
    assert message in str(caught.value)


def test_reports_are_registered_by_name():
    assert {"coverage", "appeals"} <= set(REPORTS)


def test_the_jiayuan_command_exits_2_with_the_reason_on_stderr():
    root = Path(__file__).resolve().parents[3]
    env = {**os.environ, "JIAYUAN_SETTINGS": "jiayuan.config.settings.test", "DJANGO_SETTINGS_MODULE": ""}
    env.pop("DJANGO_SETTINGS_MODULE")
    result = subprocess.run(
        [sys.executable, "-m", "jiayuan.cli", "report", "nonsense"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "'nonsense'" in result.stderr and "coverage" in result.stderr
    assert result.stdout == ""
