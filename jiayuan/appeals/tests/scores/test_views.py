"""The scores page and API: who may see them, what they show, and how bad input is answered."""

from __future__ import annotations

import json
import re

import pytest

from jiayuan.appeals.scores.scoring import Month
from jiayuan.testing import PERSONAS

from .test_scoring import build_june

pytestmark = pytest.mark.django_db

PAGE = "/appeals/scores/"
API = "/api/v1/appeal-scores"
STAFF = [persona for persona in PERSONAS if persona != "resident"]
NATURAL_LEVEL = {
    "city_admin": "town",
    "town_clerk": "community",
    "community_secretary": "compound",
    "branch_secretary": "compound",
    "committee_director": "compound",
    "property_manager": "compound",
    "building_head": "compound",
    "department_staff": "department",
}


@pytest.fixture
def june(world, db):
    return build_june(world)


def chart_data(response) -> dict:
    match = re.search(
        r'<script id="scores-chart-data" type="application/json">(.*?)</script>', response.content.decode(), re.S
    )
    assert match, "the page carries its chart data"
    return json.loads(match.group(1))


# --- who may see it -----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", STAFF)
def test_every_staff_persona_gets_the_page_at_their_natural_level(as_role, june, persona):
    response = as_role(persona).get(PAGE, {"month": "2025-06"})
    assert response.status_code == 200
    assert response.context["level"] == NATURAL_LEVEL[persona]


@pytest.mark.parametrize("persona", STAFF)
def test_every_staff_persona_gets_the_api_at_their_natural_level(as_role, june, persona):
    response = as_role(persona).get(API, {"month": "2025-06"})
    assert response.status_code == 200
    assert response.json()["level"] == NATURAL_LEVEL[persona]


def test_a_resident_gets_404_from_page_and_api(as_role, june):
    client = as_role("resident")
    assert client.get(PAGE).status_code == 404
    assert client.get(API).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in_and_refused_by_the_api(client, world):
    response = client.get(PAGE)
    assert response.status_code == 302 and "login" in response["Location"]
    assert client.get(API).status_code == 401


# --- what the page shows ------------------------------------------------------------------------


def test_the_page_ranks_the_towns_and_links_every_number_to_its_appeals(as_role, world, june):
    response = as_role("city_admin").get(PAGE, {"month": "2025-06", "level": "town"})
    rows = response.context["rows"]
    assert [(row["unit"].name, row["unit"].rank, row["composite"]) for row in rows] == [
        ("池店镇", 1, "98.00"),
        ("青阳街道", 2, "71.20"),
    ]
    html = response.content.decode()
    town = world.qingyang.pk
    assert f'href="/appeals/?month=2025-06&amp;town={town}"' in html
    assert f'href="/appeals/?month=2025-06&amp;town={town}&amp;rated=1&amp;contacted=1"' in html
    assert 'title="89/125"' in html  # the exact composite of Qingyang
    assert rows[1]["response"] == "80.0%" and rows[1]["satisfaction"] == "58.0%"


def test_compound_rows_link_with_the_compound_and_department_rows_with_the_unit(as_role, world, june):
    client = as_role("city_admin")
    html = client.get(PAGE, {"month": "2025-06", "level": "compound"}).content.decode()
    assert f'href="/appeals/?month=2025-06&amp;compound={world.compound_a.pk}"' in html
    html = client.get(PAGE, {"month": "2025-06", "level": "department"}).content.decode()
    assert f'href="/appeals/?month=2025-06&amp;unit={world.department.pk}&amp;level=department"' in html
    assert f'href="/appeals/?month=2025-06&amp;returned_by={world.department.pk}"' in html


def test_the_page_shows_the_counters_and_the_definitions(as_role, june):
    response = as_role("city_admin").get(PAGE, {"month": "2025-06"})
    html = response.content.decode()
    assert re.search(r'data-testid="kpi-solved-by-departments">2<', html)
    assert re.search(r'data-testid="kpi-solved-by-four-party">1<', html)
    assert 'data-testid="definitions"' in html
    assert "vendor/echarts.min.js" in html and "appeals/scores.js" in html


