"""Reads about people, scoped to the viewer. Personal data is masked unless the viewer's scope allows it."""

from __future__ import annotations

from django.db.models import Q

from jiayuan.core.crypto import lookup_hash
from jiayuan.core.identity import normalise_id_number, normalise_phone
from jiayuan.core.scope import get_visible_or_404, scope_for

from .models import Ownership, PartyMembership, Person, Residency

# Who else a staff scope reaches beyond the owners and residents of its rooms: apps above people register a
# `reach(scope)` giving a queryset of person ids (organisations: the holders of posts in its places).
PERSON_REACH: list = []


def register_person_reach(reach) -> None:
    PERSON_REACH.append(reach)


def _person_scope_q(scope) -> Q:
    if scope.everything:
        return Q()
    q = Q(pk=scope.person_id) if scope.person_id else Q(pk__in=[])
    if not scope.is_staff_scope:
        return q
    compounds = scope.compounds_q("unit__building__compound__")
    rooms_q = Q(room__in=_rooms(compounds))
    q |= Q(pk__in=Ownership.objects.filter(rooms_q, person__isnull=False).values("person_id"))
    q |= Q(pk__in=Residency.objects.filter(rooms_q).values("person_id"))
    for reach in PERSON_REACH:
        q |= Q(pk__in=reach(scope))
    return q


def _rooms(compounds_q):
    from jiayuan.places.models import Room

    return Room.objects.filter(compounds_q).values("pk")


def person_list(*, viewer, search: str = ""):
    """People the viewer may see. `search` matches a name part, or a whole ID or phone number."""
    queryset = Person.objects.filter(_person_scope_q(scope_for(viewer)))
    search = (search or "").strip()
    if search:
        by_id = lookup_hash(normalise_id_number(search))
        by_phone = lookup_hash(normalise_phone(search))
        queryset = queryset.filter(Q(name__icontains=search) | Q(id_number_hash=by_id) | Q(phone_hash=by_phone))
    return queryset.order_by("name", "pk")


def person_get(*, viewer, pk: int) -> Person:
    return get_visible_or_404(person_list(viewer=viewer), pk=pk)


def visible_person_ids(viewer, people) -> set[int]:
    """Which of these people the viewer may open (used to decide where a name is a link)."""
    ids = {person.pk for person in people if person is not None}
    if not ids:
        return set()
    return set(person_list(viewer=viewer).filter(pk__in=ids).values_list("pk", flat=True))


def shows_personal_data(*, viewer, person: Person) -> bool:
    """Unmasked ID and phone: the person themselves and the city administrators."""
    scope = scope_for(viewer)
    return scope.sees_personal_data or scope.person_id == person.pk


def owners_of(*, viewer, room):
    return (
        Ownership.objects.filter(room=room, end_date__isnull=True)
        .filter(Q(person__isnull=True) | Q(person__in=person_list(viewer=viewer)))
        .select_related("person", "developer")
    )


def residents_of(*, viewer, room):
    return Residency.objects.filter(
        room=room, end_date__isnull=True, person__in=person_list(viewer=viewer)
    ).select_related("person")


def party_member_list(*, viewer):
    return PartyMembership.objects.filter(person__in=person_list(viewer=viewer)).select_related(
        "person", "organisation", "reports_to"
    )


# --- Reads for the server-rendered pages ------------------------------------


def personal_data(*, viewer, person: Person) -> dict:
    """The ID and phone number as this viewer may see them: in clear or masked."""
    if shows_personal_data(viewer=viewer, person=person):
        return {"id_number": person.id_number, "phone": person.phone, "masked": False}
    return {"id_number": person.masked_id_number, "phone": person.masked_phone, "masked": True}


def _visible_rooms(viewer):
    from jiayuan.places.models import Room

    return Room.objects.filter(scope_for(viewer).rooms_q()).values("pk")


def ownerships_of_person(*, viewer, person: Person):
    """A person's ownerships, past and present, of rooms the viewer may see."""
    return (
        Ownership.objects.filter(person=person, room__in=_visible_rooms(viewer))
        .select_related("room__unit__building__compound")
        .order_by("end_date", "-start_date")
    )


def residencies_of_person(*, viewer, person: Person):
    """A person's residencies, past and present, in rooms the viewer may see."""
    return (
        Residency.objects.filter(person=person, room__in=_visible_rooms(viewer))
        .select_related("room__unit__building__compound")
        .order_by("end_date", "-start_date")
    )


def party_membership_of(*, person: Person) -> PartyMembership | None:
    """The party membership of a person the caller already fetched through `person_get`."""
    return PartyMembership.objects.filter(person=person).select_related("organisation", "reports_to").first()
