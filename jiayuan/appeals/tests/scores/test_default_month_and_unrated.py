"""The scores page opens on the last complete month, and a unit with no rated order has no rates and no rank
("—" on the page, null in the API), rather than 0% and a place in the ranking."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from jiayuan.appeals.scores import periods
from jiayuan.appeals.scores.scoring import Month

from .test_scoring import AppealMaker, S, at, build_june
from .test_views import chart_data

pytestmark = pytest.mark.django_db

PAGE = "/appeals/scores/"
API = "/api/v1/appeal-scores"
RATES = ("response_rate", "resolution_rate", "satisfaction_rate", "composite")
EXACT = ("response_rate_exact", "resolution_rate_exact", "satisfaction_rate_exact", "composite_exact")


@pytest.fixture
def june(world, db):
    return build_june(world)


def row_html(body: str, pk: int) -> str:
    match = re.search(rf'<tr data-unit="{pk}">(.*?)</tr>', body, re.S)
    assert match, f"a row for unit {pk}"
    return match.group(1)


def cell(row: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}"[^>]*>(.*?)</td>', row, re.S)
    assert match, testid
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


# --- the month it opens on -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (dt.date(2025, 7, 1), Month(2025, 6)),
        (dt.date(2025, 7, 31), Month(2025, 6)),
        (dt.date(2026, 1, 9), Month(2025, 12)),
    ],
)
def test_the_last_complete_month_is_the_one_before_today(monkeypatch, today, expected):
    monkeypatch.setattr(periods.timezone, "localdate", lambda *args: today)
    assert Month.last_complete() == expected


def test_without_a_month_the_page_opens_on_the_last_complete_month_not_the_current_one(as_role, world):
    make = AppealMaker(world)
    this_month = Month.current()
    last_month = this_month.shift(-1)
    make(world.compound_a, last_month.start + dt.timedelta(days=2, hours=9), rating=S)
    make(world.compound_a, this_month.start + dt.timedelta(hours=1), rating=S)
    make(world.compound_b, this_month.start + dt.timedelta(hours=2), rating=S)
    response = as_role("city_admin").get(PAGE)
    assert response.status_code == 200
    assert response.context["month"] == last_month and response.context["board"].month == last_month
    assert response.context["total"]["unit"].orders == 1  # last month's order only
    body = response.content.decode()
    assert f'name="month" id="id_month" value="{last_month}"' in body
    assert f"?month={this_month}&amp;level=town" in body  # the current month is one click away
    # an explicit month is still shown as asked, the current one included
    assert as_role("city_admin").get(PAGE, {"month": str(this_month)}).context["total"]["unit"].orders == 2


def test_a_bad_month_falls_back_to_the_last_complete_month(as_role, world):
    response = as_role("city_admin").get(PAGE, {"month": "2025-13"})
    assert response.status_code == 422
    assert response.context["month"] == Month.current().shift(-1)


def test_the_api_keeps_its_published_default_of_the_current_month(as_role, world):
    assert as_role("city_admin").get(API).json()["month"] == str(Month.current())


# --- a unit with no rated order -------------------------------------------------------------------


def test_a_department_without_rated_orders_shows_dashes_and_no_rank(as_role, june):
    response = as_role("city_admin").get(PAGE, {"month": "2025-06", "level": "department"})
    rows = {row["unit"].name: row for row in response.context["rows"]}
    water, housing = rows["晋江市水务局"], rows["晋江市住建局"]
    assert (water["unit"].rank, water["response"], water["composite"]) == (None, "—", "—")
    assert (housing["unit"].rank, housing["response"], housing["composite"]) == (1, "100.0%", "100.00")
    body = response.content.decode()
    row = row_html(body, june.water.pk)
    assert [cell(row, name) for name in ("rank", "response", "resolution", "satisfaction")] == ["—"] * 4
    assert re.search(r'data-testid="composite">—<', row)
    assert "0.0%" not in row and "0.00" not in row and "0/1" not in row
    assert cell(row_html(body, june.water.pk), "rank") == "—"
    housing_row = row_html(body, housing["unit"].pk)
    assert cell(housing_row, "rank") == "1" and cell(housing_row, "response") == "100.0%"


def test_a_month_without_rated_orders_shows_dashes_for_every_unit_and_the_totals(as_role, june):
    response = as_role("city_admin").get(PAGE, {"month": "2025-02", "level": "town"})
    assert response.status_code == 200
    body = response.content.decode()
    for row in response.context["rows"]:
        unit_row = row_html(body, row["unit"].pk)
        assert cell(unit_row, "rank") == "—" and cell(unit_row, "response") == "—"
        assert "%" not in unit_row
    assert re.search(r'data-testid="kpi-composite">—<', body)
    assert "0.0%" not in body
    data = chart_data(response)
    assert data["composite"] == [None, None] and data["ranked"] == [False, False]


def test_a_town_with_orders_but_none_rated_has_no_rates_either(as_role, world, june):
    make = AppealMaker(world)
    make(world.compound_b, at(2025, 3, 10, 9))  # an order in Chidian, unrated
    make(world.compound_a, at(2025, 3, 11, 9), rating=S)
    response = as_role("city_admin").get(PAGE, {"month": "2025-03", "level": "town"})
    rows = {row["unit"].name: row for row in response.context["rows"]}
    chidian, qingyang = rows["池店镇"], rows["青阳街道"]
    assert (chidian["unit"].orders, chidian["unit"].rank, chidian["satisfaction"]) == (1, None, "—")
    assert (qingyang["unit"].rank, qingyang["satisfaction"]) == (1, "100.0%")
    assert [row["unit"].name for row in response.context["rows"]] == ["青阳街道", "池店镇"]  # the unranked last
    assert chart_data(response)["composite"] == [100.0, None]


def test_the_api_gives_null_rates_and_no_rank_for_a_unit_without_rated_orders(as_role, june):
    data = as_role("city_admin").get(API, {"month": "2025-06", "level": "department"}).json()
    units = {unit["name"]: unit for unit in data["units"]}
    water, housing = units["晋江市水务局"], units["晋江市住建局"]
    assert [water[key] for key in (*RATES, *EXACT, "rank")] == [None] * 9
    assert (water["orders"], water["rated"], water["returned"]) == (0, 0, 0)  # the counts stay numbers
    assert all(isinstance(housing[key], float) for key in RATES) and housing["composite_exact"] == "1/1"
    assert housing["rank"] == 1


def test_the_api_total_of_a_month_without_rated_orders_is_null_too(as_role, june):
    data = as_role("city_admin").get(API, {"month": "2025-02", "level": "town"}).json()
    assert [data["total"][key] for key in (*RATES, *EXACT)] == [None] * 8
    assert all(unit["rank"] is None and unit["composite"] is None for unit in data["units"])
    ranked = as_role("city_admin").get(API, {"month": "2025-06", "level": "town"}).json()
    assert [unit["rank"] for unit in ranked["units"]] == [1, 2]
    assert all(isinstance(unit["composite"], float) for unit in ranked["units"])
