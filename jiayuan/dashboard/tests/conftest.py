"""Helpers for the dashboard tests: extra people, posts and compounds on top of the persona world."""

import datetime as dt
import itertools

import pytest

from jiayuan.core.identity import make_id_number
from jiayuan.organisations import services as org_services
from jiayuan.organisations.models import Organisation, Post
from jiayuan.people import services as people_services
from jiayuan.places import services as place_services
from jiayuan.testing import START

DAY = dt.date(2025, 6, 30)  # the "as of" date most tests look at
Kind = Organisation.Kind
Role = Post.Role
_serial = itertools.count(1000)


class Builder:
    """Makes people, posts and compounds through the services, as the admin would."""

    def __init__(self, world):
        self.world = world
        self.actor = world.users["city_admin"]

    def person(self, name: str, *, party_member: bool = False, joined_on: dt.date = START):
        person = people_services.person_create(
            actor=self.actor,
            name=name,
            id_number=make_id_number("350582", dt.date(1975, 3, 9), next(_serial) % 1000),
        )
        if party_member:
            people_services.party_membership_set(actor=self.actor, person=person, joined_on=joined_on)
        return person

    def post(self, person, organisation, role, *, start=START, end=None, **extra):
        return org_services.post_assign(
            actor=self.actor,
            person=person,
            organisation=organisation,
            role=role,
            start_date=start,
            end_date=end,
            **extra,
        )

    def compound(self, code: str, name: str, community):
        compound = place_services.compound_create(
            actor=self.actor,
            community=community,
            code=code,
            name=name,
            kind="commercial",
            management="company",
            year_built=2012,
        )
        building = place_services.building_create(actor=self.actor, compound=compound, number="1号楼", floors=6)
        return compound, building

    def branch(self, name: str, compounds, *, community, start=START):
        return org_services.organisation_create(
            actor=self.actor,
            kind=Kind.COMPOUND_BRANCH,
            name=name,
            community=community,
            established_on=start,
            compounds=compounds,
        )

    def committee(self, compound, name: str, *, start=START, term_end=dt.date(2028, 12, 31), seats=5):
        return org_services.committee_create(
            actor=self.actor, compound=compound, name=name, established_on=start, term_end=term_end, seats=seats
        )


@pytest.fixture
def build(world, db):
    return Builder(world)