def test_the_chart_data_holds_the_composites_and_twelve_months(as_role, june):
    data = chart_data(as_role("city_admin").get(PAGE, {"month": "2025-06", "level": "town"}))
    assert data["units"] == ["池店镇", "青阳街道"]
    assert data["composite"] == [98.0, 71.2]
    assert len(data["trend"]["months"]) == 12 and data["trend"]["months"][-1] == "2025-06"
    assert data["trend"]["rated"][-1] == 7 and data["trend"]["composite"][0] is None


def test_a_town_clerk_sees_only_their_towns_compounds(as_role, june):
    response = as_role("town_clerk").get(PAGE, {"month": "2025-06", "level": "compound"})
    assert {row["unit"].name for row in response.context["rows"]} == {"金利花园", "宝龙世家"}
    assert "南天裕" not in response.content.decode()


# --- bad input ----------------------------------------------------------------------------------


def test_a_bad_month_gets_a_clear_message_and_the_last_complete_months_figures(as_role, june):
    response = as_role("city_admin").get(PAGE, {"month": "2025-13"})
    assert response.status_code == 422
    html = response.content.decode()
    assert 'data-testid="month-error"' in html and "2025-13" in html and "YYYY-MM" in html
    assert str(response.context["month"]) == str(response.context["board"].month)
    assert response.context["month"] == Month.current().shift(-1)


def test_a_level_outside_the_viewers_reach_gets_a_clear_message(as_role, june):
    response = as_role("department_staff").get(PAGE, {"level": "town"})
    assert response.status_code == 422
    assert 'data-testid="level-error"' in response.content.decode()
    assert response.context["level"] == "department"


# --- the API ------------------------------------------------------------------------------------


def test_the_api_gives_the_figures_as_floats_and_exact_fractions(as_role, june):
    data = as_role("city_admin").get(API, {"month": "2025-06", "level": "town"}).json()
    assert data["month"] == "2025-06" and data["level"] == "town"
    assert data["weights"] == {"response": "1/10", "resolution": "1/2", "satisfaction": "2/5"}
    qingyang = next(unit for unit in data["units"] if unit["name"] == "青阳街道")
    assert qingyang["rank"] == 2 and qingyang["orders"] == 7 and qingyang["rated"] == 5
    assert qingyang["response_rate"] == pytest.approx(0.8) and qingyang["response_rate_exact"] == "4/5"
    assert qingyang["satisfaction_rate_exact"] == "29/50"
    assert qingyang["composite"] == pytest.approx(89 / 125) and qingyang["composite_exact"] == "89/125"
    assert data["total"]["rated"] == 7
    assert len(data["trend"]) == 12
    assert (data["solved_by_departments"], data["solved_by_four_party_meetings"]) == (2, 1)


def test_the_api_and_the_page_agree(as_role, june):
    client = as_role("town_clerk")
    page = client.get(PAGE, {"month": "2025-06", "level": "department"}).context["rows"]
    api = client.get(API, {"month": "2025-06", "level": "department"}).json()["units"]
    assert [(row["unit"].name, row["unit"].orders, row["unit"].returned) for row in page] == [
        (unit["name"], unit["orders"], unit["returned"]) for unit in api
    ]


@pytest.mark.parametrize(
    ("params", "field"), [({"month": "2025-13"}, "month"), ({"month": "June"}, "month"), ({"level": "galaxy"}, "level")]
)
def test_bad_input_to_the_api_is_422_naming_the_field(as_role, june, params, field):
    response = as_role("city_admin").get(API, params)
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["detail"]] == [field]


