"""Supervision (督办) and the overdue job."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jiayuan.core.audit import audit_record, snapshot
from jiayuan.core.models import AuditEntry
from jiayuan.core.scope import scope_for

from .. import rules, workdays, workflow
from ..models import Appeal, AppealEvent
from ._common import holiday_overrides, lock_for_change, user_or_none
from .notify import notify_staff_later


@transaction.atomic
def appeal_supervise(*, actor, appeal: Appeal, level: str, note: str = "", version: int | None = None) -> Appeal:
    """The town or city takes the order under supervision (督办)."""
    current = lock_for_change(appeal, version)
    if actor is not None and not rules.allowed("supervise", scope=scope_for(actor), appeal=current, user=actor):
        raise PermissionDenied(_("You may not supervise this appeal."))
    if level not in {Appeal.Supervision.TOWN, Appeal.Supervision.CITY}:
        raise ValidationError({"level": _("Supervision is by the town or the city.")})
    if current.status in {workflow.CLOSED, workflow.MERGED}:
        raise ValidationError({"status": _("Only an open appeal can be supervised.")})
    if current.supervision == Appeal.Supervision.CITY or current.supervision == level:
        return current
    before = snapshot(current)
    current.supervision = level
    current.version += 1
    current.save()
    AppealEvent.objects.create(
        appeal=current,
        actor=user_or_none(actor),
        action="supervise",
        from_status=current.status,
        to_status=current.status,
        unit=current.unit,
        reason=note or Appeal.Supervision(level).label,
        public=False,
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=current,
        before=before,
        after=snapshot(current),
        note="supervise",
    )
    notify_staff_later(
        current,
        _("Appeal %(number)s is under %(level)s supervision.")
        % {"number": current.number, "level": Appeal.Supervision(level).label},
    )
    return current


# Open orders still waiting for a result: these can be late.
LATE_STATES = workflow.WAITING_STATES


def flag_overdue(*, today: dt.date | None = None, city_after_days: int = 3) -> dict[str, int]:
    """The scheduled job: flag open orders past their deadline and escalate supervision.

    Idempotent: an order is flagged once; town supervision starts on the first overdue
    day, city supervision after `city_after_days` more working days. Running it twice
    on the same day changes nothing the second time.
    """
    today = today or timezone.localdate()
    overrides = holiday_overrides()
    flagged = escalated = 0
    # Only orders the job would change: not yet flagged, or not yet under city supervision
    # (the partial index appeal_overdue_pending serves exactly this).
    open_late = Appeal.objects.filter(status__in=sorted(LATE_STATES), deadline__lt=today).filter(
        Q(overdue_since__isnull=True) | ~Q(supervision=Appeal.Supervision.CITY)
    )
    for appeal_id in list(open_late.values_list("pk", flat=True)):
        with transaction.atomic():
            appeal = Appeal.objects.select_for_update().select_related("compound__community").get(pk=appeal_id)
            if not (appeal.status in LATE_STATES and appeal.deadline < today):
                continue  # resolved or given a new deadline since the list was read
            if appeal.overdue_since is None:
                before = snapshot(appeal)
                appeal.overdue_since = today
                appeal.save(update_fields=["overdue_since"])
                audit_record(
                    actor=None,
                    action=AuditEntry.Action.UPDATE,
                    obj=appeal,
                    before=before,
                    after=snapshot(appeal),
                    note="overdue",
                )
                AppealEvent.objects.create(
                    appeal=appeal,
                    action="overdue",
                    from_status=appeal.status,
                    to_status=appeal.status,
                    unit=appeal.unit,
                    public=False,
                    reason=_("deadline %(date)s passed") % {"date": appeal.deadline},
                )
                flagged += 1
            late_days = workdays.workdays_between(appeal.deadline, today, overrides)
            wanted = Appeal.Supervision.CITY if late_days > city_after_days else Appeal.Supervision.TOWN
            if appeal.supervision != wanted and appeal.supervision != Appeal.Supervision.CITY:
                appeal_supervise(
                    actor=None,
                    appeal=appeal,
                    level=wanted,
                    note=_("overdue by %(days)s working days") % {"days": late_days},
                )
                escalated += 1
    return {"flagged": flagged, "escalated": escalated}
