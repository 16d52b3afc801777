import html
import json
import re
from urllib.parse import parse_qs

import pytest
from django.utils import timezone

from .conftest import DAY, Role

pytestmark = pytest.mark.django_db

ROW_CODES = re.compile(r'<tr data-code="([^"]+)"')


def listed_codes(response) -> set[str]:
    return set(ROW_CODES.findall(response.content.decode()))


def tile(response, key):
    return next(t for t in response.context["tiles"] if t["key"] == key)


def test_city_admin_starts_at_the_city_with_one_row_per_town(as_role):
    response = as_role("city_admin").get("/dashboard/", {"as_of": DAY.isoformat()})
    assert response.status_code == 200
    assert response.context["region"].code == "350582"
    assert [row["name"] for row in response.context["rows"]] == ["青阳街道", "池店镇"]
    assert tile(response, "compounds")["value"] == 3
    assert tile(response, "party_org")["value"] == "66.7%"
    assert tile(response, "committee")["value"] == "33.3%"
    assert tile(response, "building_heads")["value"] == 1


def test_town_clerk_starts_at_its_town_with_one_row_per_community(as_role):
    response = as_role("town_clerk").get("/dashboard/")
    assert response.context["region"].name == "青阳街道"
    assert [row["name"] for row in response.context["rows"]] == ["青华社区", "晓升社区"]
    assert tile(response, "compounds")["value"] == 2
    assert tile(response, "party_org")["value"] == "50.0%"
    assert "池店" not in response.content.decode()


def test_community_secretary_starts_at_its_community_with_one_row_per_compound(as_role):
    response = as_role("community_secretary").get("/dashboard/")
    assert response.context["region"].name == "青华社区"
    assert [row["code"] for row in response.context["rows"]] == ["C0001"]
    assert tile(response, "party_org")["value"] == "100.0%"
    assert tile(response, "committee")["value"] == "100.0%"


def test_compound_staff_start_at_their_compound_whose_row_opens_the_compound_page(as_role):
    response = as_role("branch_secretary").get("/dashboard/")
    compound = response.context["region"]
    assert compound.code == "C0001"
    assert tile(response, "compounds")["value"] == 1
    assert response.context["rows"][0]["drill"] == f"/places/compounds/{compound.pk}/"
    assert f'href="/places/compounds/{compound.pk}/"' in response.content.decode()


def test_city_admin_drills_down_from_town_to_community_to_compound(as_role, world):
    client = as_role("city_admin")
    city = client.get("/dashboard/", {"as_of": DAY.isoformat()})
    town_link = city.context["rows"][0]["drill"]
    assert town_link == f"/dashboard/?region=350582001&as_of={DAY.isoformat()}"
    town = client.get(town_link)
    assert [row["name"] for row in town.context["rows"]] == ["青华社区", "晓升社区"]
    community = client.get(town.context["rows"][0]["drill"])
    assert [row["code"] for row in community.context["rows"]] == ["C0001"]
    compound = client.get(community.context["rows"][0]["drill"])
    assert compound.context["region"] == world.compound_a
    assert [crumb["name"] for crumb in compound.context["breadcrumbs"]] == [
        "晋江市",
        "青阳街道",
        "青华社区",
        "金利花园",
    ]


def test_breadcrumbs_do_not_offer_levels_above_the_viewers_scope(as_role):
    response = as_role("town_clerk").get("/dashboard/", {"region": "350582001001"})
    assert [crumb["name"] for crumb in response.context["breadcrumbs"]] == ["青阳街道", "青华社区"]
    assert "晋江市" not in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "code"),
    [
        ("town_clerk", "350582101"),
        ("town_clerk", "350582"),
        ("community_secretary", "350582001"),
        ("community_secretary", "350582001002"),
        ("branch_secretary", "C0003"),
        ("city_admin", "000000"),
    ],
)
def test_a_region_outside_the_scope_answers_404(as_role, persona, code):
    assert as_role(persona).get("/dashboard/", {"region": code}).status_code == 404
    assert as_role(persona).get("/dashboard/compounds/", {"region": code, "indicator": "compounds"}).status_code == 404


@pytest.mark.parametrize("persona", ["resident", "department_staff"])
def test_people_without_a_staff_scope_have_no_dashboard(as_role, persona):
    assert as_role(persona).get("/dashboard/").status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response.url.startswith("/login/")


