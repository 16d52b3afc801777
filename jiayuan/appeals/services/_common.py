"""Shared by every write about appeals: the limits, the conflict error, the calendar, and `transition`, through which every state change goes (row lock, version check, the move against workflow.APPEAL, the caller against rules.allowed, the event and the audit row)."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from jiayuan.core.audit import audit_record, snapshot
from jiayuan.core.models import AuditEntry
from jiayuan.core.scope import scope_for
from jiayuan.organisations.models import Organisation

from .. import rules, workdays, workflow
from ..models import Appeal, AppealEvent, Holiday

ROOM_IN_TEXT = re.compile(r"\d+\s*(?:号楼|栋|幢)\s*\d+|\d+\s*单元\s*\d+|\d{3,4}\s*(?:室|房|号房)")

MAX_EXTENSION_DAYS = 10
RETURN_WINDOW_DAYS = 2
PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
MAX_PHOTOS = 6
TITLE_MAX = Appeal._meta.get_field("title").max_length  # 100
DESCRIPTION_MAX = Appeal._meta.get_field("description").max_length  # 4000
RELATED_FIELDS = [field.name for field in Appeal._meta.concrete_fields if field.is_relation]


class ConflictError(Exception):
    """Someone else changed the appeal since the caller loaded it."""

    def __init__(self, appeal: Appeal):
        super().__init__(
            _("Appeal %(number)s was changed by someone else in the meantime; reload it and try again.")
            % {"number": appeal.number}
        )
        self.appeal = appeal


# --- calendar -------------------------------------------------------------------


def holiday_overrides() -> dict[dt.date, bool]:
    return dict(Holiday.objects.values_list("date", "is_workday"))


def deadline_after(start: dt.date, days: int) -> dt.date:
    return workdays.add_workdays(start, days, holiday_overrides())


def user_or_none(actor):
    return actor if getattr(actor, "pk", None) else None


# --- transitions ----------------------------------------------------------------------


def lock_for_change(appeal: Appeal, version: int | None) -> Appeal:
    current = Appeal.objects.select_for_update().select_related("compound__community", "category").get(pk=appeal.pk)
    if version is not None and current.version != version:
        raise ConflictError(current)
    return current


def check_move(appeal: Appeal, action: str, *, actor=None) -> None:
    """PermissionDenied if `actor` may not take `action` on the appeal, ValidationError if its state forbids it."""
    if actor is not None and not rules.allowed(action, scope=scope_for(actor), appeal=appeal, user=actor):
        raise PermissionDenied(_("You may not %(action)s this appeal.") % {"action": workflow.action_name(action)})
    try:
        workflow.APPEAL.next(appeal.status, action)
    except workflow.MoveNotAllowed as exc:
        raise ValidationError(
            {
                "status": _("“%(action)s” is not possible while the appeal is %(state)s; possible now: %(allowed)s.")
                % {
                    "state": Appeal.Status(appeal.status).label,
                    "action": workflow.action_name(action),
                    "allowed": "、".join(workflow.action_name(a) for a in workflow.APPEAL.allowed(appeal.status))
                    or "—",
                }
            }
        ) from exc


def transition(
    *,
    actor,
    appeal: Appeal,
    action: str,
    version: int | None,
    reason: str = "",
    check_rule=True,
    event_unit: Organisation | None = None,
    event_days: int | None = None,
    **changes,
) -> Appeal:
    current = lock_for_change(appeal, version)
    check_move(current, action, actor=actor if check_rule else None)
    if workflow.APPEAL.moves[action].needs_reason and not (reason or "").strip():
        raise ValidationError({"reason": _("A reason is required.")})
    before = snapshot(current)
    source = current.status
    if "deadline" in changes and changes["deadline"] != current.deadline:
        changes.setdefault("overdue_since", None)  # a new deadline: the job flags it again if it is missed
    for name, value in changes.items():
        setattr(current, name, value)
    current.status = workflow.APPEAL.next(source, action)
    current.version += 1
    current.save()
    AppealEvent.objects.create(
        appeal=current,
        actor=user_or_none(actor),
        action=action,
        from_status=source,
        to_status=current.status,
        unit=event_unit or current.unit,
        reason=(reason or "").strip(),
        days=event_days,
    )
    audit_record(
        actor=actor, action=AuditEntry.Action.UPDATE, obj=current, before=before, after=snapshot(current), note=action
    )
    return current
