"""API shapes of the outreach registers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from ninja import Field, Schema
from pydantic import model_validator

from jiayuan.core.api import SaneDate


def _local_time(day: dt.date, moment: dt.time) -> dt.time:
    """A time of day as the platform's zone reads it on `day`; a time with an offset is converted."""
    if moment.tzinfo is None:
        return moment
    aware = dt.datetime.combine(day, moment.replace(tzinfo=None), tzinfo=moment.tzinfo)
    return timezone.localtime(aware).time().replace(tzinfo=None)


def _with_offset(day: dt.date, moment: dt.time) -> str:
    """A stored local time of day with the platform zone's offset on `day`, e.g. 09:00:00+08:00."""
    aware = timezone.make_aware(dt.datetime.combine(day, moment))
    return moment.replace(tzinfo=dt.timezone(aware.utcoffset())).isoformat()


# --- Reception days --------------------------------------------------------------------


class SessionOut(Schema):
    id: int
    leader_id: int
    leader_name: str = Field(..., alias="leader.name")
    compound_id: int
    compound_name: str = Field(..., alias="compound.name")
    town_id: int = Field(..., alias="compound.community.town_id")
    organiser_id: int
    organiser_name: str = Field(..., alias="organiser.name")
    held_on: dt.date
    starts_at: str = Field(..., description="Local time with the platform zone's offset, e.g. 09:00:00+08:00.")
    ends_at: str = Field(..., description="Local time with the platform zone's offset.")
    place: str
    note: str
    visitor_count: int
    issue_count: int
    accepted_count: int
    resolved_count: int

    @staticmethod
    def resolve_starts_at(obj) -> str:
        return _with_offset(obj.held_on, obj.starts_at)

    @staticmethod
    def resolve_ends_at(obj) -> str:
        return _with_offset(obj.held_on, obj.ends_at)


class VisitorOut(Schema):
    id: int
    name: str
    phone: str = Field(..., alias="shown_phone", description="Masked unless the viewer may see personal data")
    people_count: int
    issues: str
    person_id: int | None


class IssueOut(Schema):
    id: int
    visitor_id: int | None
    appeal_id: int
    appeal_number: str = Field(..., alias="appeal.number")
    title: str = Field(..., alias="appeal.title")
    status: str = Field(..., alias="appeal.status")
    rating: str = Field(..., alias="appeal.rating")


class SessionDetailOut(SessionOut):
    visitors: list[VisitorOut] = Field(..., alias="visitors_shown")
    issues: list[IssueOut] = Field(..., alias="issues_shown")


class TownReceptionOut(Schema):
    town_id: int = Field(..., alias="town.pk")
    town_name: str = Field(..., alias="town.name")
    sessions: int
    visitors: int
    issues: int
    accepted: int
    resolved: int
    rated: int
    satisfaction: float | None

    @staticmethod
    def resolve_satisfaction(obj):
        return None if obj.satisfaction is None else round(float(obj.satisfaction), 4)


class SessionIn(Schema):
    leader_id: int
    compound_id: int
    organiser_id: int
    held_on: SaneDate
    starts_at: dt.time = Field(..., description="Local time (09:00) or with an offset (09:00:00+08:00).")
    ends_at: dt.time
    place: str
    note: str = ""

    @model_validator(mode="after")
    def _times_in_the_platform_zone(self):
        self.starts_at = _local_time(self.held_on, self.starts_at)
        self.ends_at = _local_time(self.held_on, self.ends_at)
        return self


class VisitorIn(Schema):
    name: str
    phone: str = ""
    people_count: int = 1
    issues: str = ""
    person_id: int | None = None


class IssueIn(Schema):
    category_id: int
    title: str
    description: str
    visitor_id: int | None = None
    compound_id: int | None = None


# --- Linked departments ----------------------------------------------------------------------


class LinkOut(Schema):
    id: int
    department_id: int
    department_name: str = Field(..., alias="department.name")
    compound_id: int
    compound_name: str = Field(..., alias="compound.name")
    start_date: dt.date
    end_date: dt.date | None
    reason: str
    note: str
    action_count: int
    open_appeal_count: int


class ActionOut(Schema):
    id: int
    done_on: dt.date
    description: str
    done_by: str


class LinkDetailOut(LinkOut):
    actions: list[ActionOut] = Field(..., alias="actions_list")


class LinkIn(Schema):
    department_id: int
    compound_id: int
    start_date: SaneDate
    reason: str = "poorly_managed"
    note: str = ""


class LinkEndIn(Schema):
    end_date: SaneDate


class LinkActionIn(Schema):
    done_on: SaneDate
    description: str
    done_by: str


# --- Service log ---------------------------------------------------------------------------------


class ServiceRecordOut(Schema):
    id: int
    member_id: int
    member_name: str = Field(..., alias="member.person.name")
    workplace: str = Field(..., alias="member.workplace")
    compound_id: int
    compound_name: str = Field(..., alias="compound.name")
    served_on: dt.date
    hours: Decimal
    kind: str
    description: str


class ServiceRecordIn(Schema):
    member_id: int
    served_on: SaneDate
    hours: Decimal
    kind: str
    description: str = ""


class ServiceSummaryOut(Schema):
    key: str
    records: int
    members: int
    hours: Decimal


# --- Dispute register -------------------------------------------------------------------------------


class DisputeOut(Schema):
    id: int
    compound_id: int
    compound_name: str = Field(..., alias="compound.name")
    found_on: dt.date
    found_by: str
    parties: str
    category: str
    description: str
    risk: str
    status: str
    handled_on: dt.date | None
    outcome: str
    appeal_id: int | None
    appeal_number: str | None

    @staticmethod
    def resolve_appeal_number(obj):
        return obj.appeal.number if obj.appeal_id else None


class DisputeIn(Schema):
    compound_id: int
    found_on: SaneDate
    found_by: str
    parties: str
    category: str
    description: str
    risk: str


class DisputeResolveIn(Schema):
    outcome: str
    handled_on: SaneDate | None = None


class DisputeEscalateIn(Schema):
    category_id: int
    channel: str = "grid_worker"
    title: str = ""
