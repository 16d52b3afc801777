"""API shapes of committee life."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.utils import timezone
from ninja import Field, Schema

from jiayuan.core.api import SaneDate

from .terms import filing_deadline, term_state


class CommitteeCompoundRef(Schema):
    id: int
    name: str


class CommitteeOut(Schema):
    id: int
    name: str
    established_on: dt.date
    term_end: dt.date
    seats: int
    compounds: list[CommitteeCompoundRef]
    term_status: str = Field(
        ...,
        description="in_office, ending_soon (within 6 months), expired (no successor yet), superseded (a later "
        "committee took office), dissolved or not_yet",
    )
    filing_deadline: dt.date
    filing_status: str = Field(..., description="filed, filed_late, due or overdue")
    reminded: bool = Field(..., description="A reminder was sent for the current term end")

    @staticmethod
    def resolve_compounds(obj):
        return list(obj.compounds.all())

    @staticmethod
    def resolve_term_status(obj):
        return term_state(obj, timezone.localdate())

    @staticmethod
    def resolve_filing_deadline(obj):
        return filing_deadline(obj)

    @staticmethod
    def resolve_filing_status(obj):
        from .selectors import filing_state

        return filing_state(obj).status

    @staticmethod
    def resolve_reminded(obj):
        return bool(getattr(obj, "reminded", False))


class MemberOut(Schema):
    post_id: int = Field(..., alias="pk")
    person_id: int
    person_name: str = Field(..., alias="person.name")
    role: str
    start_date: dt.date
    end_date: dt.date | None


class FilingOut(Schema):
    filed_on: dt.date
    filed_with_housing: bool
    filed_with_town: bool
    reference: str
    note: str
    late: bool


class ReminderOut(Schema):
    id: int
    committee_id: int
    term_end: dt.date
    reminded_on: dt.date
    expired: bool
    recipient_count: int


class CommitteeDetailOut(CommitteeOut):
    members: list[MemberOut] = Field(..., alias="members_shown")
    filing: FilingOut | None = Field(..., alias="filing_shown")
    reminders: list[ReminderOut] = Field(..., alias="reminders_shown")


class TermsOut(Schema):
    horizon: dt.date
    soon: list[CommitteeOut]
    expired: list[CommitteeOut]


class FilingsOut(Schema):
    due: list[CommitteeOut]
    overdue: list[CommitteeOut]
    filed: list[CommitteeOut]


class FilingIn(Schema):
    filed_on: SaneDate
    filed_with_housing: bool = False
    filed_with_town: bool = False
    reference: str = ""
    note: str = ""


# --- Duty lists -------------------------------------------------------------------------------------


class DutyItemOut(Schema):
    id: int
    city_id: int
    list: str
    text: str
    position: int
    active: bool


class DutyItemIn(Schema):
    city_id: int
    list: Literal["duty", "negative"]
    text: str
    position: int | None = None


class DutyItemPatch(Schema):
    text: str | None = None
    position: int | None = None
    active: bool | None = None


# --- Self-inspection -----------------------------------------------------------------------------------


class InspectionOut(Schema):
    id: int
    committee_id: int
    committee_name: str = Field(..., alias="committee.name")
    held_on: dt.date
    status: str
    closed_on: dt.date | None
    note: str
    item_count: int
    met_count: int
    not_met_count: int
    open_count: int


class ResultOut(Schema):
    item_id: int
    list: str = Field(..., alias="item.list")
    text: str = Field(..., alias="item.text")
    result: str
    note: str
    task_id: int | None = None

    @staticmethod
    def resolve_task_id(obj):
        from .models import RectificationTask

        try:
            return obj.task.pk
        except RectificationTask.DoesNotExist:
            return None


class InspectionDetailOut(InspectionOut):
    results: list[ResultOut] = Field(..., alias="results_shown")


class InspectionIn(Schema):
    held_on: SaneDate
    note: str = ""


class AnswerIn(Schema):
    item_id: int
    result: Literal["", "met", "not_met"]
    note: str = ""


class AnswersIn(Schema):
    answers: list[AnswerIn]


class CloseIn(Schema):
    due_on: SaneDate | None = None


# --- Tasks and evaluations ------------------------------------------------------------------------------------


class TaskOut(Schema):
    id: int
    committee_id: int
    committee_name: str = Field(..., alias="committee.name")
    source: str
    result_id: int | None
    evaluation_id: int | None
    description: str
    created_on: dt.date
    due_on: dt.date
    done_on: dt.date | None
    done_note: str

    @staticmethod
    def resolve_source(obj):
        return "self_inspection" if obj.result_id else "evaluation"


class TaskCompleteIn(Schema):
    done_on: SaneDate
    done_note: str


class EvaluationOut(Schema):
    id: int
    committee_id: int
    post_id: int
    person_name: str = Field(..., alias="post.person.name")
    role: str = Field(..., alias="post.role")
    outcome: str
    reason: str
    decided_on: dt.date
    led_by: str
    post_end_date: dt.date | None = Field(..., alias="post.end_date")
    task_id: int | None = None

    @staticmethod
    def resolve_task_id(obj):
        from .models import RectificationTask

        try:
            return obj.task.pk
        except RectificationTask.DoesNotExist:
            return None


class EvaluationIn(Schema):
    post_id: int
    outcome: Literal["removal", "ordered_rectification", "urged_improvement"]
    reason: str
    decided_on: SaneDate
    led_by: str
    due_on: SaneDate | None = None
    task_description: str = ""
