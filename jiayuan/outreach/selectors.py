"""Reads of the outreach registers, scoped to the viewer in the query.

Reception sessions, service records and disputes are staff registers: the viewer sees
those of compounds in their scope. Department links are also seen by the staff of the
linked department. Anything else is not in the list, and a detail lookup is a 404.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from jiayuan.appeals import workflow
from jiayuan.appeals.scores.rates import BASIC_CREDIT
from jiayuan.appeals.selectors import appeal_list
from jiayuan.core.scope import get_visible_or_404, scope_for
from jiayuan.organisations.models import DepartmentLink, Organisation, Post
from jiayuan.organisations.selectors import organisation_list
from jiayuan.people.models import PartyMembership, Person
from jiayuan.places.models import Town
from jiayuan.places.selectors import compound_list

from .models import Dispute, ReceptionIssue, ReceptionSession, ServiceRecord, Visitor
from .services import ORGANISER_KINDS

Kind = Organisation.Kind
# "Accepted": the appeal has left `received` (it was taken on, dispatched or handled).
ACCEPTED_STATES = frozenset(set(workflow.STATES) - {workflow.RECEIVED, workflow.MERGED})
RESOLVED_STATES = frozenset({workflow.RESOLVED, workflow.CALLED_BACK, workflow.CLOSED})
LEADER_KINDS = (Kind.CITY_OFFICE, Kind.TOWN_OFFICE, Kind.COMMUNITY_PARTY, Kind.DEPARTMENT)
RISK_ORDER = Case(
    When(risk="high", then=Value(0)), When(risk="medium", then=Value(1)), default=Value(2), output_field=IntegerField()
)


def _staff_compounds_q(viewer, prefix: str = "compound__") -> Q:
    scope = scope_for(viewer)
    if scope.everything:
        return Q()
    if not scope.is_staff_scope:
        return Q(pk__in=[])
    return scope.compounds_q(prefix)


def _in_state(prefix: str, states) -> Q:
    """The appeal is in one of `states`; a merged duplicate counts as the appeal it was merged into."""
    return Q(**{f"{prefix}status__in": list(states)}) | Q(
        **{f"{prefix}status": workflow.MERGED, f"{prefix}merged_into__status__in": list(states)}
    )


def satisfaction(*, rated: int, satisfied: int, basic: int) -> Fraction | None:
    """(satisfied + 0.9 × basically satisfied) / rated, as appeals.scores.rates counts it; None when nothing was rated."""
    return (satisfied + BASIC_CREDIT * basic) / rated if rated else None


# --- Leaders' reception days ---------------------------------------------------------------


def _issue_counts(target: str = "issues", appeal: str = "issues__appeal__") -> dict:
    """Counts of issues (`target`) by the state and rating of their appeals (reached through `appeal`)."""
    return {
        "issue_count": Count(target, distinct=True),
        "accepted_count": Count(target, filter=_in_state(appeal, ACCEPTED_STATES), distinct=True),
        "resolved_count": Count(target, filter=_in_state(appeal, RESOLVED_STATES), distinct=True),
        "rated_count": Count(target, filter=~Q(**{f"{appeal}rating": ""}), distinct=True),
        "satisfied_count": Count(target, filter=Q(**{f"{appeal}rating": "satisfied"}), distinct=True),
        "basic_count": Count(target, filter=Q(**{f"{appeal}rating": "basic"}), distinct=True),
    }


def _sessions(viewer, *, town: Town | None = None, compound=None, month: dt.date | None = None):
    queryset = ReceptionSession.objects.filter(_staff_compounds_q(viewer))
    if town is not None:
        queryset = queryset.filter(compound__community__town=town)
    if compound is not None:
        queryset = queryset.filter(compound=compound)
    if month is not None:
        queryset = queryset.filter(held_on__year=month.year, held_on__month=month.month)
    return queryset


def session_list(*, viewer, town: Town | None = None, compound=None, month: dt.date | None = None):
    """Sessions the viewer may see, each with visitor_count (people), issue_count, accepted_count, resolved_count."""
    visitors = (
        Visitor.objects.filter(session=OuterRef("pk"))
        .order_by()
        .values("session")
        .annotate(n=Sum("people_count"))
        .values("n")
    )
    return (
        _sessions(viewer, town=town, compound=compound, month=month)
        .select_related("leader", "compound__community__town", "organiser")
        .annotate(visitor_count=Coalesce(Subquery(visitors), 0), **_issue_counts())
        .order_by("-held_on", "-starts_at", "-id")
    )


def session_get(*, viewer, pk: int) -> ReceptionSession:
    return get_visible_or_404(session_list(viewer=viewer), pk=pk)


def session_visitors(*, session: ReceptionSession):
    """The visitors of a session the caller already fetched through `session_get`."""
    return session.visitors.select_related("person").order_by("id")


def session_issues(*, session: ReceptionSession):
    return session.issues.select_related("appeal__category", "appeal__merged_into", "visitor").order_by("id")


@dataclass
class TownReception:
    town: Town
    sessions: int = 0
    visitors: int = 0
    issues: int = 0
    accepted: int = 0
    resolved: int = 0
    rated: int = 0
    satisfied: int = 0
    basic: int = 0

    @property
    def satisfaction(self) -> Fraction | None:
        return satisfaction(rated=self.rated, satisfied=self.satisfied, basic=self.basic)

    @property
    def satisfaction_percent(self) -> str:
        rate = self.satisfaction
        return "—" if rate is None else f"{float(rate) * 100:.1f}%"


def reception_totals_by_town(*, viewer, month: dt.date | None = None) -> list[TownReception]:
    """Per town: sessions, visitors (people), issues raised, accepted, resolved, and the satisfaction rate."""
    sessions = _sessions(viewer, month=month)
    ids = sessions.values("pk")
    town_key = "compound__community__town"
    per_town = dict(sessions.order_by().values_list(town_key).annotate(n=Count("pk")))
    if not per_town:
        return []
    towns = {town.pk: TownReception(town=town) for town in Town.objects.filter(pk__in=per_town)}
    for town_id, count in per_town.items():
        towns[town_id].sessions = count
    for town_id, people in (
        Visitor.objects.filter(session__in=ids)
        .order_by()
        .values_list(f"session__{town_key}")
        .annotate(n=Sum("people_count"))
    ):
        towns[town_id].visitors = people or 0
    rows = (
        ReceptionIssue.objects.filter(session__in=ids)
        .order_by()
        .values(f"session__{town_key}")
        .annotate(**_issue_counts(target="pk", appeal="appeal__"))
    )
    for row in rows:
        total = towns[row[f"session__{town_key}"]]
        total.issues, total.accepted, total.resolved = row["issue_count"], row["accepted_count"], row["resolved_count"]
        total.rated, total.satisfied, total.basic = row["rated_count"], row["satisfied_count"], row["basic_count"]
    return sorted(towns.values(), key=lambda t: t.town.code)


def leader_candidates(*, viewer, day: dt.date | None = None):
    """People holding a current post in a city, town or community office or a department the viewer may see."""
    day = day or timezone.localdate()
    offices = organisation_list(viewer=viewer).filter(kind__in=LEADER_KINDS).values("pk")
    posts = Post.objects.filter(organisation__in=offices).current_on(day).values("person_id")
    return Person.objects.filter(pk__in=posts).order_by("name", "pk")


def posts_described(people, *, day: dt.date | None = None) -> dict[int, str]:
    """What tells people of the same name apart in a picker: their current posts ("青阳街道办事处 副主任")."""
    day = day or timezone.localdate()
    posts = (
        Post.objects.filter(person__in=people)
        .current_on(day)
        .select_related("organisation")
        .order_by("organisation__name", "role")
    )
    described: dict[int, list[str]] = {}
    for post in posts:
        described.setdefault(post.person_id, []).append(f"{post.organisation.name} {post.get_role_display()}")
    return {person_id: "、".join(held) for person_id, held in described.items()}


def organiser_candidates(*, viewer):
    return (
        organisation_list(viewer=viewer)
        .filter(kind__in=ORGANISER_KINDS, dissolved_on__isnull=True)
        .order_by("kind", "name")
    )


# --- Linked departments -------------------------------------------------------------------


def _link_scope_q(viewer) -> Q:
    scope = scope_for(viewer)
    if scope.everything:
        return Q()
    q = Q(department_id__in=list(scope.department_ids))
    if scope.is_staff_scope:
        q |= scope.compounds_q("compound__")
    return q


def link_list(*, viewer, current_only: bool = False, department: Organisation | None = None, search: str = ""):
    """Links the viewer may see, each with action_count and open_appeal_count (open appeals the viewer may see)."""
    open_appeals = (
        appeal_list(viewer=viewer, open_only=True)
        .filter(compound=OuterRef("compound_id"))
        .order_by()
        .values("compound")
        .annotate(n=Count("pk"))
        .values("n")
    )
    queryset = (
        DepartmentLink.objects.filter(_link_scope_q(viewer))
        .select_related("department", "compound__community__town")
        .annotate(action_count=Count("actions", distinct=True), open_appeal_count=Coalesce(Subquery(open_appeals), 0))
    )
    if current_only:
        queryset = queryset.filter(end_date__isnull=True)
    if department is not None:
        queryset = queryset.filter(department=department)
    if search:
        queryset = queryset.filter(
            Q(department__name__icontains=search.strip()) | Q(compound__name__icontains=search.strip())
        )
    return queryset.order_by(F("end_date").asc(nulls_first=True), "department__name", "-start_date", "-id")


def link_get(*, viewer, pk: int) -> DepartmentLink:
    return get_visible_or_404(link_list(viewer=viewer), pk=pk)


def link_actions(*, link: DepartmentLink):
    return link.actions.select_related("recorded_by").order_by("-done_on", "-id")


def link_open_appeals(*, viewer, link: DepartmentLink):
    """The compound's open appeals, as far as the viewer may see them, nearest deadline first."""
    return appeal_list(viewer=viewer, compound=link.compound, open_only=True).order_by("deadline", "id")


