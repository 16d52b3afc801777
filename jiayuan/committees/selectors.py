"""Reads of committee life, scoped to the viewer in the query.

Everything here is a staff register: the viewer sees the owners' committees of compounds in
their scope (city, town, community, or the compound's own staff). Department staff and
residents see nothing; a detail lookup outside the scope is a 404.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Prefetch, Q, Value, When
from django.utils import timezone

from jiayuan.core.scope import get_visible_or_404, scope_for
from jiayuan.organisations.models import Organisation, Post
from jiayuan.organisations.selectors import successor_since
from jiayuan.places.models import City, Compound

from . import rules
from .models import DutyItem, Evaluation, Filing, InspectionResult, RectificationTask, SelfInspection, TermReminder
from .terms import (
    FILING_DAYS,
    committees,
    existing_on,
    filing_deadline,
    in_office_on,
    not_superseded,
    reminder_horizon,
)

__all__ = ["filing_deadline"]  # re-exported: the deadline is part of the reads too

Role = Post.Role
ROLE_ORDER = Case(
    When(role=Role.COMMITTEE_DIRECTOR, then=Value(0)),
    When(role=Role.COMMITTEE_DEPUTY, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _visible_compounds(viewer):
    scope = scope_for(viewer)
    if not scope.is_staff_scope:
        return Compound.objects.none()
    return Compound.objects.filter(scope.compounds_q())


def _committees_q(viewer, prefix: str = "") -> Q:
    """Committees with a compound in the viewer's staff scope (`prefix` leads from the model to the committee)."""
    scope = scope_for(viewer)
    if scope.everything:
        return Q()
    if not scope.is_staff_scope:
        return Q(pk__in=[])
    through = Organisation.compounds.through.objects.filter(compound__in=_visible_compounds(viewer))
    return Q(**{f"{prefix}pk__in": through.values("organisation_id")})


def _reminded():
    return Exists(TermReminder.objects.filter(committee=OuterRef("pk"), term_end=OuterRef("term_end")))


# --- Committees -------------------------------------------------------------------------------------


def committee_list(*, viewer, search: str = "", history: bool = True, today: dt.date | None = None):
    """Owners' committees the viewer may see, with their compounds and filing, soonest term end first.
    Without `history`, only those in office on `today`: not the expired, dissolved or superseded ones."""
    queryset = (
        committees()
        .filter(_committees_q(viewer))
        .select_related("community__town", "filing")
        .prefetch_related(
            Prefetch("compounds", queryset=Compound.objects.select_related("community__town").order_by("pk"))
        )
    )
    if search:
        queryset = queryset.filter(name__icontains=search.strip())
    if not history:
        queryset = queryset.filter(in_office_on(_today(today)))
    return queryset.annotate(reminded=_reminded(), successor_since=successor_since()).order_by("term_end", "name", "pk")


def committee_get(*, viewer, pk: int) -> Organisation:
    return get_visible_or_404(committee_list(viewer=viewer), pk=pk)


def member_posts(*, committee: Organisation, day: dt.date | None = None):
    """The committee's current members, director first."""
    return (
        rules.current_posts(day)
        .filter(organisation=committee, role__in=rules.COMMITTEE_ROLES)
        .select_related("person")
        .annotate(role_rank=ROLE_ORDER)
        .order_by("role_rank", "start_date", "pk")
    )


def past_member_posts(*, committee: Organisation, day: dt.date | None = None):
    day = _today(day)
    return (
        Post.objects.filter(organisation=committee, role__in=rules.COMMITTEE_ROLES, end_date__lt=day)
        .select_related("person")
        .order_by("-end_date", "pk")
    )


# --- Terms ------------------------------------------------------------------------------------------------


def term_overview(*, viewer, today: dt.date | None = None) -> dict:
    """Committees whose term ends within six months ("soon") and those whose term has ended without a successor
    ("expired"), each with `reminded` (a reminder for this term end exists)."""
    today = _today(today)
    standing = committee_list(viewer=viewer).filter(existing_on(today)).filter(not_superseded())
    return {
        "soon": standing.filter(term_end__gte=today, term_end__lte=reminder_horizon(today)),
        "expired": standing.filter(term_end__lt=today),
        "horizon": reminder_horizon(today),
    }


def reminder_list(*, viewer, committee: Organisation | None = None):
    queryset = TermReminder.objects.filter(_committees_q(viewer, "committee__")).select_related("committee")
    if committee is not None:
        queryset = queryset.filter(committee=committee)
    return queryset.order_by("-reminded_on", "-id")


# --- Filing ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FilingState:
    status: str  # "filed", "filed_late", "due", "overdue"
    deadline: dt.date
    days_left: int  # negative once overdue

    @property
    def days_overdue(self) -> int:
        return max(0, -self.days_left)

    @property
    def done(self) -> bool:
        return self.status in ("filed", "filed_late")


def committee_filing(committee: Organisation):
    """The committee's filing, or None."""
    try:
        return committee.filing
    except Filing.DoesNotExist:
        return None


