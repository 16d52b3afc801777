"""The demo city's committee life, written through the same services as the pages.

- Jinjiang's default duty list and negative list.
- Every committee filed with the housing department and its town within 30 days of its election, except a
  few filed late, and 宝龙世家's newly elected committee, whose filing is still due.
- Last quarter's self-inspection round in a sample of committees (金利花园 among them): items not met became
  rectification tasks, some already put right; 金利花园 has one still open.
- Evaluations by the organisation and housing departments: urged improvement for two members, ordered
  rectification with a due date for one.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.db.models import Q

from jiayuan.committees import services
from jiayuan.committees.models import DutyItem, InspectionResult, RectificationTask
from jiayuan.committees.terms import in_office_on
from jiayuan.core.models import User
from jiayuan.organisations.models import Organisation, Post
from jiayuan.places.models import City

INSPECTED_COMPOUNDS = ("金利花园", "宝龙世家", "瑞璟香榭花都")


@dataclass
class DemoCommittees:
    counts: dict[str, int] = field(default_factory=dict)


def build_demo_committees(*, seed: int, today: dt.date) -> DemoCommittees:
    rng = random.Random(seed + 7)
    admin = User.objects.get(username="admin")
    city = City.objects.order_by("pk").first()
    services.default_duty_items(city, actor=admin)
    committees = list(
        Organisation.objects.filter(kind=Organisation.Kind.OWNERS_COMMITTEE, established_on__lte=today).order_by(
            "established_on", "pk"
        )
    )
    newest = {c.pk for c in committees if c.established_on > today - dt.timedelta(days=30)}
    for committee in committees:
        if committee.pk in newest:
            continue  # elected this month: its filing is due
        late = rng.random() < 0.03
        filed_on = committee.established_on + dt.timedelta(days=rng.randint(31, 45) if late else rng.randint(5, 28))
        services.filing_record(
            actor=admin,
            committee=committee,
            filed_on=min(filed_on, today),
            filed_with_housing=True,
            filed_with_town=True,
            reference=f"晋业备〔{filed_on:%Y}〕{committee.pk:04d}号",
            today=today,
        )
    current = [
        c
        for c in Organisation.objects.filter(kind=Organisation.Kind.OWNERS_COMMITTEE)
        .filter(in_office_on(today))
        .exclude(pk__in=newest)
        .order_by("pk")
    ]
    sample = [c for c in current if c.compounds.filter(name__in=INSPECTED_COMPOUNDS).exists()]
    sample += rng.sample([c for c in current if c not in sample], 17)
    quarter_start = today - dt.timedelta(days=75)
    for committee in sample:
        _inspection(rng, admin, committee, quarter_start + dt.timedelta(days=rng.randint(0, 20)), today)
    _evaluations(rng, admin, current, today)
    return DemoCommittees(
        counts={"committees.filing": len(committees) - len(newest), "committees.selfinspection": len(sample)}
    )


def _inspection(rng, actor, committee, held_on: dt.date, today: dt.date) -> None:
    inspection = services.inspection_start(actor=actor, committee=committee, held_on=held_on, today=held_on)
    items = list(
        InspectionResult.objects.filter(inspection=inspection).select_related("item").order_by("item__position")
    )
    answers = {}
    for result in items:
        missed = rng.random() < (0.35 if result.item.list == DutyItem.List.DUTY else 0.05)
        answers[result.item_id] = ("not_met", "本季度未按要求落实，需整改") if missed else ("met", "")
    if all(a[0] == "met" for a in answers.values()):
        first = next(r for r in items if r.item.list == DutyItem.List.DUTY)
        answers[first.item_id] = ("not_met", "业委会会议决定未在3日内公示")
    services.inspection_answer(actor=actor, inspection=inspection, answers=answers)
    due = held_on + dt.timedelta(days=30)
    services.inspection_close(actor=actor, inspection=inspection, due_on=due, today=held_on)
    keep_open = committee.compounds.filter(name="金利花园").exists()
    tasks = RectificationTask.objects.filter(result__inspection=inspection).order_by("pk")
    for number, task in enumerate(tasks):
        if keep_open and number == 0:
            continue
        if rng.random() < 0.7:
            done_on = min(due, today)
            services.task_complete(
                actor=actor, task=task, done_on=done_on, done_note="已整改并在小区公告栏公示", today=done_on
            )


def _evaluations(rng, actor, current, today: dt.date) -> None:
    """Urged improvement twice and one ordered rectification, for plain members (no removal: the demo's
    coverage figures stay those of the reports)."""
    members = list(
        Post.objects.filter(organisation__in=current, role=Post.Role.COMMITTEE_MEMBER)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=today))
        .select_related("organisation")
        .order_by("pk")
    )
    chosen = rng.sample(members, 3)
    outcomes = ("urged_improvement", "urged_improvement", "ordered_rectification")
    reasons = (
        "连续两次未参加业委会会议",
        "未按时公示公共收益收支情况",
        "擅自与物业服务企业签订补充协议，未经业主大会决定",
    )
    for post, outcome, reason in zip(chosen, outcomes, reasons, strict=True):
        decided_on = today - dt.timedelta(days=rng.randint(10, 40))
        services.evaluation_record(
            actor=actor,
            committee=post.organisation,
            post=post,
            outcome=outcome,
            reason=reason,
            decided_on=decided_on,
            led_by="市委组织部、市住建局",
            today=today,
            due_on=decided_on + dt.timedelta(days=30) if outcome == "ordered_rectification" else None,
            task_description="撤销补充协议并向全体业主说明" if outcome == "ordered_rectification" else "",
        )
