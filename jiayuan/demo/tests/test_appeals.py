"""The demo city's appeal history and the leaking-pipe story (jiayuan/demo/appeals), on the persona world."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from jiayuan.appeals import services, workflow
from jiayuan.appeals.models import Appeal
from jiayuan.appeals.scores import scoring
from jiayuan.appeals.scores.scoring import Month
from jiayuan.appeals.seeds import seed_dispatch_catalogue
from jiayuan.core.models import User
from jiayuan.core.scope import scope_for
from jiayuan.demo.appeals import build_demo_appeals
from jiayuan.demo.appeals import story as demo_story
from jiayuan.organisations import services as org_services
from jiayuan.organisations.models import Organisation
from jiayuan.people import services as people_services

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
S, B, D = Appeal.Rating.SATISFIED, Appeal.Rating.BASIC, Appeal.Rating.DISSATISFIED


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SHANGHAI)


def rows_by_name(board):
    return {row.name: row for row in board.rows}


def _water_department(world):
    water = Organisation.objects.create(
        kind=Organisation.Kind.DEPARTMENT, name="晋江市水务局", city=world.city, established_on=dt.date(2020, 1, 1)
    )
    seed_dispatch_catalogue()
    return water


def _history(appeals):
    return [(a.received_at, a.category_id, a.status, a.level, a.rating, a.deadline, a.overdue_since) for a in appeals]


def test_the_demo_history_walks_the_declared_moves_and_is_the_same_for_the_same_seed(world, db):
    _water_department(world)
    today = dt.date(2025, 6, 16)
    result = build_demo_appeals(seed=11, months=3, count=120, today=today, story=False)
    assert result.counts["appeals.appeal"] == 120
    appeals = list(Appeal.objects.order_by("pk").prefetch_related("events"))
    assert all(at(2025, 4, 1) <= a.received_at < at(2025, 6, 16) for a in appeals)
    for appeal in appeals:
        assert appeal.number == f"JY{appeal.received_at.astimezone(SHANGHAI):%Y%m%d}{appeal.pk:07d}"
        state = ""
        for event in appeal.events.all():
            assert event.from_status == state, (appeal.number, event.action)
            if event.action not in {"submit", "rate", "overdue", "supervise"}:
                assert workflow.next_state(state, event.action) == event.to_status
            state = event.to_status
        assert state == appeal.status
        if appeal.rating:
            assert appeal.status == workflow.CLOSED and appeal.contacted_at and appeal.resolved_at
            assert appeal.rated_contacted is not None and appeal.rated_solved is not None
            rate = next(event for event in appeal.events.all() if event.action == "rate")
            assert rate.reason == services.rating_summary(appeal, "")  # "满意 · contacted: yes · solved: yes"
        else:
            assert (appeal.rated_contacted, appeal.rated_solved) == (None, None)
        if appeal.level == Appeal.Level.DEPARTMENT:
            assert appeal.unit.kind == Organisation.Kind.DEPARTMENT
    levels = {a.resolved_level for a in appeals}
    assert {"compound", "department"} <= levels
    assert any(a.via_four_party for a in appeals) and any(a.is_open for a in appeals)
    again = build_demo_appeals(seed=11, months=3, count=120, today=today, story=False)
    assert again.counts == result.counts
    second = list(Appeal.objects.order_by("pk")[120:])
    assert _history(second) == _history(appeals)


def test_the_demo_residents_answer_like_a_hotlines_callers(world, db):
    """Most residents say they were contacted (about 97%) and that the problem was solved (about 90%);
    a dissatisfied resident says it was not solved far more often than a satisfied one."""
    _water_department(world)
    build_demo_appeals(seed=5, months=6, count=1500, today=dt.date(2025, 6, 16), story=False)
    rated = Appeal.objects.exclude(rating="")
    total = rated.count()
    assert total > 1000
    contacted = Fraction(rated.filter(rated_contacted=True).count(), total)
    solved = Fraction(rated.filter(rated_solved=True).count(), total)
    assert Fraction(95, 100) <= contacted <= Fraction(99, 100)
    assert Fraction(86, 100) <= solved <= Fraction(94, 100)

    def solved_share(rating):
        answered = rated.filter(rating=rating)
        return Fraction(answered.filter(rated_solved=True).count(), answered.count())

    assert solved_share(S) > solved_share(B) > solved_share(D)
    # so the months' rates are no longer 100%
    board = scoring.scoreboard(viewer=world.users["city_admin"], month=Month(2025, 3), level="town")
    assert 0 < board.total.rates.resolution < 1 and 0 < board.total.rates.response < 1


def test_the_leaking_pipe_story_waits_for_the_water_department_whose_rates_then_move(world, db, monkeypatch):
    water = _water_department(world)
    staff = people_services.person_create(actor=None, name="水务科员")
    org_services.post_assign(
        actor=None, person=staff, organisation=water, role="department_staff", start_date=dt.date(2024, 1, 1)
    )
    assert demo_story.water_login_create("pw-2026") == demo_story.WATER_LOGIN
    monkeypatch.setattr(
        demo_story,
        "STORY_LOGINS",
        {
            "resident": "resident",
            "manager": "property_manager",
            "secretary": "branch_secretary",
            "community": "community_secretary",
        },
    )
    story = demo_story.leaking_pipe()
    assert (story.status, story.level, story.unit) == (workflow.DISPATCHED, Appeal.Level.DEPARTMENT, water)
    assert story.reporter_account == world.users["resident"] and story.compound == world.compound_a
    assert list(story.events.values_list("action", flat=True)) == ["submit", "accept", "dispatch", "dispatch"]
    assert story.deadline > timezone.localdate()

    officer = User.objects.get(username=demo_story.WATER_LOGIN)
    assert scope_for(officer).department_ids == {water.pk}
    month = Month.current()
    before = rows_by_name(scoring.scoreboard(viewer=officer, month=month, level="department"))["晋江市水务局"]
    assert (before.orders, before.tally.rated, before.rank) == (1, 0, None)
    story = services.appeal_start(actor=officer, appeal=story)
    story = services.appeal_resolve(actor=officer, appeal=story, resolution="已更换供水立管，恢复供水。")
    services.appeal_rate(
        actor=world.users["resident"], appeal=story, contacted=True, solved=True, rating=Appeal.Rating.SATISFIED
    )
    after = rows_by_name(scoring.scoreboard(viewer=officer, month=month, level="department"))["晋江市水务局"]
    assert (after.tally.rated, after.tally.contacted, after.tally.solved, after.rank) == (1, 1, 1, 1)
    assert after.rates.composite == 1
