"""Role × endpoint × stage on the dispute register (矛盾纠纷): mediating, settling and escalating a dispute answer
by who asks and where the dispute stands. 404: outside the viewer's scope; 403: visible, not theirs to keep;
422: theirs, not at this stage; 200: done. Who may read the registers is in test_api.py.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from jiayuan.appeals.models import Appeal
from jiayuan.outreach import services, workflow
from jiayuan.outreach.models import Dispute

pytestmark = pytest.mark.django_db
API = "/api/v1/outreach"


def registered(world, compound=None) -> Dispute:
    return services.dispute_record(
        actor=world.users["building_head"],
        compound=compound or world.compound_a,
        found_on=timezone.localdate() - dt.timedelta(days=1),
        found_by="李楼长",
        parties="陈某 与 林某",
        category="renovation",
        description="装修噪音扰民",
        risk="high",
    )


def mediating(world) -> Dispute:
    return services.dispute_mediate(actor=world.users["branch_secretary"], dispute=registered(world))


def resolved(world) -> Dispute:
    return services.dispute_resolve(actor=world.users["branch_secretary"], dispute=mediating(world), outcome="已调解")


STAGES = {
    "open": (registered, workflow.OPEN),
    "mediating": (mediating, workflow.MEDIATING),
    "resolved": (resolved, workflow.RESOLVED),
}

# (who, move, stage, status)
CASES = [
    ("branch_secretary", "mediate", "open", 200),
    ("branch_secretary", "mediate", "mediating", 422),
    ("committee_director", "mediate", "resolved", 422),
    ("community_secretary", "resolve", "open", 200),
    ("community_secretary", "resolve", "mediating", 200),
    ("community_secretary", "resolve", "resolved", 422),
    ("town_clerk", "escalate", "mediating", 200),
    ("town_clerk", "escalate", "resolved", 422),
    ("building_head", "mediate", "open", 403),  # reports disputes, does not keep the register
    ("property_manager", "resolve", "mediating", 403),
    ("building_head", "escalate", "open", 403),
    ("department_staff", "mediate", "open", 404),
    ("resident", "resolve", "open", 404),
]


@pytest.mark.parametrize(("who", "move", "stage", "status"), CASES, ids=[f"{w}-{m}-at-{s}" for w, m, s, _ in CASES])
def test_a_dispute_move_answers_by_role_and_stage(as_role, world, category, who, move, stage, status):
    build, state = STAGES[stage]
    dispute = build(world)
    body = {"outcome": "双方和解"} if move == "resolve" else {"category_id": category.pk} if move == "escalate" else {}
    response = as_role(who).post(
        f"{API}/disputes/{dispute.pk}/{move}", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == status, response.content
    dispute.refresh_from_db()
    if status == 200:
        assert dispute.status == workflow.DISPUTE.next(state, move)
    else:
        assert dispute.status == state
    assert Appeal.objects.exists() == (status == 200 and move == "escalate")


def test_every_stage_and_every_move_is_tried():
    assert {stage for *_, stage, _ in CASES} == set(STAGES)
    assert {move for _, move, *_ in CASES} == set(workflow.DISPUTE.moves)
