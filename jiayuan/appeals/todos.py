"""What is waiting in appeals for a viewer, for the workbench: orders to accept, to handle (with the 2 working
days a department has to return a wrong dispatch), returned orders to reassign, extensions to decide, resolved
orders to call back; for a reporter, their open appeals and the resolved ones waiting for a rating.

Each group is the workflow's states where the move is allowed, filtered by the same rule (`rules.*_q`) the
service checks, inside the viewer's scope.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiayuan.core.scope import scope_for
from jiayuan.core.workbench import Group, Todo, group

from . import rules, selectors, workdays, workflow
from .models import Appeal
from .services import RETURN_WINDOW_DAYS, holiday_overrides

TO_HANDLE = (
    workflow.ACCEPTED,
    workflow.DISPATCHED,
    workflow.IN_PROGRESS,
    workflow.REASSIGNED,
    workflow.EXTENSION_GRANTED,
    workflow.REOPENED,
)


def _appeals(viewer, q: Q, states):
    return (
        selectors.appeal_list(viewer=viewer)
        .filter(q, status__in=list(states))
        .select_related("compound", "category")
        .order_by("deadline", "id")
    )


def _list_url(status: str = "") -> str:
    url = reverse("appeals:appeal_list")
    return f"{url}?status={status}" if status else url


def _todo(appeal: Appeal, note: str = "") -> Todo:
    return Todo(
        title=f"{appeal.number} {appeal.title}",
        url=reverse("appeals:appeal_detail", args=[appeal.pk]),
        due=appeal.deadline,
        detail=f"{appeal.compound.name} · {appeal.category.name} · {appeal.get_status_display()}",
        note=note,
    )


def _callback_todo(appeal: Appeal) -> Todo:
    """A resolved order has met its deadline; what is left is to ask the resident, so no deadline is shown."""
    return Todo(
        title=f"{appeal.number} {appeal.title}",
        url=reverse("appeals:appeal_detail", args=[appeal.pk]),
        detail=f"{appeal.compound.name} · {appeal.category.name}",
        note=_("resolved %(day)s: ask the resident whether it is solved")
        % {"day": timezone.localtime(appeal.resolved_at).strftime("%m-%d") if appeal.resolved_at else "—"},
    )


def _handling_todo(overrides):
    def to_todo(appeal: Appeal) -> Todo:
        note = ""
        if appeal.status == workflow.DISPATCHED and appeal.level == Appeal.Level.DEPARTMENT and appeal.dispatched_at:
            last = workdays.add_workdays(timezone.localdate(appeal.dispatched_at), RETURN_WINDOW_DAYS, overrides)
            note = _("may be returned (退单) until %(day)s: %(days)s working days from dispatch") % {
                "day": last.strftime("%m-%d"),
                "days": RETURN_WINDOW_DAYS,
            }
        return _todo(appeal, note)

    return to_todo


def todos(viewer, today: dt.date) -> list[Group | None]:
    scope = scope_for(viewer)
    handles, above, supervises = rules.handles_q(scope), rules.covers_community_q(scope), rules.supervises_q(scope)
    works = scope.is_staff_scope or bool(scope.department_ids)
    groups: list[Group | None] = []
    if works:
        groups += [
            group(
                "appeals.accept",
                gettext_lazy("Appeals to accept"),
                _appeals(viewer, handles, [workflow.RECEIVED]),
                _todo,
                more_url=_list_url(workflow.RECEIVED),
                hint=gettext_lazy("accept, or dispatch to the level that can solve it"),
            ),
            group(
                "appeals.handle",
                gettext_lazy("Appeals to handle"),
                _appeals(viewer, handles, TO_HANDLE),
                _handling_todo(holiday_overrides()),
                more_url=reverse("appeals:department_work") if scope.department_ids else _list_url(),
                hint=gettext_lazy("resolve, or ask for more time before the deadline"),
            ),
            group(
                "appeals.reassign",
                gettext_lazy("Returned orders to reassign"),
                _appeals(viewer, above, [workflow.RETURNED]),
                _todo,
                more_url=_list_url(workflow.RETURNED),
            ),
            group(
                "appeals.extensions",
                gettext_lazy("Extensions to decide"),
                _appeals(viewer, supervises, [workflow.EXTENSION_REQUESTED]),
                _todo,
                more_url=_list_url(workflow.EXTENSION_REQUESTED),
            ),
            group(
                "appeals.callback",
                gettext_lazy("Resolved orders to call back"),
                _appeals(viewer, above, [workflow.RESOLVED]).order_by("resolved_at", "id"),
                _callback_todo,
                more_url=_list_url(workflow.RESOLVED),
            ),
        ]
    mine = _reported_q(viewer, scope)
    if mine is not None:
        groups += [
            group(
                "appeals.mine",
                gettext_lazy("Your appeals being handled"),
                selectors.appeal_list(viewer=viewer)
                .filter(mine, status__in=list(workflow.WAITING_STATES))
                .select_related("compound", "category")
                .order_by("deadline", "id"),
                _todo,
                more_url=reverse("appeals:my_appeals"),
            ),
            group(
                "appeals.rate",
                gettext_lazy("Your solved appeals to rate"),
                selectors.appeal_list(viewer=viewer)
                .filter(mine, status__in=[workflow.RESOLVED, workflow.CALLED_BACK, workflow.CLOSED], rating="")
                .select_related("compound", "category")
                .order_by("-resolved_at", "-id"),
                lambda appeal: Todo(
                    title=f"{appeal.number} {appeal.title}",
                    url=reverse("appeals:appeal_detail", args=[appeal.pk]),
                    detail=f"{appeal.compound.name} · {appeal.get_status_display()}",
                ),
                more_url=reverse("appeals:my_appeals"),
            ),
        ]
    return groups


def _reported_q(viewer, scope) -> Q | None:
    """The viewer's own reports, as `rules.is_reporter` reads them; None for a login that cannot report."""
    if not scope.room_ids and scope.person_id is None:
        return None
    q = Q(reporter_account_id=viewer.pk)
    if scope.person_id:
        q |= Q(reporter_id=scope.person_id)
    return q