def department_choices():
    return Organisation.objects.filter(kind=Kind.DEPARTMENT, dissolved_on__isnull=True).order_by("name")


def linkable_compounds(*, viewer):
    """Compounds the viewer may pair with a department: the city's, or those of the viewer's towns."""
    scope = scope_for(viewer)
    if scope.everything:
        return compound_list(viewer=viewer)
    return compound_list(viewer=viewer).filter(community__town_id__in=list(scope.town_ids))


# --- Service log -----------------------------------------------------------------------------


def service_record_list(*, viewer, compound=None, kind: str = "", month: dt.date | None = None):
    queryset = ServiceRecord.objects.filter(_staff_compounds_q(viewer)).select_related(
        "member__person", "compound__community"
    )
    if compound is not None:
        queryset = queryset.filter(compound=compound)
    if kind:
        queryset = queryset.filter(kind=kind)
    if month is not None:
        queryset = queryset.filter(served_on__year=month.year, served_on__month=month.month)
    return queryset.order_by("-served_on", "-id")


def service_record_get(*, viewer, pk: int) -> ServiceRecord:
    return get_visible_or_404(service_record_list(viewer=viewer), pk=pk)


def service_summary_by_compound(*, viewer, **filters):
    """Per compound: records, hours and members who served."""
    return (
        service_record_list(viewer=viewer, **filters)
        .order_by()
        .values("compound_id", "compound__name")
        .annotate(records=Count("pk"), hours=Sum("hours"), members=Count("member", distinct=True))
        .order_by("-hours", "compound__name")
    )


