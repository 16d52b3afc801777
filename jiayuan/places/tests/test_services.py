from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from jiayuan.places.models import Room
from jiayuan.places.services import room_create, room_update_area

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("area", [Decimal("0"), Decimal("-12.5"), "abc"])
def test_room_area_must_be_a_positive_number(world, area):
    before = Room.objects.count()
    with pytest.raises(ValidationError) as info:
        room_create(actor=None, unit=world.rooms_a[0].unit, number="999", area=area, area_source="registered")
    assert "area" in info.value.message_dict
    assert Room.objects.count() == before


def test_area_correction_keeps_the_old_value_on_refusal(world):
    room = world.rooms_a[0]
    with pytest.raises(ValidationError):
        room_update_area(actor=None, room=room, area=Decimal("0"), area_source="surveyed", reason="更正")
    room.refresh_from_db()
    assert room.area > 0 and room.area_source == "registered"


def test_database_refuses_non_positive_area_even_bypassing_services(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Room.objects.create(unit=world.rooms_a[0].unit, number="998", area=Decimal("0"), area_source="registered")


def test_duplicate_room_number_in_a_unit_is_refused(world):
    with pytest.raises(ValidationError):
        room_create(
            actor=None,
            unit=world.rooms_a[0].unit,
            number=world.rooms_a[0].number,
            area=Decimal("80"),
            area_source="registered",
        )


def test_a_room_belongs_to_exactly_one_building(world):
    room = world.rooms_a[0]
    assert room.unit.building == world.building_a
    assert not hasattr(Room, "buildings")
