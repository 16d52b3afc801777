"""/api/v1/elections: election campaigns, the joint qualification review, and owners' general meetings.

Reads go through the scoped selectors: an object outside the viewer's scope answers 404 (a review outside
the viewer's own queue too). Writes go through the services: bad input answers 422 naming the field; a write
on an election the viewer may see but does not run answers 403. An owner votes only in their own name.
"""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.errors import HttpError

from jiayuan.core.api import DbId, SaneDate, paginated, service_call, visible_or_422
from jiayuan.core.scope import get_visible_or_404
from jiayuan.people.selectors import person_list
from jiayuan.places.selectors import compound_list

from . import rules, selectors, shown
from .models import Objection
from .schemas import (
    BallotIn,
    BallotOut,
    BodyCountOut,
    CampaignActionIn,
    CampaignDetailOut,
    CampaignIn,
    CampaignMeetingIn,
    CampaignMeetingOut,
    CampaignOut,
    CandidateOut,
    CheckOut,
    InterviewIn,
    MeetingDetailOut,
    MeetingIn,
    MeetingOut,
    MotionIn,
    MotionOut,
    MyBallotOut,
    NominationIn,
    ObjectionAnswerIn,
    ObjectionIn,
    ObjectionOut,
    PaperBallotIn,
    ResultsOut,
    ReviewIn,
    ReviewOut,
    SlateIn,
    SpeechIn,
)
from .services import assembly
from .services import campaign as campaign_services
from .steps import API_STEPS

router = Router(tags=["elections"])


# --- Shared pieces -----------------------------------------------------------------------------------


def _require_runner(viewer, compound) -> None:
    """Writes that run an election: the compound's town, community, party branch or the city. Others: 403."""
    if not rules.may_run_election(viewer, compound):
        raise HttpError(403, _("You do not run the elections of %(compound)s.") % {"compound": compound})


# --- Campaigns -----------------------------------------------------------------------------------------


@router.get("/campaigns", response=list[CampaignOut], summary="Election campaigns the viewer may see")
@paginated
def campaign_list(request, status: str = "", compound_id: DbId | None = None):
    campaigns = selectors.campaign_list(viewer=request.user, status=status)
    if compound_id is not None:
        campaigns = campaigns.filter(compound_id=compound_id)
    return campaigns


@router.post("/campaigns", response={201: CampaignDetailOut}, summary="Open the election of a compound's committee")
def campaign_open(request, payload: CampaignIn):
    viewer = request.user
    compound = visible_or_422(compound_list(viewer=viewer), payload.compound_id, "compound_id")
    _require_runner(viewer, compound)
    with service_call(compound="compound_id"):
        campaign = campaign_services.campaign_open(
            actor=viewer,
            compound=compound,
            kind=payload.kind,
            seats=payload.seats,
            opened_on=payload.opened_on or timezone.localdate(),
            term_years=payload.term_years,
            co_nominators_required=payload.co_nominators_required,
            notice_days=payload.notice_days,
        )
    return Status(201, shown.campaign_shown(viewer, selectors.campaign_get(viewer=viewer, pk=campaign.pk)))


@router.get(
    "/campaigns/{id}",
    response=CampaignDetailOut,
    summary="A campaign with its candidates (all for those who run it, the slate for owners)",
)
def campaign_detail(request, id: DbId):
    return shown.campaign_shown(request.user, selectors.campaign_get(viewer=request.user, pk=id))


@router.post("/campaigns/{id}/candidates", response={201: CandidateOut}, summary="Nominate an owner as a candidate")
def candidate_nominate(request, id: DbId, payload: NominationIn):
    """`route` is party (party-member example), community (community recommendation) or owners (joint
    nomination, naming the campaign's number of co-nominating owners in `co_nominator_ids`)."""
    viewer = request.user
    campaign = selectors.campaign_get(viewer=viewer, pk=id)
    _require_runner(viewer, campaign.compound)
    people = person_list(viewer=viewer)
    person = visible_or_422(people, payload.person_id, "person_id")
    co_nominators = [visible_or_422(people, pk, "co_nominator_ids") for pk in payload.co_nominator_ids]
    with service_call(person="person_id", co_nominators="co_nominator_ids"):
        candidate = campaign_services.candidate_nominate(
            actor=viewer,
            campaign=campaign,
            person=person,
            route=payload.route,
            statement=payload.statement,
            co_nominators=co_nominators,
        )
    return Status(201, shown.candidate_get_shown(viewer, campaign, candidate.pk))


