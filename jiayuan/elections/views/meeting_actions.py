"""The meeting's writes: motions, the announcement, online, paper and on-site ballots, the count, publication, cancelling, the committee's officers."""

from __future__ import annotations

import hashlib
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiayuan.core.web import save_form

from .. import selectors
from ..forms.meetings import (
    ActionForm,
    AnnounceForm,
    CancelForm,
    MotionForm,
    OfficersForm,
    OnlineBallotForm,
    OnsiteBallotForm,
    PaperBallotForm,
    PaperCheckForm,
)
from ..services import assembly
from ._meeting_common import COMMITTEE_ROLES, Status, _ballot_line, _motions, _runner_meeting
from .meeting_page import _meeting_page


@login_required
@require_POST
def motion_add(request, pk):
    viewer = request.user
    meeting = _runner_meeting(request, pk)
    form = MotionForm(request.POST)
    motion = save_form(
        request,
        form,
        lambda data: assembly.motion_add(actor=viewer, meeting=meeting, **data),
        _("The motion was added."),
    )
    if motion is not None:
        return redirect(reverse("elections:meeting_detail", args=[meeting.pk]) + "#motions")
    return _meeting_page(request, meeting, status=422, motion_form=form)


@login_required
@require_POST
def meeting_announce(request, pk):
    viewer = request.user
    meeting = _runner_meeting(request, pk)
    form = AnnounceForm(request.POST)
    done = save_form(
        request, form, lambda data: assembly.meeting_announce(actor=viewer, meeting=meeting, on=data["on"])
    )
    if done is not None:
        messages.success(
            request,
            _("The meeting was announced and the electorate frozen: %(heads)s owners, %(area)s m².")
            % {"heads": done.total_heads, "area": done.total_area},
        )
        return redirect(reverse("elections:meeting_detail", args=[meeting.pk]) + "#electorate")
    return _meeting_page(request, meeting, status=422, announce_form=form)


@login_required
@require_POST
def meeting_vote(request, pk):
    """The logged-in owner reviews their ballot on every motion shown, then casts it, all at once."""
    viewer = request.user
    meeting = selectors.meeting_get(viewer=viewer, pk=pk)
    motions, slates = _motions(meeting)
    member = selectors.membership(meeting, viewer)
    if member is None:
        # Not in the frozen electorate: the service says why, whatever was ticked.
        try:
            assembly.ballots_cast_online(actor=viewer, meeting=meeting, votes={})
        except ValidationError as exc:
            return _meeting_page(request, meeting, status=422, vote_alert=exc.messages)
        raise Http404  # not reached: the service refuses everyone outside the electorate
    voted = set(selectors.ballots_of_voter(meeting, member.voter))
    posted = {
        m.number
        for m in motions
        if any(k == f"motion_{m.number}" or k.startswith(f"motion_{m.number}_c") for k in request.POST)
    }
    shown = [m for m in motions if m.number in posted or m.number not in voted]
    form = OnlineBallotForm(request.POST, motions=shown, slates=slates)

    def cast(data):
        """A ballot cannot be changed once cast, so the first press only reviews it: the cast runs with every
        check it has (window, electorate, one ballot per owner, seats) and is rolled back, and the page shows the
        ballot in words with a button that casts exactly that ballot (its digest: a choice changed after the
        review is reviewed again, never cast unseen)."""
        votes = form.votes()
        digest = hashlib.sha256(json.dumps(votes, sort_keys=True).encode()).hexdigest()[:16]
        with transaction.atomic():
            ballots = assembly.ballots_cast_online(actor=viewer, meeting=meeting, votes=votes)
            lines = [{"motion": b.motion, **_ballot_line(b, slates.get(b.motion.number, []))} for b in ballots]
            confirmed = request.POST.get("confirmed") == digest
            if not confirmed:
                transaction.set_rollback(True)
        return ballots, {"lines": lines, "digest": digest} if not confirmed else None

    outcome = save_form(request, form, cast, "")
    if outcome and outcome[1]:
        return _meeting_page(request, meeting, vote_form=form, confirm_ballot=outcome[1])
    ballots = outcome[0] if outcome else None
    if ballots:
        messages.success(
            request,
            _("Your ballot was recorded at %(time)s. Thank you for voting.")
            % {"time": f"{timezone.localtime(ballots[0].cast_at):%Y-%m-%d %H:%M}"},
        )
        return redirect(reverse("elections:meeting_detail", args=[meeting.pk]) + "#your-ballot")
    return _meeting_page(request, meeting, status=422, vote_form=form)


@login_required
@require_POST
def paper_ballot_enter(request, pk):
    viewer = request.user
    meeting = _runner_meeting(request, pk)
    motions, slates = _motions(meeting)
    form = PaperBallotForm(request.POST, motions=motions, slates=slates)
    ballots = save_form(
        request,
        form,
        lambda data: assembly.paper_ballot_enter(
            actor=viewer,
            meeting=meeting,
            room=data["room"],
            paper_number=data["paper_number"],
            votes=form.votes(),
            received_at=data["received_at"],
        ),
        "",
    )
    if ballots:
        messages.success(
            request,
            _("Paper ballot %(number)s was entered for %(voter)s. It counts once a second person checks it.")
            % {"number": ballots[0].paper_number, "voter": ballots[0].voter.label},
        )
        return redirect(reverse("elections:meeting_detail", args=[meeting.pk]) + "#paper")
    return _meeting_page(request, meeting, status=422, paper_form=form)


