"""Owners' committee elections (campaign, joint qualification review, slate, campaign meeting) and
owners' general meetings (motions, frozen electorate, ballots, results). DOMAIN.md §3–§5.

The vote itself is counted by the pure rule engine in tally.py; the tables here hold its inputs
(the electorate frozen at announcement, the ballots) and its published outputs.
"""

from .campaigns import (
    Campaign,
    CampaignMeeting,
    CampaignStep,
    Candidate,
    CoNomination,
    EligibilityBar,
    Interview,
    Objection,
    PreparatoryMember,
    Review,
    ReviewBody,
    Speech,
)
from .meetings import Ballot, CandidateChoice, ElectorateRoom, GeneralMeeting, Motion, Result, Voter, VoterMember

__all__ = [
    "Ballot",
    "Campaign",
    "CampaignMeeting",
    "CampaignStep",
    "Candidate",
    "CandidateChoice",
    "CoNomination",
    "ElectorateRoom",
    "EligibilityBar",
    "GeneralMeeting",
    "Interview",
    "Motion",
    "Objection",
    "PreparatoryMember",
    "Result",
    "Review",
    "ReviewBody",
    "Speech",
    "Voter",
    "VoterMember",
]
