"""API shapes for appeals. What depends on the viewer (contact phone, timeline, actions) is
worked out by the handler through the selectors and set on the appeal before it is serialised.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema

from jiayuan.core.identity import mask_free_text

from . import selectors
from .models import Appeal


class Ref(Schema):
    id: int
    name: str


class PlaceRef(Schema):
    """A building or room, named the way people say it: 金利花园 1号楼 1单元 101."""

    id: int
    name: str

    @staticmethod
    def resolve_name(obj) -> str:
        return str(obj)


class CategoryRef(Schema):
    id: int
    code: str
    name: str
    path: str


class AppealOut(Schema):
    id: int
    number: str
    title: str
    status: str
    status_label: str
    channel: str
    level: str
    category: CategoryRef
    compound: Ref
    town_name: str = Field(..., alias="compound.community.town.name")
    community_name: str = Field(..., alias="compound.community.name")
    unit: Ref
    received_at: dt.datetime
    deadline: dt.date
    overdue_since: dt.date | None
    supervision: str
    rating: str
    rated_contacted: bool | None = Field(..., description="The resident's answer: contacted by the handling unit?")
    rated_solved: bool | None = Field(..., description="The resident's answer: was the problem solved?")
    version: int

    @staticmethod
    def resolve_title(obj, context) -> str:
        """Personal numbers typed into the title are masked for everyone who sees the contact masked."""
        request = (context or {}).get("request")
        shown = request is not None and selectors.shows_contact_data(viewer=request.user, appeal=obj)
        return obj.title if shown else mask_free_text(obj.title)

    @staticmethod
    def resolve_status_label(obj: Appeal) -> str:
        return str(Appeal.Status(obj.status).label)


class PhotoOut(Schema):
    id: int
    kind: str = Field(..., description="before: the report's photo of the problem; after: the fixed problem's")
    url: str
    content_type: str
    size: int


class EventOut(Schema):
    id: int
    at: dt.datetime
    action: str
    from_status: str
    to_status: str
    unit: Ref | None
    by: str | None
    reason: str
    days: int | None = Field(None, description="the working days an extension asks for or grants")


class AppealDetailOut(AppealOut):
    description: str = Field(..., alias="visible_description")
    building: PlaceRef | None
    room: PlaceRef | None
    latitude: Decimal | None
    longitude: Decimal | None
    contact_name: str
    contact_phone: str = Field(..., alias="visible_contact_phone")
    contact_shown: bool
    first_unit: Ref
    dispatched_at: dt.datetime | None
    contacted_at: dt.datetime | None
    extension_days: int
    resolved_at: dt.datetime | None
    resolved_level: str
    resolution: str = Field(..., alias="visible_resolution")
    via_four_party: bool
    public: bool
    public_summary: str
    closed_at: dt.datetime | None
    rated_at: dt.datetime | None
    rating_comment: str = Field(..., alias="visible_rating_comment")
    merged_into_id: int | None
    photos: list[PhotoOut] = Field(..., alias="visible_photos")
    timeline: list[EventOut]
    actions: list[str] = Field(..., description="What the viewer may do now, e.g. accept, dispatch, rate.")


class CategoryNode(Schema):
    id: int
    code: str
    name: str
    level: int
    deadline_days: int
    children: list[CategoryNode] = []


CategoryNode.model_rebuild()


class NotificationOut(Schema):
    id: int
    appeal_id: int
    appeal_number: str = Field(..., alias="appeal.number")
    message: str
    created_at: dt.datetime
    read_at: dt.datetime | None


class AppealIn(Schema):
    """A new appeal, sent as a multipart form (photos go in the `photos` file field)."""

    category: str = Field(..., description="The category's code, e.g. 010203.")
    title: str
    description: str
    compound: int
    building: int | None = None
    room: int | None = None
    channel: str | None = Field(None, description="Residents leave it out; staff name the channel they heard it on.")
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None


class ActionIn(Schema):
    """One body for every action; each action reads the fields it needs."""

    version: int = Field(..., description="The version the caller last saw; a newer one answers 409.")
    reason: str = ""
    department: int | None = None
    days: int | None = None
    resolution: str = ""
    via_four_party: bool = False
    reached: bool | None = None
    note: str = ""
    contacted: bool | None = Field(
        None,
        description="rate (required) and callback (optional, for a resident "
        "without an account): were you contacted by the handling unit?",
    )
    solved: bool | None = Field(None, description="rate (required) and callback (optional): was the problem solved?")
    rating: str = Field("", description="satisfied, basic or dissatisfied (rate: required; callback: optional)")
    comment: str = ""
    into: int | None = None
    level: str = ""


class FieldError(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    detail: list[FieldError]


class PublicIn(Schema):
    public: bool = Field(..., description="Open the appeal to anyone through Open311 (true) or close it (false).")
    summary: str = Field(
        "",
        max_length=200,
        description="What the public record says beside the category and "
        "the compound; no room, names, phone or ID numbers.",
    )
