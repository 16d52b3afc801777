import json
from decimal import Decimal

import pytest
from django.db import connection

from jiayuan.core.audit import history_for
from jiayuan.core.models import AuditEntry
from jiayuan.places.models import Compound, Room

pytestmark = pytest.mark.django_db

API = "/api/v1/places"


def send(client, method, url, data):
    return getattr(client, method)(API + url, json.dumps(data), content_type="application/json")


def fields_of(response) -> set[str]:
    return {error["field"] for error in response.json()["detail"]}


# --- reads ----------------------------------------------------------------------------


def test_compound_detail_shows_its_three_carriages_and_its_size(world, as_role):
    body = as_role("town_clerk").get(f"{API}/compounds/{world.compound_a.pk}").json()
    assert body["code"] == "C0001"
    assert body["town_name"] == "青阳街道"
    assert body["branch"]["name"] == "金利花园党支部"
    assert body["branch"]["secretary"]["name"] == "邱书记"
    assert body["committee"]["seats"] == 5
    assert body["committee"]["term_end"] == "2028-12-31"
    assert body["committee"]["director"]["name"] == "蔡主任"
    assert body["property_company"]["name"] == "晋江城投物业"
    assert body["property_company"]["state_owned"] is True
    assert (body["building_count"], body["room_count"]) == (1, 4)


def test_compound_without_carriages_answers_nulls_not_errors(world, as_role):
    body = as_role("town_clerk").get(f"{API}/compounds/{world.compound_a2.pk}").json()
    assert (body["branch"], body["committee"], body["property_company"]) == (None, None, None)


def test_compound_list_filters_by_town_community_and_name(world, as_role):
    client = as_role("town_clerk")

    def codes(**params):
        return {item["code"] for item in client.get(f"{API}/compounds", params).json()["items"]}

    assert codes(town=world.qingyang.pk) == {"C0001", "C0002"}
    assert codes(community=world.community_b.pk) == {"C0002"}
    assert codes(q="宝龙") == {"C0002"}
    # Filtering on a place outside the scope narrows to nothing; it never widens the scope.
    assert codes(town=world.chidian.pk) == set()


def test_community_list_filters_by_town(world, as_role):
    client = as_role("city_admin")
    items = client.get(f"{API}/communities", {"town": world.chidian.pk}).json()["items"]
    assert [item["name"] for item in items] == ["池店社区"]


def test_lists_are_paginated_with_limit_and_offset(world, as_role):
    client = as_role("city_admin")
    first = client.get(f"{API}/compounds", {"limit": 2}).json()
    rest = client.get(f"{API}/compounds", {"limit": 2, "offset": 2}).json()
    assert first["count"] == rest["count"] == 3
    assert [c["code"] for c in first["items"] + rest["items"]] == ["C0001", "C0002", "C0003"]


def test_a_page_larger_than_200_rows_is_refused_naming_limit(world, as_role):
    response = as_role("city_admin").get(f"{API}/compounds", {"limit": 201})
    assert response.status_code == 422
    assert fields_of(response) == {"limit"}


def test_room_detail_masks_the_owners_personal_data_for_a_town_clerk(world, as_role):
    owner = world.people["resident"]
    body = as_role("town_clerk").get(f"{API}/rooms/{world.rooms_a[0].pk}").json()
    (listed,) = body["owners"]
    assert listed["name"] == owner.name
    assert listed["id_number"] == owner.masked_id_number != owner.id_number
    assert listed["phone"] == owner.masked_phone != owner.phone
    assert listed["birth_date"] is None
    assert listed["personal_data_shown"] is False


@pytest.mark.parametrize("persona", ["city_admin", "resident"])
def test_room_detail_shows_personal_data_to_the_city_admin_and_to_the_owner(world, as_role, persona):
    owner = world.people["resident"]
    (listed,) = as_role(persona).get(f"{API}/rooms/{world.rooms_a[0].pk}").json()["owners"]
    assert (listed["id_number"], listed["phone"]) == (owner.id_number, owner.phone)
    assert listed["personal_data_shown"] is True


def test_room_detail_never_carries_the_encrypted_token_or_the_lookup_hash(world, as_role):
    owner = world.people["resident"]
    with connection.cursor() as cursor:  # the columns as stored, not decrypted by the model field
        cursor.execute(
            "SELECT id_number, phone, id_number_hash, phone_hash FROM people_person WHERE id = %s", [owner.pk]
        )
        stored = cursor.fetchone()
    content = as_role("city_admin").get(f"{API}/rooms/{world.rooms_a[0].pk}").content.decode()
    assert owner.id_number in content  # the city admin sees it in clear...
    for secret in stored:  # ...but never as stored
        assert secret and secret not in content
    assert "hash" not in content


def test_room_detail_lists_residents_who_are_not_owners(world, as_role):
    import datetime as dt

    from jiayuan.people.services import residency_add

    tenant = world.people["department_staff"]
    residency_add(actor=None, room=world.rooms_a[1], person=tenant, relation="tenant", start_date=dt.date(2025, 1, 1))
    body = as_role("city_admin").get(f"{API}/rooms/{world.rooms_a[1].pk}").json()
    assert [(r["name"], r["relation"]) for r in body["residents"]] == [(tenant.name, "tenant")]
    assert body["owners"] == []


