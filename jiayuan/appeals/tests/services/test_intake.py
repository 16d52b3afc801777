"""Intake: staff entering for a resident, and every bad input."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from jiayuan.appeals import services
from jiayuan.appeals.models import Appeal, AppealEvent, AppealPhoto
from jiayuan.core.audit import history_for

from ..conftest import LEAK, category, png_bytes, upload
from .common import refused

pytestmark = pytest.mark.django_db


def test_staff_enter_an_appeal_for_a_resident_with_a_masked_contact(world, cast):
    appeal = services.appeal_submit(
        actor=world.users["building_head"],
        channel=Appeal.Channel.BUILDING_HEAD,
        category=category(),
        title="楼道水管漏水",
        description="住户电话反映。",
        compound=world.compound_a,
        building=world.building_a,
        room=world.rooms_a[0],
        reporter=world.people["resident"],
        contact_phone="13912345678",
    )
    assert appeal.entered_by == world.users["building_head"] and appeal.channel == "building_head"
    assert appeal.masked_contact_phone == "139****5678"
    created = history_for(appeal).get(action="create")
    assert created.after["contact_phone"] == "139****5678"  # never in clear in the audit trail
    assert "13912345678" not in str(created.after)


# --- bad input: intake ---------------------------------------------------------------------------------------


def test_an_inactive_category_is_refused_and_nothing_is_saved(world, cast, file_appeal):
    leak = category(LEAK)
    leak.active = False
    leak.save()
    before = Appeal.objects.count(), AppealEvent.objects.count()
    with pytest.raises(ValidationError) as caught:
        file_appeal()
    assert "no longer used" in refused(caught.value, "category")
    assert (Appeal.objects.count(), AppealEvent.objects.count()) == before


def test_a_category_under_an_inactive_parent_is_refused(world, cast, file_appeal):
    group = category("0102")
    group.active = False
    group.save()
    with pytest.raises(ValidationError) as caught:
        file_appeal()
    assert "category" in caught.value.message_dict


def test_a_resident_cannot_report_in_a_compound_where_they_do_not_live(world, cast, file_appeal):
    before = Appeal.objects.count()
    with pytest.raises(ValidationError) as caught:
        file_appeal(compound=world.compound_b)
    assert "where you live" in refused(caught.value, "compound")
    with pytest.raises(ValidationError) as caught:
        file_appeal(by="neighbour", compound=world.compound_a2)
    assert "compound" in caught.value.message_dict
    assert Appeal.objects.count() == before


def test_a_building_or_room_outside_the_compound_is_refused(world, cast, file_appeal):
    with pytest.raises(ValidationError) as caught:
        file_appeal(building=world.building_b)
    assert "building" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        file_appeal(room=world.rooms_a2[0])
    assert "room" in caught.value.message_dict


def test_staff_cannot_enter_appeals_outside_their_area(world, cast):
    with pytest.raises(ValidationError) as caught:
        services.appeal_submit(
            actor=world.users["building_head"],
            channel=Appeal.Channel.BUILDING_HEAD,
            category=category(),
            title="漏水",
            description="漏水",
            compound=world.compound_b,
        )
    assert "outside your area" in refused(caught.value, "compound")


def test_missing_title_description_and_unknown_channel_are_each_named(world, cast, file_appeal):
    with pytest.raises(ValidationError) as caught:
        file_appeal(title=" ", description="", channel="carrier_pigeon")
    assert {"title", "description", "channel"} <= set(caught.value.message_dict)


def test_an_overlong_title_or_description_is_refused_with_its_length_not_cut_short(world, cast, file_appeal):
    before = Appeal.objects.count()
    with pytest.raises(ValidationError) as caught:
        file_appeal(title="漏" * 101, description="水" * 4001)
    assert "101 characters; at most 100" in refused(caught.value, "title")
    assert "4001 characters; at most 4000" in refused(caught.value, "description")
    assert Appeal.objects.count() == before
    appeal = file_appeal(title=" " + "漏" * 100 + " ", description="水" * 4000)  # the limits themselves are fine
    appeal.refresh_from_db()
    assert (len(appeal.title), len(appeal.description)) == (100, 4000)


def test_a_real_photo_is_kept_with_its_type_and_hash(world, cast, file_appeal):
    appeal = file_appeal(photos=[upload("leak.png", png_bytes())])
    photo = AppealPhoto.objects.get(appeal=appeal)
    assert photo.content_type == "image/png" and len(photo.sha256) == 64 and photo.size == len(png_bytes())


def test_a_text_file_named_jpg_is_not_a_photo(world, cast, file_appeal):
    before = Appeal.objects.count(), AppealPhoto.objects.count()
    with pytest.raises(ValidationError) as caught:
        file_appeal(
            photos=[upload("leak.png", png_bytes()), upload("leak.jpg", b"just some text\n" * 20, "image/jpeg")]
        )
    assert "leak.jpg is not a photo" in refused(caught.value, "photos")
    assert (Appeal.objects.count(), AppealPhoto.objects.count()) == before


def test_an_oversize_photo_is_refused(world, cast, file_appeal):
    big = png_bytes() + b"\0" * (services.PHOTO_MAX_BYTES + 1)
    with pytest.raises(ValidationError) as caught:
        file_appeal(photos=[upload("big.png", big)])
    assert "at most 5 MB" in refused(caught.value, "photos")


def test_more_than_six_photos_are_refused(world, cast, file_appeal):
    with pytest.raises(ValidationError) as caught:
        file_appeal(photos=[upload(f"{n}.png", png_bytes()) for n in range(7)])
    assert "photos" in caught.value.message_dict
