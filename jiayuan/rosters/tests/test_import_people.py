"""Owners and party members rosters: people are validated, registered once, and reused when known."""

import datetime as dt

import pytest

from jiayuan.core.models import AuditEntry
from jiayuan.people.models import Ownership, PartyMembership, Person
from jiayuan.people.services import person_find_by_id_number

from .helpers import new_id, problems, roster_file, with_birth, wrong_checksum


def _owner(id_number, name="郑业主", room="102", start="2020-05-01", phone="13812345678"):
    return ["C0001", "1号楼", "1单元", room, name, id_number, phone, start]


# --- owners ---------------------------------------------------------------------------
def test_a_good_owners_file_registers_new_people_and_reuses_known_ones(run_import, world):
    resident = world.people["resident"]
    co_owner = new_id()
    content = roster_file(
        "owners",
        _owner(co_owner, name="郑一", room="102"),
        _owner(resident.id_number, name="吴业主", room="102", phone=""),
        _owner(co_owner, name="郑一", room="201", start=dt.datetime(2019, 3, 2)),
    )
    result = run_import("town_clerk", "owners", content)
    assert result.ok, problems(result)
    assert result.counts == {"people_created": 1, "ownerships": 3, "people_reused": 1}
    person = person_find_by_id_number(co_owner)
    assert (person.name, person.phone) == ("郑一", "13812345678")
    assert Person.objects.filter(name="吴业主").count() == 1
    rooms = set(Ownership.objects.filter(person=person).values_list("room__number", "start_date"))
    assert rooms == {("102", dt.date(2020, 5, 1)), ("201", dt.date(2019, 3, 2))}
    assert Ownership.objects.filter(person=resident, room=world.rooms_a[1], end_date__isnull=True).exists()
    assert AuditEntry.objects.filter(object_type="people.person", object_id=str(person.pk), action="create").exists()
    assert AuditEntry.objects.filter(object_type="people.ownership", action="create").count() >= 3


def test_an_id_number_with_a_wrong_checksum_is_reported(run_import):
    good = new_id()
    bad = wrong_checksum(good)
    result = run_import("town_clerk", "owners", roster_file("owners", _owner(bad)))
    assert problems(result) == [
        (2, "身份证号", f"The ID number's check character is {bad[-1]} but its checksum requires {good[-1]}.")
    ]
    assert result.errors[0].value == bad


@pytest.mark.parametrize(
    ("digits", "reason"),
    [
        ("19990230", "The birth date 19990230 in the ID number is not a real date."),
        ("20991231", "The birth date 2099-12-31 in the ID number is impossible."),
    ],
    ids=["february-30", "future"],
)
def test_an_id_number_with_an_impossible_birth_date_is_reported(run_import, digits, reason):
    result = run_import("town_clerk", "owners", roster_file("owners", _owner(with_birth(digits))))
    assert problems(result) == [(2, "身份证号", reason)]


def test_an_id_number_typed_as_a_number_is_explained(run_import):
    result = run_import("town_clerk", "owners", roster_file("owners", _owner(350521198504125001)))
    assert result.errors[0].column == "身份证号"
    assert "stored as a number" in result.errors[0].reason


def test_a_bad_phone_and_a_future_date_are_reported(run_import):
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    result = run_import("town_clerk", "owners", roster_file("owners", _owner(new_id(), phone="12345", start=tomorrow)))
    assert problems(result) == [
        (
            2,
            "手机号",
            "The phone number must be an 11-digit mobile number starting with 1, or a landline such as 0595-85681234.",
        ),
        (2, "产权起始日期", "The date is in the future."),
    ]


def test_a_known_id_number_under_another_name_is_reported(run_import, world):
    result = run_import(
        "town_clerk", "owners", roster_file("owners", _owner(world.people["resident"].id_number, name="冒名者"))
    )
    assert problems(result) == [(2, "业主姓名", "This ID number is already registered under a different name.")]