def test_room_areas_come_out_as_exact_decimal_strings(world, as_role):
    items = as_role("building_head").get(f"{API}/buildings/{world.building_a.pk}/rooms").json()["items"]
    assert sorted(item["area"] for item in items) == ["90.50", "90.50", "91.50", "91.50"]


# --- PATCH a compound -------------------------------------------------------------------


def test_patching_a_compound_changes_it_and_writes_an_audit_entry_with_before_and_after(world, as_role):
    compound = world.compound_a
    response = send(
        as_role("town_clerk"),
        "patch",
        f"/compounds/{compound.pk}",
        {
            "name": "金利花园二期",
            "management": "self",
            "year_built": 2012,
            "address": "青阳街道金利路1号",
            "reason": "竣工资料更正",
        },
    )
    assert response.status_code == 200, response.content
    assert response.json()["name"] == "金利花园二期"
    compound.refresh_from_db()
    assert (compound.name, compound.management, compound.year_built) == ("金利花园二期", "self", 2012)
    entry = history_for(compound).first()
    assert (entry.action, entry.note) == (AuditEntry.Action.UPDATE, "竣工资料更正")
    assert entry.actor == world.users["town_clerk"]
    assert (entry.before["name"], entry.after["name"]) == ("金利花园", "金利花园二期")
    assert (entry.before["management"], entry.after["management"]) == ("company", "self")
    assert (entry.before["year_built"], entry.after["year_built"]) == (2010, 2012)


def test_patching_only_one_field_leaves_the_others_alone(world, as_role):
    response = send(
        as_role("community_secretary"),
        "patch",
        f"/compounds/{world.compound_a.pk}",
        {"kind": "old", "reason": "老旧小区"},
    )
    assert response.status_code == 200
    compound = Compound.objects.get(pk=world.compound_a.pk)
    assert (compound.kind, compound.name, compound.management) == ("old", "金利花园", "company")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"year_built": 1800}, "year_built"),
        ({"management": "anarchy"}, "management"),
        ({"kind": "castle"}, "kind"),
        ({"name": ""}, "name"),
        ({"name": "x" * 81}, "name"),
        ({"year_built": "long ago"}, "year_built"),
        ({"code": "C9999"}, "code"),  # not changeable through the API
        ({"address": None}, "address"),  # the schema allowed null where the column does not (was a 500)
        ({"name": None}, "name"),
        ({"reason": "  "}, "reason"),
    ],
)
def test_bad_compound_changes_answer_422_naming_the_field_and_change_nothing(world, as_role, changes, field):
    before_entries = AuditEntry.objects.count()
    response = send(as_role("city_admin"), "patch", f"/compounds/{world.compound_a.pk}", {"reason": "更正", **changes})
    assert response.status_code == 422
    assert fields_of(response) == {field}
    assert all(error["message"] for error in response.json()["detail"])
    compound = Compound.objects.get(pk=world.compound_a.pk)
    assert (compound.code, compound.name, compound.kind, compound.year_built) == (
        "C0001",
        "金利花园",
        "commercial",
        2010,
    )
    assert AuditEntry.objects.count() == before_entries


# --- room area --------------------------------------------------------------------------


def test_correcting_a_rooms_area_saves_it_with_its_source_and_audits_it(world, as_role):
    room = world.rooms_a[1]
    response = send(
        as_role("community_secretary"),
        "post",
        f"/rooms/{room.pk}/area",
        {"area": "88.25", "area_source": "surveyed", "reason": "测绘报告第12号"},
    )
    assert response.status_code == 200
    assert (response.json()["area"], response.json()["area_source"]) == ("88.25", "surveyed")
    room.refresh_from_db()
    assert (room.area, room.area_source) == (Decimal("88.25"), "surveyed")
    entry = history_for(room).first()
    assert entry.note == "测绘报告第12号"
    assert (entry.before["area"], entry.after["area"]) == ("91.50", "88.25")
    assert (entry.before["area_source"], entry.after["area_source"]) == ("registered", "surveyed")


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"area": "0", "area_source": "surveyed"}, "area"),
        ({"area": 0, "area_source": "surveyed"}, "area"),
        ({"area": "-12.5", "area_source": "surveyed"}, "area"),
        ({"area": "lots", "area_source": "surveyed"}, "area"),
        ({"area": "1.234", "area_source": "surveyed"}, "area"),
        ({"area": "80", "area_source": "guessed"}, "area_source"),
        ({"area_source": "surveyed"}, "area"),
        ({"area": "80", "area_source": "surveyed", "reason": ""}, "reason"),
    ],
)
def test_bad_areas_answer_422_naming_the_field_and_change_nothing(world, as_role, payload, field):
    room = world.rooms_a[1]
    before_entries = AuditEntry.objects.count()
    response = send(as_role("city_admin"), "post", f"/rooms/{room.pk}/area", {"reason": "更正", **payload})
    assert response.status_code == 422
    assert fields_of(response) == {field}
    stored = Room.objects.get(pk=room.pk)
    assert (stored.area, stored.area_source) == (Decimal("91.50"), "registered")
    assert AuditEntry.objects.count() == before_entries


def test_a_town_clerk_cannot_correct_an_area_outside_the_town(world, as_role):
    room = world.rooms_b[0]
    response = send(
        as_role("town_clerk"),
        "post",
        f"/rooms/{room.pk}/area",
        {"area": "70", "area_source": "surveyed", "reason": "更正"},
    )
    assert response.status_code == 404
    assert Room.objects.get(pk=room.pk).area == Decimal("90.50")
