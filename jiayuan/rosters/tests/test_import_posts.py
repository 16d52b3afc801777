"""Building heads and committee members: post rules are checked for the whole file, then again on write."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from jiayuan.core.models import AuditEntry
from jiayuan.organisations.models import Post
from jiayuan.people.models import Person
from jiayuan.people.services import person_find_by_id_number
from jiayuan.places.services import building_create

from .helpers import counts, new_id, problems, roster_file


def _head(id_number, building="2号楼", name="楼长甲", start="2024-03-01", compound="C0001"):
    return [compound, building, name, id_number, "", start]


def _member(id_number, name, role="委员", start="2024-06-01", end=""):
    return ["C0001", name, id_number, "", role, start, end]


# --- building heads ----------------------------------------------------------------------
def test_a_good_building_heads_file_appoints_heads_through_the_branch(run_import, world):
    building_create(actor=None, compound=world.compound_a, number="2号楼")
    building_create(actor=None, compound=world.compound_a, number="3号楼")
    first, second = new_id(), new_id()
    content = roster_file("building_heads", _head(first), _head(second, building="3号楼", name="楼长乙"))
    result = run_import("branch_secretary", "building_heads", content)
    assert result.ok, problems(result)
    assert result.counts == {"people_created": 2, "posts": 2}
    post = Post.objects.get(person=person_find_by_id_number(first))
    assert (post.role, post.organisation, post.building.number, post.start_date) == (
        "building_head",
        world.branch_a,
        "2号楼",
        dt.date(2024, 3, 1),
    )
    assert AuditEntry.objects.filter(object_type="organisations.post", object_id=str(post.pk), action="create").exists()


def test_building_head_rows_that_break_the_post_rules_are_reported(run_import, world):
    building_create(actor=None, compound=world.compound_a, number="2号楼")
    content = roster_file(
        "building_heads",
        _head(new_id(), building="1号楼"),
        _head(new_id(), building="9号楼"),
        _head(new_id()),
        _head(new_id(), name="楼长丙"),
        _head(new_id(), start="2023-06-01", building="2号楼", compound="C0001"),
    )
    result = run_import("branch_secretary", "building_heads", content)
    assert problems(result) == [
        (2, "楼栋", "李楼长 is already building head of this building from 2024-01-01."),
        (3, "楼栋", "The compound has no building of this number."),
        (5, "楼栋", "Row 4 already names a head for this building."),
        (6, "楼栋", "Row 4 already names a head for this building."),
    ]


def test_a_compound_without_a_party_branch_on_the_date_is_reported(run_import, world):
    building_create(actor=None, compound=world.compound_a, number="2号楼")
    result = run_import(
        "branch_secretary", "building_heads", roster_file("building_heads", _head(new_id(), start="2023-06-01"))
    )
    assert problems(result) == [
        (2, "小区编码", "The compound has no party branch on 2023-06-01; building heads are appointed by the branch.")
    ]


# --- committee members -------------------------------------------------------------------
def test_a_good_committee_file_fills_the_seats(run_import, world):
    content = roster_file(
        "committee_members",
        _member(new_id(), "委员甲", role="副主任"),
        _member(new_id(), "委员乙"),
        _member(new_id(), "委员丙", role="committee_member", end="2026-05-31"),
        _member(new_id(), "委员丁"),
    )
    result = run_import("town_clerk", "committee_members", content)
    assert result.ok, problems(result)
    assert result.counts == {"people_created": 4, "posts": 4}
    posts = Post.objects.filter(organisation=world.committee_a)
    assert posts.count() == 5
    assert posts.filter(role="committee_deputy").count() == 1
    assert posts.get(person__name="委员丙").end_date == dt.date(2026, 5, 31)


def test_a_committee_over_its_seats_is_refused(run_import, world):
    content = roster_file("committee_members", *[_member(new_id(), f"委员{n}") for n in range(5)])
    result = run_import("town_clerk", "committee_members", content)
    assert problems(result) == [
        (
            6,
            "姓名",
            "The committee has 5 seats and all are taken at these dates; this row would be one member too many.",
        )
    ]
    assert Post.objects.filter(organisation=world.committee_a).count() == 1


def test_a_second_director_at_overlapping_dates_is_refused(run_import, world):
    content = roster_file(
        "committee_members",
        _member(new_id(), "新主任", role="主任"),
        _member(new_id(), "后任主任", role="主任", start="2029-02-01"),
        _member(world.people["committee_director"].id_number, "蔡主任", role="委员"),
        _member(new_id(), "委员甲", end="2024-01-01"),
    )
    result = run_import("town_clerk", "committee_members", content)
    assert problems(result) == [
        (2, "职务", "蔡主任 is already the director at these dates."),
        (3, "小区编码", "The compound has no owners' committee whose term includes 2029-02-01."),
        (4, "姓名", "This person already sits on the committee at these dates."),
        (5, "任职结束日期", "The post ends before it starts."),
    ]


def test_a_rule_broken_only_at_write_time_rolls_back_every_row(run_import, world, monkeypatch):
    """A service refusing a row while writing (e.g. a concurrent change) undoes the rows before it."""
    from jiayuan.rosters.importers import posts

    real = posts.post_assign
    calls = []

    def refuse_second(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            raise ValidationError({"start_date": "Someone else took this post a moment ago."})
        return real(**kwargs)

    monkeypatch.setattr(posts, "post_assign", refuse_second)
    before = counts()
    content = roster_file("committee_members", _member(new_id(), "委员甲"), _member(new_id(), "委员乙"))
    result = run_import("town_clerk", "committee_members", content)
    assert problems(result) == [(3, "任职起始日期", "Someone else took this post a moment ago.")]
    assert result.errors[0].value == "2024-06-01"
    assert result.counts == {}
    assert counts() == before
    assert not Person.objects.filter(name="委员甲").exists()


@pytest.mark.parametrize("persona", ["community_secretary", "branch_secretary", "committee_director"])
def test_only_the_town_or_city_imports_owners_committee_members(run_import, world, persona):
    """Owners' committee posts come from an election or the town/city: an import by anyone else writes nothing."""
    before = counts()
    result = run_import(persona, "committee_members", roster_file("committee_members", _member(new_id(), "委员甲")))
    assert not result.ok
    assert [error.row for error in result.errors] == [2]
    assert counts() == before
