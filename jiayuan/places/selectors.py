"""Reads of the compound map, always through the viewer's scope."""

from __future__ import annotations

from django.db.models import Count

from jiayuan.core.scope import get_visible_or_404, scope_for

from .models import Building, City, Community, Compound, Room, Town


def town_list(*, viewer):
    return Town.objects.filter(scope_for(viewer).towns_q()).annotate(compound_count=Count("communities__compounds"))


def community_list(*, viewer, town: Town | None = None):
    queryset = Community.objects.filter(scope_for(viewer).communities_q()).select_related("town")
    if town is not None:
        queryset = queryset.filter(town=town)
    return queryset.annotate(compound_count=Count("compounds"))


def compound_list(*, viewer, community: Community | None = None, town: Town | None = None, search: str = ""):
    queryset = Compound.objects.filter(scope_for(viewer).compounds_q()).select_related("community__town")
    if community is not None:
        queryset = queryset.filter(community=community)
    if town is not None:
        queryset = queryset.filter(community__town=town)
    if search:
        queryset = queryset.filter(name__icontains=search.strip())
    return queryset


def building_list(*, viewer, compound: Compound | None = None):
    queryset = Building.objects.filter(scope_for(viewer).compounds_q("compound__")).select_related("compound")
    if compound is not None:
        queryset = queryset.filter(compound=compound)
    return queryset


def room_list(*, viewer, building: Building | None = None):
    queryset = Room.objects.filter(scope_for(viewer).rooms_q()).select_related("unit__building__compound")
    if building is not None:
        queryset = queryset.filter(unit__building=building)
    return queryset


def town_get(*, viewer, pk: int) -> Town:
    return get_visible_or_404(Town.objects.filter(scope_for(viewer).towns_q()), pk=pk)


def community_get(*, viewer, pk: int) -> Community:
    return get_visible_or_404(community_list(viewer=viewer), pk=pk)


def compound_get(*, viewer, pk: int) -> Compound:
    return get_visible_or_404(compound_list(viewer=viewer), pk=pk)


def building_get(*, viewer, pk: int) -> Building:
    return get_visible_or_404(building_list(viewer=viewer), pk=pk)


def room_get(*, viewer, pk: int) -> Room:
    return get_visible_or_404(room_list(viewer=viewer), pk=pk)


def region_by_code(code: str):
    """The city, town, community or compound with this code, or None."""
    for model in (Town, Community, Compound, City):
        found = model.objects.filter(code=code).first()
        if found is not None:
            return found
    return None
