"""Reads of the compound map, always through the viewer's scope."""

from __future__ import annotations

from django.db.models import Count, F, Q, Sum

from jiayuan.core.scope import get_visible_or_404, scope_for

from .models import Building, City, Community, Compound, Grid, Room, Town


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


# --- Reads for the server-rendered pages ------------------------------------


def town_summaries(*, viewer):
    """Visible towns with their number of communities and compounds."""
    return (
        Town.objects.filter(scope_for(viewer).towns_q())
        .annotate(
            community_count=Count("communities", distinct=True),
            compound_count=Count("communities__compounds", distinct=True),
        )
        .order_by("code")
    )


# The compound list's sortable columns (its headers sort it; by code unless asked).
COMPOUND_SORTS = {
    "code": F("code"),
    "name": F("name"),
    "community": F("community__name"),
    "town": F("community__town__name"),
    "year": F("year_built"),
}


def compound_search(
    *,
    viewer,
    town: Town | None = None,
    community: Community | None = None,
    kind: str = "",
    management: str = "",
    search: str = "",
):
    """Visible compounds narrowed by place, type and management; `search` matches name or code."""
    queryset = compound_list(viewer=viewer, community=community, town=town)
    if kind:
        queryset = queryset.filter(kind=kind)
    if management:
        queryset = queryset.filter(management=management)
    search = (search or "").strip()
    if search:
        queryset = queryset.filter(Q(name__icontains=search) | Q(code__icontains=search))
    return queryset


def grid_list(*, viewer, community: Community):
    return Grid.objects.filter(scope_for(viewer).communities_q("community__"), community=community).prefetch_related(
        "compounds"
    )


def building_summaries(*, viewer, compound: Compound):
    """The visible buildings of a compound with their number of units and rooms."""
    return (
        building_list(viewer=viewer, compound=compound)
        .annotate(unit_count=Count("units", distinct=True), room_count=Count("units__rooms", distinct=True))
        .order_by("number")
    )


def compound_totals(*, viewer, compound: Compound) -> dict:
    """Rooms and total exclusive area of a visible compound."""
    rooms = Room.objects.filter(scope_for(viewer).rooms_q(), unit__building__compound=compound)
    return rooms.aggregate(rooms=Count("pk"), area=Sum("area"))


def room_summaries(*, viewer, building: Building):
    """The visible rooms of a building with their number of current owners (co-owners count one each)."""
    return (
        room_list(viewer=viewer, building=building)
        .select_related("unit")
        .annotate(owner_count=Count("ownerships", filter=Q(ownerships__end_date__isnull=True)))
        .order_by("unit__number", "floor", "number")
    )
