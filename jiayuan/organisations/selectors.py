"""Reads about organisations and posts, scoped to the viewer."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone

from jiayuan.core.scope import get_visible_or_404, scope_for

from .models import Organisation, PartyVenue, Post, ServiceContract

PUBLIC_KINDS = (Organisation.Kind.DEPARTMENT, Organisation.Kind.PROPERTY_COMPANY, Organisation.Kind.DEVELOPER)


def _organisation_scope_q(scope) -> Q:
    if scope.everything:
        return Q()
    q = Q(kind__in=PUBLIC_KINDS)
    if scope.person_id:
        q |= Q(pk__in=Post.objects.filter(person_id=scope.person_id).values("organisation_id"))
    if scope.room_ids:
        q |= Q(compounds__buildings__units__rooms__in=list(scope.room_ids))
    if scope.is_staff_scope:
        q |= scope.compounds_q("compounds__")
        if scope.community_ids:
            q |= Q(community_id__in=list(scope.community_ids))
        if scope.town_ids:
            q |= Q(town_id__in=list(scope.town_ids)) | Q(community__town_id__in=list(scope.town_ids))
    return q


# --- Owners' committees: in office, or history ----------------------------------------------------------


def _later_committees():
    """Owners' committees elected after the outer committee for one of its compounds: its successors."""
    return Organisation.objects.filter(
        kind=Organisation.Kind.OWNERS_COMMITTEE,
        established_on__gt=OuterRef("established_on"),
        compounds__organisations=OuterRef("pk"),
    )


def successor_since():
    """Annotation: the day the outer committee's first successor took office (None while it has none)."""
    return Subquery(_later_committees().order_by("established_on").values("established_on")[:1])


def committee_in_office_q(day: dt.date) -> Q:
    """Owners' committees in office on `day`: elected by then, not dissolved, the term running, and no later
    committee of one of its compounds elected by then."""
    return (
        Q(kind=Organisation.Kind.OWNERS_COMMITTEE, established_on__lte=day, term_end__gte=day)
        & (Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=day))
        & ~Exists(_later_committees().filter(established_on__lte=day))
    )


def committee_standing(committee: Organisation, day: dt.date | None = None) -> str:
    """Where an owners' committee stands on `day` (today by default): "in_office", "superseded" (a later
    committee of its compound took office), "dissolved", "expired" (the term ran out, no successor yet) or
    "not_yet" (elected for a later day). Reads the `successor_since` annotation the list selectors add, or asks."""
    day = day or timezone.localdate()
    if hasattr(committee, "successor_since"):
        successor = committee.successor_since
    else:
        successor = (
            Organisation.objects.filter(pk=committee.pk).annotate(since=successor_since()).values("since").first() or {}
        ).get("since")
    if successor is not None and successor <= day:
        return "superseded"
    if committee.dissolved_on is not None and committee.dissolved_on <= day:
        return "dissolved"
    if committee.established_on > day:
        return "not_yet"
    if committee.term_end is not None and committee.term_end < day:
        return "expired"
    return "in_office"


def organisation_list(
    *, viewer, kind: str | None = None, search: str = "", history: bool = True, day: dt.date | None = None
):
    """Organisations the viewer may see. Without `history`, owners' committees are only those in office on
    `day` (today by default); the other kinds are all listed."""
    queryset = Organisation.objects.filter(_organisation_scope_q(scope_for(viewer))).distinct()
    if kind:
        queryset = queryset.filter(kind=kind)
    if search:
        queryset = queryset.filter(name__icontains=search.strip())
    if not history:
        day = day or timezone.localdate()
        queryset = queryset.filter(~Q(kind=Organisation.Kind.OWNERS_COMMITTEE) | committee_in_office_q(day))
    return queryset.select_related("town", "community")


def with_successor_since(queryset):
    """The organisations with `successor_since`, which `committee_standing` reads without a query per row."""
    return queryset.annotate(successor_since=successor_since())


def organisation_get(*, viewer, pk: int) -> Organisation:
    return get_visible_or_404(organisation_list(viewer=viewer), pk=pk)


def posts_of(*, organisation: Organisation, day: dt.date | None = None, current_only: bool = True):
    queryset = Post.objects.filter(organisation=organisation).select_related("person", "building", "grid", "compound")
    if current_only:
        day = day or timezone.localdate()
        queryset = queryset.current_on(day)
    return queryset.order_by("role", "start_date")


