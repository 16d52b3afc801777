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


def called_back(world, crew):
    return services.appeal_callback(
        actor=world.users["community_secretary"], appeal=resolved(world, crew), reached=True
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
    "called_back": (called_back, workflow.CALLED_BACK),
    "closed": (closed, workflow.CLOSED),
}
RATE = {"contacted": True, "solved": True, "rating": "satisfied"}
# A merge names the appeal it folds the order into: one being handled at the water department, which every
# persona who may merge can see. The test puts its id in place of this marker.
INTO = {"into": "the appeal being handled"}

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
    # A duplicate still waiting for its result is merged; one that has had its answer (resolved, called back,
    # closed) is not, whoever asks. Who may merge is asked first: the company has no say once the order left.
    ("community_secretary", "merge", INTO, "received", 200),
    ("community_secretary", "merge", INTO, "in_progress", 200),
    ("community_secretary", "merge", INTO, "extension_requested", 200),
    ("community_secretary", "merge", INTO, "resolved", 422),
    ("community_secretary", "merge", INTO, "called_back", 422),
    ("community_secretary", "merge", INTO, "closed", 422),
    ("water_staff", "merge", INTO, "dispatched", 200),
    ("water_staff", "merge", INTO, "resolved", 422),
    ("property_manager", "merge", INTO, "received", 200),
    ("property_manager", "merge", INTO, "resolved", 403),
    ("town_clerk", "merge", INTO, "closed", 422),
    ("city_admin", "merge", INTO, "called_back", 422),
    ("resident", "merge", INTO, "received", 403),
    ("department_staff", "merge", INTO, "in_progress", 404),
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
    if body is INTO:
        body = {"into": at_department(world, crew).pk}
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
    assert untried == {"dispatch"}  # tried by role in test_appeals_matrix.py and test_api.py


@pytest.mark.parametrize("stage", ["resolved", "called_back", "closed"])
def test_a_merge_refused_for_its_stage_names_the_stage_on_the_page_and_in_the_api(world, crew, login, stage):
    build, state = STAGES[stage]
    duplicate, into = build(world, crew), at_department(world, crew)
    client = login("community_secretary")
    page = client.get(f"/appeals/{duplicate.pk}/")
    assert "merge" not in [entry["name"] for entry in page.context["actions"]]  # not offered
    assert f"/appeals/{duplicate.pk}/act/merge/" not in page.content.decode()
    response = act(client, duplicate.pk, "merge", version=duplicate.version, into=into.pk)
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["field"] == "status" and str(Appeal.Status(state).label) in error["message"]
    posted = client.post(f"/appeals/{duplicate.pk}/act/merge/", {"version": duplicate.version, "into": into.number})
    assert posted.status_code == 422
    assert str(Appeal.Status(state).label) in posted.context["alert"]
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into_id) == (state, None)


# --- showing the reporter's phone to the department handling the order -------------------------------------

# (who, stage, status): 404 outside the scope, 403 visible but not the handling department, 422 the department
# once its order has had its answer, 200 shown (and audited).
REVEAL_CASES = [
    ("water_staff", "received", 404),
    ("water_staff", "dispatched", 200),
    ("water_staff", "in_progress", 200),
    ("water_staff", "extension_requested", 200),
    ("water_staff", "resolved", 422),
    ("water_staff", "closed", 422),
    ("department_staff", "dispatched", 404),
    ("city_admin", "dispatched", 403),
    ("town_clerk", "dispatched", 403),
    ("community_secretary", "dispatched", 403),
    ("community_secretary", "received", 403),
    ("branch_secretary", "dispatched", 403),
    ("committee_director", "dispatched", 403),
    ("property_manager", "dispatched", 403),
    ("building_head", "dispatched", 403),
    ("resident", "dispatched", 403),
]


@pytest.mark.parametrize(
    ("who", "stage", "status"), REVEAL_CASES, ids=[f"{who}-at-{stage}" for who, stage, _ in REVEAL_CASES]
)
def test_showing_the_reporters_phone_answers_by_role_and_stage(world, crew, login, who, stage, status):
    from jiayuan.core.audit import history_for
    from jiayuan.core.models import AuditEntry

    from .test_api import PHONE

    appeal = STAGES[stage][0](world, crew)
    client = login(who)
    response = client.post(f"/appeals/{appeal.pk}/contact/", headers={"HX-Request": "true"})
    assert response.status_code == status, response.content
    audited = history_for(appeal).filter(action=AuditEntry.Action.VIEW)
    body = response.content.decode()
    if status == 200:
        assert PHONE in body
        [entry] = audited
        assert (entry.actor, entry.after["contact_phone"]) == (crew.water_staff, "139****1234")
    else:
        assert PHONE not in body and not audited.exists()
    page = client.get(f"/appeals/{appeal.pk}/")
    offered = f"/appeals/{appeal.pk}/contact/" in page.content.decode()
    assert offered == (status == 200)
