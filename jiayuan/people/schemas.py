"""API shapes for people. ID and phone numbers come out masked unless the viewer may see them.

The stored encrypted tokens and lookup hashes are never part of any answer.
"""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from .models import Person
from .selectors import shows_personal_data


def personal_fields(*, viewer, person: Person | None) -> dict:
    """id_number, phone and birth_date of `person` as `viewer` may see them."""
    if person is None:
        return {"id_number": "", "phone": "", "birth_date": None, "personal_data_shown": False}
    if shows_personal_data(viewer=viewer, person=person):
        return {
            "id_number": person.id_number,
            "phone": person.phone,
            "birth_date": person.birth_date,
            "personal_data_shown": True,
        }
    # The birth date is part of the ID number, so it is hidden with it.
    return {
        "id_number": person.masked_id_number,
        "phone": person.masked_phone,
        "birth_date": None,
        "personal_data_shown": False,
    }


def _viewer(context):
    return context["request"].user


class PersonalData(Schema):
    """Fields filled from `person_of(obj)`: the object itself or its `.person`."""

    id_number: str = ""
    phone: str = ""
    birth_date: dt.date | None = None
    personal_data_shown: bool = False

    @staticmethod
    def person_of(obj) -> Person | None:
        return obj if isinstance(obj, Person) else getattr(obj, "person", None)

    @classmethod
    def _personal(cls, obj, context) -> dict:
        return personal_fields(viewer=_viewer(context), person=cls.person_of(obj))

    @staticmethod
    def resolve_id_number(obj, context):
        return PersonalData._personal(obj, context)["id_number"]

    @staticmethod
    def resolve_phone(obj, context):
        return PersonalData._personal(obj, context)["phone"]

    @staticmethod
    def resolve_birth_date(obj, context):
        return PersonalData._personal(obj, context)["birth_date"]

    @staticmethod
    def resolve_personal_data_shown(obj, context):
        return PersonalData._personal(obj, context)["personal_data_shown"]


class PersonOut(PersonalData):
    id: int
    name: str
    gender: str


class PersonIn(Schema):
    name: str = Field(..., max_length=50)
    id_number: str = ""
    phone: str = ""


class PersonPostOut(Schema):
    id: int
    organisation_id: int
    organisation_name: str = Field(..., alias="organisation.name")
    role: str
    role_label: str
    start_date: dt.date
    end_date: dt.date | None
    building_id: int | None
    compound_id: int | None
    grid_id: int | None

    @staticmethod
    def resolve_role_label(obj):
        return str(obj.get_role_display())


class PersonOwnershipOut(Schema):
    id: int
    room_id: int
    room: str
    compound_id: int = Field(..., alias="room.unit.building.compound_id")
    compound_name: str = Field(..., alias="room.unit.building.compound.name")
    start_date: dt.date
    end_date: dt.date | None

    @staticmethod
    def resolve_room(obj):
        return str(obj.room)


class PartyMembershipOut(Schema):
    joined_on: dt.date
    organisation_id: int | None
    organisation_name: str | None
    in_service: bool
    workplace: str
    reports_to_id: int | None
    reports_to_name: str | None
    left_on: dt.date | None

    @staticmethod
    def resolve_organisation_name(obj):
        return obj.organisation.name if obj.organisation_id else None

    @staticmethod
    def resolve_reports_to_name(obj):
        return obj.reports_to.name if obj.reports_to_id else None


class PersonDetailOut(PersonOut):
    """Read from a person whose `visible_*` attributes the handler filled through scoped selectors."""

    posts: list[PersonPostOut] = Field(..., alias="visible_posts")
    ownerships: list[PersonOwnershipOut] = Field(..., alias="visible_ownerships")
    party_membership: PartyMembershipOut | None = Field(..., alias="visible_party_membership")
