"""API shapes that compose several apps: a room with its owners and residents."""

from __future__ import annotations

import datetime as dt

from ninja import Field

from jiayuan.people.schemas import PersonalData
from jiayuan.places.schemas import RoomOut


class OwnerOut(PersonalData):
    """A current owner: a person (personal data masked unless the viewer may see it) or the developer."""

    person_id: int | None
    name: str
    is_developer: bool
    developer_id: int | None
    start_date: dt.date

    @staticmethod
    def resolve_name(obj):
        return obj.person.name if obj.person_id else obj.developer.name

    @staticmethod
    def resolve_is_developer(obj):
        return obj.developer_id is not None


class ResidentOut(PersonalData):
    person_id: int
    name: str = Field(..., alias="person.name")
    relation: str
    start_date: dt.date


class RoomDetailOut(RoomOut):
    """Read from a room whose `visible_*` attributes the handler filled through scoped selectors."""

    owners: list[OwnerOut] = Field(..., alias="visible_owners")
    residents: list[ResidentOut] = Field(..., alias="visible_residents")