def service_summary_by_workplace(*, viewer, **filters):
    """Per workplace of the in-service members: records, hours and members who served."""
    return (
        service_record_list(viewer=viewer, **filters)
        .order_by()
        .values("member__workplace")
        .annotate(records=Count("pk"), hours=Sum("hours"), members=Count("member", distinct=True))
        .order_by("-hours", "member__workplace")
    )


def in_service_members(*, viewer):
    """In-service party members reporting to compounds in the viewer's scope."""
    return (
        PartyMembership.objects.filter(
            in_service=True, left_on__isnull=True, reports_to__in=compound_list(viewer=viewer).values("pk")
        )
        .select_related("person", "reports_to")
        .order_by("person__name", "pk")
    )


# --- Dispute register ----------------------------------------------------------------------------


def dispute_list(*, viewer, risk: str = "", status: str = "", compound=None, open_only: bool = False):
    """Disputes the viewer may see, high risk first, then the most recently found."""
    queryset = Dispute.objects.filter(_staff_compounds_q(viewer)).select_related("compound__community__town", "appeal")
    if risk:
        queryset = queryset.filter(risk=risk)
    if status:
        queryset = queryset.filter(status=status)
    if open_only:
        queryset = queryset.filter(status__in=[Dispute.Status.OPEN, Dispute.Status.MEDIATING])
    if compound is not None:
        queryset = queryset.filter(compound=compound)
    return queryset.annotate(risk_rank=RISK_ORDER).order_by("risk_rank", "-found_on", "-id")


def dispute_get(*, viewer, pk: int) -> Dispute:
    return get_visible_or_404(dispute_list(viewer=viewer), pk=pk)


# --- Overview ----------------------------------------------------------------------------------


def outreach_overview(*, viewer) -> dict:
    """The headline figures of the four registers, as far as the viewer may see them."""
    scope = scope_for(viewer)
    links = DepartmentLink.objects.filter(_link_scope_q(viewer), end_date__isnull=True)
    overview = {"links": links.count(), "staff": scope.is_staff_scope}
    if scope.is_staff_scope:
        sessions = _sessions(viewer)
        overview.update(
            sessions=sessions.count(),
            visitors=Visitor.objects.filter(session__in=sessions.values("pk")).aggregate(n=Sum("people_count"))["n"]
            or 0,
            service_hours=service_record_list(viewer=viewer).aggregate(n=Sum("hours"))["n"] or 0,
            open_disputes=dispute_list(viewer=viewer, open_only=True).count(),
            high_risk=dispute_list(viewer=viewer, open_only=True, risk=Dispute.Risk.HIGH).count(),
        )
    return overview
