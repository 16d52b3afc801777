"""Evaluations of committee members (services/evaluation.py): a removal ends the post in the same transaction,
an ordered rectification sets a task, and only the city, the town and the community evaluate."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from jiayuan.committees import services
from jiayuan.committees.models import Evaluation, RectificationTask
from jiayuan.committees.services import evaluation as evaluation_services
from jiayuan.core.audit import history_for
from jiayuan.core.models import AuditEntry
from jiayuan.organisations import services as org_services
from jiayuan.organisations.models import Post

from ..conftest import DAY, EVALUATORS
from .common import TODAY, fields_of

pytestmark = pytest.mark.django_db


def evaluate(world, post, outcome, persona="town_clerk", **kwargs):
    data = {"reason": "收受物业服务企业财物", "decided_on": TODAY, "led_by": "市委组织部、市住建局", "today": TODAY}
    data.update(kwargs)
    return services.evaluation_record(
        actor=world.users[persona] if persona else None, committee=world.committee_a, post=post, outcome=outcome, **data
    )


def test_removal_ends_the_members_post_on_the_day_decided_in_the_same_transaction(world, member_post):
    evaluation = evaluate(world, member_post, "removal")
    member_post.refresh_from_db()
    assert member_post.end_date == TODAY
    assert evaluation.recorded_by == world.users["town_clerk"]
    ended = history_for(member_post).filter(action=AuditEntry.Action.END).get()
    assert ended.actor == world.users["town_clerk"] and f"evaluation {evaluation.pk}" in ended.note
    assert history_for(evaluation).get().action == "create"
    assert not RectificationTask.objects.exists()


def test_removing_the_director_frees_the_directors_seat(world):
    director = Post.objects.get(organisation=world.committee_a, role="committee_director")
    evaluate(world, director, "removal", persona="city_admin")
    director.refresh_from_db()
    assert director.end_date == TODAY


def test_when_ending_the_post_fails_nothing_is_saved(world, member_post, monkeypatch):
    def broken(**kwargs):
        raise IntegrityError("boom")

    monkeypatch.setattr(evaluation_services, "post_end", broken)  # where the evaluation looks it up
    with pytest.raises(IntegrityError):
        evaluate(world, member_post, "removal")
    assert not Evaluation.objects.exists()
    member_post.refresh_from_db()
    assert member_post.end_date is None


def test_an_ordered_rectification_sets_a_task_with_its_due_date(world, member_post):
    with pytest.raises(ValidationError) as exc:
        evaluate(world, member_post, "ordered_rectification")
    assert fields_of(exc) == {"due_on"}
    evaluation = evaluate(
        world, member_post, "ordered_rectification", due_on=TODAY + 60 * DAY, task_description="退还所收财物并书面检讨"
    )
    task = evaluation.task
    assert (task.committee, task.due_on, task.description, task.created_on) == (
        world.committee_a,
        TODAY + 60 * DAY,
        "退还所收财物并书面检讨",
        TODAY,
    )
    member_post.refresh_from_db()
    assert member_post.end_date is None


def test_an_urged_improvement_is_recorded_only(world, member_post):
    evaluation = evaluate(world, member_post, "urged_improvement")
    assert evaluation.outcome == "urged_improvement"
    assert not RectificationTask.objects.exists()
    member_post.refresh_from_db()
    assert member_post.end_date is None


def test_the_post_must_be_a_current_post_on_this_committee(world, member_post):
    branch_post = Post.objects.get(organisation=world.branch_a, role="branch_secretary")
    with pytest.raises(ValidationError) as exc:
        evaluate(world, branch_post, "urged_improvement")
    assert fields_of(exc) == {"post"}
    org_services.post_end(actor=None, post=member_post, end_date=TODAY - 10 * DAY)
    with pytest.raises(ValidationError) as exc:
        evaluate(world, member_post, "removal")
    assert fields_of(exc) == {"post"}
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"reason": "  "}, "reason"),
        ({"led_by": ""}, "led_by"),
        ({"decided_on": TODAY + DAY}, "decided_on"),
        ({"outcome": "warning"}, "outcome"),
    ],
)
def test_a_bad_evaluation_names_the_field(world, member_post, changes, field):
    outcome = changes.pop("outcome", "urged_improvement")
    with pytest.raises(ValidationError) as exc:
        evaluate(world, member_post, outcome, **changes)
    assert field in fields_of(exc)


@pytest.mark.parametrize("persona", EVALUATORS)
def test_the_city_the_town_clerk_and_the_community_secretary_evaluate(world, member_post, persona):
    assert evaluate(world, member_post, "urged_improvement", persona=persona).pk


@pytest.mark.parametrize("persona", ["branch_secretary", "committee_director", "property_manager", "building_head"])
def test_compound_staff_do_not_evaluate(world, member_post, persona):
    with pytest.raises(PermissionDenied):
        evaluate(world, member_post, "removal", persona=persona)
    member_post.refresh_from_db()
    assert member_post.end_date is None


def test_the_database_requires_a_reason_and_a_known_outcome(world, member_post):
    base = {"committee": world.committee_a, "post": member_post, "decided_on": TODAY, "led_by": "市住建局"}
    with pytest.raises(IntegrityError), transaction.atomic():
        Evaluation.objects.create(outcome="removal", reason="", **base)
    with pytest.raises(IntegrityError), transaction.atomic():
        Evaluation.objects.create(outcome="warning", reason="x", **base)
