"""What the appeal pages share: who works on appeals, htmx requests, lateness."""

from __future__ import annotations

from jiayuan.core.scope import scope_for

from .. import workflow

MINE_PAGE_SIZE = 20


# --- Access --------------------------------------------------------------------------------


def _works_on_appeals(user) -> bool:
    scope = scope_for(user)
    return scope.is_staff_scope or bool(scope.department_ids)


def _is_htmx(request) -> bool:
    return bool(getattr(request, "htmx", False))


def _is_late(appeal, today) -> bool:
    """Past its deadline and still waiting for a result (the scheduled job may not have flagged it yet)."""
    waiting = appeal.status in workflow.WAITING_STATES
    return waiting and (appeal.overdue_since is not None or appeal.deadline < today)


def _mark_late(appeals, today) -> list:
    appeals = list(appeals)
    for appeal in appeals:
        appeal.late = _is_late(appeal, today)
    return appeals
