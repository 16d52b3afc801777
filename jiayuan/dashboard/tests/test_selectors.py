import datetime as dt

import pytest
from django.http import Http404
from django.test import override_settings

from jiayuan.dashboard import selectors
from jiayuan.organisations import services as org_services
from jiayuan.organisations.models import Post
from jiayuan.testing import START

from .conftest import DAY, Role

pytestmark = pytest.mark.django_db


def report(world, persona="city_admin", region=None, day=DAY):
    return selectors.coverage_report(viewer=world.users[persona], region=region, day=day)


def codes(report_, indicator, missing=False):
    return {c.code for c in selectors.compounds_behind(report=report_, indicator=indicator, missing=missing)}


def test_city_totals_of_the_persona_world(world):
    totals = report(world, region=world.city).total.as_dict()
    assert totals == {
        "compounds": 3,
        "party_org_compounds": 2,
        "party_org_coverage": pytest.approx(2 / 3),
        "committee_compounds": 1,
        "committee_formation": pytest.approx(1 / 3),
        "yijiantiao_compounds": 0,
        "red_committees": 0,
        "red_committee_share": 0.0,
        "two_committee_post_holders": 0,
        "building_heads": 1,
        "party_venues": 0,
    }


def test_city_region_has_one_row_per_town(world):
    rows = report(world, region=world.city).rows
    assert [(town.name, coverage.compounds) for town, coverage in rows] == [("青阳街道", 2), ("池店镇", 1)]


def test_town_region_has_one_row_per_community_and_community_one_per_compound(world):
    town_rows = report(world, region=world.qingyang).rows
    assert [community.name for community, _ in town_rows] == ["青华社区", "晓升社区"]
    community_rows = report(world, region=world.community_a).rows
    assert [compound.code for compound, _ in community_rows] == ["C0001"]


def test_town_clerk_sees_only_its_town_even_without_a_region(world):
    result = report(world, "town_clerk")
    assert result.total.compounds == 2
    assert [town.name for town, _ in result.rows] == ["青阳街道"]


def test_compounds_behind_each_figure_of_the_world(world):
    result = report(world, region=world.city)
    assert codes(result, "compounds") == {"C0001", "C0002", "C0003"}
    assert codes(result, "party_org") == {"C0001", "C0003"}
    assert codes(result, "party_org", missing=True) == {"C0002"}
    assert codes(result, "committee") == {"C0001"}
    assert codes(result, "building_heads") == {"C0001"}
    assert codes(result, "yijiantiao") == set()


def test_an_unknown_indicator_is_refused(world):
    with pytest.raises(ValueError, match="unknown indicator"):
        selectors.compounds_with(report=report(world), indicator="happiness")


def test_yijiantiao_counts_from_the_day_the_secretary_becomes_committee_director(world, build):
    secretary_post = Post.objects.get(person=world.people["branch_secretary"], role=Role.BRANCH_SECRETARY)
    director_post = Post.objects.get(person=world.people["committee_director"], role=Role.COMMITTEE_DIRECTOR)
    org_services.post_end(actor=build.actor, post=director_post, end_date=DAY)
    build.post(
        world.people["branch_secretary"], world.committee_a, Role.COMMITTEE_DIRECTOR, start=DAY + dt.timedelta(days=1)
    )

    before = report(world, region=world.city, day=DAY)
    after = report(world, region=world.city, day=DAY + dt.timedelta(days=1))
    assert before.total.yijiantiao_compounds == 0
    assert after.total.yijiantiao_compounds == 1
    assert codes(after, "yijiantiao") == {"C0001"}

    org_services.post_end(actor=build.actor, post=secretary_post, end_date=dt.date(2025, 12, 31))
    assert report(world, day=dt.date(2026, 1, 1)).total.yijiantiao_compounds == 0


def test_an_ended_post_counts_up_to_and_including_its_last_day(world, build):
    head_post = Post.objects.get(person=world.people["building_head"], role=Role.BUILDING_HEAD)
    org_services.post_end(actor=build.actor, post=head_post, end_date=DAY)
    assert report(world, day=DAY).total.building_heads == 1
    assert report(world, day=DAY + dt.timedelta(days=1)).total.building_heads == 0


