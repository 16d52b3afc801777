"""The yearly evaluation of a committee."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jiayuan.core.services import create_audited
from jiayuan.organisations.models import Organisation, Post
from jiayuan.organisations.services import post_end

from .. import rules
from ..models import Evaluation, RectificationTask
from ._common import _committee, _not_in_future, _require, _text, _today, _user

# --- Evaluation -----------------------------------------------------------------------------------------


@transaction.atomic
def evaluation_record(
    *,
    actor,
    committee: Organisation,
    post: Post,
    outcome: str,
    reason: str,
    decided_on: dt.date,
    led_by: str,
    due_on: dt.date | None = None,
    task_description: str = "",
    today: dt.date | None = None,
) -> Evaluation:
    """Record an evaluation of a committee member (履职评价).

    Removal (终止清退) ends the member's post on the day decided, in the same transaction.
    Ordered rectification (责令整改) sets the committee a task due `due_on`.
    Urged improvement (督促改进) is recorded only.
    """
    today = _today(today)
    _committee(committee)
    _require(actor, rules.may_evaluate, committee)
    errors: dict = {}
    post = Post.objects.select_for_update().select_related("person").get(pk=post.pk)
    if outcome not in Evaluation.Outcome.values:
        errors["outcome"] = _("The outcome is removal, ordered rectification or urged improvement, not %(value)s.") % {
            "value": outcome
        }
    reason = _text(reason, "reason", _("Give the reason for the evaluation."), errors, limit=2000)
    led_by = _text(led_by, "led_by", _("Say which departments led the evaluation."), errors, limit=100)
    if decided_on is None:
        errors["decided_on"] = _("Give the date of the decision.")
    else:
        _not_in_future(decided_on, "decided_on", today, errors)
    if post.organisation_id != committee.pk or post.role not in rules.COMMITTEE_ROLES:
        errors["post"] = _("%(person)s holds no post on this committee.") % {"person": post.person.name}
    elif decided_on is not None and not (
        post.start_date <= decided_on and (post.end_date is None or post.end_date > decided_on)
    ):
        errors["post"] = _("%(person)s was not a member of the committee on %(date)s.") % {
            "person": post.person.name,
            "date": decided_on.isoformat(),
        }
    if outcome == Evaluation.Outcome.ORDERED_RECTIFICATION:
        if due_on is None:
            errors["due_on"] = _("An ordered rectification needs the date by which it must be done.")
        elif decided_on is not None and due_on < decided_on:
            errors["due_on"] = _("The due date cannot be before the decision.")
    if errors:
        raise ValidationError(errors)
    evaluation = create_audited(
        Evaluation,
        actor=actor,
        committee=committee,
        post=post,
        outcome=outcome,
        reason=reason,
        decided_on=decided_on,
        led_by=led_by,
        recorded_by=_user(actor),
    )
    if outcome == Evaluation.Outcome.REMOVAL:
        post_end(actor=actor, post=post, end_date=decided_on, note=f"evaluation {evaluation.pk}: removal")
    elif outcome == Evaluation.Outcome.ORDERED_RECTIFICATION:
        description = (task_description or "").strip() or f"{post.person.name}：{reason}"
        create_audited(
            RectificationTask,
            actor=actor,
            committee=committee,
            evaluation=evaluation,
            description=description[:2000],
            due_on=due_on,
            created_on=decided_on,
            created_by=_user(actor),
        )
    return evaluation
