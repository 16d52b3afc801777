"""Reads of appeals, scoped to the viewer in the query."""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, Value, When
from django.utils import timezone

from jiayuan.core.scope import get_visible_or_404, scope_for
from jiayuan.organisations import selectors as org_selectors
from jiayuan.organisations.models import DepartmentLink, Organisation
from jiayuan.places import selectors as place_selectors
from jiayuan.places.models import Compound, Room

from . import rules, workflow
from .models import Appeal, AppealEvent, Category, DispatchRule, Notification


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
    channel: str = "",
    category: Category | None = None,
    received_from: dt.date | None = None,
    received_to: dt.date | None = None,
    order: str = "",
):
    """The appeals the viewer may see, narrowed by the filters given. `category` takes in its children (any level
    of the catalogue); `received_from` and `received_to` are days, both included, in the project's time zone;
    `order` is a key of APPEAL_SORTS, "-" first to reverse it (empty or unknown: newest first)."""
    queryset = Appeal.objects.filter(_appeal_scope_q(viewer)).select_related(
        "category", "compound__community__town", "unit"
    )
    if channel:
        queryset = queryset.filter(channel=channel)
    if category is not None:
        queryset = queryset.filter(category_id__in=category_and_children(category))
    if received_from is not None:
        queryset = queryset.filter(received_at__gte=_day_start(received_from))
    if received_to is not None:
        queryset = queryset.filter(received_at__lt=_day_start(received_to + dt.timedelta(days=1)))
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
    return appeals_ordered(queryset, order)


# The work list's sortable columns: the key a page puts in its query string → what it sorts on. Every order
# ends with the primary key in the same direction, so rows with equal values keep their place from page to page.
_STATUS_ORDER = Case(
    *(When(status=value, then=Value(index)) for index, value in enumerate(Appeal.Status.values)),
    default=Value(len(Appeal.Status.values)),
    output_field=IntegerField(),
)
APPEAL_SORTS = {
    "received": F("received_at"),
    "deadline": F("deadline"),
    "status": _STATUS_ORDER,  # the order of the workflow, as the status choices list it
    "compound": F("compound__name"),
}
DEFAULT_SORT = "-received"


def sort_known(order: str) -> bool:
    """Whether `order` is a sortable column's key, with or without the "-" that reverses it."""
    return order.removeprefix("-") in APPEAL_SORTS


def appeals_ordered(queryset, order: str = ""):
    """An appeal queryset in the order asked for (a key of APPEAL_SORTS, "-" to reverse); anything else leaves
    the default (Appeal.Meta.ordering: newest first, then the highest pk)."""
    if not sort_known(order or ""):
        return queryset
    descending = order.startswith("-")
    terms = (APPEAL_SORTS[order.removeprefix("-")], F("pk"))
    return queryset.order_by(*(term.desc() if descending else term.asc() for term in terms))


def _day_start(day: dt.date) -> dt.datetime:
    """00:00 of a day in the project's time zone (the range stays index-friendly on received_at)."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_default_timezone())


def category_and_children(category: Category):
    """Subquery: the category and every category below it (the catalogue has three levels)."""
    return Category.objects.filter(
        Q(pk=category.pk) | Q(parent_id=category.pk) | Q(parent__parent_id=category.pk)
    ).values("pk")


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


def category_catalogue():
    """Every category, retired ones too (old appeals carry them), parents first: what a list is filtered by."""
    return Category.objects.select_related("parent__parent").order_by("code")


# --- The dispatch catalogue (派单目录) ----------------------------------------------------------


def _category_chain(category: Category) -> list[int]:
    """The category and its parents, deepest first: a parent's rule applies to its children."""
    chain, node = [], category
    while node is not None:
        chain.append(node.pk)
        node = node.parent
    return chain


