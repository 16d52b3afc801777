"""/api/v1/organisations: organisations the viewer may see, posts and owners' committees."""

from __future__ import annotations

from ninja import Router, Status

from jiayuan.core.api import DbId, paginated, require_staff_scope, service_call, visible_or_422
from jiayuan.people.selectors import person_list
from jiayuan.places.selectors import building_list, compound_get, compound_list, grid_list

from . import selectors, services
from .schemas import CommitteeIn, OrganisationDetailOut, OrganisationOut, PostIn, PostOut

router = Router(tags=["organisations"])


@router.get("", response=list[OrganisationOut], summary="Organisations the viewer may see")
@paginated
def organisation_list(request, kind: str = "", q: str = ""):
    """`kind` is one of the organisation kinds; `q` matches part of the name."""
    return selectors.organisation_list(viewer=request.user, kind=kind, search=q)


@router.post("/committees", response={201: OrganisationOut}, summary="Register an owners' committee for a term")
def committee_create(request, payload: CommitteeIn):
    """5 to 11 seats, an odd number; the term lasts at most five years."""
    require_staff_scope(request.user)
    compound = compound_get(viewer=request.user, pk=payload.compound_id)
    with service_call():
        committee = services.committee_create(
            actor=request.user,
            compound=compound,
            name=payload.name,
            established_on=payload.established_on,
            term_end=payload.term_end,
            seats=payload.seats,
        )
    return Status(201, committee)


@router.get("/{id}", response=OrganisationDetailOut, summary="An organisation with its current and past posts")
def organisation_detail(request, id: DbId):
    viewer = request.user
    organisation = selectors.organisation_get(viewer=viewer, pk=id)
    organisation.visible_compounds = list(selectors.compounds_covered(viewer=viewer, organisation=organisation))
    organisation.visible_posts = {
        "current": list(selectors.organisation_posts(viewer=viewer, organisation=organisation, current=True)),
        "past": list(selectors.organisation_posts(viewer=viewer, organisation=organisation, current=False)),
    }
    return organisation


@router.post("/{id}/posts", response={201: PostOut}, summary="Give a person a post in the organisation")
def post_assign(request, id: DbId, payload: PostIn):
    """A single post (secretary, director) cannot be held by two people at overlapping dates.

    Posts are assigned by the level that leads the organisation (see organisations.rules): the
    community party committee for a compound branch, the town for a community, the city above; an
    owners' committee's posts by the town or the city (or its election); a property company's by its
    own manager or the city. Nobody assigns themselves. Anyone else gets 403 (404 if the organisation
    is not visible to them at all)."""
    viewer = request.user
    require_staff_scope(viewer)
    organisation = selectors.organisation_get(viewer=viewer, pk=id)
    person = visible_or_422(person_list(viewer=viewer), payload.person_id, "person_id")
    building = visible_or_422(building_list(viewer=viewer), payload.building_id, "building_id")
    compound = visible_or_422(compound_list(viewer=viewer), payload.compound_id, "compound_id")
    grid = visible_or_422(grid_list(viewer=viewer, community=organisation.community_id), payload.grid_id, "grid_id")
    with service_call(person="person_id", building="building_id", grid="grid_id", compound="compound_id"):
        post = services.post_assign(
            actor=viewer,
            person=person,
            organisation=organisation,
            role=payload.role,
            start_date=payload.start_date,
            end_date=payload.end_date,
            building=building,
            grid=grid,
            compound=compound,
        )
    return Status(201, post)
