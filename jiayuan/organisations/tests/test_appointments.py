"""Who may appoint whom: the reproductions of the appointment holes, and the rule that closes them.

Posts in a party organisation come from the level that leads it; owners' committee posts from a
published election or the town/city; property-company posts from that company's manager or the
city; nobody appoints themselves; every assignment names its appointing post.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied

from jiayuan.core.models import AuditEntry
from jiayuan.core.scope import scope_for
from jiayuan.organisations import services
from jiayuan.organisations.models import Organisation, Post
from jiayuan.people import services as people_services
from jiayuan.testing import START

pytestmark = pytest.mark.django_db

API = "/api/v1/organisations"
DAY = "2025-03-01"


def assign(client, organisation, person, role, **extra):
    return client.post(
        f"{API}/{organisation.pk}/posts",
        json.dumps({"person_id": person.pk, "role": role, "start_date": DAY, **extra}),
        content_type="application/json",
    )


def test_the_property_manager_cannot_appoint_herself_or_anyone_to_the_party_branch(world, as_role):
    """The issue's reproduction: jinli-manager gave herself a branch_committee post and answered 201."""
    for person in (world.people["property_manager"], world.people["resident"]):
        response = assign(as_role("property_manager"), world.branch_a, person, "branch_committee")
        assert response.status_code == 403, response.content
    assert not Post.objects.filter(organisation=world.branch_a, role="branch_committee").exists()


@pytest.mark.parametrize(
    "persona", ["branch_secretary", "committee_director", "property_manager", "building_head", "community_secretary"]
)
def test_compound_and_community_staff_cannot_seat_anyone_on_the_owners_committee(world, as_role, persona):
    response = assign(as_role(persona), world.committee_a, world.people["resident"], "committee_member")
    assert response.status_code == 403, response.content
    assert not Post.objects.filter(organisation=world.committee_a, person=world.people["resident"]).exists()


def test_the_town_may_seat_an_owners_committee_member_and_the_post_names_the_appointing_post(world, as_role):
    response = assign(as_role("town_clerk"), world.committee_a, world.people["resident"], "committee_member")
    assert response.status_code == 201, response.content
    post = Post.objects.get(pk=response.json()["id"])
    clerk_post = Post.objects.get(person=world.people["town_clerk"], role="town_clerk")
    assert post.appointed_by == clerk_post
    entry = AuditEntry.objects.filter(object_type="organisations.post", object_id=str(post.pk)).get()
    assert "陈镇员" in entry.note and world.town_office.name in entry.note


def test_the_community_party_committee_appoints_in_its_compound_branch(world, as_role):
    response = assign(as_role("community_secretary"), world.branch_a, world.people["resident"], "branch_committee")
    assert response.status_code == 201, response.content
    assert Post.objects.get(pk=response.json()["id"]).appointed_by.role == "community_secretary"


def test_nobody_appoints_themselves_not_even_the_city_administrator(world, as_role):
    for persona, organisation, role in (
        ("community_secretary", "branch_a", "branch_deputy"),
        ("city_admin", "branch_a", "branch_deputy"),
        ("town_clerk", "committee_a", "committee_member"),
    ):
        response = assign(as_role(persona), getattr(world, organisation), world.people[persona], role)
        assert response.status_code == 403, (persona, response.content)
        assert response.json()["detail"] == [{"field": "__all__", "message": "任何人不得给自己任命岗位。"}]


def test_a_property_companys_posts_come_from_its_own_manager(world):
    other = people_services.person_create(actor=None, name="物业新人")
    post = services.post_assign(
        actor=world.users["property_manager"],
        person=other,
        organisation=world.company,
        role=Post.Role.PROPERTY_MANAGER,
        start_date=dt.date(2025, 3, 1),
        compound=world.compound_a,
    )
    assert post.appointed_by.person == world.people["property_manager"]
    for persona in ("branch_secretary", "committee_director", "town_clerk", "community_secretary"):
        with pytest.raises(PermissionDenied):
            services.post_assign(
                actor=world.users[persona],
                person=other,
                organisation=world.company,
                role=Post.Role.PROPERTY_MANAGER,
                start_date=dt.date(2025, 3, 2),
                compound=world.compound_a,
            )


def test_a_building_head_cannot_widen_his_scope_through_a_joint_branch(world, as_role):
    """The issue's second reproduction: a building head of one compound who also holds a post in a second
    compound added himself to the joint branch of that compound and a third, then read the third."""
    joint = services.organisation_create(
        actor=None,
        kind=Organisation.Kind.COMPOUND_BRANCH,
        name="联合党支部",
        community=world.community_b,
        established_on=START,
        compounds=[world.compound_a2, world.compound_b],
    )
    head = world.people["building_head"]
    services.post_assign(
        actor=None,
        person=head,
        organisation=joint,
        role=Post.Role.BUILDING_HEAD,
        start_date=START,
        building=world.building_a2,
    )
    client = as_role("building_head")
    response = assign(client, joint, head, "branch_committee")
    assert response.status_code == 403, response.content
    assert not Post.objects.filter(organisation=joint, person=head, role="branch_committee").exists()
    world.users["building_head"].__dict__.pop("_jiayuan_scope", None)
    assert world.compound_b.pk not in scope_for(world.users["building_head"]).compound_ids
    assert client.get(f"/places/compounds/{world.compound_b.pk}/").status_code == 404


def test_a_joint_branch_is_led_by_the_community_of_any_compound_it_covers(world):
    joint = services.organisation_create(
        actor=None,
        kind=Organisation.Kind.COMPOUND_BRANCH,
        name="联合党支部",
        community=world.community_b,
        established_on=START,
        compounds=[world.compound_a, world.compound_a2],
    )
    post = services.post_assign(
        actor=world.users["community_secretary"],
        person=world.people["resident"],
        organisation=joint,
        role=Post.Role.BRANCH_COMMITTEE,
        start_date=dt.date(2025, 3, 1),
    )
    assert post.appointed_by.organisation == world.community_party


def test_only_the_town_or_city_registers_an_owners_committee_outside_an_election(world, as_role):
    body = {
        "compound_id": world.compound_a.pk,
        "name": "新业委会",
        "established_on": "2025-01-01",
        "term_end": "2029-12-31",
        "seats": 5,
    }
    for persona, status in (
        ("branch_secretary", 403),
        ("committee_director", 403),
        ("community_secretary", 403),
        ("town_clerk", 201),
    ):
        response = as_role(persona).post(f"{API}/committees", json.dumps(body), content_type="application/json")
        assert response.status_code == status, (persona, response.content)
