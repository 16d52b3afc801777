"""Shared pieces of the outreach tests: an appeal category, a second department, a reception session."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from jiayuan.appeals.models import Category
from jiayuan.organisations import services as org_services
from jiayuan.organisations.models import Organisation
from jiayuan.outreach import services
from jiayuan.people import services as people_services
from jiayuan.people.models import PartyMembership
from jiayuan.testing import START

DAY = dt.timedelta(days=1)


@pytest.fixture
def last_week():
    return timezone.localdate() - 7 * DAY


@pytest.fixture
def category(db):
    parent = Category.objects.create(code="OUT-T", name="邻里关系", deadline_days=5)
    return Category.objects.create(code="OUT-T-1", name="邻里纠纷", parent=parent, deadline_days=5)


@pytest.fixture
def other_department(world, db):
    return org_services.organisation_create(
        actor=None, kind=Organisation.Kind.DEPARTMENT, name="晋江市水务局", city=world.city, established_on=START
    )


@pytest.fixture
def schedule(world, last_week):
    """schedule(compound=..., starts=9, ends=11, ...) -> a session led by the town clerk, organised by the town."""

    def make(*, actor=None, compound=None, leader=None, held_on=None, starts=9, ends=11, place="小区党群服务中心"):
        return services.reception_session_schedule(
            actor=actor if actor is not None else world.users["city_admin"],
            leader=leader or world.people["town_clerk"],
            compound=compound or world.compound_a,
            organiser=world.town_office,
            held_on=held_on or last_week,
            starts_at=dt.time(starts),
            ends_at=dt.time(ends),
            place=place,
        )

    return make


@pytest.fixture
def in_service_member(world, db):
    """A nurse of the city hospital, an in-service party member reporting to 金利花园."""
    nurse = people_services.person_create(actor=None, name="郑护士", phone="13900000001")
    return PartyMembership.objects.create(
        person=nurse,
        joined_on=dt.date(2010, 7, 1),
        in_service=True,
        workplace="晋江市医院",
        reports_to=world.compound_a,
    )
