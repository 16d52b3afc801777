"""/api/v1/people: persons the viewer may see, and registering a person (staff scopes)."""

from __future__ import annotations

from ninja import Router, Status

from jiayuan.core.api import paginated, require_staff_scope

from . import selectors, services
from .schemas import PersonIn, PersonOut

router = Router(tags=["people"])


@router.get("", response=list[PersonOut], summary="People the viewer may see")
@paginated
def person_list(request, q: str = ""):
    """`q` matches part of a name, or a whole ID or phone number."""
    return selectors.person_list(viewer=request.user, search=q)


@router.post("", response={201: PersonOut}, summary="Register a person")
def person_create(request, payload: PersonIn):
    """The ID number is checked (GB 11643 checksum and birth date) and must not be registered yet."""
    require_staff_scope(request.user)
    person = services.person_create(
        actor=request.user, name=payload.name, id_number=payload.id_number, phone=payload.phone
    )
    return Status(201, person)
