"""The meeting page: what an owner sees and what staff see."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from .. import selectors, workflow
from ..forms.meetings import (
    ActionForm,
    AnnounceForm,
    CancelForm,
    MotionForm,
    OfficersForm,
    OnlineBallotForm,
    OnsiteBallotForm,
    PaperBallotForm,
)
from ..models import ElectorateRoom
from ..services import assembly
from ._meeting_common import (
    COMMITTEE_ROLES,
    Channel,
    Status,
    _ballot_line,
    _errors_of,
    _may_run,
    _motions,
    _user_name,
    _window,
)

# --- The meeting page ----------------------------------------------------------------------------------


def _owner_context(request, meeting, motions, slates, now, vote_form):
    """The viewer's own place in the electorate, ballot and voting form."""
    viewer = request.user
    member = selectors.membership(meeting, viewer) if meeting.status != Status.DRAFT else None
    context = {"member": member, "vote_form": None, "vote_alert": []}
    if member is None:
        if vote_form is not None:
            context["vote_alert"] = _errors_of(vote_form)
        return context
    mine = selectors.ballots_of_voter(meeting, member.voter)
    context["my_ballot"] = [
        {"motion": m, **_ballot_line(mine[m.number], slates.get(m.number, []))} for m in motions if m.number in mine
    ]
    remaining = [m for m in motions if m.number not in mine]
    context["remaining"] = remaining
    window = _window(meeting, now)
    shows_form = window == "open" and bool(remaining)
    if (
        shows_form
        and vote_form is not None
        and {m.number for m in vote_form.vote_motions} == {m.number for m in remaining}
    ):
        context["vote_form"] = vote_form
    elif shows_form:
        context["vote_form"] = OnlineBallotForm(motions=remaining, slates=slates)
        context["vote_alert"] = _errors_of(vote_form)
    else:
        context["vote_alert"] = _errors_of(vote_form)
    context["co_owners"] = [
        m.person for m in member.voter.members.select_related("person") if m.person_id != member.person_id
    ]
    return context


def _staff_context(meeting, motions, slates, forms: dict) -> dict:
    context = {"cancel_form": forms.get("cancel_form") or CancelForm()}
    if workflow.MEETING.can(meeting.status, "announce"):
        context["motion_form"] = forms.get("motion_form") or MotionForm()
        context["announce_form"] = forms.get("announce_form") or AnnounceForm()
        context["announce_by"] = timezone.localdate(meeting.voting_opens) - dt.timedelta(days=assembly.NOTICE_DAYS)
        return context
    context["room_count"] = ElectorateRoom.objects.filter(meeting=meeting).count()
    counts = selectors.turnout(meeting)
    rows = []
    for motion in motions:
        row = counts.get(motion.number, {"cast": 0, "unchecked": 0, "counted_area": None})
        counted = row["cast"] - row["unchecked"]
        rows.append(
            {
                "motion": motion,
                "cast": row["cast"],
                "unchecked": row["unchecked"],
                "counted": counted,
                "share": selectors.Share(Fraction(counted), Fraction(meeting.total_heads or 0)),
                "area_share": selectors.Share(Fraction(row["counted_area"] or 0), Fraction(meeting.total_area or 0)),
            }
        )
    context["turnout"] = rows
    if workflow.MEETING.can(meeting.status, "cast"):
        context["room_labels"] = list(
            ElectorateRoom.objects.filter(meeting=meeting).order_by("label").values_list("label", flat=True)
        )
        context["paper_form"] = forms.get("paper_form") or PaperBallotForm(motions=motions, slates=slates)
        context["onsite_form"] = forms.get("onsite_form") or OnsiteBallotForm(
            meeting=meeting, motions=motions, slates=slates
        )
        context["check_form"] = forms.get("check_form")
        context["unchecked"] = _unchecked_papers(meeting, slates)
        context["count_form"] = forms.get("count_form") or ActionForm()
    if workflow.MEETING.can(meeting.status, "publish"):
        context["publish_form"] = forms.get("publish_form") or ActionForm()
    campaign = meeting.campaign
    if meeting.status == Status.PUBLISHED and campaign is not None:
        campaign.refresh_from_db()
        context["committee"] = campaign.committee
        if campaign.committee is not None:
            posts = list(
                campaign.committee.posts.filter(end_date__isnull=True, role__in=COMMITTEE_ROLES)
                .select_related("person")
                .order_by("role", "person__name")
            )
            context["committee_posts"] = posts
            context["officers_form"] = forms.get("officers_form") or OfficersForm(members=[p.person for p in posts])
            context["officers_chosen"] = any(p.role != "committee_member" for p in posts)
    return context


def _unchecked_papers(meeting, slates) -> list[dict]:
    """Paper ballots not yet checked, one entry per ballot number, with what was entered for each motion."""
    ballots = (
        selectors.ballot_list(meeting=meeting, channel=Channel.PAPER)
        .filter(checked_by__isnull=True)
        .select_related("entered_by__person")
        .prefetch_related("candidate_choices")
        .order_by("paper_number", "motion__number")
    )
    papers: dict[str, dict] = {}
    for ballot in ballots:
        paper = papers.setdefault(
            ballot.paper_number,
            {
                "number": ballot.paper_number,
                "voter": ballot.voter,
                "entered_by": _user_name(ballot.entered_by),
                "entered_by_id": ballot.entered_by_id,
                "cast_at": ballot.cast_at,
                "lines": [],
            },
        )
        paper["lines"].append({"motion": ballot.motion, **_ballot_line(ballot, slates.get(ballot.motion.number, []))})
    return list(papers.values())


def _meeting_page(request, meeting, *, status: int = 200, vote_form=None, vote_alert=(), confirm_ballot=None, **forms):
    viewer = request.user
    now = timezone.now()
    motions, slates = _motions(meeting)
    may_run = _may_run(viewer, meeting)
    context = {
        "meeting": meeting,
        "motions": motions,
        "may_run": may_run,
        "window": _window(meeting, now),
        "now": now,
        "seats": meeting.campaign.seats if meeting.campaign_id else None,
        "results_visible": selectors.results_visible(viewer=viewer, meeting=meeting),
        "campaign_url": reverse("elections:campaign_detail", args=[meeting.campaign_id])
        if meeting.campaign_id
        else None,
        "notice_days": assembly.NOTICE_DAYS,
        "first_meeting_days": assembly.FIRST_MEETING_DAYS,
    }
    context.update(_owner_context(request, meeting, motions, slates, now, vote_form))
    context["vote_alert"] = list(vote_alert) + context["vote_alert"]
    context["confirm_ballot"] = confirm_ballot if context["vote_form"] is vote_form else None
    if may_run:
        context.update(_staff_context(meeting, motions, slates, forms))
    return render(request, "elections/meeting_detail.html", context, status=status)


@login_required
def meeting_detail(request, pk):
    return _meeting_page(request, selectors.meeting_get(viewer=request.user, pk=pk))
