"""Shared pieces of the committee tests: the default lists, a second member, a committee in Chidian."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from jiayuan.committees import services
from jiayuan.organisations import services as org_services
from jiayuan.organisations.models import Post
from jiayuan.organisations.tests.conftest import re_elect
from jiayuan.people import services as people_services
from jiayuan.testing import START

DAY = dt.timedelta(days=1)
# Personas who see committee pages: every staff scope over 金利花园 (C0001).
STAFF = (
    "city_admin",
    "town_clerk",
    "community_secretary",
    "branch_secretary",
    "committee_director",
    "property_manager",
    "building_head",
)
# Who may run self-inspections and complete tasks of 金利花园业委会.
INSPECTORS = ("city_admin", "town_clerk", "community_secretary", "branch_secretary", "committee_director")
# Who may record the filing (the community, town or city over the compound).
OVERSEERS = ("city_admin", "town_clerk", "community_secretary")
# Who may record evaluations.
EVALUATORS = ("city_admin", "town_clerk", "community_secretary")


@pytest.fixture
def items(world, db):
    """The default duty list (8) and negative list (6) of 晋江市."""
    return services.default_duty_items(world.city, actor=None)


@pytest.fixture
def member_post(world, db):
    """郑委员, an ordinary member of 金利花园业委会 since the start."""
    person = people_services.person_create(actor=None, name="郑委员", phone="13900000002")
    return org_services.post_assign(
        actor=None, person=person, organisation=world.committee_a, role=Post.Role.COMMITTEE_MEMBER, start_date=START
    )


@pytest.fixture
def chidian_committee(world, db):
    """南天裕业委会 in Chidian, which only the city administrator may see."""
    return org_services.committee_create(
        actor=None,
        compound=world.compound_b,
        name="南天裕业委会",
        established_on=dt.date(2022, 6, 1),
        term_end=dt.date(2027, 5, 31),
        seats=5,
    )


@pytest.fixture
def re_elected(world, db):
    """宝龙世家 re-elected a month ago: its first committee, dissolved the day before, and its second."""
    return re_elect(world, today=timezone.localdate())


def answer_all(inspection, *, not_met=(), actor=None):
    """Answer every item of a round: met, except the item ids in `not_met`."""
    answers = {
        result.item_id: (("not_met", "未按期公开") if result.item_id in not_met else ("met", ""))
        for result in inspection.results.all()
    }
    return services.inspection_answer(actor=actor, inspection=inspection, answers=answers)