def test_department_staff_asking_the_api_for_towns_get_422(as_role, june):
    response = as_role("department_staff").get(API, {"level": "town"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "level"


# --- every number links to exactly the orders behind it -----------------------------------------


def listed(client, link: str) -> set[int]:
    response = client.get(link)
    assert response.status_code == 200, (link, response.context["form"].errors if response.context else "")
    page = response.context["page_obj"]
    assert page.paginator.num_pages == 1
    return {appeal.pk for appeal in page.object_list}


def behind(unit) -> dict[str, int]:
    """The number each link of a row stands for."""
    tally = unit.tally
    numbers = {
        "orders": unit.orders,
        "rated": tally.rated,
        "response": tally.contacted,
        "resolution": tally.solved,
        "satisfaction": tally.satisfied + tally.basically_satisfied,
        "composite": tally.rated,
    }
    if unit.returned is not None and unit.pk is not None:
        numbers["returned"] = unit.returned
    return numbers


@pytest.mark.parametrize(
    ("persona", "level"),
    [
        ("city_admin", "town"),
        ("city_admin", "community"),
        ("city_admin", "compound"),
        ("city_admin", "department"),
        ("town_clerk", "compound"),
        ("town_clerk", "department"),
        ("community_secretary", "compound"),
        ("department_staff", "department"),
    ],
)
def test_each_number_on_the_scores_page_links_to_exactly_the_orders_it_counts(as_role, june, persona, level):
    client = as_role(persona)
    response = client.get(PAGE, {"month": "2025-06", "level": level})
    checked = 0
    for row in [*response.context["rows"], response.context["total"]]:
        for key, number in behind(row["unit"]).items():
            assert len(listed(client, row["links"][key])) == number, (row["unit"].name, key)
            checked += 1
    numbers, links = response.context["numbers"], response.context["counter_links"]
    assert len(listed(client, links["departments"])) == numbers.solved_by_departments
    assert len(listed(client, links["departments_month"])) == numbers.solved_by_departments_in_month
    assert len(listed(client, links["four_party"])) == numbers.solved_by_four_party_meetings
    assert len(listed(client, links["four_party_month"])) == numbers.solved_by_four_party_meetings_in_month
    assert checked >= 6


def test_qingyangs_numbers_list_the_hand_computed_orders(as_role, world, june):
    client = as_role("city_admin")
    row = next(
        row
        for row in client.get(PAGE, {"month": "2025-06", "level": "town"}).context["rows"]
        if row["unit"].name == "青阳街道"
    )
    ids = {key: listed(client, link) for key, link in row["links"].items() if link}
    pks = lambda *appeals: {appeal.pk for appeal in appeals}  # noqa: E731
    assert ids["orders"] == pks(june.a1, june.a2, june.a3, june.a4, june.a5, june.b1, june.d2)
    assert ids["rated"] == ids["composite"] == pks(june.a1, june.a2, june.a3, june.a4, june.b1)
    assert ids["response"] == pks(june.a1, june.a2, june.a4, june.b1)  # A3's resident said nobody contacted them
    assert ids["resolution"] == pks(june.a1, june.a2, june.a3, june.b1)  # A4's resident said it was not solved
    assert ids["satisfaction"] == pks(june.a1, june.a2, june.b1)
    department = client.get(PAGE, {"month": "2025-06", "level": "department"}).context["rows"][0]
    assert department["unit"].name == "晋江市住建局"
    assert listed(client, department["links"]["orders"]) == pks(june.c1, june.d2)
    assert listed(client, department["links"]["returned"]) == pks(june.a5)
    counters = client.get(PAGE, {"month": "2025-06"}).context["counter_links"]
    assert listed(client, counters["departments"]) == pks(june.c1, june.older)
    assert listed(client, counters["four_party_month"]) == pks(june.a2)


def test_a_department_s_links_name_the_department_when_it_also_sees_other_orders(as_role, world, june):
    """Department staff also see the orders of their linked compound: the page's links still list only theirs."""
    from jiayuan.organisations.models import DepartmentLink

    DepartmentLink.objects.create(
        department=world.department, compound=world.compound_a, start_date=june.a1.received_at.date()
    )
    client = as_role("department_staff")
    response = client.get(PAGE, {"month": "2025-06"})
    total = response.context["total"]
    assert f"unit={world.department.pk}" in total["links"]["orders"]
    assert listed(client, total["links"]["orders"]) == {june.c1.pk, june.d2.pk}
    assert f"unit={world.department.pk}" in response.context["counter_links"]["four_party"]
    assert listed(client, response.context["counter_links"]["four_party"]) == set()
    # while the plain list holds the linked compound's orders too
    assert {june.a1.pk, june.b1.pk} & listed(client, "/appeals/?month=2025-06") == {june.a1.pk}


# --- the way there ------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["city_admin", "town_clerk", "property_manager", "department_staff", "resident"])
def test_the_scores_page_is_in_the_main_navigation_of_staff_and_department_staff(as_role, world, persona):
    body = as_role(persona).get("/appeals/notifications/").content.decode()
    link = f'<a href="{PAGE}" data-testid="scores-link">'
    assert (link in body) == (persona != "resident")
    if persona == "department_staff":  # next to the open-work link
        assert body.index("/appeals/work/") < body.index(link)
    elif persona != "resident":  # next to the appeals link
        assert body.index('href="/appeals/"') < body.index(link)
