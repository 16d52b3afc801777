"""/api/v1/places: the compound map as far as the viewer's scope reaches; edits by staff."""

from __future__ import annotations

from ninja import Router

from jiayuan.core.api import DbId, paginated, require_staff_scope, service_call
from jiayuan.core.scope import get_visible_or_404
from jiayuan.organisations.selectors import compound_governance
from jiayuan.people.selectors import owners_of, residents_of

from . import selectors, services
from .schemas import (
    BuildingOut,
    CommunityOut,
    CompoundDetailOut,
    CompoundOut,
    CompoundPatch,
    RoomAreaIn,
    RoomDetailOut,
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


def _carriages(compound) -> dict:
    """The compound's party branch, owners' committee and property company, with their heads."""
    governance = compound_governance(compound=compound)
    branch, committee, contract = governance["branch"], governance["committee"], governance["contract"]
    return {
        "branch": branch and {"id": branch.pk, "name": branch.name, "secretary": governance["secretary"]},
        "committee": committee
        and {
            "id": committee.pk,
            "name": committee.name,
            "seats": committee.seats,
            "established_on": committee.established_on,
            "term_end": committee.term_end,
            "director": governance["director"],
        },
        "property_company": contract
        and {
            "id": contract.company_id,
            "name": contract.company.name,
            "state_owned": contract.company.state_owned,
            "contract_start": contract.start_date,
            "contract_end": contract.end_date,
            "fallback": contract.fallback,
        },
    }


@router.get("/compounds/{id}", response=CompoundDetailOut, summary="A compound with its three carriages")
def compound_detail(request, id: DbId):
    viewer = request.user
    compound = selectors.compound_get(viewer=viewer, pk=id)
    for name, value in _carriages(compound).items():
        setattr(compound, name, value)
    compound.building_count = selectors.building_list(viewer=viewer, compound=compound).count()
    compound.room_count = selectors.room_list(viewer=viewer).filter(unit__building__compound=compound).count()
    return compound


def _staff_compound(viewer, pk: int):
    """A compound the viewer may see with a staff scope, else 404."""
    require_staff_scope(viewer)
    return selectors.compound_get(viewer=viewer, pk=pk)


@router.patch("/compounds/{id}", response=CompoundOut, summary="Change a compound's particulars")
def compound_patch(request, id: DbId, payload: CompoundPatch):
    """By the compound's community or town (or the city), with a reason; the compound's own posts get 403."""
    compound = _staff_compound(request.user, id)
    changes = payload.model_dump(exclude_unset=True)
    reason = changes.pop("reason")
    with service_call():
        return services.compound_update(actor=request.user, compound=compound, reason=reason, **changes)


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


@router.get("/rooms/{id}", response=RoomDetailOut, summary="A room with its owners and residents")
def room_detail(request, id: DbId):
    viewer = request.user
    room = selectors.room_get(viewer=viewer, pk=id)
    room.visible_owners = list(owners_of(viewer=viewer, room=room))
    room.visible_residents = list(residents_of(viewer=viewer, room=room))
    return room


@router.post("/rooms/{id}/area", response=RoomOut, summary="Correct a room's exclusive area")
def room_area(request, id: DbId, payload: RoomAreaIn):
    viewer = request.user
    room = selectors.room_get(viewer=viewer, pk=id)
    _staff_compound(viewer, room.unit.building.compound_id)  # a resident may see their room, not edit it
    with service_call():
        return services.room_update_area(
            actor=viewer, room=room, area=payload.area, area_source=payload.area_source, reason=payload.reason
        )