@pytest.mark.parametrize("bad", ["2025-02-30", "yesterday", "30/06/2025"])
def test_a_bad_date_is_an_error_in_the_form_and_todays_figures_are_shown(as_role, bad):
    response = as_role("city_admin").get("/dashboard/", {"as_of": bad})
    assert response.status_code == 200
    assert response.context["form"].errors["as_of"]
    body = response.content.decode()
    assert 'data-testid="as-of-error"' in body
    assert "YYYY-MM-DD" in body
    assert response.context["as_of"] == timezone.localdate()


def test_the_as_of_date_changes_the_figures(as_role):
    client = as_role("city_admin")
    before = client.get("/dashboard/", {"as_of": "2023-12-31"})
    after = client.get("/dashboard/", {"as_of": "2024-01-01"})
    assert tile(before, "party_org")["value"] == "0.0%"
    assert tile(after, "party_org")["value"] == "66.7%"
    assert 'value="2023-12-31"' in before.content.decode()


def test_an_htmx_request_gets_only_the_dashboard_body(as_role):
    response = as_role("city_admin").get("/dashboard/", {"as_of": DAY.isoformat()}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.strip().startswith('<div id="dashboard-body"')
    assert "<html" not in body
    assert "HX-Request" in response["Vary"]


def test_the_page_loads_echarts_and_its_script_locally_and_feeds_charts_through_json_script(as_role):
    response = as_role("city_admin").get("/dashboard/", {"as_of": DAY.isoformat()})
    body = response.content.decode()
    assert '<script src="/static/vendor/echarts.min.js"' in body
    assert '<script src="/static/dashboard/coverage.js"' in body
    assert not re.search(r'<script[^>]+src="(https?:)?//', body)
    match = re.search(r'<script id="coverage-chart-data" type="application/json">(.*?)</script>', body, re.S)
    data = json.loads(html.unescape(match.group(1)))
    assert data["categories"] == ["青阳街道", "池店镇"]
    assert data["party_org_rate"] == [50.0, 100.0]
    assert data["building_heads"] == [1, 0]
    assert data["urls"][0].startswith("/dashboard/?region=350582001")
    assert 'data-chart="rates"' in body and 'data-chart="counts"' in body


def test_every_kpi_number_lists_exactly_the_compounds_behind_it(as_role, world, build):
    build.post(world.people["branch_secretary"], world.community_party, Role.TWO_COMMITTEE_MEMBER)
    client = as_role("city_admin")
    response = client.get("/dashboard/", {"as_of": DAY.isoformat()})
    expected = {
        "compounds": ({"C0001", "C0002", "C0003"}, set()),
        "party_org": ({"C0001", "C0003"}, {"C0002"}),
        "committee": ({"C0001"}, {"C0002", "C0003"}),
        "yijiantiao": (set(), {"C0001", "C0002", "C0003"}),
        "red_committee": (set(), {"C0001", "C0002", "C0003"}),
        "two_committee_post_holders": ({"C0001"}, {"C0002", "C0003"}),
        "building_heads": ({"C0001"}, {"C0002", "C0003"}),
        "party_venues": (set(), {"C0001", "C0002", "C0003"}),
    }
    assert [t["key"] for t in response.context["tiles"]] == list(expected)
    for key, (with_it, without_it) in expected.items():
        t = tile(response, key)
        listed = client.get(t["link"])
        assert listed.status_code == 200, key
        assert listed_codes(listed) == with_it, key
        assert t["missing"] == len(without_it), key
        if without_it:
            assert listed_codes(client.get(t["missing_link"])) == without_it, key


def test_a_kpi_link_keeps_the_region_and_the_date(as_role):
    response = as_role("town_clerk").get("/dashboard/", {"as_of": "2023-12-31"})
    link = tile(response, "party_org")["missing_link"]
    assert link == "/dashboard/compounds/?region=350582001&as_of=2023-12-31&indicator=party_org&missing=1"
    listed = as_role("town_clerk").get(link)
    assert listed_codes(listed) == {"C0001", "C0002"}


def test_row_numbers_link_to_the_compounds_of_that_row(as_role):
    client = as_role("city_admin")
    rows = client.get("/dashboard/", {"as_of": DAY.isoformat()}).context["rows"]
    qingyang = rows[0]
    assert listed_codes(client.get(qingyang["links"]["party_org"])) == {"C0001"}
    assert listed_codes(client.get(qingyang["links"]["compounds"])) == {"C0001", "C0002"}


def test_the_compound_list_links_each_compound_to_its_page(as_role, world):
    response = as_role("city_admin").get("/dashboard/compounds/", {"indicator": "committee", "as_of": DAY.isoformat()})
    assert f'href="/places/compounds/{world.compound_a.pk}/"' in response.content.decode()
    assert "金利花园" in response.content.decode()


def test_the_compound_list_of_a_town_clerk_never_holds_another_town(as_role):
    response = as_role("town_clerk").get("/dashboard/compounds/", {"indicator": "compounds"})
    assert listed_codes(response) == {"C0001", "C0002"}


def test_an_unknown_indicator_gets_a_clear_message(as_role):
    response = as_role("city_admin").get("/dashboard/compounds/", {"indicator": "happiness"})
    assert response.status_code == 422
    body = response.content.decode()
    assert "happiness" in body and "yijiantiao" in body
    assert 'data-testid="indicator-error"' in body


def test_a_bad_date_on_the_compound_list_is_an_error_in_the_form(as_role):
    response = as_role("city_admin").get("/dashboard/compounds/", {"indicator": "compounds", "as_of": "2025-13-01"})
    assert response.status_code == 200
    assert 'data-testid="as-of-error"' in response.content.decode()
    assert listed_codes(response) == {"C0001", "C0002", "C0003"}


def test_without_javascript_the_chart_cards_stay_hidden_and_the_table_holds_the_figures(as_role):
    body = as_role("city_admin").get("/dashboard/", {"as_of": DAY.isoformat()}).content.decode()
    assert "<div data-charts hidden>" in body
    assert 'data-testid="coverage-rows"' in body


# --- the compound list: a page at a time, searchable by name ---------------------------------------------------


@pytest.fixture
def many_compounds(world, db):
    """55 more compounds in 晓升社区 (Qingyang), 测试小区01 … 测试小区55, none with a party organisation."""
    from jiayuan.places.models import Compound

    Compound.objects.bulk_create(
        Compound(
            community=world.community_b,
            code=f"T{n:04d}",
            name=f"测试小区{n:02d}",
            kind="commercial",
            management="company",
        )
        for n in range(1, 56)
    )


def test_the_compound_list_is_paginated(as_role, many_compounds):
    client = as_role("town_clerk")
    first = client.get("/dashboard/compounds/", {"indicator": "compounds"})
    assert first.context["page_obj"].paginator.count == 57
    assert len(listed_codes(first)) == 50
    assert 'data-testid="pagination"' in first.content.decode()
    second = client.get("/dashboard/compounds/", {"indicator": "compounds", "page": 2})
    assert len(listed_codes(second)) == 7
    assert not listed_codes(first) & listed_codes(second)


def test_the_compound_list_is_searched_by_name(as_role, many_compounds):
    response = as_role("town_clerk").get("/dashboard/compounds/", {"indicator": "party_org", "missing": 1, "q": "宝龙"})
    assert listed_codes(response) == {"C0002"}
    assert response.context["page_obj"].paginator.count == 1
    assert 'data-testid="compound-search"' in response.content.decode()


def test_the_search_is_kept_across_pages_and_by_the_date_form(as_role, many_compounds):
    client = as_role("town_clerk")
    params = {"indicator": "compounds", "q": "测试", "as_of": DAY.isoformat()}
    first = client.get("/dashboard/compounds/", params)
    assert first.context["page_obj"].paginator.count == 55
    body = html.unescape(first.content.decode())
    next_link = re.search(r'href="([^"]+)" rel="next"', body).group(1)
    assert parse_qs(next_link.lstrip("?")) == {
        "indicator": ["compounds"],
        "q": ["测试"],
        "as_of": ["2025-06-30"],
        "page": ["2"],
    }
    second = client.get("/dashboard/compounds/" + next_link)
    assert listed_codes(second) == {f"T{n:04d}" for n in range(51, 56)}
    as_of_form = re.search(r'<form method="get" action="[^"]*" class="toolbar as-of".*?</form>', body, re.S).group(0)
    assert '<input type="hidden" name="q" value="测试">' in as_of_form


def test_a_search_that_matches_nothing_says_so(as_role, world):
    client = as_role("town_clerk")
    client.cookies["django_language"] = "en"
    response = client.get("/dashboard/compounds/", {"indicator": "compounds", "q": "不存在"})
    assert listed_codes(response) == set()
    assert 'data-testid="no-match"' in response.content.decode()


def test_an_htmx_search_gets_the_results_to_swap(as_role, world):
    response = as_role("town_clerk").get(
        "/dashboard/compounds/", {"indicator": "compounds", "q": "金利"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert '<div id="results">' in response.content.decode()
    assert listed_codes(response) == {"C0001"}
