"""Numbers beyond what the database holds answer 422 in the documented error shape, never 500."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"


@pytest.mark.parametrize("url", [
    "/api/v1/people?offset=9601742070854940672",
    "/api/v1/people?limit=9601742070854940672",
    f"/api/v1/appeals?compound={HUGE}",
    f"/api/v1/places/compounds/{HUGE}",
    f"/api/v1/places/compounds?community={HUGE}",
    f"/api/v1/organisations/{HUGE}",
])
def test_huge_numbers_in_the_query_or_path_answer_422_naming_the_parameter(world, as_role, url):
    response = as_role("city_admin").get(url)
    assert response.status_code == 422, response.content
    detail = response.json()["detail"]
    assert detail and all(error["field"] and error["message"] for error in detail)


def test_a_huge_id_in_a_body_answers_422_not_500(world, as_role):
    response = as_role("city_admin").post(
        f"/api/v1/organisations/{world.branch_a.pk}/posts",
        json.dumps({"person_id": int(HUGE), "role": "branch_committee", "start_date": "2025-03-01"}),
        content_type="application/json")
    assert response.status_code == 422, response.content
    assert response.json()["detail"][0]["message"]


@pytest.mark.parametrize("day", ["0339-05-01", "9999-12-31"])
def test_a_date_outside_1900_to_2100_answers_422_naming_the_field(world, as_role, day):
    body = {"leader_id": world.people["town_clerk"].pk, "compound_id": world.compound_a.pk,
            "organiser_id": world.town_office.pk, "held_on": day, "starts_at": "09:00", "ends_at": "11:00",
            "place": "党群服务站"}
    response = as_role("town_clerk").post("/api/v1/outreach/sessions", json.dumps(body),
                                          content_type="application/json")
    assert response.status_code == 422, response.content
    assert [error["field"] for error in response.json()["detail"]] == ["held_on"]
