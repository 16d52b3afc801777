"""Role × endpoint × stage on a committee's self-inspection (自查): starting, answering and closing a round and
completing its rectification tasks answer by who asks and where the round stands. 404: outside the viewer's
scope; 403: visible, not theirs to do; 422: theirs, not at this stage; 200/201: done. Who may do each thing on
one stage is in test_api.py; this adds the stages.
"""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from jiayuan.committees import services
from jiayuan.committees.models import RectificationTask, SelfInspection

from .conftest import DAY, answer_all

pytestmark = pytest.mark.django_db
API = "/api/v1/committees"


def post(client, path, data):
    return client.post(API + path, json.dumps(data), content_type="application/json")


def open_round(world):
    return services.inspection_start(actor=None, committee=world.committee_a, held_on=timezone.localdate())


def answered_round(world):
    inspection = open_round(world)
    first = inspection.results.order_by("item__position").first()
    return answer_all(inspection, not_met={first.item_id})


def closed_round(world):
    today = timezone.localdate()
    return services.inspection_close(actor=None, inspection=answered_round(world), due_on=today + 30 * DAY)


ROUNDS = {
    "open": (open_round, SelfInspection.Status.OPEN),
    "answered": (answered_round, SelfInspection.Status.OPEN),
    "closed": (closed_round, SelfInspection.Status.CLOSED),
}


def answers_for(inspection):
    return {"answers": [{"item_id": r.item_id, "result": "met"} for r in inspection.results.all()]}


def close_body():
    return {"due_on": (timezone.localdate() + 30 * DAY).isoformat()}


# (who, endpoint, stage, status)
CASES = [
    ("committee_director", "answers", "open", 200),
    ("committee_director", "answers", "closed", 422),
    ("committee_director", "close", "open", 422),  # items still unanswered
    ("branch_secretary", "close", "answered", 200),
    ("branch_secretary", "close", "closed", 422),
    ("community_secretary", "start", "open", 422),  # one open round at a time
    ("community_secretary", "start", "closed", 201),
    ("property_manager", "answers", "open", 403),
    ("building_head", "close", "answered", 403),
    ("department_staff", "answers", "open", 404),
    ("resident", "close", "answered", 404),
]


@pytest.mark.parametrize(("who", "endpoint", "stage", "status"), CASES, ids=[f"{w}-{e}-at-{s}" for w, e, s, _ in CASES])
def test_a_round_answers_by_role_and_stage(as_role, world, items, who, endpoint, stage, status):
    build, state = ROUNDS[stage]
    inspection = build(world)
    rounds = SelfInspection.objects.count()
    if endpoint == "start":
        path, body = f"/{world.committee_a.pk}/inspections", {"held_on": timezone.localdate().isoformat()}
    elif endpoint == "answers":
        path, body = f"/inspections/{inspection.pk}/answers", answers_for(inspection)
    else:
        path, body = f"/inspections/{inspection.pk}/close", close_body()
    response = post(as_role(who), path, body)
    assert response.status_code == status, response.content
    inspection.refresh_from_db()
    if endpoint == "start":
        assert SelfInspection.objects.count() == rounds + (status == 201)
    elif endpoint == "close":
        assert inspection.status == (SelfInspection.Status.CLOSED if status == 200 else state)
    else:
        assert (inspection.results.filter(result="").count() == 0) == (status == 200 or stage != "open")


@pytest.mark.parametrize(
    ("who", "done_before", "status"),
    [
        ("committee_director", False, 200),
        ("committee_director", True, 422),  # a task is completed once
        ("property_manager", False, 403),
        ("department_staff", False, 404),
    ],
)
def test_a_rectification_task_is_completed_once_by_those_who_inspect(as_role, world, items, who, done_before, status):
    closed_round(world)
    task = RectificationTask.objects.get()
    today = timezone.localdate().isoformat()
    if done_before:
        services.task_complete(actor=None, task=task, done_on=timezone.localdate(), done_note="已整改")
    response = post(as_role(who), f"/tasks/{task.pk}/complete", {"done_on": today, "done_note": "已督促物业整改"})
    assert response.status_code == status, response.content
    task.refresh_from_db()
    assert task.is_open == (status != 200 and not done_before)
