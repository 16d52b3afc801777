"""Staff pages: the frozen electorate, the ballots staff entered, a correction."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from jiayuan.core.web import paginate, save_form

from .. import selectors, workflow
from ..forms.meetings import (
    CorrectionForm,
)
from ..models import ElectorateRoom, Voter
from ..services import assembly
from ._meeting_common import Channel, _ballot_line, _runner_meeting, _slates

# --- Staff pages: the frozen electorate, the ballots staff entered, a correction --------------------------


@login_required
def meeting_electorate(request, pk):
    meeting = _runner_meeting(request, pk)
    search = request.GET.get("q", "").strip()[:60]
    voters = Voter.objects.filter(meeting=meeting).prefetch_related("rooms", "members__person").order_by("label", "pk")
    if search:
        voters = voters.filter(rooms__label__icontains=search) | voters.filter(label__icontains=search)
        voters = voters.distinct()
    return render(
        request,
        "elections/meeting_electorate.html",
        {
            "meeting": meeting,
            "page_obj": paginate(request, voters),
            "search": search,
            "room_count": ElectorateRoom.objects.filter(meeting=meeting).count(),
        },
    )


@login_required
def meeting_ballots(request, pk):
    """Ballots entered by staff (paper and on site), for checking and correcting. Online ballots are the
    owners' own and are only counted here, not shown."""
    meeting = _runner_meeting(request, pk)
    channel = request.GET.get("channel", "")
    if channel not in (Channel.PAPER, Channel.ON_SITE):
        channel = ""
    ballots = (
        selectors.ballot_list(meeting=meeting, channel=channel)
        .exclude(channel=Channel.ONLINE)
        .select_related("entered_by__person", "checked_by__person")
        .prefetch_related("candidate_choices")
    )
    page_obj = paginate(request, ballots)
    slates = _slates(selectors.motions_of(meeting))
    for ballot in page_obj:
        ballot.line = _ballot_line(ballot, slates.get(ballot.motion.number, []))
    return render(
        request,
        "elections/meeting_ballots.html",
        {
            "meeting": meeting,
            "page_obj": page_obj,
            "channel": channel,
            "online_count": selectors.ballot_list(meeting=meeting, channel=Channel.ONLINE).count(),
            "may_correct": workflow.MEETING.can(meeting.status, "correct_ballot"),
        },
    )


@login_required
def ballot_correct(request, pk, ballot_pk):
    viewer = request.user
    meeting = _runner_meeting(request, pk)
    ballot = get_object_or_404(
        selectors.ballot_list(meeting=meeting).exclude(channel=Channel.ONLINE).prefetch_related("candidate_choices"),
        pk=ballot_pk,
    )
    motion = ballot.motion
    slate = assembly.slate(motion)
    key = f"motion_{motion.number}"
    if motion.is_election:
        picked = {c.candidate_id: c.choice for c in ballot.candidate_choices.all()}
        initial = {f"{key}_c{c.pk}": picked.get(c.pk, "") for c in slate}
    else:
        initial = {key: ballot.choice}
    form = CorrectionForm(request.POST or None, motion=motion, slate=slate, initial=initial)
    status = 200
    if request.method == "POST":
        done = save_form(
            request,
            form,
            lambda data: assembly.ballot_correct(actor=viewer, ballot=ballot, vote=form.vote(), reason=data["reason"]),
            _("The ballot was corrected; the change is in the audit log.")
            + (
                " " + _("A second person must check the paper ballot again.") if ballot.channel == Channel.PAPER else ""
            ),
        )
        if done is not None:
            return redirect("elections:meeting_ballots", pk=meeting.pk)
        status = 422
    return render(
        request,
        "elections/ballot_correct.html",
        {
            "meeting": meeting,
            "ballot": ballot,
            "line": _ballot_line(ballot, slate),
            "form": form,
            "open": workflow.MEETING.can(meeting.status, "correct_ballot"),
            "seats": meeting.campaign.seats if meeting.campaign_id else None,
        },
        status=status,
    )