def catalogue_rules(*, category: Category, compound) -> list[DispatchRule]:
    """The catalogue's rules that apply to a category in the compound's area, most specific first: a deeper
    category before a shallower one, then the community before the town before the whole city."""
    chain = _category_chain(category)
    rules_ = (
        DispatchRule.objects.filter(category_id__in=chain)
        .filter(
            Q(community_id=compound.community_id)
            | Q(community__isnull=True, town_id=compound.community.town_id)
            | Q(community__isnull=True, town__isnull=True)
        )
        .select_related("department")
    )
    return sorted(rules_, key=lambda r: (chain.index(r.category_id), 0 if r.community_id else 1 if r.town_id else 2))


def catalogue_department(*, category: Category, compound, excluding=()) -> Organisation | None:
    """The department the catalogue names for a category in the compound's area (its most specific rule), leaving
    out the departments in `excluding` (the next rule then speaks)."""
    excluding = set(excluding)
    for rule in catalogue_rules(category=category, compound=compound):
        if rule.department_id not in excluding:
            return rule.department
    return None


def returned_by(appeal: Appeal) -> int | None:
    """The id of the department that last returned the order (退单): a reassignment may not send it back there."""
    event = appeal.events.filter(action="return").order_by("-at", "-id").only("unit_id").first()
    return event.unit_id if event else None


# The groups of the department select, best first (`catalogue_rank`).
SUGGESTED, SAME_CATEGORY, IN_CATALOGUE, OTHER_DEPARTMENT, REFUSED = range(5)


def department_choices(*, viewer, appeal: Appeal, excluding=()) -> tuple[object, Organisation | None]:
    """The city departments an order may be sent to, ranked for the dispatch and reassign selects, and the
    catalogue's suggestion among them (None when it names none the viewer may choose).

    Ranked by `catalogue_rank`, then by name: the department the catalogue suggests for the appeal's category
    and place (SUGGESTED); the other departments with a rule for that category or one of its parents, in any area
    (SAME_CATEGORY); the departments with any rule in the catalogue (IN_CATALOGUE); the rest (OTHER_DEPARTMENT).
    Every unit of the city is an `Organisation.Kind.DEPARTMENT` (the demo's bureaus, its banks, hospitals and
    utilities alike) and nothing else tells them apart, so the catalogue does: banks and hospitals have no rule
    and come last. The departments in `excluding` (the one holding the order, the one that has just returned
    it: the service refuses them) are never suggested and come last of all (REFUSED).
    """
    excluding = {pk for pk in excluding if pk is not None}
    suggestion = catalogue_department(category=appeal.category, compound=appeal.compound, excluding=excluding)
    departments = org_selectors.organisation_list(viewer=viewer, kind=Organisation.Kind.DEPARTMENT).filter(
        dissolved_on__isnull=True
    )
    if suggestion is not None and not departments.filter(pk=suggestion.pk).exists():
        suggestion = None  # dissolved, or out of the viewer's sight: nothing to preselect
    same_category = DispatchRule.objects.filter(
        department_id=OuterRef("pk"), category_id__in=_category_chain(appeal.category)
    )
    whens = [When(pk__in=sorted(excluding), then=Value(REFUSED))] if excluding else []
    if suggestion is not None:
        whens.append(When(pk=suggestion.pk, then=Value(SUGGESTED)))
    whens += [
        When(Exists(same_category), then=Value(SAME_CATEGORY)),
        When(Exists(DispatchRule.objects.filter(department_id=OuterRef("pk"))), then=Value(IN_CATALOGUE)),
    ]
    ranked = departments.annotate(
        catalogue_rank=Case(*whens, default=Value(OTHER_DEPARTMENT), output_field=IntegerField())
    ).order_by("catalogue_rank", "name", "pk")
    return ranked, suggestion


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


def offers_contact_reveal(*, viewer, appeal: Appeal) -> bool:
    """Whether the page offers to show the reporter's phone (services.appeal_contact_reveal): the rule for the
    viewer, the stage for the appeal, a phone to show, and the viewer does not see it in clear already."""
    scope = scope_for(viewer)
    return (
        bool(appeal.contact_phone)
        and appeal.status in workflow.CONTACT_REVEAL_STATES
        and rules.reveals_contact(scope, appeal)
        and not (scope.sees_personal_data or rules.is_reporter(scope, appeal, viewer))
    )


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
