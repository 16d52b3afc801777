"""Writes of an election campaign: nominations, the joint qualification review, interviews, the slate
and its public notice, objections, the campaign meeting. Each takes actor and leaves audit rows."""

# The lock and the refusal the general meeting's writes share with the campaign's.
from ._common import Status, _locked, _refuse_unless, move, rooms_owned  # noqa: F401
from .nominations import campaign_open, candidate_nominate, candidate_withdraw, preparatory_member_add
from .review import interviews_start, review_record, review_start
from .slate import (
    campaign_cancel,
    campaign_meeting_record,
    campaigning_start,
    interview_record,
    objection_answer,
    objection_lodge,
    ready_to_vote,
    slate_publish,
    speech_record,
)

__all__ = [
    "Status",
    "campaign_cancel",
    "campaign_meeting_record",
    "campaign_open",
    "campaigning_start",
    "candidate_nominate",
    "candidate_withdraw",
    "interview_record",
    "interviews_start",
    "move",
    "objection_answer",
    "objection_lodge",
    "preparatory_member_add",
    "ready_to_vote",
    "review_record",
    "review_start",
    "rooms_owned",
    "slate_publish",
    "speech_record",
]
