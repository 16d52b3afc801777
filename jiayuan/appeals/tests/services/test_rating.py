"""The resident's answers: rating, callback, reopening."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jiayuan.appeals import services, workflow
from jiayuan.appeals.models import Appeal, Callback
from jiayuan.core.audit import history_for

from .common import actions_of, frozen, hotline_appeal_resolved, refused, resolved_by_compound

pytestmark = pytest.mark.django_db


# --- rating, callback, reopening ---------------------------------------------------------------------------------


def test_only_the_reporter_may_rate(world, cast, file_appeal):
    appeal = resolved_by_compound(world, file_appeal)
    for user in (cast.neighbour, world.users["branch_secretary"], world.users["city_admin"]):
        with pytest.raises(PermissionDenied):
            services.appeal_rate(actor=user, appeal=appeal, contacted=True, solved=True, rating=Appeal.Rating.SATISFIED)
    appeal.refresh_from_db()
    assert (appeal.rating, appeal.status) == ("", workflow.RESOLVED)


def test_a_rating_must_be_one_of_the_three_and_given_once_the_appeal_is_resolved(world, cast, file_appeal):
    resident = world.users["resident"]
    appeal = file_appeal()
    with pytest.raises(ValidationError):
        services.appeal_rate(actor=resident, appeal=appeal, contacted=True, solved=True, rating=Appeal.Rating.SATISFIED)
    appeal = resolved_by_compound(world, file_appeal)
    with pytest.raises(ValidationError) as caught:
        services.appeal_rate(actor=resident, appeal=appeal, contacted=True, solved=True, rating="meh")
    assert list(caught.value.message_dict) == ["rating"]
    appeal = services.appeal_rate(
        actor=resident, appeal=appeal, contacted=True, solved=False, rating=Appeal.Rating.BASIC
    )
    with pytest.raises(ValidationError):
        services.appeal_rate(actor=resident, appeal=appeal, contacted=True, solved=True, rating=Appeal.Rating.SATISFIED)


def test_the_resident_answers_the_three_questions_and_each_missing_one_is_named(world, cast, file_appeal):
    resident = world.users["resident"]
    appeal = resolved_by_compound(world, file_appeal)
    with pytest.raises(ValidationError) as caught:
        services.appeal_rate(actor=resident, appeal=appeal, contacted=None, solved="yes", rating="")
    assert set(caught.value.message_dict) == {"contacted", "solved", "rating"}
    appeal.refresh_from_db()
    assert (appeal.status, appeal.rating, appeal.rated_contacted, appeal.rated_solved) == (
        workflow.RESOLVED,
        "",
        None,
        None,
    )
    appeal = services.appeal_rate(
        actor=resident,
        appeal=appeal,
        contacted=False,
        solved=False,
        rating=Appeal.Rating.DISSATISFIED,
        comment="没人联系我，问题还在",
    )
    assert (appeal.status, appeal.rating, appeal.rated_contacted, appeal.rated_solved) == (
        workflow.CLOSED,
        "dissatisfied",
        False,
        False,
    )
    rate = appeal.events.get(action="rate")
    assert (rate.actor, rate.reason) == (resident, "dissatisfied · contacted: no · solved: no")
    assert history_for(appeal).get(note="rate").after["rated_solved"] is False


def test_a_callback_is_recorded_before_closing(world, cast, file_appeal):
    appeal = resolved_by_compound(world, file_appeal)
    appeal = services.appeal_callback(
        actor=world.users["community_secretary"], appeal=appeal, reached=True, note="住户确认已修好"
    )
    assert appeal.status == workflow.CALLED_BACK
    assert Callback.objects.get(appeal=appeal).reached
    appeal = services.appeal_close(actor=world.users["community_secretary"], appeal=appeal)
    assert appeal.status == workflow.CLOSED and appeal.closed_at
    appeal = services.appeal_rate(
        actor=world.users["resident"], appeal=appeal, contacted=True, solved=True, rating=Appeal.Rating.SATISFIED
    )
    assert appeal.status == workflow.CLOSED and appeal.rating == "satisfied"


def test_a_callback_that_reaches_a_resident_without_an_account_records_their_answers_and_closes(world, cast):
    secretary = world.users["community_secretary"]
    appeal = services.appeal_callback(
        actor=secretary,
        appeal=hotline_appeal_resolved(world),
        reached=True,
        note="电话回访",
        contacted=True,
        solved=False,
        rating=Appeal.Rating.BASIC,
    )
    assert (appeal.status, appeal.rating, appeal.rated_contacted, appeal.rated_solved) == (
        workflow.CLOSED,
        "basic",
        True,
        False,
    )
    assert appeal.rated_at is not None and appeal.closed_at is not None
    assert actions_of(appeal)[-3:] == ["callback", "rate", "close"]
    rate = appeal.events.get(action="rate")
    assert rate.actor == secretary and "recorded at the callback" in rate.reason
    assert Callback.objects.get(appeal=appeal).reached


def test_a_callback_without_answers_leaves_the_rating_open(world, cast):
    appeal = services.appeal_callback(
        actor=world.users["community_secretary"], appeal=hotline_appeal_resolved(world), reached=False, note="无人接听"
    )
    assert (appeal.status, appeal.rating, appeal.rated_contacted) == (workflow.CALLED_BACK, "", None)


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({"reached": True, "contacted": True, "solved": True}, "rating"),
        ({"reached": True, "contacted": True, "rating": "satisfied"}, "solved"),
        ({"reached": True, "solved": False, "rating": "dissatisfied"}, "contacted"),
        ({"reached": False, "contacted": True, "solved": True, "rating": "satisfied"}, "reached"),
    ],
)
def test_a_callback_records_all_three_answers_or_none_and_only_when_the_resident_was_reached(
    world, cast, answers, field
):
    appeal = hotline_appeal_resolved(world)
    with pytest.raises(ValidationError) as caught:
        services.appeal_callback(actor=world.users["community_secretary"], appeal=appeal, **answers)
    assert list(caught.value.message_dict) == [field]
    appeal.refresh_from_db()
    assert (appeal.status, appeal.rating) == (workflow.RESOLVED, "")
    assert not Callback.objects.filter(appeal=appeal).exists()


@pytest.mark.parametrize("reporter_with_a_login", ["account", "person"])
def test_staff_may_not_answer_for_a_resident_who_has_an_account(world, cast, file_appeal, reporter_with_a_login):
    if reporter_with_a_login == "account":  # the resident's own report
        appeal = resolved_by_compound(world, file_appeal)
    else:  # entered by the hotline for a resident who has a login
        appeal = hotline_appeal_resolved(world, reporter=world.people["resident"])
    with pytest.raises(PermissionDenied):
        services.appeal_callback(
            actor=world.users["community_secretary"],
            appeal=appeal,
            reached=True,
            contacted=True,
            solved=True,
            rating=Appeal.Rating.SATISFIED,
        )
    appeal.refresh_from_db()
    assert (appeal.status, appeal.rating) == (workflow.RESOLVED, "")
    # the call itself may be recorded; the resident then rates personally
    appeal = services.appeal_callback(actor=world.users["community_secretary"], appeal=appeal, reached=True)
    appeal = services.appeal_rate(
        actor=world.users["resident"], appeal=appeal, contacted=True, solved=True, rating=Appeal.Rating.SATISFIED
    )
    assert (appeal.status, appeal.rated_solved) == (workflow.CLOSED, True)


def test_the_reporter_may_reopen_within_the_period_and_the_rating_is_withdrawn(world, cast, file_appeal, settings):
    settings.APPEAL_REOPEN_DAYS = 7
    with frozen(2026, 11, 2, 9):
        appeal = resolved_by_compound(world, file_appeal)
        appeal = services.appeal_rate(
            actor=world.users["resident"],
            appeal=appeal,
            contacted=True,
            solved=False,
            rating=Appeal.Rating.DISSATISFIED,
        )
    with frozen(2026, 11, 9, 8), pytest.raises(PermissionDenied):
        services.appeal_reopen(actor=world.users["branch_secretary"], appeal=appeal, reason="没修好")
    with frozen(2026, 11, 9, 8):  # 6 days 23 hours later
        with pytest.raises(ValidationError):
            services.appeal_reopen(actor=world.users["resident"], appeal=appeal, reason="")
        appeal = services.appeal_reopen(actor=world.users["resident"], appeal=appeal, reason="又漏了")
    assert appeal.status == workflow.REOPENED
    assert (appeal.rating, appeal.rated_at, appeal.resolved_at, appeal.closed_at, appeal.resolved_level) == (
        "",
        None,
        None,
        None,
        "",
    )
    assert (appeal.rated_contacted, appeal.rated_solved) == (None, None)  # the answers go with the rating
    assert appeal.deadline == dt.date(2026, 11, 16)
    appeal = services.appeal_start(actor=world.users["branch_secretary"], appeal=appeal)
    assert appeal.status == workflow.IN_PROGRESS


def test_reopening_after_the_period_is_refused(world, cast, file_appeal, settings):
    settings.APPEAL_REOPEN_DAYS = 7
    with frozen(2026, 11, 2, 9):
        appeal = resolved_by_compound(world, file_appeal)
    with frozen(2026, 11, 9, 9, 1), pytest.raises(ValidationError) as caught:
        services.appeal_reopen(actor=world.users["resident"], appeal=appeal, reason="又漏了")
    assert "within 7 days" in refused(caught.value, "reason")
    appeal.refresh_from_db()
    assert appeal.status == workflow.RESOLVED
