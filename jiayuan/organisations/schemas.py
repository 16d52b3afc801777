"""API shapes for organisations, their posts, and owners' committees."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from jiayuan.core.api import SaneDate

from .models import Post


class OrganisationOut(Schema):
    id: int
    kind: str
    kind_label: str
    name: str
    city_id: int | None
    town_id: int | None
    community_id: int | None
    parent_id: int | None
    state_owned: bool
    established_on: dt.date
    dissolved_on: dt.date | None
    term_end: dt.date | None
    seats: int | None

    @staticmethod
    def resolve_kind_label(obj):
        return str(obj.get_kind_display())


class PostOut(Schema):
    id: int
    organisation_id: int
    person_id: int
    person_name: str = Field(..., alias="person.name")
    role: str
    role_label: str
    start_date: dt.date
    end_date: dt.date | None
    building_id: int | None
    grid_id: int | None
    compound_id: int | None

    @staticmethod
    def resolve_role_label(obj):
        return str(obj.get_role_display())


class CompoundRef(Schema):
    id: int
    code: str
    name: str


class OrganisationPosts(Schema):
    current: list[PostOut]
    past: list[PostOut]


class OrganisationDetailOut(OrganisationOut):
    """Read from an organisation whose `visible_*` attributes the handler filled through scoped selectors."""

    compounds: list[CompoundRef] = Field(..., alias="visible_compounds")
    posts: OrganisationPosts = Field(..., alias="visible_posts")


class PostIn(Schema):
    person_id: int
    role: Post.Role
    start_date: SaneDate
    end_date: SaneDate | None = None
    building_id: int | None = None
    grid_id: int | None = None
    compound_id: int | None = None


class CommitteeIn(Schema):
    compound_id: int
    name: str = Field(..., min_length=1, max_length=100)
    established_on: SaneDate
    term_end: SaneDate
    seats: int
