"""Self-inspection rounds, their answers, closing and rectification tasks."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiayuan.core.services import create_audited, update_audited
from jiayuan.organisations.models import Organisation

from .. import rules
from ..models import DutyItem, InspectionResult, RectificationTask, SelfInspection
from ._common import _committee, _not_in_future, _require, _text, _today, _user, committee_city

# --- Self-inspection rounds -----------------------------------------------------------------------------


@transaction.atomic
def inspection_start(
    *, actor, committee: Organisation, held_on: dt.date, note: str = "", today: dt.date | None = None
) -> SelfInspection:
    """Open a round with one empty result per item of the city's lists in use today. One open round at a time."""
    today = _today(today)
    _committee(committee)
    _require(actor, rules.may_self_inspect, committee)
    committee = Organisation.objects.select_for_update().get(pk=committee.pk)
    errors: dict = {}
    if held_on is None:
        errors["held_on"] = _("Give the date of the round.")
    else:
        _not_in_future(held_on, "held_on", today, errors)
        if held_on < committee.established_on:
            errors.setdefault(
                "held_on", _("The committee was elected on %(date)s.") % {"date": committee.established_on.isoformat()}
            )
    note = (note or "").strip()[:300]
    if SelfInspection.objects.filter(committee=committee, status=SelfInspection.Status.OPEN).exists():
        errors["committee"] = _("The committee already has an open self-inspection round; close it first.")
    city = committee_city(committee)
    items = list(DutyItem.objects.filter(city=city, active=True).order_by("list", "position", "pk")) if city else []
    if not items:
        errors.setdefault(
            "committee", _("The city has no duty list or negative list yet; the city administrator sets them first.")
        )
    if errors:
        raise ValidationError(errors)
    inspection = create_audited(
        SelfInspection, actor=actor, committee=committee, held_on=held_on, note=note, conducted_by=_user(actor)
    )
    for item in items:
        create_audited(InspectionResult, actor=actor, inspection=inspection, item=item)
    return inspection


def _open_round(actor, inspection: SelfInspection) -> SelfInspection:
    inspection = SelfInspection.objects.select_for_update().select_related("committee").get(pk=inspection.pk)
    _require(actor, rules.may_self_inspect, inspection.committee)
    if not inspection.is_open:
        raise ValidationError(
            {
                "status": _("The round was closed on %(date)s; its results can no longer change.")
                % {"date": inspection.closed_on.isoformat()}
            }
        )
    return inspection


@transaction.atomic
def inspection_answer(*, actor, inspection: SelfInspection, answers: dict[int, tuple[str, str]]) -> SelfInspection:
    """Answer items of an open round: {item id: (result, note)}, result "met", "not_met" or "" (not yet).

    A note is required for an item not met. Errors name the field `result_<item id>` or `note_<item id>`.
    """
    inspection = _open_round(actor, inspection)
    results = {result.item_id: result for result in inspection.results.select_related("item")}
    errors: dict = {}
    cleaned = {}
    for item_id, (result, note) in answers.items():
        result, note = (result or "").strip(), (note or "").strip()
        if item_id not in results:
            errors[f"result_{item_id}"] = _("Item %(id)s is not part of this round.") % {"id": item_id}
            continue
        if result not in ("", *InspectionResult.Result.values):
            errors[f"result_{item_id}"] = _("The result is met or not met, not %(value)s.") % {"value": result}
        elif result == InspectionResult.Result.NOT_MET and not note:
            errors[f"note_{item_id}"] = _("Say what is not met for “%(item)s”.") % {"item": results[item_id].item.text}
        if len(note) > 500:
            errors[f"note_{item_id}"] = _("At most %(limit)s characters.") % {"limit": 500}
        cleaned[item_id] = (result, note)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    for item_id, (result, note) in cleaned.items():
        row = results[item_id]
        if (row.result, row.note) != (result, note):
            update_audited(
                row,
                actor=actor,
                result=result,
                note=note,
                answered_by=_user(actor),
                answered_at=now if result else None,
            )
    return inspection


@transaction.atomic
def inspection_close(
    *, actor, inspection: SelfInspection, due_on: dt.date | None = None, today: dt.date | None = None
) -> SelfInspection:
    """Close a round whose every item is answered; each item not met becomes a rectification task due `due_on`."""
    today = _today(today)
    inspection = _open_round(actor, inspection)
    results = list(inspection.results.select_related("item").order_by("item__list", "item__position", "item_id"))
    errors: dict = {}
    unanswered = [result.item.text for result in results if not result.result]
    if unanswered:
        errors["results"] = _(
            "Every item must be answered before the round is closed; %(count)s not yet: %(items)s"
        ) % {"count": len(unanswered), "items": "；".join(unanswered[:5])}
    not_met = [result for result in results if result.result == InspectionResult.Result.NOT_MET]
    if not_met and due_on is None:
        errors["due_on"] = _("Items are not met: give the date by which they must be put right.")
    elif due_on is not None and due_on < today:
        errors["due_on"] = _("The due date cannot be in the past.")
    if today < inspection.held_on:
        errors["status"] = _("The round is held on %(date)s; it cannot be closed before.") % {
            "date": inspection.held_on.isoformat()
        }
    if errors:
        raise ValidationError(errors)
    for result in not_met:
        create_audited(
            RectificationTask,
            actor=actor,
            committee=inspection.committee,
            result=result,
            description=f"{result.item.text}：{result.note}",
            due_on=due_on,
            created_on=today,
            created_by=_user(actor),
        )
    return update_audited(
        inspection, actor=actor, audit_note="close", status=SelfInspection.Status.CLOSED, closed_on=today
    )


@transaction.atomic
def task_complete(
    *, actor, task: RectificationTask, done_on: dt.date, done_note: str, today: dt.date | None = None
) -> RectificationTask:
    """The committee reports how a task was put right."""
    today = _today(today)
    task = RectificationTask.objects.select_for_update().select_related("committee").get(pk=task.pk)
    _require(actor, rules.may_self_inspect, task.committee)
    if not task.is_open:
        raise ValidationError(
            {"done_on": _("The task was already completed on %(date)s.") % {"date": task.done_on.isoformat()}}
        )
    errors: dict = {}
    done_note = _text(done_note, "done_note", _("Say how it was put right."), errors, limit=2000)
    if done_on is None:
        errors["done_on"] = _("Give the date it was put right.")
    else:
        _not_in_future(done_on, "done_on", today, errors)
        if done_on < task.created_on:
            errors.setdefault(
                "done_on",
                _("The task was set on %(date)s; it cannot be done before.") % {"date": task.created_on.isoformat()},
            )
    if errors:
        raise ValidationError(errors)
    return update_audited(
        task, actor=actor, audit_note="complete", done_on=done_on, done_note=done_note, done_by=_user(actor)
    )
