"""/api/v1/places: the compound map as far as the viewer's scope reaches; edits by staff. The compound and room
details, which add what other apps hold (three carriages, owners, residents), are in `jiayuan.home.api`."""

from __future__ import annotations

from ninja import Router

from jiayuan.core.api import DbId, paginated, require_staff_scope, service_call
from jiayuan.core.scope import get_visible_or_404

from . import selectors, services
from .schemas import (
    BuildingOut,
    CommunityOut,
    CompoundOut,
    RoomAreaIn,
    RoomOut,
    TownOut,
)

router = Router(tags=["places"])


# --- towns and communities ------------------------------------------------------


@router.get("/towns", response=list[TownOut], summary="Towns and subdistricts")
@paginated
def town_list(request):
    return selectors.town_list(viewer=request.user).order_by("code")  # Meta.ordering is dropped with Count()


@router.get("/towns/{id}", response=TownOut, summary="A town or subdistrict")
def town_detail(request, id: DbId):
    return get_visible_or_404(selectors.town_list(viewer=request.user), pk=id)


@router.get("/communities", response=list[CommunityOut], summary="Communities and villages")
@paginated
def community_list(request, town: DbId | None = None):
    return selectors.community_list(viewer=request.user, town=town).order_by("code")


@router.get("/communities/{id}", response=CommunityOut, summary="A community or village")
def community_detail(request, id: DbId):
    return get_visible_or_404(selectors.community_list(viewer=request.user), pk=id)


# --- compounds -------------------------------------------------------------------


@router.get("/compounds", response=list[CompoundOut], summary="Residential compounds")
@paginated
def compound_list(request, town: DbId | None = None, community: DbId | None = None, q: str = ""):
    """`q` matches part of the compound's name."""
    return selectors.compound_list(viewer=request.user, town=town, community=community, search=q)


def staff_compound(viewer, pk: int):
    """A compound the viewer may see with a staff scope, else 404."""
    require_staff_scope(viewer)
    return selectors.compound_get(viewer=viewer, pk=pk)


@router.get("/compounds/{id}/buildings", response=list[BuildingOut], summary="Buildings of a compound")
@paginated
def compound_buildings(request, id: DbId):
    compound = selectors.compound_get(viewer=request.user, pk=id)
    return selectors.building_list(viewer=request.user, compound=compound)


# --- buildings and rooms -----------------------------------------------------------


@router.get("/buildings/{id}", response=BuildingOut, summary="A building")
def building_detail(request, id: DbId):
    return selectors.building_get(viewer=request.user, pk=id)


@router.get("/buildings/{id}/rooms", response=list[RoomOut], summary="Rooms of a building")
@paginated
def building_rooms(request, id: DbId):
    building = selectors.building_get(viewer=request.user, pk=id)
    return selectors.room_list(viewer=request.user, building=building)


@router.post("/rooms/{id}/area", response=RoomOut, summary="Correct a room's exclusive area")
def room_area(request, id: DbId, payload: RoomAreaIn):
    viewer = request.user
    room = selectors.room_get(viewer=viewer, pk=id)
    staff_compound(viewer, room.unit.building.compound_id)  # a resident may see their room, not edit it
    with service_call():
        return services.room_update_area(
            actor=viewer, room=room, area=payload.area, area_source=payload.area_source, reason=payload.reason
        )
