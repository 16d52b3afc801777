"""Writes of an owners' general meeting: motions, announcement (which freezes the electorate), ballots
online, on paper and on site, corrections, the count and its publication, and forming the elected committee.

The count goes through the pure rule engine (tally.py), fed with the electorate frozen at announcement,
so the web verdict and jiayuan tally on the exported files (selectors.tally_files) agree by construction.
"""

from ._common import FIRST_MEETING_DAYS, MIN_COMMITTEE, NOTICE_DAYS, Channel, Choice, Status
from .ballots import (
    ballot_correct,
    ballots_cast_online,
    meeting_cancel,
    onsite_ballot_record,
    paper_ballot_check,
    paper_ballot_enter,
    slate,
    voter_for_room,
)
from .calling import meeting_announce, meeting_create, motion_add, room_label
from .count import (
    committee_officers_choose,
    counted_ballots,
    frozen_electorate,
    meeting_count,
    meeting_publish,
    rank_candidates,
)

__all__ = [
    "Channel",
    "Choice",
    "FIRST_MEETING_DAYS",
    "MIN_COMMITTEE",
    "NOTICE_DAYS",
    "Status",
    "ballot_correct",
    "ballots_cast_online",
    "committee_officers_choose",
    "counted_ballots",
    "frozen_electorate",
    "meeting_announce",
    "meeting_cancel",
    "meeting_count",
    "meeting_create",
    "meeting_publish",
    "motion_add",
    "onsite_ballot_record",
    "paper_ballot_check",
    "paper_ballot_enter",
    "rank_candidates",
    "room_label",
    "slate",
    "voter_for_room",
]
