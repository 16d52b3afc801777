"""Numbers beyond what the database holds answer 422 in the documented error shape, never 500."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/people?offset=9601742070854940672",
        "/api/v1/people?limit=9601742070854940672",
        f"/api/v1/appeals?compound={HUGE}",
        f"/api/v1/places/compounds/{HUGE}",
        f"/api/v1/places/compounds?community={HUGE}",
        f"/api/v1/organisations/{HUGE}",
    ],
)
def test_huge_numbers_in_the_query_or_path_answer_422_naming_the_parameter(world, as_role, url):
    response = as_role("city_admin").get(url)
    assert response.status_code == 422, response.content
    detail = response.json()["detail"]
    assert detail and all(error["field"] and error["message"] for error in detail)


def test_a_huge_id_in_a_body_answers_422_not_500(world, as_role):
    response = as_role("city_admin").post(
        f"/api/v1/organisations/{world.branch_a.pk}/posts",
        json.dumps({"person_id": int(HUGE), "role": "branch_committee", "start_date": "2025-03-01"}),
        content_type="application/json",
    )
    assert response.status_code == 422, response.content
    assert response.json()["detail"][0]["message"]


@pytest.mark.parametrize("day", ["0339-05-01", "9999-12-31"])
def test_a_date_outside_1900_to_2100_answers_422_naming_the_field(world, as_role, day):
    body = {
        "leader_id": world.people["town_clerk"].pk,
        "compound_id": world.compound_a.pk,
        "organiser_id": world.town_office.pk,
        "held_on": day,
        "starts_at": "09:00",
        "ends_at": "11:00",
        "place": "党群服务站",
    }
    response = as_role("town_clerk").post(
        "/api/v1/outreach/sessions", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 422, response.content
    assert [error["field"] for error in response.json()["detail"]] == ["held_on"]


def test_a_refusal_answers_in_the_documented_error_shape(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["city_admin"])
    response = client.post("/api/v1/people", {}, content_type="application/json")  # no CSRF token
    assert response.status_code == 403, response.content
    (error,) = response.json()["detail"]
    assert error["field"] == "__all__" and "CSRF" in error["message"]


def _dates_without_bounds(annotation, metadata=()) -> bool:
    """True when `annotation` holds a date or datetime that does not pass through the shared year bounds."""
    import datetime as dt
    import typing

    from jiayuan.core.api import _sane_year

    if typing.get_origin(annotation) is typing.Annotated:
        annotation, *extra = typing.get_args(annotation)
        metadata = (*metadata, *extra)
    if annotation in (dt.date, dt.datetime):
        return _sane_year not in [getattr(item, "func", None) for item in metadata]
    return any(_dates_without_bounds(arg) for arg in typing.get_args(annotation))


def test_every_date_the_api_takes_is_bounded_by_the_shared_type():
    from pydantic import BaseModel

    from jiayuan.config.api import api

    unbounded, seen = [], set()

    def walk(model, where):
        if model in seen:
            return
        seen.add(model)
        for name, field in model.model_fields.items():
            if _dates_without_bounds(field.annotation, tuple(field.metadata)):
                unbounded.append(f"{where} {name}")
            import typing

            for arg in (field.annotation, *typing.get_args(field.annotation)):
                if isinstance(arg, type) and issubclass(arg, BaseModel):
                    walk(arg, f"{where} {name}")

    for prefix, router in api._routers:
        for path, view in router.path_operations.items():
            for operation in view.operations:
                for model in operation.models:
                    walk(model, f"{operation.methods} {prefix}{path}")
    assert unbounded == []
