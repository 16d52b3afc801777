"""API shapes for the compound map."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema
from pydantic import ConfigDict

from .models import Compound, Room


class TownOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    compound_count: int


class CommunityOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    town_id: int
    town_name: str = Field(..., alias="town.name")
    compound_count: int


class CompoundOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    management: str
    year_built: int | None
    address: str
    community_id: int
    community_name: str = Field(..., alias="community.name")
    town_id: int = Field(..., alias="community.town_id")
    town_name: str = Field(..., alias="community.town.name")


class PersonRef(Schema):
    id: int
    name: str


class BranchOut(Schema):
    id: int
    name: str
    secretary: PersonRef | None


class CompoundCommitteeOut(Schema):
    id: int
    name: str
    seats: int
    established_on: dt.date
    term_end: dt.date
    director: PersonRef | None


class PropertyCompanyOut(Schema):
    id: int
    name: str
    state_owned: bool
    contract_start: dt.date
    contract_end: dt.date | None
    fallback: bool


class CompoundDetailOut(CompoundOut):
    """A compound with its three carriages (三驾马车) and the size of what the viewer may see of it."""

    branch: BranchOut | None
    committee: CompoundCommitteeOut | None
    property_company: PropertyCompanyOut | None
    building_count: int
    room_count: int


class CompoundPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, max_length=80)
    kind: Compound.Kind | None = None
    management: Compound.Management | None = None
    year_built: int | None = None
    address: str | None = Field(None, max_length=200)
    reason: str = Field(..., min_length=1, max_length=200, description="Why it is changed; goes on the record.")


class BuildingOut(Schema):
    id: int
    number: str
    floors: int | None
    compound_id: int
    compound_name: str = Field(..., alias="compound.name")


class RoomOut(Schema):
    id: int
    number: str
    floor: int | None
    area: Decimal
    area_source: str
    unit: str = Field(..., alias="unit.number")
    building_id: int = Field(..., alias="unit.building_id")
    compound_id: int = Field(..., alias="unit.building.compound_id")


class RoomAreaIn(Schema):
    area: Decimal
    area_source: Room.AreaSource
    reason: str = Field(..., min_length=1, max_length=200, description="Why it is changed; goes on the record.")