@router.post("/campaigns/{id}/actions/{action}", response=CampaignDetailOut, summary="Move a campaign on")
def campaign_act(request, id: DbId, action: str, payload: CampaignActionIn):
    """`action` is review_start (close nominations, send every candidate to every reviewing body),
    interviews_start (every review decided), campaigning_start (after the public notice, every objection
    answered) or cancel (with a `reason`)."""
    viewer = request.user
    step = API_STEPS.get(action)
    if step is None:
        raise Http404
    campaign = selectors.campaign_get(viewer=viewer, pk=id)
    _require_runner(viewer, campaign.compound)
    with service_call():
        step.run(actor=viewer, campaign=campaign, data=payload)
    return shown.campaign_shown(viewer, selectors.campaign_get(viewer=viewer, pk=id))


@router.post(
    "/campaigns/{id}/slate",
    response=CampaignDetailOut,
    summary="Publish the slate and the number of seats; the public notice starts",
)
def slate_publish(request, id: DbId, payload: SlateIn):
    viewer = request.user
    campaign = selectors.campaign_get(viewer=viewer, pk=id)
    _require_runner(viewer, campaign.compound)
    candidates = selectors.candidates_of(viewer=viewer, campaign=campaign)
    chosen = [visible_or_422(candidates, pk, "candidate_ids") for pk in payload.candidate_ids]
    with service_call(candidates="candidate_ids"):
        campaign_services.slate_publish(
            actor=viewer, campaign=campaign, candidates=chosen, seats=payload.seats, notice_starts=payload.notice_starts
        )
    return shown.campaign_shown(viewer, selectors.campaign_get(viewer=viewer, pk=id))


@router.post(
    "/campaigns/{id}/candidates/{candidate_id}/interview",
    response=CandidateOut,
    summary="Record a candidate's interview and its outcome",
)
def interview_record(request, id: DbId, candidate_id: DbId, payload: InterviewIn):
    viewer = request.user
    campaign = selectors.campaign_get(viewer=viewer, pk=id)
    candidate = selectors.candidate_get(viewer=viewer, campaign=campaign, pk=candidate_id)
    _require_runner(viewer, campaign.compound)
    with service_call():
        campaign_services.interview_record(
            actor=viewer,
            candidate=candidate,
            held_on=payload.held_on,
            panel=payload.panel,
            notes=payload.notes,
            passed=payload.passed,
        )
    return shown.candidate_get_shown(viewer, campaign, candidate_id)


@router.post(
    "/campaigns/{id}/candidates/{candidate_id}/objections",
    response={201: ObjectionOut},
    summary="Object to a slate candidate during the public notice, in one's own name",
)
def objection_lodge(request, id: DbId, candidate_id: DbId, payload: ObjectionIn):
    viewer = request.user
    campaign = selectors.campaign_get(viewer=viewer, pk=id)
    candidate = selectors.candidate_get(viewer=viewer, campaign=campaign, pk=candidate_id)
    if viewer.person_id is None:
        raise HttpError(403, _("An objection is lodged by an owner, in their own name."))
    with service_call():
        objection = campaign_services.objection_lodge(
            actor=viewer, candidate=candidate, person=viewer.person, text=payload.text
        )
    return Status(201, Objection.objects.select_related("lodged_by").get(pk=objection.pk))


@router.post(
    "/objections/{id}/answer",
    response=ObjectionOut,
    summary="Answer an objection; an upheld one strikes the candidate off the slate",
)
def objection_answer(request, id: DbId, payload: ObjectionAnswerIn):
    viewer = request.user
    objections = Objection.objects.filter(
        rules.running_compounds_q(viewer, "candidate__campaign__compound__"),
        candidate__campaign__in=selectors.campaign_list(viewer=viewer).values("pk"),
    )
    objection = get_visible_or_404(objections, pk=id)
    with service_call():
        campaign_services.objection_answer(
            actor=viewer, objection=objection, answer=payload.answer, upheld=payload.upheld
        )
    return Objection.objects.select_related("lodged_by").get(pk=id)


@router.post(
    "/campaigns/{id}/campaign-meeting",
    response=CampaignMeetingOut,
    summary="Record the public campaign meeting and its livestream link",
)
def campaign_meeting_record(request, id: DbId, payload: CampaignMeetingIn):
    viewer = request.user
    campaign = selectors.campaign_get(viewer=viewer, pk=id)
    _require_runner(viewer, campaign.compound)
    with service_call():
        return campaign_services.campaign_meeting_record(
            actor=viewer,
            campaign=campaign,
            held_at=payload.held_at,
            place=payload.place,
            livestream_url=payload.livestream_url,
            attendance=payload.attendance,
        )