def test_nothing_is_covered_before_the_organisations_exist(world):
    totals = report(world, day=START - dt.timedelta(days=1)).total
    assert (totals.compounds, totals.party_org_compounds, totals.committee_compounds, totals.building_heads) == (
        3,
        0,
        0,
        0,
    )


def test_a_committee_stops_counting_when_its_term_ends(world):
    assert report(world, day=dt.date(2028, 12, 31)).total.committee_compounds == 1
    assert report(world, day=dt.date(2029, 1, 1)).total.committee_compounds == 0


def test_a_joint_branch_covers_each_of_its_compounds(world, build):
    extra, _building = build.compound("C0004", "晓升新苑", world.community_b)
    joint = build.branch("晓升联合党支部", [world.compound_a2, extra], community=world.community_b)
    secretary = build.person("郑书记", party_member=True)
    build.post(secretary, joint, Role.BRANCH_SECRETARY)
    for compound in (world.compound_a2, extra):
        committee = build.committee(compound, f"{compound.name}业委会")
        build.post(secretary, committee, Role.COMMITTEE_DIRECTOR)

    result = report(world, region=world.qingyang)
    assert result.total.party_org_compounds == 3
    assert result.total.party_org_coverage == 1
    assert codes(result, "party_org") == {"C0001", "C0002", "C0004"}
    assert codes(result, "yijiantiao") == {"C0002", "C0004"}
    rows = {community.name: coverage for community, coverage in result.rows}
    assert rows["晓升社区"].party_org_compounds == 2
    assert rows["晓升社区"].yijiantiao_compounds == 2


def _seat(build, committee, members: int, outsiders: int, start=START):
    for index in range(members):
        build.post(build.person(f"党员委员{index}", party_member=True), committee, Role.COMMITTEE_MEMBER, start=start)
    for index in range(outsiders):
        build.post(build.person(f"群众委员{index}"), committee, Role.COMMITTEE_MEMBER, start=start)


def test_a_committee_with_exactly_half_party_members_is_red(world, build):
    # The director (not a party member) plus three members: two of four seated are party members.
    _seat(build, world.committee_a, members=2, outsiders=1)
    result = report(world)
    assert result.total.red_committees == 1
    assert result.total.red_committee_share == 1
    assert codes(result, "red_committee") == {"C0001"}


def test_a_committee_just_under_half_party_members_is_not_red(world, build):
    # Director plus four members, two of them party members: 2/5 < 1/2.
    _seat(build, world.committee_a, members=2, outsiders=2)
    assert report(world).total.red_committees == 0


@override_settings(RED_COMMITTEE_SHARE="2/3")
def test_the_red_threshold_is_configuration(world, build):
    _seat(build, world.committee_a, members=2, outsiders=1)
    assert report(world).total.red_committees == 0


def test_a_member_who_left_the_party_no_longer_makes_the_committee_red(world, build):
    _seat(build, world.committee_a, members=2, outsiders=1)
    seated = Post.objects.filter(
        organisation=world.committee_a, role=Role.COMMITTEE_MEMBER, person__party_membership__isnull=False
    )
    membership = seated.first().person.party_membership
    membership.left_on = DAY
    membership.save()
    assert report(world, day=DAY - dt.timedelta(days=1)).total.red_committees == 1
    assert report(world, day=DAY).total.red_committees == 0


def test_two_committee_members_holding_compound_posts_are_counted_once_each(world, build):
    # The branch secretary of 金利花园 also sits on the community's two committees ...
    build.post(world.people["branch_secretary"], world.community_party, Role.TWO_COMMITTEE_MEMBER)
    # ... and the community secretary directs the new committee of 宝龙世家 and leads its branch.
    branch = build.branch("宝龙世家党支部", [world.compound_a2], community=world.community_b)
    committee = build.committee(world.compound_a2, "宝龙世家业委会")
    build.post(world.people["community_secretary"], branch, Role.BRANCH_SECRETARY)
    build.post(world.people["community_secretary"], committee, Role.COMMITTEE_DIRECTOR)
    # An ordinary committee member who is a two-committee member does not count.
    member = build.person("普通委员")
    build.post(member, world.community_party, Role.TWO_COMMITTEE_MEMBER)
    build.post(member, world.committee_a, Role.COMMITTEE_MEMBER)

    result = report(world)
    assert result.total.two_committee_post_holders == 2
    assert codes(result, "two_committee_post_holders") == {"C0001", "C0002"}
    assert result.total.yijiantiao_compounds == 1  # 宝龙世家: the same person leads both
    assert report(world, day=START - dt.timedelta(days=1)).total.two_committee_post_holders == 0


