"""Reads about organisations and posts, scoped to the viewer."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
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


def organisation_list(*, viewer, kind: str | None = None, search: str = ""):
    queryset = Organisation.objects.filter(_organisation_scope_q(scope_for(viewer))).distinct()
    if kind:
        queryset = queryset.filter(kind=kind)
    if search:
        queryset = queryset.filter(name__icontains=search.strip())
    return queryset.select_related("town", "community")


def organisation_get(*, viewer, pk: int) -> Organisation:
    return get_visible_or_404(organisation_list(viewer=viewer), pk=pk)


def posts_of(*, organisation: Organisation, day: dt.date | None = None, current_only: bool = True):
    queryset = Post.objects.filter(organisation=organisation).select_related("person", "building", "grid", "compound")
    if current_only:
        day = day or timezone.localdate()
        queryset = queryset.filter(start_date__lte=day).filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
    return queryset.order_by("role", "start_date")


def compound_carriages(*, compound, day: dt.date | None = None) -> dict:
    """The "three carriages" of a compound on a day: party branch, owners' committee, property company."""
    day = day or timezone.localdate()
    active = Organisation.objects.active_on(day).filter(compounds=compound)
    contract = (
        ServiceContract.objects.filter(compound=compound, start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .select_related("company")
        .first()
    )
    return {
        "branch": active.filter(kind=Organisation.Kind.COMPOUND_BRANCH).first(),
        "committee": active.filter(kind=Organisation.Kind.OWNERS_COMMITTEE).first(),
        "contract": contract,
        "venues": PartyVenue.objects.filter(compound=compound, closed_on__isnull=True),
    }
