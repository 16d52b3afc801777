"""Role × endpoint × stage on the two writes that change what a vote weighs: a compound's particulars and a room's
exclusive area. Every persona is tried on both; the stage is the owners' general meeting: once its electorate is
frozen, correcting the register changes the register, never the electorate the meeting counts with.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.utils import timezone

from jiayuan.elections.models import ElectorateRoom
from jiayuan.elections.services import assembly
from jiayuan.places.models import Compound, Room
from jiayuan.testing import PERSONAS

pytestmark = pytest.mark.django_db
API = "/api/v1/places"
# The community, town and city change the register (DOMAIN.md: exclusive area is the weight of a vote).
EDITORS = {"community_secretary", "town_clerk", "city_admin"}
# Who sees 金利花园 (C0001) at all; the others get 404 as for a compound that does not exist.
SEES_COMPOUND = EDITORS | {"branch_secretary", "committee_director", "property_manager", "building_head"}


def send(client, method, url, data):
    return getattr(client, method)(API + url, json.dumps(data), content_type="application/json")


def expected(persona) -> int:
    if persona in EDITORS:
        return 200
    return 403 if persona in SEES_COMPOUND else 404


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_compounds_particulars_change_only_by_the_community_town_or_city(world, as_role, persona):
    compound = world.compound_a
    response = send(as_role(persona), "patch", f"/compounds/{compound.pk}", {"name": "改名", "reason": "更正"})
    assert response.status_code == expected(persona), response.content
    assert (Compound.objects.get(pk=compound.pk).name == "改名") == (response.status_code == 200)


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_rooms_area_changes_only_by_the_community_town_or_city(world, as_role, persona):
    room = world.rooms_a[0]
    before = Room.objects.get(pk=room.pk).area
    body = {"area": "120.75", "area_source": "surveyed", "reason": "测绘报告"}
    response = send(as_role(persona), "post", f"/rooms/{room.pk}/area", body)
    assert response.status_code == expected(persona), response.content
    assert Room.objects.get(pk=room.pk).area == (Decimal("120.75") if response.status_code == 200 else before)


def test_once_the_electorate_is_frozen_an_area_correction_leaves_the_meetings_weights_as_they_were(world, as_role):
    room = world.rooms_a[0]
    clerk = world.users["community_secretary"]
    opens = timezone.now() + dt.timedelta(days=20)  # at least 15 days after the announcement
    meeting = assembly.meeting_create(
        actor=clerk,
        compound=world.compound_a,
        title="续聘物业",
        voting_opens=opens,
        voting_closes=opens + dt.timedelta(days=2),
    )
    assembly.motion_add(actor=clerk, meeting=meeting, matter=4, title="续聘物业服务企业")
    assembly.meeting_announce(actor=clerk, meeting=meeting)
    frozen = ElectorateRoom.objects.get(meeting=meeting, room=room)
    weight = (frozen.area, frozen.area_source)
    body = {"area": "150.00", "area_source": "surveyed", "reason": "测绘报告"}
    response = send(as_role("town_clerk"), "post", f"/rooms/{room.pk}/area", body)
    assert response.status_code == 200
    assert Room.objects.get(pk=room.pk).area == Decimal("150.00")
    frozen.refresh_from_db()
    assert (frozen.area, frozen.area_source) == weight