def test_building_heads_are_people_not_posts(world, build):
    second = build.compound("C0005", "金利二期", world.community_a)[1]
    world.branch_a.compounds.add(second.compound)
    from jiayuan.places import services as place_services

    third = place_services.building_create(actor=build.actor, compound=world.compound_a, number="2号楼")
    build.post(world.people["building_head"], world.branch_a, Role.BUILDING_HEAD, building=third)
    assert report(world).total.building_heads == 1  # one person heading two buildings
    build.post(build.person("新楼长", party_member=True), world.branch_a, Role.BUILDING_HEAD, building=second)
    result = report(world)
    assert result.total.building_heads == 2
    assert codes(result, "building_heads") == {"C0001", "C0005"}


def test_party_venues_count_from_their_opening_day(world, build):
    org_services.venue_create(
        actor=build.actor,
        organisation=world.branch_a,
        compound=world.compound_a,
        name="金利花园党群驿站",
        feature="elderly",
        opened_on=DAY,
    )
    assert report(world, day=DAY - dt.timedelta(days=1)).total.party_venues == 0
    result = report(world, day=DAY)
    assert result.total.party_venues == 1
    assert codes(result, "party_venues") == {"C0001"}


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("city_admin", "350582"),
        ("town_clerk", "350582001"),
        ("community_secretary", "350582001001"),
        ("branch_secretary", "C0001"),
        ("property_manager", "C0001"),
        ("resident", None),
        ("department_staff", None),
    ],
)
def test_each_role_starts_at_its_own_level(world, persona, expected):
    region = selectors.starting_region(viewer=world.users[persona])
    assert (region.code if region else None) == expected


def test_a_compound_staff_member_with_two_compounds_starts_at_a_list_of_them(world, build):
    build.post(world.people["building_head"], world.branch_b, Role.BRANCH_DEPUTY)
    viewer = type(world.users["building_head"]).objects.get(pk=world.users["building_head"].pk)
    assert selectors.starting_region(viewer=viewer) is None
    result = selectors.coverage_report(viewer=viewer, day=DAY)
    assert [compound.code for compound, _ in result.rows] == ["C0001", "C0003"]


@pytest.mark.parametrize(
    ("persona", "code"),
    [
        ("town_clerk", "350582101"),  # another town
        ("town_clerk", "350582"),  # the whole city
        ("community_secretary", "350582001"),  # its own town
        ("community_secretary", "350582001002"),  # a sibling community
        ("branch_secretary", "C0002"),
        ("city_admin", "999999999"),  # no such region
    ],
)
def test_a_region_outside_the_scope_is_not_found(world, persona, code):
    with pytest.raises(Http404):
        selectors.region_get(viewer=world.users[persona], code=code)


def test_payload_has_the_region_the_date_and_one_row_per_child(world):
    payload = selectors.coverage_payload(report(world, region=world.qingyang))
    assert payload["region"] == {"code": "350582001", "name": "青阳街道", "level": "town"}
    assert payload["as_of"] == "2025-06-30"
    assert payload["totals"]["compounds"] == 2
    assert [row["region"]["code"] for row in payload["rows"]] == ["350582001001", "350582001002"]
    assert payload["rows"][0]["party_org_coverage"] == 1.0


def test_a_superseded_committee_no_longer_makes_its_compound_red(world, build):
    # 宝龙世家's first committee (all party members) was never dissolved; its second took office on 2025-01-01.
    old = build.committee(world.compound_a2, "宝龙世家第一届业主委员会")
    _seat(build, old, members=5, outsiders=0)
    new = build.committee(world.compound_a2, "宝龙世家第二届业主委员会", start=dt.date(2025, 1, 1))
    _seat(build, new, members=0, outsiders=5, start=dt.date(2025, 1, 1))
    before = report(world, day=dt.date(2024, 12, 31))
    assert codes(before, "committee") == {"C0001", "C0002"} and codes(before, "red_committee") == {"C0002"}
    after = report(world)
    assert after.total.committee_compounds == 2  # one per compound, as before
    assert codes(after, "committee") == {"C0001", "C0002"}
    assert codes(after, "red_committee") == set()
