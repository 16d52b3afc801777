"""`jiayuan report appeals --month YYYY-MM [--region CODE] [--json]`: the three rates from the shell."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from jiayuan.dashboard.management.commands.report import _width

from .scores.test_scoring import build_june

pytestmark = pytest.mark.django_db

UNIT_KEYS = {
    "code",
    "name",
    "orders",
    "rated",
    "response_rate",
    "resolution_rate",
    "satisfaction_rate",
    "composite",
    "rank",
}


@pytest.fixture
def june(world, db):
    return build_june(world)


def run(*args) -> str:
    out = io.StringIO()
    call_command("report", *args, stdout=out)
    return out.getvalue()


def test_the_json_is_one_object_with_towns_departments_and_the_counters(world, june):
    data = json.loads(run("appeals", "--month", "2025-06", "--json"))
    assert data["report"] == "appeals" and data["month"] == "2025-06"
    assert {"towns", "departments", "solved_by_departments", "solved_by_four_party_meetings"} <= set(data)
    assert all(UNIT_KEYS <= set(unit) for unit in data["towns"] + data["departments"])
    towns = {town["name"]: town for town in data["towns"]}
    assert towns["池店镇"]["code"] == "350582101" and towns["池店镇"]["rank"] == 1
    qingyang = towns["青阳街道"]
    assert qingyang["rank"] == 2
    assert (qingyang["orders"], qingyang["rated"]) == (7, 5)
    assert qingyang["response_rate"] == pytest.approx(4 / 5) and qingyang["resolution_rate"] == pytest.approx(4 / 5)
    assert qingyang["satisfaction_rate"] == pytest.approx(29 / 50)
    assert qingyang["composite"] == pytest.approx(89 / 125) and qingyang["composite_exact"] == "89/125"
    assert isinstance(qingyang["composite"], float) and 0 <= qingyang["composite"] <= 1
    departments = {unit["name"]: unit for unit in data["departments"]}
    assert departments["晋江市住建局"]["rank"] == 1 and departments["晋江市住建局"]["returned"] == 1
    assert departments["晋江市水务局"]["rank"] is None
    assert (data["solved_by_departments"], data["solved_by_four_party_meetings"]) == (2, 1)
    assert data["solved_by_departments_in_month"] == 1


def test_the_json_matches_the_api(world, june, as_role):
    from_command = json.loads(run("appeals", "--month", "2025-06", "--json"))
    from_api = as_role("city_admin").get("/api/v1/appeal-scores", {"month": "2025-06", "level": "town"}).json()
    assert from_command["towns"] == from_api["units"]
    assert from_command["total"] == from_api["total"]


def test_a_region_narrows_the_report_to_the_appeals_inside_it(world, june):
    data = json.loads(run("appeals", "--month", "2025-06", "--region", world.qingyang.code, "--json"))
    assert data["region"]["name"] == "青阳街道"
    assert [town["name"] for town in data["towns"]] == ["青阳街道"]
    assert {unit["name"] for unit in data["communities"]} == {"青华社区", "晓升社区"}
    housing = next(unit for unit in data["departments"] if unit["name"] == "晋江市住建局")
    assert (housing["orders"], housing["rated"], housing["returned"]) == (1, 0, 1)  # D2 and A5 are in Qingyang
    assert data["solved_by_departments"] == 0


def test_the_table_lists_the_totals_and_one_aligned_line_per_town(world, june):
    lines = run("appeals", "--month", "2025-06").splitlines()
    assert "2025-06" in lines[0]
    town_lines = [line for line in lines if line.startswith(("青阳街道", "池店镇"))]
    assert len(town_lines) == 2
    assert town_lines[0].startswith("池店镇") and town_lines[0].rstrip().endswith("1")
    assert "71.20" in town_lines[1]
    positions = {_width(line[: line.index("350582")]) for line in town_lines}
    assert len(positions) == 1
    assert any(line.startswith("晋江市住建局") for line in lines)


@pytest.mark.parametrize("month", ["2025-13", "2025-6", "June"])
def test_a_bad_month_is_a_usage_error_with_exit_code_2(world, month):
    with pytest.raises(CommandError) as caught:
        run("appeals", "--month", month, "--json")
    assert caught.value.returncode == 2
    assert "--month" in str(caught.value) and month in str(caught.value)


def test_without_a_month_the_report_is_for_the_month_of_the_date(world, june):
    data = json.loads(run("appeals", "--as-of", "2025-06-15", "--json"))
    assert data["month"] == "2025-06"


def test_the_jiayuan_command_exits_2_on_a_bad_month():
    root = Path(__file__).resolve().parents[3]
    env = {**os.environ, "JIAYUAN_SETTINGS": "jiayuan.config.settings.test"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "-m", "jiayuan.cli", "report", "appeals", "--month", "2025-13"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "--month" in result.stderr and result.stdout == ""


def test_a_month_without_rated_orders_prints_dashes_not_zero_rates(world, june):
    lines = run("appeals", "--month", "2025-08").splitlines()  # nothing received in August
    town_lines = [line for line in lines if line.startswith(("青阳街道", "池店镇"))]
    assert town_lines and all("0.0%" not in line and line.rstrip().endswith("—") for line in town_lines)
    assert not any("0.0%" in line for line in lines)  # the totals say "—" too
