"""Self-inspection rounds and their rectification tasks (services/inspections.py): one open round at a time,
answered item by item, closed into tasks, and a task completed with a note."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from jiayuan.committees import services
from jiayuan.committees.models import InspectionResult, RectificationTask, SelfInspection
from jiayuan.core.audit import history_for

from ..conftest import DAY, INSPECTORS, answer_all
from .common import TODAY, fields_of

pytestmark = pytest.mark.django_db


# --- self-inspection rounds -------------------------------------------------------------------------------


def start(world, persona="committee_director", **kwargs):
    return services.inspection_start(
        actor=world.users[persona] if persona else None,
        committee=world.committee_a,
        held_on=kwargs.pop("held_on", TODAY),
        today=TODAY,
        **kwargs,
    )


def test_a_round_holds_one_empty_result_per_item_in_use(world, items):
    services.duty_item_update(actor=None, item=items[0], text=items[0].text, position=1, active=False)
    inspection = start(world)
    assert inspection.status == "open" and inspection.conducted_by == world.users["committee_director"]
    results = list(inspection.results.all())
    assert len(results) == 13 and {r.result for r in results} == {""}
    assert items[0].pk not in {r.item_id for r in results}


def test_a_round_needs_the_city_lists(world):
    with pytest.raises(ValidationError) as exc:
        start(world)
    assert fields_of(exc) == {"committee"}
    assert not SelfInspection.objects.exists()


def test_a_committee_has_one_open_round_at_a_time(world, items):
    start(world)
    with pytest.raises(ValidationError) as exc:
        start(world, held_on=TODAY - DAY)
    assert fields_of(exc) == {"committee"}
    with pytest.raises(IntegrityError), transaction.atomic():
        SelfInspection.objects.create(committee=world.committee_a, held_on=TODAY)


def test_a_round_cannot_be_held_in_the_future(world, items):
    with pytest.raises(ValidationError) as exc:
        start(world, held_on=TODAY + DAY)
    assert fields_of(exc) == {"held_on"}


@pytest.mark.parametrize("persona", INSPECTORS)
def test_committee_members_branch_leaders_and_overseers_run_rounds(world, items, persona):
    assert start(world, persona).pk


@pytest.mark.parametrize("persona", ["property_manager", "building_head"])
def test_the_property_manager_and_building_heads_do_not_run_rounds(world, items, persona):
    with pytest.raises(PermissionDenied):
        start(world, persona)


def test_a_member_of_another_committee_may_not_inspect_this_one(world, items, chidian_committee):
    with pytest.raises(PermissionDenied):
        services.inspection_start(
            actor=world.users["committee_director"], committee=chidian_committee, held_on=TODAY, today=TODAY
        )


def test_an_item_not_met_needs_a_note(world, items):
    inspection = start(world)
    with pytest.raises(ValidationError) as exc:
        services.inspection_answer(
            actor=world.users["committee_director"],
            inspection=inspection,
            answers={items[0].pk: ("not_met", " "), items[1].pk: ("met", "")},
        )
    assert fields_of(exc) == {f"note_{items[0].pk}"}
    assert set(inspection.results.values_list("result", flat=True)) == {""}  # nothing half-saved
    result = inspection.results.get(item=items[0])
    with pytest.raises(IntegrityError), transaction.atomic():
        InspectionResult.objects.filter(pk=result.pk).update(result="not_met", note="")


def test_answers_are_saved_with_who_answered_and_audited(world, items):
    inspection = start(world)
    services.inspection_answer(
        actor=world.users["committee_director"],
        inspection=inspection,
        answers={items[0].pk: ("met", ""), items[6].pk: ("not_met", "财务收支未公开")},
    )
    met, not_met = inspection.results.get(item=items[0]), inspection.results.get(item=items[6])
    assert (met.result, not_met.result, not_met.note) == ("met", "not_met", "财务收支未公开")
    assert not_met.answered_by == world.users["committee_director"] and not_met.answered_at is not None
    assert history_for(not_met).filter(action="update").get().actor == world.users["committee_director"]


def test_an_unknown_item_or_result_is_refused(world, items):
    inspection = start(world)
    with pytest.raises(ValidationError) as exc:
        services.inspection_answer(
            actor=None, inspection=inspection, answers={999999: ("met", ""), items[0].pk: ("maybe", "")}
        )
    assert fields_of(exc) == {"result_999999", f"result_{items[0].pk}"}


def test_a_round_closes_only_when_every_item_is_answered(world, items):
    inspection = start(world)
    services.inspection_answer(actor=None, inspection=inspection, answers={items[0].pk: ("met", "")})
    with pytest.raises(ValidationError) as exc:
        services.inspection_close(actor=world.users["committee_director"], inspection=inspection, today=TODAY)
    assert fields_of(exc) == {"results"}
    assert "13" in exc.value.message_dict["results"][0]
    inspection.refresh_from_db()
    assert inspection.status == "open"


def test_closing_turns_each_item_not_met_into_a_rectification_task(world, items):
    inspection = start(world)
    answer_all(inspection, not_met={items[6].pk, items[9].pk})
    with pytest.raises(ValidationError) as exc:
        services.inspection_close(actor=None, inspection=inspection, today=TODAY)
    assert fields_of(exc) == {"due_on"}
    closed = services.inspection_close(
        actor=world.users["committee_director"], inspection=inspection, due_on=TODAY + 30 * DAY, today=TODAY
    )
    assert (closed.status, closed.closed_on) == ("closed", TODAY)
    tasks = RectificationTask.objects.filter(committee=world.committee_a).order_by("result__item__list", "pk")
    assert [(t.result.item_id, t.due_on, t.created_on) for t in tasks] == [
        (items[6].pk, TODAY + 30 * DAY, TODAY),
        (items[9].pk, TODAY + 30 * DAY, TODAY),
    ]
    assert tasks[0].description.startswith(items[6].text) and "未按期公开" in tasks[0].description
    assert history_for(closed).filter(note="close").exists()
    with pytest.raises(ValidationError) as exc:
        services.inspection_answer(actor=None, inspection=closed, answers={items[0].pk: ("not_met", "改")})
    assert fields_of(exc) == {"status"}


def test_a_round_with_every_item_met_closes_without_tasks(world, items):
    inspection = start(world)
    answer_all(inspection)
    services.inspection_close(actor=None, inspection=inspection, today=TODAY)
    assert not RectificationTask.objects.exists()


# --- rectification tasks ----------------------------------------------------------------------------------


@pytest.fixture
def task(world, items):
    inspection = start(world)
    answer_all(inspection, not_met={items[6].pk})
    services.inspection_close(actor=None, inspection=inspection, due_on=TODAY + 30 * DAY, today=TODAY)
    return RectificationTask.objects.get()


def test_a_task_is_completed_with_a_note(world, task):
    done = services.task_complete(
        actor=world.users["committee_director"],
        task=task,
        done_on=TODAY + 5 * DAY,
        done_note="已在公告栏公开2025年度收支",
        today=TODAY + 6 * DAY,
    )
    assert (done.done_on, done.done_by, done.is_open) == (TODAY + 5 * DAY, world.users["committee_director"], False)
    assert history_for(done).filter(note="complete").get().actor == world.users["committee_director"]
    with pytest.raises(ValidationError) as exc:
        services.task_complete(actor=None, task=task, done_on=TODAY + 6 * DAY, done_note="再次", today=TODAY + 6 * DAY)
    assert fields_of(exc) == {"done_on"}


@pytest.mark.parametrize(
    ("done_on", "note", "field"),
    [
        (TODAY, "", "done_note"),
        (TODAY + DAY, "已公开", "done_on"),  # in the future
        (TODAY - DAY, "已公开", "done_on"),  # before the task was set
    ],
)
def test_a_bad_completion_names_the_field(world, task, done_on, note, field):
    with pytest.raises(ValidationError) as exc:
        services.task_complete(actor=None, task=task, done_on=done_on, done_note=note, today=TODAY)
    assert fields_of(exc) == {field}
    task.refresh_from_db()
    assert task.is_open


def test_the_database_refuses_a_task_done_without_a_note(world, task):
    with pytest.raises(IntegrityError), transaction.atomic():
        RectificationTask.objects.filter(pk=task.pk).update(done_on=TODAY)


@pytest.mark.parametrize("persona", ["property_manager", "building_head"])
def test_the_property_manager_cannot_complete_the_committees_tasks(world, task, persona):
    with pytest.raises(PermissionDenied):
        services.task_complete(actor=world.users[persona], task=task, done_on=TODAY, done_note="x", today=TODAY)
