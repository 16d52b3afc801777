import pytest

from .conftest import DAY

pytestmark = pytest.mark.django_db

COVERAGE = "/api/v1/dashboard/coverage"
COMPOUNDS = "/api/v1/dashboard/coverage/compounds"
FIGURES = {
    "compounds",
    "party_org_compounds",
    "party_org_coverage",
    "committee_compounds",
    "committee_formation",
    "yijiantiao_compounds",
    "red_committees",
    "red_committee_share",
    "two_committee_post_holders",
    "building_heads",
    "party_venues",
}


def fields_of(response) -> set[str]:
    return {error["field"] for error in response.json()["detail"]}


def test_coverage_of_the_city_has_region_date_totals_and_a_row_per_town(as_role):
    response = as_role("city_admin").get(COVERAGE, {"as_of": DAY.isoformat()})
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {"region", "as_of", "totals", "rows"}
    assert data["region"] == {"code": "350582", "name": "晋江市", "level": "city"}
    assert data["as_of"] == "2025-06-30"
    assert set(data["totals"]) == FIGURES
    assert data["totals"]["compounds"] == 3
    assert data["totals"]["party_org_coverage"] == pytest.approx(2 / 3)
    assert data["totals"]["committee_formation"] == pytest.approx(1 / 3)
    assert data["totals"]["building_heads"] == 1
    assert [row["region"] for row in data["rows"]] == [
        {"code": "350582001", "name": "青阳街道", "level": "town"},
        {"code": "350582101", "name": "池店镇", "level": "town"},
    ]
    assert set(data["rows"][0]) == FIGURES | {"region"}
    assert [row["party_org_coverage"] for row in data["rows"]] == [0.5, 1.0]


def test_a_town_clerk_gets_its_town_by_default(as_role):
    data = as_role("town_clerk").get(COVERAGE).json()
    assert data["region"]["code"] == "350582001"
    assert data["totals"]["compounds"] == 2
    assert [row["region"]["level"] for row in data["rows"]] == ["community", "community"]


def test_a_community_region_has_compound_rows(as_role):
    data = as_role("city_admin").get(COVERAGE, {"region": "350582001001"}).json()
    assert data["region"]["level"] == "community"
    assert [row["region"] for row in data["rows"]] == [{"code": "C0001", "name": "金利花园", "level": "compound"}]


def test_an_earlier_date_gives_earlier_figures(as_role):
    data = as_role("city_admin").get(COVERAGE, {"as_of": "2023-12-31"}).json()
    assert data["totals"]["party_org_coverage"] == 0.0
    assert data["totals"]["committee_compounds"] == 0


def test_the_api_answers_401_to_anonymous_callers(client, db):
    assert client.get(COVERAGE).status_code == 401
    assert client.get(COMPOUNDS, {"indicator": "compounds"}).status_code == 401


@pytest.mark.parametrize(
    ("persona", "code"), [("town_clerk", "350582101"), ("community_secretary", "350582"), ("city_admin", "123456789")]
)
def test_a_region_outside_the_scope_answers_404_naming_the_parameter(as_role, persona, code):
    for url, params in ((COVERAGE, {}), (COMPOUNDS, {"indicator": "compounds"})):
        response = as_role(persona).get(url, {"region": code, **params})
        assert response.status_code == 404
        assert response.json()["detail"][0]["message"].startswith("region:")


def test_a_resident_has_no_coverage_figures(as_role):
    assert as_role("resident").get(COVERAGE).status_code == 404


@pytest.mark.parametrize("bad", ["2025-02-30", "tomorrow"])
def test_a_bad_date_answers_422_naming_as_of(as_role, bad):
    response = as_role("city_admin").get(COVERAGE, {"as_of": bad})
    assert response.status_code == 422
    assert fields_of(response) == {"as_of"}


def test_the_compounds_behind_a_figure(as_role, world):
    response = as_role("city_admin").get(COMPOUNDS, {"indicator": "party_org", "as_of": DAY.isoformat()})
    assert response.status_code == 200
    assert [c["code"] for c in response.json()] == ["C0001", "C0003"]
    first = response.json()[0]
    assert first == {
        "id": world.compound_a.pk,
        "code": "C0001",
        "name": "金利花园",
        "community": {"code": "350582001001", "name": "青华社区", "level": "community"},
        "town": {"code": "350582001", "name": "青阳街道", "level": "town"},
    }


def test_the_compounds_lacking_a_figure(as_role):
    response = as_role("city_admin").get(COMPOUNDS, {"indicator": "party_org", "missing": "true"})
    assert [c["code"] for c in response.json()] == ["C0002"]


def test_the_compound_list_stays_in_the_scope(as_role):
    response = as_role("town_clerk").get(COMPOUNDS, {"indicator": "compounds"})
    assert [c["code"] for c in response.json()] == ["C0001", "C0002"]


def test_an_unknown_or_missing_indicator_answers_422_naming_indicator(as_role):
    client = as_role("city_admin")
    assert fields_of(client.get(COMPOUNDS, {"indicator": "happiness"})) == {"indicator"}
    response = client.get(COMPOUNDS)
    assert response.status_code == 422
    assert fields_of(response) == {"indicator"}