def filing_state(committee: Organisation, today: dt.date | None = None) -> FilingState:
    today = _today(today)
    deadline = filing_deadline(committee)
    filing = committee_filing(committee)
    if filing is not None:
        status = "filed_late" if filing.late else "filed"
    else:
        status = "due" if today <= deadline else "overdue"
    return FilingState(status=status, deadline=deadline, days_left=(deadline - today).days)


def filing_overview(*, viewer, today: dt.date | None = None) -> dict:
    """Committees in office not yet filed ("due": deadline not passed, "overdue"), and those filed."""
    today = _today(today)
    unfiled = committee_list(viewer=viewer).filter(in_office_on(today), filing__isnull=True)
    cutoff = today - dt.timedelta(days=FILING_DAYS)  # established before this: the deadline has passed
    return {
        "due": unfiled.filter(established_on__gte=cutoff).order_by("established_on", "pk"),
        "overdue": unfiled.filter(established_on__lt=cutoff).order_by("established_on", "pk"),
        "filed": committee_list(viewer=viewer).filter(filing__isnull=False).order_by("-filing__filed_on", "pk"),
    }


# --- Duty list and negative list -------------------------------------------------------------------------


def visible_cities(*, viewer):
    scope = scope_for(viewer)
    if scope.everything:
        return City.objects.order_by("code")
    return City.objects.filter(pk__in=_visible_compounds(viewer).values("community__town__city_id")).order_by("code")


def duty_items(*, city: City, active_only: bool = False):
    queryset = DutyItem.objects.filter(city=city)
    if active_only:
        queryset = queryset.filter(active=True)
    return queryset.order_by("list", "position", "pk")


def duty_item_get(*, viewer, pk: int) -> DutyItem:
    return get_visible_or_404(DutyItem.objects.filter(city__in=visible_cities(viewer=viewer)), pk=pk)


# --- Self-inspection rounds -------------------------------------------------------------------------------


def inspection_list(*, viewer, committee: Organisation | None = None):
    """Rounds the viewer may see, with counts of items met, not met and not yet answered."""
    queryset = (
        SelfInspection.objects.filter(_committees_q(viewer, "committee__"))
        .select_related("committee", "conducted_by__person")
        .annotate(
            item_count=Count("results"),
            met_count=Count("results", filter=Q(results__result=InspectionResult.Result.MET)),
            not_met_count=Count("results", filter=Q(results__result=InspectionResult.Result.NOT_MET)),
            open_count=Count("results", filter=Q(results__result="")),
        )
    )
    if committee is not None:
        queryset = queryset.filter(committee=committee)
    return queryset.order_by("-held_on", "-id")


def inspection_get(*, viewer, pk: int) -> SelfInspection:
    return get_visible_or_404(inspection_list(viewer=viewer), pk=pk)


def inspection_results(*, inspection: SelfInspection):
    return inspection.results.select_related("item", "answered_by__person", "task").order_by(
        "item__list", "item__position", "item_id"
    )


# --- Rectification tasks -------------------------------------------------------------------------------------


def task_list(*, viewer, committee: Organisation | None = None, open_only: bool = False):
    """Tasks the viewer may see: open ones first, the soonest due first."""
    queryset = RectificationTask.objects.filter(_committees_q(viewer, "committee__")).select_related(
        "committee", "result__item", "result__inspection", "evaluation__post__person"
    )
    if committee is not None:
        queryset = queryset.filter(committee=committee)
    if open_only:
        queryset = queryset.filter(done_on__isnull=True)
    open_first = Case(When(done_on__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField())
    return queryset.annotate(open_rank=open_first).order_by("open_rank", "due_on", "pk")


def task_get(*, viewer, pk: int) -> RectificationTask:
    return get_visible_or_404(task_list(viewer=viewer), pk=pk)


# --- Evaluations -----------------------------------------------------------------------------------------------


def evaluation_list(*, viewer, committee: Organisation | None = None, outcome: str = ""):
    queryset = Evaluation.objects.filter(_committees_q(viewer, "committee__")).select_related(
        "committee", "post__person", "recorded_by__person", "task"
    )
    if committee is not None:
        queryset = queryset.filter(committee=committee)
    if outcome:
        queryset = queryset.filter(outcome=outcome)
    return queryset.order_by("-decided_on", "-id")


def evaluation_get(*, viewer, pk: int) -> Evaluation:
    return get_visible_or_404(evaluation_list(viewer=viewer), pk=pk)


# --- Overview ---------------------------------------------------------------------------------------------------


def committee_overview(*, viewer, today: dt.date | None = None) -> dict:
    today = _today(today)
    terms = term_overview(viewer=viewer, today=today)
    filings = filing_overview(viewer=viewer, today=today)
    return {
        # Committees in office today: the expired, dissolved and superseded ones are history.
        "committees": committee_list(viewer=viewer, history=False, today=today).count(),
        "terms_soon": terms["soon"].count(),
        "terms_expired": terms["expired"].count(),
        "filings_due": filings["due"].count(),
        "filings_overdue": filings["overdue"].count(),
        "open_tasks": task_list(viewer=viewer, open_only=True).count(),
        "overdue_tasks": task_list(viewer=viewer, open_only=True).filter(due_on__lt=today).count(),
    }
