"""Compounds and rooms rosters: good files create what they should; bad rows are reported, nothing written."""

from decimal import Decimal

import pytest

from jiayuan.core.models import AuditEntry
from jiayuan.places.models import Building, Compound, Room, Unit

from .helpers import problems, roster_file

ROOM = ["C0001", "2号楼", "1单元", "101", 1, 89.5, "登记面积"]


def _room(**changes):
    row = list(ROOM)
    for index, key in enumerate(["compound", "building", "unit", "room", "floor", "area", "source"]):
        if key in changes:
            row[index] = changes[key]
    return row


# --- compounds ----------------------------------------------------------------------
def test_a_good_compounds_file_creates_the_compounds_with_audit_rows(run_import, world):
    content = roster_file(
        "compounds",
        ["C0101", "青华新苑", "350582001001", "青华路1号", "商品房", 2015, "物业公司"],
        ["C0102", "晓升小区", "350582001002", "", "old", "", "失管"],
    )
    result = run_import("town_clerk", "compounds", content)
    assert result.ok, problems(result)
    assert result.counts == {"compounds": 2}
    first = Compound.objects.get(code="C0101")
    assert (first.name, first.community, first.kind, first.year_built, first.management, first.address) == (
        "青华新苑",
        world.community_a,
        "commercial",
        2015,
        "company",
        "青华路1号",
    )
    second = Compound.objects.get(code="C0102")
    assert (second.kind, second.year_built, second.management) == ("old", None, "none")
    created = AuditEntry.objects.filter(
        object_type="places.compound", action="create", object_id__in=[str(first.pk), str(second.pk)]
    )
    assert created.count() == 2
    assert set(created.values_list("actor_name", flat=True)) == {"town_clerk"}


def test_an_import_leaves_one_audit_entry_for_the_batch(run_import):
    result = run_import(
        "town_clerk",
        "compounds",
        roster_file("compounds", ["C0101", "青华新苑", "350582001001", "", "商品房", 2015, "物业公司"]),
        filename="新小区.xlsx",
    )
    assert result.ok
    batch = AuditEntry.objects.get(action="import")
    assert batch.object_type == "rosters.import"
    assert batch.actor_name == "town_clerk"
    assert batch.note == "新小区.xlsx"
    assert batch.after == {"roster": "compounds", "file": "新小区.xlsx", "rows": 1, "counts": {"compounds": 1}}


def test_an_out_of_scope_compound_code_reads_like_one_in_scope(run_import):
    """C0003 (Chidian) is outside the town clerk's scope, C0001 inside: the report says the same of both."""
    content = roster_file(
        "compounds",
        ["C0001", "甲", "350582001001", "", "商品房", 2015, "物业公司"],
        ["C0003", "乙", "350582001001", "", "商品房", 2015, "物业公司"],
    )
    flagged = {
        (row, message)
        for row, _, message in problems(run_import("town_clerk", "compounds", content))
        if message.startswith("This compound code")
    }
    assert {row for row, _ in flagged} == {2, 3} and len({message for _, message in flagged}) == 1


def test_compound_rows_with_bad_values_are_all_reported(run_import):
    content = roster_file(
        "compounds",
        ["C0001", "重复编码", "350582001001", "", "商品房", 2015, "物业公司"],
        ["C0101", "金利花园", "350582001001", "", "别墅", 1800, "物业公司"],
        ["C0101", "另一个", "350582999999", "", "商品房", "", "物业公司"],
    )
    result = run_import("town_clerk", "compounds", content)
    assert problems(result) == [
        (2, "小区编码", "This compound code cannot be used: it is already registered. Choose another code."),
        (
            3,
            "类型",
            "Not an accepted value; use one of: 商品房、商品住宅、commercial、安置房、安置小区、resettlement、"
            "老旧小区、老小区、old、商住混合、商住混合小区、mixed.",
        ),
        (3, "建成年份", "The number must be at least 1900."),
        (3, "小区名称", "The community already has a compound of this name."),
        (4, "小区编码", "Row 3 has the same compound code."),
        (4, "所属社区编码", "Unknown community code."),
    ]


def test_a_community_outside_the_importers_scope_is_an_unknown_code(run_import):
    content = roster_file("compounds", ["C0101", "池店新城", "350582101001", "", "商品房", 2015, "物业公司"])
    result = run_import("town_clerk", "compounds", content)
    assert problems(result) == [(2, "所属社区编码", "Unknown community code.")]