@router.post(
    "/campaigns/{id}/candidates/{candidate_id}/speech",
    response=CandidateOut,
    summary="Record a candidate's speech summary and signed pledge",
)
def speech_record(request, id: DbId, candidate_id: DbId, payload: SpeechIn):
    viewer = request.user
    campaign = selectors.campaign_get(viewer=viewer, pk=id)
    candidate = selectors.candidate_get(viewer=viewer, campaign=campaign, pk=candidate_id)
    _require_runner(viewer, campaign.compound)
    with service_call():
        campaign_services.speech_record(
            actor=viewer,
            candidate=candidate,
            summary=payload.summary,
            pledge=payload.pledge,
            pledge_signed_on=payload.pledge_signed_on,
        )
    return shown.candidate_get_shown(viewer, campaign, candidate_id)


# --- Joint qualification review ---------------------------------------------------------------------------


@router.get(
    "/reviews",
    response=list[ReviewOut],
    summary="The viewer's review queue: the reviewing bodies they act for, with the facts on each candidate",
)
@paginated
def review_list(request, pending: bool = False):
    return selectors.review_queue(viewer=request.user, pending_only=pending)


@router.post("/reviews/{id}", response=ReviewOut, summary="Record a review's pass, or fail with a reason")
def review_record(request, id: DbId, payload: ReviewIn):
    viewer = request.user
    review = selectors.review_get(viewer=viewer, pk=id)
    with service_call():
        campaign_services.review_record(actor=viewer, review=review, outcome=payload.outcome, reason=payload.reason)
    return selectors.review_get(viewer=viewer, pk=id)


@router.get(
    "/review-counts",
    response=list[BodyCountOut],
    summary="Person-reviews per reviewing body, for the campaigns the viewer sees",
)
def review_counts(request, since: SaneDate | None = None, until: SaneDate | None = None):
    return selectors.review_counts(viewer=request.user, since=since, until=until)


# --- General meetings ------------------------------------------------------------------------------------


def _votes_fields(meeting) -> dict[str, str]:
    """The services name a motion's vote motion_<n>; the API takes it as votes.<n>."""
    return {f"motion_{number}": f"votes.{number}" for number in meeting.motions.values_list("number", flat=True)}


@router.get("/meetings", response=list[MeetingOut], summary="Owners' general meetings the viewer may see")
@paginated
def meeting_list(request, status: str = "", compound_id: DbId | None = None):
    meetings = selectors.meeting_list(viewer=request.user, status=status)
    if compound_id is not None:
        meetings = meetings.filter(compound_id=compound_id)
    return meetings


@router.post(
    "/meetings",
    response={201: MeetingDetailOut},
    summary="Call a general meeting (a draft); an election's meeting gets the election as motion 1",
)
def meeting_create(request, payload: MeetingIn):
    viewer = request.user
    compound = visible_or_422(compound_list(viewer=viewer), payload.compound_id, "compound_id")
    campaign = visible_or_422(selectors.campaign_list(viewer=viewer), payload.campaign_id, "campaign_id")
    _require_runner(viewer, compound)
    with service_call(compound="compound_id", campaign="campaign_id"):
        meeting = assembly.meeting_create(
            actor=viewer,
            compound=compound,
            title=payload.title,
            voting_opens=payload.voting_opens,
            voting_closes=payload.voting_closes,
            place=payload.place,
            campaign=campaign,
        )
    return Status(201, shown.meeting_shown(viewer, selectors.meeting_get(viewer=viewer, pk=meeting.pk)))


@router.get("/meetings/{id}", response=MeetingDetailOut, summary="A meeting with its motions, window and totals")
def meeting_detail(request, id: DbId):
    return shown.meeting_shown(request.user, selectors.meeting_get(viewer=request.user, pk=id))


@router.post("/meetings/{id}/motions", response={201: MotionOut}, summary="Add a motion to a draft meeting")
def motion_add(request, id: DbId, payload: MotionIn):
    viewer = request.user
    meeting = selectors.meeting_get(viewer=viewer, pk=id)
    _require_runner(viewer, meeting.compound)
    with service_call():
        motion = assembly.motion_add(
            actor=viewer, meeting=meeting, matter=payload.matter, title=payload.title, text=payload.text
        )
    motion.shown_slate = assembly.slate(motion)
    return Status(201, motion)


@router.post(
    "/meetings/{id}/announce",
    response=MeetingDetailOut,
    summary="Announce the meeting (at least 15 days ahead) and freeze the electorate",
)
def meeting_announce(request, id: DbId):
    viewer = request.user
    meeting = selectors.meeting_get(viewer=viewer, pk=id)
    _require_runner(viewer, meeting.compound)
    with service_call():
        assembly.meeting_announce(actor=viewer, meeting=meeting)
    return shown.meeting_shown(viewer, selectors.meeting_get(viewer=viewer, pk=id))