@login_required
@require_POST
def paper_ballot_check(request, pk):
    viewer = request.user
    meeting = _runner_meeting(request, pk)
    form = PaperCheckForm(request.POST)
    count = save_form(
        request,
        form,
        lambda data: assembly.paper_ballot_check(actor=viewer, meeting=meeting, paper_number=data["paper_number"]),
        "",
    )
    if count:
        messages.success(
            request,
            _("Paper ballot %(number)s was checked; its %(count)s motion ballots now count.")
            % {"number": form.cleaned_data["paper_number"], "count": count},
        )
        return redirect(reverse("elections:meeting_detail", args=[meeting.pk]) + "#paper")
    return _meeting_page(request, meeting, status=422, check_form=form)


@login_required
@require_POST
def onsite_ballot_record(request, pk):
    viewer = request.user
    meeting = _runner_meeting(request, pk)
    motions, slates = _motions(meeting)
    form = OnsiteBallotForm(request.POST, meeting=meeting, motions=motions, slates=slates)
    ballots = save_form(
        request,
        form,
        lambda data: assembly.onsite_ballot_record(
            actor=viewer, meeting=meeting, person=data["person"], votes=form.votes()
        ),
        "",
    )
    if ballots:
        messages.success(
            request, _("The on-site ballot of %(person)s was recorded.") % {"person": form.cleaned_data["person"].name}
        )
        return redirect(reverse("elections:meeting_detail", args=[meeting.pk]) + "#on-site")
    return _meeting_page(request, meeting, status=422, onsite_form=form)


@login_required
@require_POST
def meeting_count(request, pk):
    viewer = request.user
    meeting = _runner_meeting(request, pk)
    form = ActionForm(request.POST)
    done = save_form(
        request,
        form,
        lambda data: assembly.meeting_count(actor=viewer, meeting=meeting),
        _("The votes were counted. Check the results, then publish them."),
    )
    if done is not None:
        return redirect(reverse("elections:meeting_results", args=[meeting.pk]) + "#results")
    return _meeting_page(request, meeting, status=422, count_form=form)


@login_required
@require_POST
def meeting_cancel(request, pk):
    viewer = request.user
    meeting = _runner_meeting(request, pk)
    form = CancelForm(request.POST)
    done = save_form(
        request,
        form,
        lambda data: assembly.meeting_cancel(actor=viewer, meeting=meeting, **data),
        _("The meeting was called off."),
    )
    if done is not None:
        return redirect("elections:meeting_detail", pk=meeting.pk)
    return _meeting_page(request, meeting, status=422, cancel_form=form)


@login_required
@require_POST
def meeting_publish(request, pk):
    viewer = request.user
    meeting = _runner_meeting(request, pk)
    form = ActionForm(request.POST)
    done = save_form(request, form, lambda data: assembly.meeting_publish(actor=viewer, meeting=meeting), "")
    if done is None:
        return _meeting_page(request, meeting, status=422, publish_form=form)
    messages.success(request, _("The results were published."))
    if meeting.campaign_id:
        campaign = meeting.campaign
        campaign.refresh_from_db()
        if campaign.committee_id:
            messages.success(
                request,
                _(
                    "The new owners' committee was formed: %(committee)s. Record its first "
                    "meeting's choice of director within %(days)s days."
                )
                % {"committee": campaign.committee, "days": assembly.FIRST_MEETING_DAYS},
            )
        else:
            messages.warning(
                request, _("Too few candidates were elected to form a committee; hold a further election.")
            )
    return redirect(reverse("elections:meeting_results", args=[meeting.pk]) + "#results")


@login_required
@require_POST
def committee_officers(request, pk):
    viewer = request.user
    meeting = _runner_meeting(request, pk)
    campaign = meeting.campaign
    if campaign is None or meeting.status != Status.PUBLISHED:
        raise Http404
    campaign.refresh_from_db()
    members = (
        []
        if campaign.committee is None
        else [
            p.person
            for p in campaign.committee.posts.filter(end_date__isnull=True, role__in=COMMITTEE_ROLES).select_related(
                "person"
            )
        ]
    )
    form = OfficersForm(request.POST, members=members)
    done = save_form(
        request,
        form,
        lambda data: assembly.committee_officers_choose(
            actor=viewer,
            campaign=campaign,
            director=data["director"],
            deputies=list(data["deputies"]),
            held_on=data["held_on"],
        ),
        _("The committee's director and deputies were recorded."),
    )
    if done is not None:
        return redirect(reverse("elections:meeting_detail", args=[meeting.pk]) + "#officers")
    return _meeting_page(request, meeting, status=422, officers_form=form)
