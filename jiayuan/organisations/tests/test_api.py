import datetime as dt
import json

import pytest

from jiayuan.core.audit import history_for
from jiayuan.core.models import AuditEntry
from jiayuan.organisations.models import Organisation, Post
from jiayuan.organisations.services import post_end

pytestmark = pytest.mark.django_db

API = "/api/v1/organisations"
Role = Post.Role


def send(client, url, data):
    return client.post(API + url, json.dumps(data), content_type="application/json")


def errors_of(response) -> dict[str, str]:
    return {error["field"]: error["message"] for error in response.json()["detail"]}


def committee(compound, **overrides):
    return {
        "compound_id": compound.pk,
        "name": "宝龙世家业委会",
        "established_on": "2025-01-01",
        "term_end": "2029-12-31",
        "seats": 7,
        **overrides,
    }


# --- reads ----------------------------------------------------------------------------


def test_organisations_can_be_narrowed_by_kind_and_name(world, as_role):
    client = as_role("city_admin")
    branches = client.get(API, {"kind": "compound_branch"}).json()["items"]
    assert {o["name"] for o in branches} == {"金利花园党支部", "南天裕党支部"}
    assert [o["name"] for o in client.get(API, {"q": "物业"}).json()["items"]] == ["晋江城投物业"]


def test_organisation_detail_separates_current_and_past_posts(world, as_role):
    holder = Post.objects.get(organisation=world.branch_a, role=Role.BRANCH_SECRETARY)
    post_end(actor=None, post=holder, end_date=dt.date(2025, 2, 28))
    body = as_role("town_clerk").get(f"{API}/{world.branch_a.pk}").json()
    assert [(p["person_name"], p["role"]) for p in body["posts"]["current"]] == [("李楼长", "building_head")]
    assert [(p["person_name"], p["end_date"]) for p in body["posts"]["past"]] == [("邱书记", "2025-02-28")]
    assert [c["code"] for c in body["compounds"]] == ["C0001"]


def test_committee_detail_shows_its_seats_and_term(world, as_role):
    body = as_role("resident").get(f"{API}/{world.committee_a.pk}").json()
    assert (body["kind"], body["seats"], body["term_end"]) == ("owners_committee", 5, "2028-12-31")
    assert [p["role"] for p in body["posts"]["current"]] == ["committee_director"]


# --- owners' committees -------------------------------------------------------------------


def test_staff_register_an_owners_committee_for_a_compound_in_scope(world, as_role):
    response = send(as_role("town_clerk"), "/committees", committee(world.compound_a2))
    assert response.status_code == 201, response.content
    created = Organisation.objects.get(pk=response.json()["id"])
    assert (created.kind, created.seats, list(created.compounds.all())) == ("owners_committee", 7, [world.compound_a2])
    assert history_for(created).get().action == AuditEntry.Action.CREATE


@pytest.mark.parametrize("seats", [4, 12, 6, 3])
def test_a_committee_of_a_size_the_law_does_not_allow_answers_422_naming_seats(world, as_role, seats):
    before = Organisation.objects.count()
    response = send(as_role("town_clerk"), "/committees", committee(world.compound_a2, seats=seats))
    assert response.status_code == 422
    errors = errors_of(response)
    assert list(errors) == ["seats"] and str(seats) in errors["seats"]
    assert Organisation.objects.count() == before


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"term_end": "2031-01-01"}, "term_end"),  # more than five years
        ({"term_end": "2024-12-31"}, "term_end"),  # ends before it starts
        ({"seats": "seven"}, "seats"),
        ({"established_on": "2025-02-30"}, "established_on"),
        ({"name": ""}, "name"),
    ],
)
def test_other_bad_committee_input_answers_422_naming_the_field(world, as_role, overrides, field):
    before = Organisation.objects.count()
    response = send(as_role("city_admin"), "/committees", committee(world.compound_a2, **overrides))
    assert response.status_code == 422
    assert list(errors_of(response)) == [field]
    assert Organisation.objects.count() == before


@pytest.mark.parametrize(
    ("persona", "status"),
    [("town_clerk", 404), ("resident", 404), ("department_staff", 404), ("branch_secretary", 404), ("city_admin", 201)],
)
def test_only_staff_over_the_compound_may_register_its_committee(world, as_role, persona, status):
    response = send(as_role(persona), "/committees", committee(world.compound_b))
    assert response.status_code == status
    assert Organisation.objects.filter(name="宝龙世家业委会").exists() == (status == 201)


