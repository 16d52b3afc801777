"""What an appeal tells about the people in it: a resident reports on their own home or on common parts,
and personal numbers typed into free text are masked for everyone who sees the contact masked."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from jiayuan.appeals import services
from jiayuan.appeals.models import Appeal, Category

pytestmark = pytest.mark.django_db

LEAK = "010203"


def report(client, world, **extra):
    body = {"category": LEAK, "title": "漏水", "description": "厨房漏水", "compound": world.compound_a.pk, **extra}
    return client.post("/api/v1/appeals", body)  # multipart, as photos travel with it


def test_a_resident_cannot_attach_an_appeal_to_a_neighbours_room(world, as_role):
    """The issue's reproduction: compound=1, room=2 answered 201 for the resident of room 1."""
    before = Appeal.objects.count()
    response = report(as_role("resident"), world, room=world.rooms_a[1].pk)
    assert response.status_code == 422, response.content
    assert [error["field"] for error in response.json()["detail"]] == ["room"]
    assert Appeal.objects.count() == before


def test_a_resident_reports_on_their_own_room_or_on_common_parts(world, as_role):
    client = as_role("resident")
    assert report(client, world, room=world.rooms_a[0].pk).status_code == 201
    assert report(client, world, building=world.building_a.pk).status_code == 201
    assert report(client, world).status_code == 201


def test_the_service_refuses_a_neighbours_room_for_the_residents_own_channel(world):
    with pytest.raises(ValidationError) as exc:
        services.appeal_submit(
            actor=world.users["resident"],
            channel=Appeal.Channel.RESIDENT,
            category=Category.objects.get(code=LEAK),
            title="漏水",
            description="楼上漏水",
            compound=world.compound_a,
            room=world.rooms_a[1],
        )
    assert set(exc.value.message_dict) == {"room"}


def test_a_building_head_entering_for_a_resident_may_name_their_room(world):
    appeal = services.appeal_submit(
        actor=world.users["building_head"],
        channel=Appeal.Channel.BUILDING_HEAD,
        category=Category.objects.get(code=LEAK),
        title="漏水",
        description="楼上漏水",
        compound=world.compound_a,
        room=world.rooms_a[1],
    )
    assert appeal.room == world.rooms_a[1]


# --- personal numbers typed into free text ---------------------------------------------------

TYPED = "电话13912345678 身份证350582197503081230，请尽快处理"
MASKED = "电话139****5678 身份证3505**********1230，请尽快处理"


@pytest.fixture
def typed(world):
    return services.appeal_submit(
        actor=world.users["resident"],
        channel=Appeal.Channel.RESIDENT,
        category=Category.objects.get(code=LEAK),
        title="漏水 13912345678",
        description=TYPED,
        compound=world.compound_a,
        contact_phone="13912345678",
    )


@pytest.mark.parametrize("persona", ["branch_secretary", "property_manager", "community_secretary", "town_clerk"])
def test_numbers_typed_in_the_description_are_masked_where_the_contact_is(world, as_role, typed, persona):
    client = as_role(persona)
    page = client.get(f"/appeals/{typed.pk}/").content.decode()
    assert MASKED in page and "13912345678" not in page and "350582197503081230" not in page
    body = client.get(f"/api/v1/appeals/{typed.pk}").json()
    assert (body["description"], body["title"], body["contact_phone"]) == (MASKED, "漏水 139****5678", "139****5678")
    listed = client.get("/api/v1/appeals").json()["items"]
    assert [item["title"] for item in listed if item["id"] == typed.pk] == ["漏水 139****5678"]
    rows = client.get("/appeals/").content.decode()
    assert "13912345678" not in rows


@pytest.mark.parametrize("persona", ["city_admin", "resident"])
def test_the_reporter_and_the_city_administrator_read_the_numbers_in_clear(world, as_role, typed, persona):
    client = as_role(persona)
    assert TYPED in client.get(f"/appeals/{typed.pk}/").content.decode()
    assert client.get(f"/api/v1/appeals/{typed.pk}").json()["description"] == TYPED


def test_the_export_masks_numbers_typed_into_the_title(world, as_role, typed):
    from io import BytesIO

    from openpyxl import load_workbook

    from jiayuan.testing import settle

    client = as_role("community_secretary")
    response = settle(client, client.get("/appeals/export.xlsx"))
    sheet = load_workbook(BytesIO(response.content)).active
    cells = [str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert "漏水 139****5678" in cells and not any("13912345678" in cell for cell in cells)


def test_the_mask_covers_mobiles_landlines_and_id_numbers_and_leaves_other_numbers():
    from jiayuan.core.identity import mask_free_text

    assert mask_free_text("座机0595-85681234，3号楼502，2026年") == "座机059******1234，3号楼502，2026年"
    assert mask_free_text("35058219750308123X") == "3505**********123X"
    assert mask_free_text("") == ""
