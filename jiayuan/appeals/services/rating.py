"""The resident's answers: the callback (回访) and the rating."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiayuan.core.audit import audit_record, snapshot
from jiayuan.core.models import AuditEntry
from jiayuan.core.scope import scope_for

from .. import rules, workflow
from ..models import Appeal, AppealEvent, Callback
from ._common import check_move, lock_for_change, transition, user_or_none


def _answers(*, contacted, solved, rating) -> dict:
    """The resident's three answers, checked: contacted (yes/no), solved (yes/no) and the rating.
    ValidationError naming each missing or wrong one."""
    errors = {}
    if not isinstance(contacted, bool):
        errors["contacted"] = _("Say whether the handling unit contacted the resident (yes or no).")
    if not isinstance(solved, bool):
        errors["solved"] = _("Say whether the problem was solved (yes or no).")
    if rating not in Appeal.Rating.values:
        errors["rating"] = _("Choose satisfied, basically satisfied or dissatisfied.")
    if errors:
        raise ValidationError(errors)
    return {"rated_contacted": contacted, "rated_solved": solved, "rating": rating}


def _record_rating(*, actor, appeal: Appeal, answers: dict, comment: str, closing_reason: str, how: str = "") -> Appeal:
    """Store the answers on the locked appeal with a "rate" event and an audit row; close the order if it is not yet."""
    if appeal.status not in {workflow.RESOLVED, workflow.CALLED_BACK, workflow.CLOSED}:
        raise ValidationError({"rating": _("The appeal can be rated once it is resolved.")})
    if appeal.rating:
        raise ValidationError({"rating": _("The appeal has already been rated.")})
    before = snapshot(appeal)
    for name, value in answers.items():
        setattr(appeal, name, value)
    appeal.rating_comment, appeal.rated_at = (comment or "").strip()[:500], timezone.now()
    appeal.version += 1
    appeal.save()
    AppealEvent.objects.create(
        appeal=appeal,
        actor=user_or_none(actor),
        action="rate",
        from_status=appeal.status,
        to_status=appeal.status,
        reason=rating_summary(appeal, how),
    )
    audit_record(
        actor=actor, action=AuditEntry.Action.UPDATE, obj=appeal, before=before, after=snapshot(appeal), note="rate"
    )
    if appeal.status != workflow.CLOSED:
        appeal = transition(
            actor=actor,
            appeal=appeal,
            action="close",
            version=None,
            closed_at=timezone.now(),
            reason=closing_reason,
            check_rule=False,
        )
    return appeal


def rating_summary(appeal: Appeal, how: str) -> str:
    """The rate event's text: "satisfied · contacted: yes · solved: yes" (and how it was recorded)."""

    def yes_no(value: bool) -> str:
        return _("yes") if value else _("no")

    parts = [
        str(Appeal.Rating(appeal.rating).label),
        _("contacted: %(answer)s") % {"answer": yes_no(appeal.rated_contacted)},
        _("solved: %(answer)s") % {"answer": yes_no(appeal.rated_solved)},
    ]
    if how:
        parts.append(how)
    return " · ".join(parts)


def reporter_has_account(appeal: Appeal) -> bool:
    """The reporter can log in (and so rates the result personally)."""
    from jiayuan.core.models import User

    if appeal.reporter_account_id is not None:
        return True
    return appeal.reporter_id is not None and User.objects.filter(person_id=appeal.reporter_id, is_active=True).exists()


@transaction.atomic
def appeal_callback(
    *,
    actor,
    appeal: Appeal,
    reached: bool,
    note: str = "",
    contacted: bool | None = None,
    solved: bool | None = None,
    rating: str = "",
    version: int | None = None,
) -> Appeal:
    """Record a call back to the resident (回访).

    A call that reached a resident who has no account (a hotline or desk report) may record the
    resident's three answers on their behalf: contacted, solved and the rating (all three, or none).
    The order is then closed, as after the resident's own rating. A resident with an account rates
    personally: recording answers for them is refused (PermissionDenied).
    """
    current = lock_for_change(appeal, version)
    check_move(current, "callback", actor=actor)
    answering = contacted is not None or solved is not None or bool(rating)
    answers = None
    if answering:
        if reporter_has_account(current):
            raise PermissionDenied(
                _("The resident has an account and rates the result personally; record the call without the answers.")
            )
        if not reached:
            raise ValidationError(
                {"reached": _("The resident's answers can only be recorded when the call reached them.")}
            )
        answers = _answers(contacted=contacted, solved=solved, rating=rating)
    current = transition(actor=actor, appeal=current, action="callback", version=None, reason=note)
    Callback.objects.create(appeal=current, by=actor, reached=reached, note=note)
    if answers is not None:
        current = _record_rating(
            actor=actor,
            appeal=current,
            answers=answers,
            comment="",
            closing_reason=_("closed after the callback"),
            how=_("recorded at the callback"),
        )
    return current


@transaction.atomic
def appeal_rate(
    *, actor, appeal: Appeal, contacted: bool, solved: bool, rating: str, comment: str = "", version: int | None = None
) -> Appeal:
    """The reporter answers the three questions: was I contacted by the handling unit (yes/no), was the
    problem solved (yes/no), and how satisfied am I. Rating closes the order (a dissatisfied reporter
    may reopen instead)."""
    current = lock_for_change(appeal, version)
    if not rules.is_reporter(scope_for(actor), current, actor):
        raise PermissionDenied(_("Only the resident who reported the problem can rate it."))
    answers = _answers(contacted=contacted, solved=solved, rating=rating)
    return _record_rating(
        actor=actor,
        appeal=current,
        answers=answers,
        comment=comment,
        closing_reason=_("closed after the resident's rating"),
    )
