"""API shapes of elections and owners' general meetings.

Times are ISO 8601 in China Standard Time (+08:00); a time given without an offset is read as local time.
Areas are decimal strings ("1234.50") and shares exact fractions ("7/9"), never floats.
Nothing here carries an ID or phone number.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.utils import timezone
from ninja import Field, Schema
from pydantic import AfterValidator

from jiayuan.core.api import SaneDate, SaneDateTime

from .facts import facts_for
from .models import EligibilityBar


def _local(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return timezone.localtime(value)


LocalDateTime = Annotated[SaneDateTime, AfterValidator(_local)]


def _decimal_text(value) -> str | None:
    return None if value is None else str(value)


# --- Campaigns ----------------------------------------------------------------------------------


class CampaignOut(Schema):
    id: int
    compound_id: int
    compound_name: str = Field(..., alias="compound.name")
    kind: str
    kind_label: str = Field(..., alias="get_kind_display")
    status: str
    status_label: str = Field(..., alias="get_status_display")
    seats: int
    term_years: int
    co_nominators_required: int
    notice_days: int
    notice_starts: dt.date | None
    notice_ends: dt.date | None
    opened_on: dt.date
    predecessor_id: int | None
    committee_id: int | None
    candidate_count: int = Field(
        0, description="Candidates of every status (as many as the viewer may see are listed in the detail)"
    )


class ReviewOutcomeOut(Schema):
    body_id: int
    body: str = Field(..., alias="body.name")
    outcome: str
    reason: str
    reviewed_at: LocalDateTime | None


class InterviewOut(Schema):
    held_on: dt.date
    panel: str
    notes: str
    passed: bool


class SpeechOut(Schema):
    summary: str
    pledge: str
    pledge_signed_on: dt.date


class ObjectionOut(Schema):
    id: int
    candidate_id: int
    lodged_by: str = Field(..., alias="lodged_by.name")
    text: str
    lodged_at: LocalDateTime
    answer: str
    upheld: bool | None
    answered_at: LocalDateTime | None


class CandidateOut(Schema):
    """A candidate as the viewer may see them: those who run the election see the review outcomes, the
    interview, rooms, co-nominators and objections; owners see the slate with the speeches."""

    id: int
    person_id: int
    name: str = Field(..., alias="person.name")
    route: str
    route_label: str = Field(..., alias="get_route_display")
    status: str
    status_label: str = Field(..., alias="get_status_display")
    statement: str
    speech: SpeechOut | None = Field(None, alias="shown_speech")
    rooms: list[str] | None = Field(None, alias="shown_rooms")
    co_nominators: list[str] | None = Field(None, alias="shown_co_nominators")
    reviews: list[ReviewOutcomeOut] | None = Field(None, alias="shown_reviews")
    interview: InterviewOut | None = Field(None, alias="shown_interview")
    objections: list[ObjectionOut] | None = Field(None, alias="shown_objections")


class StepOut(Schema):
    source: str
    target: str
    at: LocalDateTime
    note: str


class CampaignMeetingOut(Schema):
    held_at: LocalDateTime
    place: str
    livestream_url: str
    attendance: int | None


class CampaignDetailOut(CampaignOut):
    runs_election: bool = Field(..., alias="viewer_runs", description="Whether the viewer may run this election")
    candidates: list[CandidateOut] = Field(..., alias="shown_candidates")
    steps: list[StepOut] = Field(..., alias="shown_steps")
    campaign_meeting: CampaignMeetingOut | None = Field(None, alias="shown_campaign_meeting")
    missing_before_vote: list[str] = Field(
        ..., alias="shown_missing", description="What still stops the election going to a general meeting"
    )


class CampaignIn(Schema):
    compound_id: int
    kind: str = Field(..., description="first or re_election")
    seats: int = Field(..., description="Odd, 5 to 11")
    opened_on: SaneDate | None = Field(None, description="Today when left out")
    term_years: int = 5
    co_nominators_required: int = 5
    notice_days: int = 7


class NominationIn(Schema):
    person_id: int
    route: str = Field(..., description="party, community or owners")
    statement: str = ""
    co_nominator_ids: list[int] = Field(default_factory=list, description="Co-nominating owners (route owners)")


class CampaignActionIn(Schema):
    note: str = ""
    reason: str = Field("", description="Required to cancel")


class SlateIn(Schema):
    candidate_ids: list[int]
    seats: int
    notice_starts: SaneDate


class InterviewIn(Schema):
    held_on: SaneDate
    panel: str
    notes: str
    passed: bool


class ObjectionIn(Schema):
    text: str


class ObjectionAnswerIn(Schema):
    answer: str
    upheld: bool


class CampaignMeetingIn(Schema):
    held_at: LocalDateTime
    place: str
    livestream_url: str = ""
    attendance: int | None = Field(None, ge=0)


class SpeechIn(Schema):
    summary: str
    pledge: str
    pledge_signed_on: SaneDate


# --- Joint qualification review ------------------------------------------------------------------


class FactOut(Schema):
    topic: str
    text: str
    concern: bool


class ReviewOut(Schema):
    id: int
    body_id: int
    body: str = Field(..., alias="body.name")
    body_checks: str = Field(..., alias="body.checks")
    candidate_id: int
    candidate_name: str = Field(..., alias="candidate.person.name")
    campaign_id: int = Field(..., alias="candidate.campaign_id")
    campaign_status: str = Field(..., alias="candidate.campaign.status")
    compound_name: str = Field(..., alias="candidate.campaign.compound.name")
    outcome: str
    reason: str
    reviewed_at: LocalDateTime | None
    facts: list[FactOut] = Field(..., description="What the platform already holds about the candidate")
    bars: list[str] = Field(..., description="The city's local eligibility bars in force")

    @staticmethod
    def resolve_facts(obj):
        return [{"topic": str(f.topic), "text": str(f.text), "concern": f.concern} for f in facts_for(obj.candidate)]

    @staticmethod
    def resolve_bars(obj):
        city_id = obj.candidate.campaign.compound.community.town.city_id
        return list(EligibilityBar.objects.filter(city_id=city_id, enabled=True).values_list("label", flat=True))


class ReviewIn(Schema):
    outcome: str = Field(..., description="pass or fail")
    reason: str = Field("", description="Required for a fail, and to pass a flagged candidate")


class BodyCountOut(Schema):
    body: str
    decided: int
    passed: int
    failed: int
    pending: int


# --- General meetings -------------------------------------------------------------------------------


class MeetingOut(Schema):
    id: int
    compound_id: int
    compound_name: str = Field(..., alias="compound.name")
    campaign_id: int | None
    title: str
    status: str
    status_label: str = Field(..., alias="get_status_display")
    place: str
    voting_opens: LocalDateTime
    voting_closes: LocalDateTime
    announced_on: dt.date | None
    counted_at: LocalDateTime | None
    published_at: LocalDateTime | None
    total_area: str | None = Field(None, description="m², frozen at announcement")
    total_heads: int | None = Field(None, description="Voters, frozen at announcement")

    @staticmethod
    def resolve_total_area(obj):
        return _decimal_text(obj.total_area)


class SlateCandidateOut(Schema):
    id: int
    name: str = Field(..., alias="person.name")


class MotionOut(Schema):
    id: int
    number: int
    matter: int
    matter_label: str = Field(..., alias="get_matter_display")
    title: str
    text: str
    is_election: bool
    candidates: list[SlateCandidateOut] = Field(..., alias="shown_slate")


class TurnoutOut(Schema):
    number: int
    cast: int
    unchecked: int = Field(..., description="Paper ballots not yet checked by a second person")


class MeetingDetailOut(MeetingOut):
    runs_election: bool = Field(..., alias="viewer_runs")
    results_visible: bool = Field(..., alias="viewer_sees_results")
    motions: list[MotionOut] = Field(..., alias="shown_motions")
    turnout: list[TurnoutOut] | None = Field(
        None, alias="shown_turnout", description="Ballots so far, for those who run the meeting"
    )


class MeetingIn(Schema):
    compound_id: int
    title: str
    voting_opens: LocalDateTime
    voting_closes: LocalDateTime
    place: str = ""
    campaign_id: int | None = Field(None, description="The election this meeting votes on (motion 1)")


class MotionIn(Schema):
    matter: int = Field(..., description="Civil Code matter, 1 to 9")
    title: str
    text: str = ""


Vote = str | dict[int, str]


class BallotIn(Schema):
    votes: dict[int, Vote] = Field(
        ...,
        description='{"1": {"<candidate id>": "agree"}, "2": "against"}: per motion '
        "number, agree/against/abstain, or one choice per candidate",
    )


class PaperBallotIn(BallotIn):
    room: str = Field(..., description='A room of the voter, as "1号楼 1单元 101"')
    paper_number: str
    received_at: LocalDateTime


class BallotOut(Schema):
    id: int
    motion_number: int = Field(..., alias="motion.number")
    choice: str
    candidate_choices: dict[str, str] = Field(..., alias="shown_choices")
    channel: str
    paper_number: str
    cast_at: LocalDateTime
    counts: bool = Field(..., description="Online and on-site ballots count; paper ones once checked")


class MyBallotOut(Schema):
    in_electorate: bool
    voter: str | None = Field(None, description="The voter the viewer casts for (a co-owned room is one voter)")
    ballots: list[BallotOut]


class CheckOut(Schema):
    paper_number: str
    checked: int = Field(..., description="Motions' ballots confirmed")


class VerdictOut(Schema):
    candidate: int | None
    candidate_name: str | None
    total_area: str
    total_heads: int
    participating_area: str
    participating_heads: int
    area_turnout: str
    heads_turnout: str
    quorum_met: bool
    agree_area: str
    agree_heads: int
    against_area: str
    against_heads: int
    abstain_area: str
    abstain_heads: int
    agree_area_share: str
    agree_heads_share: str
    agree_area_percent: str
    agree_heads_percent: str
    threshold: str
    passed: bool
    rank: int | None
    elected: bool
    tie_note: str


class MotionResultOut(Schema):
    number: int
    matter: int
    matter_label: str
    title: str
    is_election: bool
    verdicts: list[VerdictOut]


class ResultsOut(Schema):
    meeting_id: int
    status: str
    counted_at: LocalDateTime | None
    published_at: LocalDateTime | None
    motions: list[MotionResultOut]
