"""Reads of appeals, scoped to the viewer in the query."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from jiayuan.core.scope import get_visible_or_404, scope_for
from jiayuan.organisations.models import DepartmentLink
from jiayuan.places import selectors as place_selectors
from jiayuan.places.models import Compound, Room

from . import rules, workflow
from .models import Appeal, AppealEvent, Category, Notification


def _appeal_scope_q(viewer) -> Q:
    scope = scope_for(viewer)
    if scope.everything:
        return Q()
    q = Q(pk__in=[])
    if scope.is_staff_scope:
        q |= scope.compounds_q("compound__")
    if scope.department_ids:
        departments = list(scope.department_ids)
        q |= Q(unit_id__in=departments) | Q(
            pk__in=AppealEvent.objects.filter(unit_id__in=departments).values("appeal_id")
        )
        q |= Q(compound_id__in=linked_compound_ids(departments))
    if getattr(viewer, "pk", None):
        q |= Q(reporter_account_id=viewer.pk)
    if scope.person_id:
        q |= Q(reporter_id=scope.person_id)
    return q


def linked_compound_ids(departments, *, day=None):
    """Subquery: the compounds currently linked (挂钩联系) to these departments. A department sees their
    appeals (to read: rules.py still lets it act only on the orders at the department)."""
    day = day or timezone.localdate()
    return DepartmentLink.objects.filter(department_id__in=list(departments)).current_on(day).values("compound_id")


def appeal_list(
    *,
    viewer,
    status: str | None = None,
    open_only: bool = False,
    unit=None,
    compound=None,
    overdue: bool = False,
    search: str = "",
):
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
    """The orders a department still has to act on, nearest deadline first (the index appeal_unit_open_work
    serves it): at the department and waiting for a result, so not resolved, called back, closed or merged.

    The department's own staff and the city see all of them, so for them the scope
    filter (with its subquery over the history) is left out of the query.
    """
    scope = scope_for(viewer)
    if scope.everything or department.pk in scope.department_ids:
        queryset = Appeal.objects.select_related("category", "compound__community__town", "unit")
    else:
        queryset = appeal_list(viewer=viewer)
    return queryset.filter(unit=department, status__in=workflow.WAITING_STATES).order_by("deadline", "id")


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


# --- What may be reported, and where ----------------------------------------------------------
# One rule each, read by the intake form, the API, Open311 and appeal_submit.


def usable_categories():
    """The categories a problem is reported under: active leaves whose parents are active (three levels)."""
    return (
        Category.objects.filter(active=True)
        .exclude(children__active=True)
        .exclude(parent__active=False)
        .exclude(parent__parent__active=False)
        .select_related("parent__parent")
        .order_by("code")
    )


def category_usable(category: Category) -> bool:
    return usable_categories().filter(pk=category.pk).exists()


def reportable_compounds(*, viewer, resident: bool):
    """Where the viewer may report: a resident in the compounds of their own rooms, staff in their area."""
    if resident:
        return Compound.objects.filter(
            pk__in=place_selectors.room_list(viewer=viewer).values("unit__building__compound_id")
        )
    return place_selectors.compound_list(viewer=viewer)


def may_report_in(*, scope, compound, resident: bool) -> bool:
    """reportable_compounds for one compound, from the scope the request has already read."""
    if resident:
        homes = Room.objects.filter(pk__in=scope.room_ids).values_list("unit__building__compound_id", flat=True)
        return compound.pk in set(homes)
    return scope.covers_compound(compound)


def shows_contact_data(*, viewer, appeal: Appeal) -> bool:
    """The contact's phone and e-mail in clear: the reporter and the city administrators
    (the rule of people.selectors.shows_personal_data, applied to the appeal's contact)."""
    scope = scope_for(viewer)
    return scope.sees_personal_data or rules.is_reporter(scope, appeal, viewer)


def notification_list(*, viewer, unread_only: bool = False):
    """The viewer's own in-app notifications, newest first."""
    if not getattr(viewer, "pk", None):
        return Notification.objects.none()
    queryset = Notification.objects.filter(user_id=viewer.pk).select_related("appeal")
    if unread_only:
        queryset = queryset.filter(read_at__isnull=True)
    return queryset


def notification_get(*, viewer, pk: int) -> Notification:
    return get_visible_or_404(notification_list(viewer=viewer), pk=pk)


def available_actions(*, viewer, appeal: Appeal) -> list[str]:
    """The actions the viewer may take on the appeal now (a hint for clients; the services decide)."""
    scope = scope_for(viewer)
    actions = [
        action
        for action in workflow.APPEAL.allowed(appeal.status)
        if rules.allowed(action, scope=scope, appeal=appeal, user=viewer)
    ]
    if (
        appeal.status in {workflow.RESOLVED, workflow.CALLED_BACK, workflow.CLOSED}
        and not appeal.rating
        and (rules.allowed("rate", scope=scope, appeal=appeal, user=viewer))
    ):
        actions.append("rate")
    if (
        appeal.is_open
        and appeal.supervision != Appeal.Supervision.CITY
        and (rules.allowed("supervise", scope=scope, appeal=appeal, user=viewer))
    ):
        actions.append("supervise")
    return actions
