import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from jiayuan.core.audit import history_for
from jiayuan.organisations.models import Organisation, Post
from jiayuan.organisations.services import committee_create, contract_create, post_assign, post_end, venue_create

pytestmark = pytest.mark.django_db
Role = Post.Role


@pytest.mark.parametrize("seats", [4, 6, 12, 3])
def test_committee_must_have_an_odd_number_of_seats_from_5_to_11(world, seats):
    before = Organisation.objects.count()
    with pytest.raises(ValidationError) as info:
        committee_create(
            actor=None,
            compound=world.compound_a2,
            name="宝龙世家业委会",
            established_on=dt.date(2025, 1, 1),
            term_end=dt.date(2029, 12, 31),
            seats=seats,
        )
    assert "seats" in info.value.message_dict
    assert Organisation.objects.count() == before


@pytest.mark.parametrize("seats", [5, 7, 9, 11])
def test_committee_sizes_the_law_allows_are_accepted(world, seats):
    committee = committee_create(
        actor=None,
        compound=world.compound_a2,
        name="宝龙世家业委会",
        established_on=dt.date(2025, 1, 1),
        term_end=dt.date(2029, 12, 31),
        seats=seats,
    )
    assert list(committee.compounds.all()) == [world.compound_a2]


def test_committee_term_longer_than_five_years_is_refused(world):
    with pytest.raises(ValidationError) as info:
        committee_create(
            actor=None,
            compound=world.compound_a2,
            name="x",
            established_on=dt.date(2025, 1, 1),
            term_end=dt.date(2030, 1, 2),
            seats=5,
        )
    assert "term_end" in info.value.message_dict


def test_database_refuses_an_even_committee_even_bypassing_services(world):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(
            kind="owners_committee", name="x", established_on=dt.date(2025, 1, 1), term_end=dt.date(2026, 1, 1), seats=6
        )


def test_two_people_cannot_hold_the_same_single_post_at_overlapping_dates(world):
    newcomer = world.people["resident"]
    before = Post.objects.count()
    with pytest.raises(ValidationError) as info:
        post_assign(
            actor=None,
            person=newcomer,
            organisation=world.branch_a,
            role=Role.BRANCH_SECRETARY,
            start_date=dt.date(2025, 3, 1),
        )
    assert "start_date" in info.value.message_dict
    assert "邱书记" in info.value.message_dict["start_date"][0]
    assert Post.objects.count() == before


def test_a_successor_may_take_the_post_after_the_holder_leaves(world):
    holder = Post.objects.get(organisation=world.branch_a, role=Role.BRANCH_SECRETARY)
    post_end(actor=None, post=holder, end_date=dt.date(2025, 2, 28))
    successor = post_assign(
        actor=None,
        person=world.people["resident"],
        organisation=world.branch_a,
        role=Role.BRANCH_SECRETARY,
        start_date=dt.date(2025, 3, 1),
    )
    assert successor.end_date is None
    assert history_for(holder).filter(action="end").exists()


def test_a_past_holder_blocks_a_backdated_overlap(world):
    holder = Post.objects.get(organisation=world.branch_a, role=Role.BRANCH_SECRETARY)
    post_end(actor=None, post=holder, end_date=dt.date(2025, 2, 28))
    with pytest.raises(ValidationError):
        post_assign(
            actor=None,
            person=world.people["resident"],
            organisation=world.branch_a,
            role=Role.BRANCH_SECRETARY,
            start_date=dt.date(2024, 6, 1),
            end_date=dt.date(2024, 12, 31),
        )


def test_one_building_head_per_building(world):
    with pytest.raises(ValidationError) as info:
        post_assign(
            actor=None,
            person=world.people["resident"],
            organisation=world.branch_a,
            role=Role.BUILDING_HEAD,
            building=world.building_a,
            start_date=dt.date(2025, 1, 1),
        )
    assert "start_date" in info.value.message_dict


def test_building_head_building_must_be_in_the_branch_compounds(world):
    with pytest.raises(ValidationError) as info:
        post_assign(
            actor=None,
            person=world.people["resident"],
            organisation=world.branch_a,
            role=Role.BUILDING_HEAD,
            building=world.building_b,
            start_date=dt.date(2025, 1, 1),
        )
    assert "building" in info.value.message_dict


def test_committee_cannot_seat_more_members_than_its_seats(world):
    from jiayuan.people.services import person_create

    for n in range(4):  # the director holds the first of five seats
        person = person_create(actor=None, name=f"委员{n}")
        post_assign(
            actor=None,
            person=person,
            organisation=world.committee_a,
            role=Role.COMMITTEE_MEMBER,
            start_date=dt.date(2024, 2, 1),
        )
    sixth = person_create(actor=None, name="委员6")
    with pytest.raises(ValidationError) as info:
        post_assign(
            actor=None,
            person=sixth,
            organisation=world.committee_a,
            role=Role.COMMITTEE_MEMBER,
            start_date=dt.date(2024, 2, 1),
        )
    assert "person" in info.value.message_dict


def test_role_must_belong_to_the_organisation_kind(world):
    with pytest.raises(ValidationError) as info:
        post_assign(
            actor=None,
            person=world.people["resident"],
            organisation=world.department,
            role=Role.COMMITTEE_DIRECTOR,
            start_date=dt.date(2025, 1, 1),
        )
    assert "role" in info.value.message_dict


def test_compound_cannot_have_two_overlapping_service_contracts(world):
    with pytest.raises(ValidationError):
        contract_create(actor=None, company=world.company, compound=world.compound_a, start_date=dt.date(2025, 1, 1))


def test_venue_must_be_in_a_compound_its_branch_covers(world):
    with pytest.raises(ValidationError) as info:
        venue_create(
            actor=None,
            organisation=world.branch_a,
            compound=world.compound_b,
            name="x",
            feature="elderly",
            opened_on=dt.date(2025, 1, 1),
        )
    assert "compound" in info.value.message_dict