# --- posts ----------------------------------------------------------------------------------


def test_a_second_branch_secretary_at_overlapping_dates_answers_422_naming_the_holder(world, as_role):
    before = Post.objects.count()
    response = send(
        as_role("community_secretary"),
        f"/{world.branch_a.pk}/posts",
        {"person_id": world.people["resident"].pk, "role": "branch_secretary", "start_date": "2025-03-01"},
    )
    assert response.status_code == 422
    errors = errors_of(response)
    assert list(errors) == ["start_date"]
    assert world.people["branch_secretary"].name in errors["start_date"]  # 邱书记 holds it since 2024-01-01
    assert "2024-01-01" in errors["start_date"]
    assert Post.objects.count() == before


def test_a_successor_may_be_appointed_once_the_holders_post_has_ended(world, as_role):
    holder = Post.objects.get(organisation=world.branch_a, role=Role.BRANCH_SECRETARY)
    post_end(actor=None, post=holder, end_date=dt.date(2025, 2, 28))
    response = send(
        as_role("community_secretary"),
        f"/{world.branch_a.pk}/posts",
        {"person_id": world.people["resident"].pk, "role": "branch_secretary", "start_date": "2025-03-01"},
    )
    assert response.status_code == 201, response.content
    post = Post.objects.get(pk=response.json()["id"])
    assert (post.person, post.role, post.end_date) == (world.people["resident"], "branch_secretary", None)
    assert history_for(post).get().actor == world.users["community_secretary"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"role": "building_head", "building_id": "building_a2"}, "building_id"),  # another compound's building
        ({"role": "building_head"}, "building_id"),
        ({"role": "town_clerk"}, "role"),  # a branch has no such post
        ({"role": "chairman"}, "role"),
        ({"role": "branch_deputy", "end_date": "2023-01-01"}, "end_date"),
        ({"role": "branch_deputy", "start_date": "2023-06-01"}, "start_date"),  # before the branch existed
        ({"role": "branch_deputy", "person_id": "department_staff"}, "person_id"),  # not visible to the town clerk
        ({"role": "branch_deputy", "start_date": "yesterday"}, "start_date"),
    ],
)
def test_bad_post_input_answers_422_naming_the_field_and_saves_nothing(world, as_role, payload, field):
    refs = {"building_a2": world.building_a2.pk, "department_staff": world.people["department_staff"].pk}
    data = {"person_id": world.people["resident"].pk, "start_date": "2025-03-01"}
    data.update({key: refs.get(value, value) for key, value in payload.items()})
    before = Post.objects.count()
    response = send(as_role("town_clerk"), f"/{world.branch_a.pk}/posts", data)
    assert response.status_code == 422, response.content
    assert list(errors_of(response)) == [field]
    assert Post.objects.count() == before


@pytest.mark.parametrize(
    ("persona", "organisation", "status"),
    [
        ("city_admin", "branch_b", 201),
        ("town_clerk", "branch_a", 201),
        ("town_clerk", "community_party", 201),
        ("town_clerk", "branch_b", 404),  # in Chidian
        ("town_clerk", "department", 403),  # visible to all, but the city staffs departments
        ("community_secretary", "branch_a", 201),
        ("community_secretary", "community_party", 403),  # a community's posts come from the town
        ("branch_secretary", "branch_a", 403),  # a branch does not appoint its own committee
        ("property_manager", "branch_a", 403),
        ("building_head", "branch_a", 403),
        ("building_head", "community_party", 404),
        ("department_staff", "department", 404),
        ("resident", "branch_a", 404),  # visible to the resident, not editable
    ],
)
def test_only_the_level_that_leads_the_organisation_may_assign_its_posts(world, as_role, persona, organisation, status):
    org = getattr(world, organisation)
    role = {"community_party": "two_committee_member", "department": "department_staff"}.get(
        organisation, "branch_committee"
    )
    person = world.people["property_manager"]  # visible to every staff persona that may assign
    response = send(
        as_role(persona), f"/{org.pk}/posts", {"person_id": person.pk, "role": role, "start_date": "2025-03-01"}
    )
    assert response.status_code == status, response.content
    assert Post.objects.filter(organisation=org, person=person, role=role).exists() == (status == 201)
