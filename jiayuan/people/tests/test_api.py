import datetime as dt
import json

import pytest

from jiayuan.core.audit import history_for
from jiayuan.core.identity import id_check_character, make_id_number
from jiayuan.core.models import AuditEntry
from jiayuan.people.models import Person
from jiayuan.people.services import party_membership_set

pytestmark = pytest.mark.django_db

API = "/api/v1/people"
GOOD_ID = make_id_number("350582", dt.date(1990, 3, 8), 271)


def create(client, **data):
    return client.post(API, json.dumps({"name": "郑新人", **data}), content_type="application/json")


def errors_of(response) -> dict[str, str]:
    return {error["field"]: error["message"] for error in response.json()["detail"]}


# --- reads ----------------------------------------------------------------------------


def test_people_list_masks_id_and_phone_except_the_viewers_own(world, as_role):
    items = as_role("town_clerk").get(API, {"limit": 200}).json()["items"]
    by_id = {item["id"]: item for item in items}
    own = by_id.pop(world.people["town_clerk"].pk)
    assert own["id_number"] == world.people["town_clerk"].id_number
    for item in by_id.values():
        person = Person.objects.get(pk=item["id"])
        assert (item["id_number"], item["phone"]) == (person.masked_id_number, person.masked_phone)
        assert "*" in item["id_number"] and "*" in item["phone"]
        assert item["birth_date"] is None


def test_city_admin_sees_id_phone_and_birth_date_in_clear(world, as_role):
    resident = world.people["resident"]
    body = as_role("city_admin").get(f"{API}/{resident.pk}").json()
    assert (body["id_number"], body["phone"], body["birth_date"]) == (resident.id_number, resident.phone, "1980-05-17")
    assert "id_number_hash" not in body and "phone_hash" not in body


def test_people_can_be_found_by_name_part_or_whole_id_number(world, as_role):
    client = as_role("town_clerk")
    resident = world.people["resident"]
    by_name = client.get(API, {"q": "吴"}).json()["items"]
    by_id = client.get(API, {"q": resident.id_number}).json()["items"]
    assert [p["id"] for p in by_name] == [p["id"] for p in by_id] == [resident.pk]


def test_searching_by_id_number_never_finds_people_outside_the_scope(world, as_role):
    stranger = world.people["department_staff"]
    assert as_role("town_clerk").get(API, {"q": stranger.id_number}).json()["count"] == 0


def test_person_detail_lists_posts_ownerships_and_party_membership(world, as_role):
    secretary = world.people["branch_secretary"]
    party_membership_set(actor=None, person=secretary, joined_on=dt.date(2001, 7, 1), organisation=world.branch_a)
    body = as_role("community_secretary").get(f"{API}/{secretary.pk}").json()
    assert [(p["organisation_name"], p["role"]) for p in body["posts"]] == [("金利花园党支部", "branch_secretary")]
    assert body["ownerships"] == []
    assert body["party_membership"]["organisation_name"] == "金利花园党支部"
    assert body["party_membership"]["joined_on"] == "2001-07-01"


def test_person_detail_lists_the_rooms_a_person_owns(world, as_role):
    resident = world.people["resident"]
    body = as_role("building_head").get(f"{API}/{resident.pk}").json()
    assert [(o["room_id"], o["compound_name"]) for o in body["ownerships"]] == [(world.rooms_a[0].pk, "金利花园")]
    assert body["posts"] == [] and body["party_membership"] is None


# --- POST /people -----------------------------------------------------------------------


def test_staff_register_a_person_and_get_masked_data_back_with_an_audit_entry(world, as_role):
    response = create(as_role("town_clerk"), id_number=GOOD_ID, phone="13812345678")
    assert response.status_code == 201, response.content
    body = response.json()
    person = Person.objects.get(pk=body["id"])
    assert (person.name, person.id_number, person.phone) == ("郑新人", GOOD_ID, "13812345678")
    assert person.birth_date == dt.date(1990, 3, 8)
    assert body["id_number"] == person.masked_id_number
    assert body["phone"] == person.masked_phone
    entry = history_for(person).get()
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.after["id_number"] == person.masked_id_number  # the audit trail keeps no clear ID number


def _wrong_checksum(id_number: str) -> str:
    wrong = "0" if id_number[-1] != "0" else "1"
    return id_number[:17] + wrong


def _impossible_birth_date() -> str:
    first17 = "350582" + "19990231" + "123"
    return first17 + id_check_character(first17)


@pytest.mark.parametrize(
    ("data", "field", "hint"),
    [
        ({"id_number": _wrong_checksum(GOOD_ID)}, "id_number", GOOD_ID[-1]),  # names the required check character
        ({"id_number": _impossible_birth_date()}, "id_number", "19990231"),
        ({"id_number": make_id_number("350582", dt.date(2099, 1, 1), 1)}, "id_number", "2099-01-01"),
        ({"id_number": "12345"}, "id_number", ""),
        ({"id_number": GOOD_ID, "phone": "12345"}, "phone", ""),
        ({"name": "   ", "id_number": GOOD_ID}, "name", ""),
        ({"name": "长" * 51}, "name", ""),
    ],
)
def test_bad_person_input_answers_422_naming_the_field_and_saves_nothing(world, as_role, data, field, hint):
    people_before, entries_before = Person.objects.count(), AuditEntry.objects.count()
    response = create(as_role("town_clerk"), **data)
    assert response.status_code == 422
    errors = errors_of(response)
    assert list(errors) == [field]
    assert errors[field] and hint in errors[field]
    assert (Person.objects.count(), AuditEntry.objects.count()) == (people_before, entries_before)


def test_an_id_number_already_registered_answers_422_and_saves_nothing(world, as_role):
    before = Person.objects.count()
    response = create(as_role("city_admin"), id_number=world.people["resident"].id_number)
    assert response.status_code == 422
    assert list(errors_of(response)) == ["id_number"]
    assert Person.objects.count() == before


@pytest.mark.parametrize("persona", ["resident", "department_staff"])
def test_logins_without_a_staff_scope_cannot_register_people(world, as_role, persona):
    before = Person.objects.count()
    response = create(as_role(persona), id_number=GOOD_ID)
    assert response.status_code == 404
    assert Person.objects.count() == before
