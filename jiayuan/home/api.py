"""The API operations that compose several apps: /me (the account and what it may see), and the compound and
room details under /places (the register's rows with the three carriages, the owners and the residents)."""

from ninja import Router, Schema

from jiayuan.core.api import DbId, service_call
from jiayuan.core.scope import scope_for
from jiayuan.organisations.models import Organisation
from jiayuan.organisations.selectors import compound_governance, posts_of_person
from jiayuan.people import selectors as people_selectors
from jiayuan.people.schemas import PersonDetailOut
from jiayuan.people.selectors import owners_of, residents_of
from jiayuan.places import selectors as place_selectors
from jiayuan.places import services as place_services
from jiayuan.places.api import staff_compound
from jiayuan.places.models import Community, Compound, Town
from jiayuan.places.schemas import CompoundDetailOut, CompoundOut, CompoundPatch
from jiayuan.places.selectors import compound_list

from .schemas import RoomDetailOut

router = Router(tags=["me"])
people_router = Router(tags=["people"])  # mounted at /people beside the people app's own
places_router = Router(tags=["places"])  # mounted at /places beside the places app's own


class NamedRef(Schema):
    id: int
    name: str


class ScopeSummary(Schema):
    everything: bool
    towns: list[NamedRef]
    communities: list[NamedRef]
    compounds: list[NamedRef]
    departments: list[NamedRef]
    room_ids: list[int]
    visible_compound_count: int


class MeOut(Schema):
    username: str
    person_id: int | None
    person_name: str | None
    role: str
    role_label: str
    scope: ScopeSummary


def _named(queryset) -> list[dict]:
    return [{"id": pk, "name": name} for pk, name in queryset.values_list("pk", "name")]


@router.get("/me", response=MeOut, summary="The logged-in account and what it may see")
def me(request):
    user = request.user
    scope = scope_for(user)
    return {
        "username": user.get_username(),
        "person_id": user.person_id,
        "person_name": user.person.name if user.person_id else None,
        "role": scope.role,
        "role_label": str(scope.role_label),
        "scope": {
            "everything": scope.everything,
            "towns": _named(Town.objects.filter(pk__in=scope.town_ids)),
            "communities": _named(Community.objects.filter(pk__in=scope.community_ids)),
            "compounds": _named(Compound.objects.filter(pk__in=scope.compound_ids)),
            "departments": _named(Organisation.objects.filter(pk__in=scope.department_ids).order_by("name")),
            "room_ids": sorted(scope.room_ids),
            "visible_compound_count": compound_list(viewer=user).count(),
        },
    }


# --- /places: compound and room details -------------------------------------


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


@places_router.get("/compounds/{id}", response=CompoundDetailOut, summary="A compound with its three carriages")
def compound_detail(request, id: DbId):
    viewer = request.user
    compound = place_selectors.compound_get(viewer=viewer, pk=id)
    for name, value in _carriages(compound).items():
        setattr(compound, name, value)
    compound.building_count = place_selectors.building_list(viewer=viewer, compound=compound).count()
    compound.room_count = place_selectors.room_list(viewer=viewer).filter(unit__building__compound=compound).count()
    return compound


@places_router.patch("/compounds/{id}", response=CompoundOut, summary="Change a compound's particulars")
def compound_patch(request, id: DbId, payload: CompoundPatch):
    """By the compound's community or town (or the city), with a reason; the compound's own posts get 403."""
    compound = staff_compound(request.user, id)
    changes = payload.model_dump(exclude_unset=True)
    reason = changes.pop("reason")
    with service_call():
        return place_services.compound_update(actor=request.user, compound=compound, reason=reason, **changes)


@places_router.get("/rooms/{id}", response=RoomDetailOut, summary="A room with its owners and residents")
def room_detail(request, id: DbId):
    viewer = request.user
    room = place_selectors.room_get(viewer=viewer, pk=id)
    room.visible_owners = list(owners_of(viewer=viewer, room=room))
    room.visible_residents = list(residents_of(viewer=viewer, room=room))
    return room


# --- /people: a person's details ---------------------------------------------


@people_router.get("/{id}", response=PersonDetailOut, summary="A person with posts, ownerships and party membership")
def person_detail(request, id: DbId):
    viewer = request.user
    person = people_selectors.person_get(viewer=viewer, pk=id)
    person.visible_posts = list(posts_of_person(viewer=viewer, person=person))
    person.visible_ownerships = list(people_selectors.ownerships_of_person(viewer=viewer, person=person))
    person.visible_party_membership = people_selectors.party_membership_of(person=person)
    return person