def test_one_id_number_with_two_names_in_the_file_is_reported(run_import):
    id_number = new_id()
    result = run_import(
        "town_clerk",
        "owners",
        roster_file("owners", _owner(id_number, name="郑一"), _owner(id_number, name="郑二", room="201")),
    )
    assert problems(result) == [(3, "业主姓名", "Row 2 has the same ID number with a different name.")]


def test_rooms_that_do_not_exist_and_owners_already_registered_are_reported(run_import, world):
    resident = world.people["resident"]
    content = roster_file(
        "owners",
        ["C0001", "8号楼", "1单元", "101", "郑一", new_id(), "", "2020-01-01"],
        ["C0001", "1号楼", "3单元", "101", "郑一", new_id(), "", "2020-01-01"],
        _owner(new_id(), room="999"),
        _owner(resident.id_number, name="吴业主", room="101"),
        ["C0003", "1号楼", "1单元", "101", "郑一", new_id(), "", "2020-01-01"],
    )
    result = run_import("town_clerk", "owners", content)
    assert problems(result) == [
        (2, "楼栋", "The compound has no building of this number."),
        (3, "单元", "The building has no unit of this number."),
        (4, "房号", "The unit has no room of this number; import the rooms roster first."),
        (5, "业主姓名", "This person already owns this room."),
        (6, "小区编码", "Unknown compound code."),
    ]


# --- party members ----------------------------------------------------------------------
def _member(id_number, name="党员甲", joined="2001-07-01", org="", in_service="否", workplace="", compound="C0001"):
    return [compound, name, id_number, "13912345678", joined, org, in_service, workplace]


def test_a_good_party_members_file_creates_and_updates_memberships(run_import, world):
    resident = world.people["resident"]
    newcomer = new_id()
    content = roster_file(
        "party_members",
        _member(newcomer, name="党员甲"),
        _member(resident.id_number, name="吴业主", in_service="是", workplace="晋江市医院", org="金利花园党支部"),
    )
    result = run_import("community_secretary", "party_members", content)
    assert result.ok, problems(result)
    assert result.counts == {"people_created": 1, "party_memberships_created": 2, "people_reused": 1}
    member = PartyMembership.objects.get(person=person_find_by_id_number(newcomer))
    assert (member.organisation, member.in_service, member.reports_to, member.joined_on) == (
        world.branch_a,
        False,
        None,
        dt.date(2001, 7, 1),
    )
    in_service = PartyMembership.objects.get(person=resident)
    assert (in_service.in_service, in_service.reports_to, in_service.workplace) == (
        True,
        world.compound_a,
        "晋江市医院",
    )
    assert AuditEntry.objects.filter(object_type="people.partymembership", action="create").count() == 2

    again = run_import(
        "community_secretary",
        "party_members",
        roster_file("party_members", _member(newcomer, name="党员甲", joined="2002-07-01")),
    )
    assert again.ok, problems(again)
    assert again.counts == {"people_reused": 1, "party_memberships_updated": 1}
    member.refresh_from_db()
    assert member.joined_on == dt.date(2002, 7, 1)


def test_party_member_rows_with_bad_values_are_all_reported(run_import):
    id_number = new_id(birth=dt.date(1990, 1, 1))
    content = roster_file(
        "party_members",
        _member(id_number, joined="1989-12-31"),
        _member(new_id(), org="不存在的党支部"),
        _member(new_id(), in_service="也许"),
        _member(id_number, joined="2010-01-01"),
        _member(new_id(), joined="2001/07/01", compound="C0002"),
    )
    result = run_import("community_secretary", "party_members", content)
    assert problems(result) == [
        (2, "入党日期", "The joining date is before the person's birth date."),
        (3, "所属党组织", "Unknown party organisation."),
        (4, "在职党员", "Not an accepted value; use one of: 是、y、yes、true、1、否、n、no、false、0."),
        (5, "身份证号", "Row 2 already lists this person."),
        (6, "小区编码", "Unknown compound code."),
    ]