@router.post(
    "/meetings/{id}/ballots",
    response={201: MyBallotOut},
    summary="The logged-in owner votes online, on some or all motions, all or nothing",
)
def ballots_cast(request, id: DbId, payload: BallotIn):
    viewer = request.user
    meeting = selectors.meeting_get(viewer=viewer, pk=id)
    with service_call(**_votes_fields(meeting)):
        assembly.ballots_cast_online(actor=viewer, meeting=meeting, votes=payload.votes)
    return Status(201, shown.my_ballot_shown(viewer, meeting))


@router.get(
    "/meetings/{id}/my-ballot",
    response=MyBallotOut,
    summary="Whether the viewer is in the frozen electorate, and the ballots cast for their voter",
)
def my_ballot(request, id: DbId):
    return shown.my_ballot_shown(request.user, selectors.meeting_get(viewer=request.user, pk=id))


@router.post(
    "/meetings/{id}/paper-ballots",
    response={201: list[BallotOut]},
    summary="Enter a paper ballot; it counts once a second person checks it",
)
def paper_ballot_enter(request, id: DbId, payload: PaperBallotIn):
    viewer = request.user
    meeting = selectors.meeting_get(viewer=viewer, pk=id)
    _require_runner(viewer, meeting.compound)
    with service_call(**_votes_fields(meeting)):
        ballots = assembly.paper_ballot_enter(
            actor=viewer,
            meeting=meeting,
            room=payload.room,
            paper_number=payload.paper_number,
            votes=payload.votes,
            received_at=payload.received_at,
        )
    return Status(201, [shown.ballot_shown(b) for b in ballots])


@router.post(
    "/meetings/{id}/paper-ballots/{number}/check",
    response=CheckOut,
    summary="A second person confirms a paper ballot as entered",
)
def paper_ballot_check(request, id: DbId, number: str):
    viewer = request.user
    meeting = selectors.meeting_get(viewer=viewer, pk=id)
    _require_runner(viewer, meeting.compound)
    with service_call():
        checked = assembly.paper_ballot_check(actor=viewer, meeting=meeting, paper_number=number)
    return {"paper_number": number, "checked": checked}


@router.post(
    "/meetings/{id}/count",
    response=MeetingDetailOut,
    summary="Count every motion (after voting closes, every paper ballot checked)",
)
def meeting_count(request, id: DbId):
    viewer = request.user
    meeting = selectors.meeting_get(viewer=viewer, pk=id)
    _require_runner(viewer, meeting.compound)
    with service_call():
        assembly.meeting_count(actor=viewer, meeting=meeting)
    return shown.meeting_shown(viewer, selectors.meeting_get(viewer=viewer, pk=id))


@router.post(
    "/meetings/{id}/publish",
    response=MeetingDetailOut,
    summary="Publish the counted results; an election forms the new committee",
)
def meeting_publish(request, id: DbId):
    viewer = request.user
    meeting = selectors.meeting_get(viewer=viewer, pk=id)
    _require_runner(viewer, meeting.compound)
    with service_call():
        assembly.meeting_publish(actor=viewer, meeting=meeting)
    return shown.meeting_shown(viewer, selectors.meeting_get(viewer=viewer, pk=id))


@router.get(
    "/meetings/{id}/results",
    response=ResultsOut,
    summary="Every number behind each verdict: staff once counted, everyone once published",
)
def meeting_results(request, id: DbId):
    """Areas are decimal strings, shares exact fractions ("7/9"); an election motion has one verdict per
    candidate, ranked. Before the results may be seen: 404."""
    viewer = request.user
    meeting = selectors.meeting_get(viewer=viewer, pk=id)
    if not selectors.results_visible(viewer=viewer, meeting=meeting):
        raise Http404
    motions = []
    for motion, verdicts in selectors.results_of(meeting):
        rows = []
        for verdict in verdicts:
            candidate = verdict.result.candidate
            rows.append(
                verdict.as_dict()
                | {
                    "candidate_name": candidate.person.name if candidate is not None else None,
                    "area_turnout": verdict.area_turnout.fraction,
                    "heads_turnout": verdict.heads_turnout.fraction,
                    "agree_area_percent": verdict.agree_area.percent,
                    "agree_heads_percent": verdict.agree_heads.percent,
                }
            )
        motions.append(
            {
                "number": motion.number,
                "matter": motion.matter,
                "matter_label": motion.get_matter_display(),
                "title": motion.title,
                "is_election": motion.is_election,
                "verdicts": rows,
            }
        )
    return {
        "meeting_id": meeting.pk,
        "status": meeting.status,
        "counted_at": meeting.counted_at,
        "published_at": meeting.published_at,
        "motions": motions,
    }
