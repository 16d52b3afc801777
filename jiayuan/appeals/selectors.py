"""Reads of appeals, scoped to the viewer in the query."""

from __future__ import annotations

from django.db.models import Q

from jiayuan.core.scope import get_visible_or_404, scope_for

from . import workflow
from .models import Appeal, AppealEvent, Category


def _appeal_scope_q(viewer) -> Q:
    scope = scope_for(viewer)
    if scope.everything:
        return Q()
    q = Q(pk__in=[])
    if scope.is_staff_scope:
        q |= scope.compounds_q("compound__")
    if scope.department_ids:
        departments = list(scope.department_ids)
        q |= Q(unit_id__in=departments) | Q(pk__in=AppealEvent.objects.filter(unit_id__in=departments).values("appeal_id"))
    if getattr(viewer, "pk", None):
        q |= Q(reporter_account_id=viewer.pk)
    if scope.person_id:
        q |= Q(reporter_id=scope.person_id)
    return q


def appeal_list(*, viewer, status: str | None = None, open_only: bool = False, unit=None, compound=None,
                overdue: bool = False, search: str = ""):
    queryset = Appeal.objects.filter(_appeal_scope_q(viewer)).select_related(
        "category", "compound__community__town", "unit"
    )
    if status:
        queryset = queryset.filter(status=status)
    if open_only:
        queryset = queryset.filter(status__in=workflow.OPEN_STATES)
    if unit is not None:
        queryset = queryset.filter(unit=unit)
    if compound is not None:
        queryset = queryset.filter(compound=compound)
    if overdue:
        queryset = queryset.filter(overdue_since__isnull=False, status__in=workflow.OPEN_STATES)
    if search:
        queryset = queryset.filter(Q(number=search.strip()) | Q(title__icontains=search.strip()))
    return queryset


def department_open_work(*, viewer, department):
    """A department's open orders, nearest deadline first (the index appeal_unit_open_work serves it)."""
    return appeal_list(viewer=viewer).filter(unit=department, status__in=workflow.OPEN_STATES).order_by("deadline", "id")


def appeal_get(*, viewer, pk: int) -> Appeal:
    return get_visible_or_404(appeal_list(viewer=viewer), pk=pk)


def appeal_timeline(*, viewer, appeal: Appeal):
    """The events the viewer may see: staff see all, residents the public ones."""
    events = appeal.events.select_related("actor", "unit")
    if not scope_for(viewer).is_staff_scope and not scope_for(viewer).department_ids:
        events = events.filter(public=True)
    return events


def category_tree():
    return Category.objects.filter(active=True).select_related("parent").order_by("code")
