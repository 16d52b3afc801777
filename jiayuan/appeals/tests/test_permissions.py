"""Role × action × stage on the appeals API: the same person taking the same action answers differently as the
appeal moves on. 404: outside the viewer's scope; 403: visible, not theirs to do; 422: theirs, but not at this
stage; 200: done. `tests/test_appeals_matrix.py` covers role × endpoint on one stage; this adds the stages.
"""

from __future__ import annotations

import pytest

from jiayuan.appeals import services, workflow
from jiayuan.appeals.models import Appeal, AppealEvent

from . import test_api
from .test_api import act, at_department, resolved, submitted

pytestmark = pytest.mark.django_db
crew, login = test_api.crew, test_api.login  # the API tests' fixtures: the water department and logins


def received(world, crew):
    return submitted(world, crew)


def accepted(world, crew):
    return services.appeal_accept(actor=world.users["property_manager"], appeal=submitted(world, crew))


def in_progress(world, crew):
    return services.appeal_start(actor=crew.water_staff, appeal=at_department(world, crew))


def extension_requested(world, crew):
    return services.appeal_request_extension(
        actor=crew.water_staff, appeal=in_progress(world, crew), days=3, reason="等配件"
    )


def closed(world, crew):
    return services.appeal_rate(
        actor=world.users["resident"],
        appeal=resolved(world, crew),
        contacted=True,
        solved=True,
        rating=Appeal.Rating.SATISFIED,
    )


STAGES = {
    "received": (received, workflow.RECEIVED),
    "accepted": (accepted, workflow.ACCEPTED),
    "dispatched": (at_department, workflow.DISPATCHED),
    "in_progress": (in_progress, workflow.IN_PROGRESS),
    "extension_requested": (extension_requested, workflow.EXTENSION_REQUESTED),
    "resolved": (resolved, workflow.RESOLVED),
    "closed": (closed, workflow.CLOSED),
}
RATE = {"contacted": True, "solved": True, "rating": "satisfied"}

# (who, action, body, stage, status)
CASES = [
    # The compound takes a new report on; once taken, taking it again is the wrong stage.
    ("property_manager", "accept", {}, "received", 200),
    ("property_manager", "accept", {}, "accepted", 422),
    ("building_head", "accept", {}, "received", 403),
    ("resident", "accept", {}, "received", 403),
    # Resolving needs the order taken on first.
    ("branch_secretary", "resolve", {"resolution": "已修复"}, "received", 422),
    ("branch_secretary", "resolve", {"resolution": "已修复"}, "accepted", 200),
    # A department sees an order only once it is whistled to it, starts it, returns it only before starting.
    ("water_staff", "start", {}, "received", 404),
    ("water_staff", "start", {}, "dispatched", 200),
    ("water_staff", "return", {"reason": "不属于本部门"}, "dispatched", 200),
    ("water_staff", "return", {"reason": "不属于本部门"}, "in_progress", 422),
    ("department_staff", "start", {}, "dispatched", 404),
    # An extension is asked while handling, and granted by the town only while asked.
    ("water_staff", "request_extension", {"days": 3, "reason": "等配件"}, "dispatched", 422),
    ("water_staff", "request_extension", {"days": 3, "reason": "等配件"}, "in_progress", 200),
    ("town_clerk", "grant_extension", {}, "in_progress", 422),
    ("town_clerk", "grant_extension", {}, "extension_requested", 200),
    ("water_staff", "grant_extension", {}, "extension_requested", 403),
    ("community_secretary", "grant_extension", {}, "extension_requested", 403),
    ("town_clerk", "refuse_extension", {"reason": "可按期完成"}, "extension_requested", 200),
    ("town_clerk", "refuse_extension", {"reason": "可按期完成"}, "in_progress", 422),
    # The community reassigns a returned order only, calls back and closes a resolved one only.
    ("community_secretary", "reassign", {"department": None, "reason": "改派"}, "dispatched", 422),
    ("community_secretary", "callback", {"reached": True}, "in_progress", 422),
    ("community_secretary", "callback", {"reached": True}, "resolved", 200),
    ("community_secretary", "close", {}, "received", 422),
    ("community_secretary", "close", {}, "resolved", 200),
    ("property_manager", "close", {}, "resolved", 403),
    # The reporter rates and reopens a resolved appeal only; nobody else may.
    ("resident", "rate", RATE, "in_progress", 422),
    ("resident", "rate", RATE, "resolved", 200),
    ("community_secretary", "rate", RATE, "resolved", 403),
    ("resident", "reopen", {"reason": "又漏了"}, "received", 422),
    ("resident", "reopen", {"reason": "又漏了"}, "resolved", 200),
    ("resident", "reopen", {"reason": "又漏了"}, "closed", 200),
    # The town supervises an open order, not a closed one; the compound never supervises.
    ("town_clerk", "supervise", {"level": "town"}, "received", 200),
    ("town_clerk", "supervise", {"level": "town"}, "closed", 422),
    ("branch_secretary", "supervise", {"level": "town"}, "received", 403),
]


@pytest.mark.parametrize(
    ("who", "action", "body", "stage", "status"),
    CASES,
    ids=[f"{who}-{action}-at-{stage}" for who, action, _, stage, _ in CASES],
)
def test_an_action_answers_by_role_and_stage(world, crew, login, who, action, body, stage, status):
    build, state = STAGES[stage]
    appeal = build(world, crew)
    assert appeal.status == state
    events = AppealEvent.objects.filter(appeal=appeal).count()
    response = act(login(who), appeal.pk, action, version=appeal.version, **body)
    assert response.status_code == status, response.content
    appeal.refresh_from_db()
    if status == 200:  # recorded (a rating also closes the order: two events)
        assert AppealEvent.objects.filter(appeal=appeal).count() > events
    else:
        assert (appeal.status, AppealEvent.objects.filter(appeal=appeal).count()) == (state, events)


def test_every_stage_and_every_action_is_tried():
    assert {stage for *_, stage, _ in CASES} == set(STAGES)
    untried = set(workflow.APPEAL.moves) - {action for _, action, *_ in CASES}
    assert untried == {"dispatch", "merge"}  # tried by role in test_appeals_matrix.py and test_api.py
