"""The resident's report page: picking a building they live in starts the room choice at their own room there,
and the common parts ("no particular room") stay one choice away."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jiayuan.appeals.models import Appeal
from jiayuan.people import services as people_services
from jiayuan.places import services as place_services
from jiayuan.testing import START

from .conftest import LEAK, category

pytestmark = pytest.mark.django_db
PLACES = reverse("appeals:intake_places")


def places(client, **query):
    response = client.get(PLACES, query, headers={"HX-Request": "true"})
    assert response.status_code == 200
    return response


def selected_room(response):
    return response.context["form"]["room"].value()


def test_picking_the_building_of_their_home_defaults_the_room_to_it(world, as_role):
    response = places(as_role("resident"), compound=world.compound_a.pk, building=world.building_a.pk)
    assert str(selected_room(response)) == str(world.rooms_a[0].pk)
    body = response.content.decode()
    assert f'<option value="{world.rooms_a[0].pk}" selected>' in body
    assert '<option value="">' in body  # the common parts stay selectable


def test_a_building_without_their_home_leaves_the_room_on_the_common_parts(world, as_role):
    other = place_services.building_create(actor=None, compound=world.compound_a, number="9号楼", floors=3)
    response = places(as_role("resident"), compound=world.compound_a.pk, building=other.pk)
    assert selected_room(response) is None
    assert list(response.context["form"].fields["room"].queryset) == []
    response = places(as_role("resident"), compound=world.compound_a.pk)  # the whole compound: no room implied
    assert selected_room(response) is None


def test_a_resident_who_lives_there_without_owning_gets_their_room_too(world, cast, client):
    tenant = cast.outsider  # owns a room in 南天裕; rents one in 金利花园 1号楼
    people_services.residency_add(
        actor=None, room=world.rooms_a[3], person=tenant.person, relation="tenant", start_date=START
    )
    client.force_login(tenant)
    response = places(client, compound=world.compound_a.pk, building=world.building_a.pk)
    assert str(selected_room(response)) == str(world.rooms_a[3].pk)
    assert set(response.context["form"].fields["room"].queryset) == {world.rooms_a[3]}  # never a neighbour's


def test_staff_entering_for_a_resident_get_no_room_chosen_for_them(world, as_role):
    response = places(as_role("building_head"), compound=world.compound_a.pk, building=world.building_a.pk)
    assert selected_room(response) is None


def test_the_common_parts_chosen_in_so_many_words_are_what_is_reported(world, as_role):
    client = as_role("resident")
    data = {
        "category": category(LEAK).pk,
        "title": "楼道灯坏了",
        "description": "1号楼楼道灯不亮。",
        "compound": world.compound_a.pk,
        "building": world.building_a.pk,
        "room": "",
    }
    response = client.post(reverse("appeals:intake"), data)
    assert response.status_code == 302, response.context["form"].errors
    appeal = Appeal.objects.get(title="楼道灯坏了")
    assert (appeal.building, appeal.room) == (world.building_a, None)


def test_without_js_a_stale_room_gives_way_to_their_home_in_the_building(world, as_role):
    client = as_role("resident")
    data = {
        "category": category(LEAK).pk,
        "title": "漏水",
        "description": "漏水",
        "compound": world.compound_a.pk,
        "building": world.building_a.pk,
        "room": world.rooms_b[0].pk,  # not theirs, not in the building
        "_refresh": "1",
    }
    response = client.post(reverse("appeals:intake"), data)
    assert response.status_code == 200
    assert str(selected_room(response)) == str(world.rooms_a[0].pk)
    data["room"] = ""
    assert selected_room(client.post(reverse("appeals:intake"), data)) == ""


def test_the_first_page_still_starts_at_their_home(world, as_role):
    form = as_role("resident").get(reverse("appeals:intake")).context["form"]
    assert (form["building"].value(), form["room"].value()) == (world.building_a.pk, world.rooms_a[0].pk)
