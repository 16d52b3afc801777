"""The committees' to-dos on the workbench: open rectification tasks for those who may complete them, filings due
and terms ending for the levels above."""

import datetime as dt

import pytest

from jiayuan.committees import services, todos
from jiayuan.committees.models import RectificationTask
from jiayuan.organisations.models import Organisation
from jiayuan.testing import PERSONAS

from .conftest import DAY, INSPECTORS, OVERSEERS, answer_all

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 1)


def waiting(user, today=TODAY) -> dict:
    return {g.key: g for g in todos.todos(user, today) if g is not None}


@pytest.fixture
def task(world, items):
    inspection = services.inspection_start(
        actor=world.users["committee_director"], committee=world.committee_a, held_on=TODAY, today=TODAY
    )
    answer_all(inspection, not_met={items[6].pk})
    services.inspection_close(actor=None, inspection=inspection, due_on=TODAY + 30 * DAY, today=TODAY)
    return RectificationTask.objects.get()


def test_an_open_task_waits_for_exactly_those_who_may_complete_it(world, task):
    holders = {name for name in PERSONAS if "committees.tasks" in waiting(world.users[name])}
    assert holders == set(INSPECTORS)
    (item,) = waiting(world.users["committee_director"])["committees.tasks"].items
    assert item.due == task.due_on and item.detail == world.committee_a.name
    services.task_complete(
        actor=world.users["committee_director"], task=task, done_on=TODAY + DAY, done_note="已公开", today=TODAY + DAY
    )
    assert all("committees.tasks" not in waiting(world.users[name]) for name in PERSONAS)


def test_an_unfiled_committee_waits_for_the_levels_above_with_its_deadline(world):
    committee = world.committee_a
    Organisation.objects.filter(pk=committee.pk).update(established_on=TODAY - 40 * DAY)
    committee.refresh_from_db()
    holders = {name for name in PERSONAS if "committees.filings" in waiting(world.users[name])}
    assert holders == set(OVERSEERS)
    (item,) = waiting(world.users["town_clerk"])["committees.filings"].items
    assert item.due == TODAY - 10 * DAY  # 30 days after the election: ten days late


def test_a_term_ending_within_six_months_waits_for_the_levels_above(world):
    Organisation.objects.filter(pk=world.committee_a.pk).update(term_end=TODAY + 60 * DAY)
    (item,) = waiting(world.users["community_secretary"])["committees.terms"].items
    assert item.due == TODAY + 60 * DAY
    assert "committees.terms" not in waiting(world.users["committee_director"])
    assert "committees.terms" not in waiting(world.users["community_secretary"], TODAY - 200 * DAY)
