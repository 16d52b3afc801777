"""What the elections API shows a viewer of a campaign, a candidate, a general meeting and their own ballot:
those who run the election see everything, owners see the slate and their own ballots."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist

from . import rules, selectors, workflow
from .models import Campaign, CampaignMeeting, Objection
from .services import assembly
from .services import campaign as campaign_services


def one_to_one(obj, name: str):
    """A one-to-one relation that may be missing."""
    try:
        return getattr(obj, name)
    except ObjectDoesNotExist:
        return None


def candidate_shown(candidate, *, runs: bool, objections: list[Objection] | None = None):
    """Fill in what the viewer may see of a candidate: those who run the election see everything."""
    candidate.shown_speech = one_to_one(candidate, "speech")
    candidate.shown_rooms = candidate.shown_co_nominators = candidate.shown_reviews = None
    candidate.shown_interview = candidate.shown_objections = None
    if runs:
        candidate.shown_rooms = [assembly.room_label(room) for room in candidate.rooms.all()]
        candidate.shown_co_nominators = [c.person.name for c in candidate.co_nominations.all()]
        candidate.shown_reviews = list(candidate.reviews.all())
        candidate.shown_interview = one_to_one(candidate, "interview")
        if objections is None:
            objections = list(Objection.objects.filter(candidate=candidate).select_related("lodged_by"))
        candidate.shown_objections = [o for o in objections if o.candidate_id == candidate.pk]
    return candidate


def campaign_shown(viewer, campaign: Campaign) -> Campaign:
    runs = selectors.is_staff_viewer(viewer, campaign.compound)
    objections = (
        list(Objection.objects.filter(candidate__campaign=campaign).select_related("lodged_by")) if runs else []
    )
    campaign.viewer_runs = runs
    campaign.shown_candidates = [
        candidate_shown(c, runs=runs, objections=objections)
        for c in selectors.candidates_of(viewer=viewer, campaign=campaign)
    ]
    campaign.shown_steps = list(campaign.steps.all())
    campaign.shown_campaign_meeting = CampaignMeeting.objects.filter(campaign=campaign).first()
    campaign.shown_missing = (
        campaign_services.ready_to_vote(campaign) if workflow.CAMPAIGN.can(campaign.status, "call_meeting") else []
    )
    return campaign


def candidate_get_shown(viewer, campaign: Campaign, pk: int):
    candidate = selectors.candidate_get(viewer=viewer, campaign=campaign, pk=pk)
    return candidate_shown(candidate, runs=selectors.is_staff_viewer(viewer, campaign.compound))


def meeting_shown(viewer, meeting):
    runs = rules.may_run_election(viewer, meeting.compound)
    motions = list(selectors.motions_of(meeting))
    for motion in motions:
        motion.shown_slate = assembly.slate(motion)
    meeting.viewer_runs = runs
    meeting.viewer_sees_results = selectors.results_visible(viewer=viewer, meeting=meeting)
    meeting.shown_motions = motions
    meeting.shown_turnout = None
    if runs:
        turnout = selectors.turnout(meeting)
        meeting.shown_turnout = [
            {
                "number": m.number,
                "cast": turnout.get(m.number, {}).get("cast", 0),
                "unchecked": turnout.get(m.number, {}).get("unchecked", 0),
            }
            for m in motions
        ]
    return meeting


def ballot_shown(ballot):
    ballot.shown_choices = {str(c.candidate_id): c.choice for c in ballot.candidate_choices.all()}
    return ballot


def my_ballot_shown(viewer, meeting) -> dict:
    member = selectors.membership(meeting, viewer)
    if member is None:
        return {"in_electorate": False, "voter": None, "ballots": []}
    ballots = selectors.ballots_of_voter(meeting, member.voter)
    return {
        "in_electorate": True,
        "voter": member.voter.label,
        "ballots": [ballot_shown(ballots[number]) for number in sorted(ballots)],
    }