def test_compound_staff_cannot_create_compounds(run_import):
    content = roster_file("compounds", ["C0101", "青华新苑", "350582001001", "", "商品房", 2015, "物业公司"])
    result = run_import("branch_secretary", "compounds", content)
    assert problems(result) == [(2, "所属社区编码", "Unknown community code.")]


# --- rooms -----------------------------------------------------------------------------
def test_a_good_rooms_file_creates_buildings_units_and_rooms_reusing_existing_ones(run_import, world):
    content = roster_file(
        "rooms",
        _room(),
        _room(room="102", area="91.25", source="surveyed"),
        _room(unit="2单元", room="101", floor="", area="120㎡", source="合同"),
        _room(building="1号楼", unit="1单元", room="301", floor=3, area=100),
    )
    result = run_import("town_clerk", "rooms", content)
    assert result.ok, problems(result)
    assert result.counts == {"buildings": 1, "units": 2, "rooms": 4}
    building = Building.objects.get(compound=world.compound_a, number="2号楼")
    assert sorted(building.units.values_list("number", flat=True)) == ["1单元", "2单元"]
    room = Room.objects.get(unit__building=building, unit__number="1单元", number="102")
    assert (room.area, room.area_source, room.floor) == (Decimal("91.25"), "surveyed", 1)
    contract = Room.objects.get(unit__building=building, unit__number="2单元", number="101")
    assert (contract.area, contract.area_source, contract.floor) == (Decimal("120.00"), "contract", None)
    assert Room.objects.filter(unit__building=world.building_a, number="301").exists()
    for model, label in ((Building, "places.building"), (Unit, "places.unit"), (Room, "places.room")):
        newest = model.objects.order_by("-pk").first()
        assert AuditEntry.objects.filter(object_type=label, object_id=str(newest.pk), action="create").exists()
    assert AuditEntry.objects.filter(action="import").count() == 1


@pytest.mark.parametrize(
    ("area", "reason"),
    [
        ("八十九", "The area must be a number of square metres."),
        ("89.5 sq", "The area must be a number of square metres."),
        (0, "The area must be greater than zero."),
        (-12.5, "The area must be greater than zero."),
        ("-1", "The area must be greater than zero."),
        ("89.555", "The area may have at most two decimals."),
    ],
    ids=["chinese-words", "unit-typo", "zero", "negative", "negative-text", "three-decimals"],
)
def test_a_bad_area_is_reported_on_its_row_and_nothing_is_written(run_import, area, reason):
    content = roster_file("rooms", _room(), _room(room="102", area=area))
    result = run_import("town_clerk", "rooms", content)
    assert problems(result) == [(3, "专有面积(㎡)", reason)]
    assert result.errors[0].value == str(area)
    assert not Building.objects.filter(number="2号楼").exists()


def test_a_missing_required_value_is_reported(run_import):
    result = run_import("town_clerk", "rooms", roster_file("rooms", _room(room="", area="")))
    assert problems(result) == [(2, "房号", "A value is required."), (2, "专有面积(㎡)", "A value is required.")]


def test_a_room_twice_in_the_file_is_reported_on_the_second_row(run_import):
    content = roster_file("rooms", _room(), _room(room="102"), _room())
    result = run_import("town_clerk", "rooms", content)
    assert problems(result) == [(4, "房号", "Row 2 has the same room (compound, building, unit and room number).")]


def test_a_room_that_already_exists_is_reported(run_import):
    content = roster_file("rooms", _room(), _room(building="1号楼", unit="1单元", room="101"))
    result = run_import("town_clerk", "rooms", content)
    assert problems(result) == [(3, "房号", "This room already exists in the compound.")]


def test_a_compound_outside_the_scope_reads_exactly_like_an_unknown_one(run_import):
    content = roster_file("rooms", _room(compound="C0003"), _room(compound="C9999"))
    result = run_import("town_clerk", "rooms", content)
    assert problems(result) == [(2, "小区编码", "Unknown compound code."), (3, "小区编码", "Unknown compound code.")]


def test_the_city_administrator_may_import_into_any_town(run_import, world):
    result = run_import("city_admin", "rooms", roster_file("rooms", _room(compound="C0003")))
    assert result.ok, problems(result)
    assert Room.objects.filter(unit__building__compound=world.compound_b, unit__building__number="2号楼").count() == 1