def compound_carriages(*, compound, day: dt.date | None = None) -> dict:
    """The "three carriages" of a compound on a day: party branch, owners' committee, property company."""
    day = day or timezone.localdate()
    active = Organisation.objects.active_on(day).filter(compounds=compound)
    contract = ServiceContract.objects.filter(compound=compound).current_on(day).select_related("company").first()
    committees = Organisation.objects.filter(compounds=compound).filter(committee_in_office_q(day))
    return {
        "branch": active.filter(kind=Organisation.Kind.COMPOUND_BRANCH).first(),
        "committee": committees.order_by("-established_on", "-pk").first(),
        "contract": contract,
        "venues": PartyVenue.objects.filter(compound=compound, closed_on__isnull=True),
    }


# --- Reads for the server-rendered pages ------------------------------------


def _visible_compounds(viewer):
    from jiayuan.places.models import Compound

    return Compound.objects.filter(scope_for(viewer).compounds_q()).values("pk")


def _visible_posts_q(viewer) -> Q:
    """Leaves out posts tied to a compound or building outside the viewer's scope."""
    if scope_for(viewer).everything:
        return Q()
    visible = _visible_compounds(viewer)
    return (Q(compound__isnull=True) | Q(compound__in=visible)) & (
        Q(building__isnull=True) | Q(building__compound__in=visible)
    )


def organisation_posts(*, viewer, organisation: Organisation, current: bool = True, day: dt.date | None = None):
    """Posts of an organisation the caller fetched through `organisation_get`: current ones
    (not ended on `day`, today by default) or past ones (ended before `day`)."""
    day = day or timezone.localdate()
    queryset = (
        Post.objects.filter(organisation=organisation)
        .filter(_visible_posts_q(viewer))
        .select_related("person", "building__compound", "grid", "compound")
    )
    ended = Q(end_date__lt=day)
    if current:
        return queryset.exclude(ended).order_by("role", "start_date", "pk")
    return queryset.filter(ended).order_by("-end_date", "role", "pk")


def posts_of_person(*, viewer, person):
    """Every post (current and past) of a person, in organisations the viewer may see."""
    return (
        Post.objects.filter(person=person, organisation__in=organisation_list(viewer=viewer).values("pk"))
        .filter(_visible_posts_q(viewer))
        .select_related("organisation", "building__compound", "grid", "compound")
        .order_by("end_date", "-start_date", "pk")
    )


def building_heads_of(*, compound, day: dt.date | None = None):
    """The current party-member building heads of a compound the caller may see."""
    day = day or timezone.localdate()
    return (
        Post.objects.filter(role=Post.Role.BUILDING_HEAD, building__compound=compound)
        .current_on(day)
        .select_related("person", "building")
        .order_by("building__number")
    )


def compounds_covered(*, viewer, organisation: Organisation):
    return organisation.compounds.filter(scope_for(viewer).compounds_q()).select_related("community__town")


def venues_of(*, viewer, organisation: Organisation):
    return organisation.venues.filter(compound__in=_visible_compounds(viewer)).select_related("compound")


def contracts_of_company(*, viewer, company: Organisation):
    """A property company's service contracts with compounds the viewer may see, newest first."""
    return (
        ServiceContract.objects.filter(company=company, compound__in=_visible_compounds(viewer))
        .select_related("compound__community")
        .order_by("-start_date", "pk")
    )


def compound_governance(*, compound, day: dt.date | None = None) -> dict:
    """The three carriages of a compound the caller may see, with the people holding their posts."""
    day = day or timezone.localdate()
    facts = compound_carriages(compound=compound, day=day)
    branch, committee = facts["branch"], facts["committee"]
    branch_posts = list(posts_of(organisation=branch, day=day).exclude(role=Post.Role.BUILDING_HEAD)) if branch else []
    committee_posts = list(posts_of(organisation=committee, day=day)) if committee else []
    facts.update(
        branch_posts=branch_posts,
        committee_posts=committee_posts,
        secretary=next((p.person for p in branch_posts if p.role == Post.Role.BRANCH_SECRETARY), None),
        director=next((p.person for p in committee_posts if p.role == Post.Role.COMMITTEE_DIRECTOR), None),
    )
    return facts


def departments_of(*, viewer):
    """The departments a department-staff login works for."""
    return Organisation.objects.filter(pk__in=list(scope_for(viewer).department_ids)).order_by("name")
