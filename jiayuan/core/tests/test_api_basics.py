import json

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client

from jiayuan.core.api import api_field_names, schema_error_field
from jiayuan.places.models import Compound

pytestmark = pytest.mark.django_db

API = "/api/v1"


def test_openapi_document_is_valid_json_and_lists_the_endpoints(client):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["info"]["title"] == "Jiayuan API"
    paths = document["paths"]
    for path, method in [
        ("/me", "get"),
        ("/places/towns", "get"),
        ("/places/towns/{id}", "get"),
        ("/places/communities", "get"),
        ("/places/communities/{id}", "get"),
        ("/places/compounds", "get"),
        ("/places/compounds/{id}", "get"),
        ("/places/compounds/{id}", "patch"),
        ("/places/compounds/{id}/buildings", "get"),
        ("/places/buildings/{id}", "get"),
        ("/places/buildings/{id}/rooms", "get"),
        ("/places/rooms/{id}", "get"),
        ("/places/rooms/{id}/area", "post"),
        ("/people", "get"),
        ("/people", "post"),
        ("/people/{id}", "get"),
        ("/organisations", "get"),
        ("/organisations/{id}", "get"),
        ("/organisations/{id}/posts", "post"),
        ("/organisations/committees", "post"),
    ]:
        assert method in paths[API + path], (path, method)


def test_openapi_document_describes_paginated_lists_with_limit_and_offset(client):
    operation = client.get(f"{API}/openapi.json").json()["paths"][f"{API}/places/compounds"]["get"]
    limit = next(p for p in operation["parameters"] if p["name"] == "limit")
    assert limit["schema"]["maximum"] == 200
    assert {"offset", "town", "community", "q"} <= {p["name"] for p in operation["parameters"]}


def test_anonymous_me_answers_401(client):
    assert client.get(f"{API}/me").status_code == 401


def test_me_summarises_a_town_clerks_scope(world, as_role):
    body = as_role("town_clerk").get(f"{API}/me").json()
    assert (body["username"], body["person_name"], body["role"]) == ("town_clerk", "陈镇员", "town_clerk")
    assert body["role_label"]
    scope = body["scope"]
    assert scope["everything"] is False
    assert scope["towns"] == [{"id": world.qingyang.pk, "name": "青阳街道"}]
    assert (scope["communities"], scope["compounds"], scope["room_ids"]) == ([], [], [])
    assert scope["visible_compound_count"] == 2


def test_me_summarises_a_residents_household_and_a_city_admins_reach(world, as_role, client):
    resident = as_role("resident").get(f"{API}/me").json()["scope"]
    assert resident["room_ids"] == [world.rooms_a[0].pk]
    admin = as_role("city_admin").get(f"{API}/me").json()["scope"]
    assert admin["everything"] is True and admin["visible_compound_count"] == 3


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/places/compounds?limit=0", "limit"),
        ("/places/compounds?offset=-1", "offset"),
        ("/places/compounds?town=Qingyang", "town"),
        ("/places/compounds/C0001", "id"),
    ],
)
def test_schema_errors_in_query_and_path_name_the_field(world, as_role, url, field):
    response = as_role("city_admin").get(API + url)
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["field"] == field and error["message"]


def test_schema_errors_in_the_body_name_each_field_without_the_parameter_name(world, as_role):
    response = as_role("city_admin").post(
        f"{API}/organisations/committees", json.dumps({"seats": "many"}), content_type="application/json"
    )
    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["detail"]}
    assert fields == {"compound_id", "name", "established_on", "term_end", "seats"}


@pytest.mark.parametrize(
    ("loc", "field"),
    [
        (("body", "payload", "seats"), "seats"),
        (("body", "payload", "items", 0, "area"), "items.0.area"),
        (("body", "payload"), "payload"),
        (("query", "limit"), "limit"),
        (("path", "id"), "id"),
        (("body",), "body"),
        ((), "__all__"),
    ],
)
def test_schema_error_locations_become_field_names(loc, field):
    assert schema_error_field(loc) == field


def test_service_field_names_can_be_renamed_to_the_apis_names():
    with pytest.raises(ValidationError) as info, api_field_names(building="building_id"):
        raise ValidationError({"building": "not here", "start_date": "too early"})
    assert set(info.value.message_dict) == {"building_id", "start_date"}


def test_writes_with_a_session_need_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["city_admin"])
    url = f"{API}/places/compounds/{world.compound_a.pk}"
    refused = client.patch(url, json.dumps({"year_built": 2011, "reason": "更正"}), content_type="application/json")
    assert refused.status_code == 403
    assert Compound.objects.get(pk=world.compound_a.pk).year_built == 2010

    token = "k" * 32
    client.cookies[settings.CSRF_COOKIE_NAME] = token
    accepted = client.patch(
        url,
        json.dumps({"year_built": 2011, "reason": "更正"}),
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert accepted.status_code == 200, accepted.content
    assert Compound.objects.get(pk=world.compound_a.pk).year_built == 2011


def test_reads_with_a_session_need_no_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["city_admin"])
    assert client.get(f"{API}/places/compounds").status_code == 200
