"""Pages of the owners' general meeting (业主大会会议): calling it, its motions, the announcement (which freezes
the electorate), the owner's online ballot, paper and on-site ballots entered by staff with a second-person
check, corrections, the count, the result page with every number behind each verdict and the files that
`jiayuan tally` reads, publication, and the new committee's officers.

Who sees what:
- Everyone who sees the meeting (selectors.meeting_get: staff over the compound; its owners and residents once
  it is announced) reads it; anyone else gets 404.
- Those who may run the compound's election (rules.may_run_election) do the staff actions and see the frozen
  electorate, the live turnout, the ballots staff entered and the tally files; anyone else gets 404 there.
- An owner in the frozen electorate (selectors.membership) votes and sees their own ballot. No page shows an
  owner anybody else's choices.
"""

from __future__ import annotations

import csv
import datetime as dt
from fractions import Fraction
from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiayuan.core.spreadsheets import safe_cell
from jiayuan.core.web import paginate, save_form
from jiayuan.places.models import Compound

from .. import rules, selectors, workflow
from ..files import BALLOT_COLUMNS, ROOM_COLUMNS
from ..forms.meetings import (
    ActionForm,
    AnnounceForm,
    CancelForm,
    CorrectionForm,
    MeetingForm,
    MotionForm,
    OfficersForm,
    OnlineBallotForm,
    OnsiteBallotForm,
    PaperBallotForm,
    PaperCheckForm,
    threshold_text,
    threshold_words,
)
from ..models import Ballot, ElectorateRoom, GeneralMeeting, Voter
from ..services import assembly
from ..tally import QUORUM_THRESHOLD

Status = GeneralMeeting.Status
Channel = Ballot.Channel
COMMITTEE_ROLES = ("committee_director", "committee_deputy", "committee_member")


# --- Helpers ----------------------------------------------------------------------------------------


def _may_run(viewer, meeting) -> bool:
    return rules.may_run_election(viewer, meeting.compound)


def _runner_meeting(request, pk) -> GeneralMeeting:
    """The meeting, for those who run its compound's election; 404 for anyone else."""
    meeting = selectors.meeting_get(viewer=request.user, pk=pk)
    if not _may_run(request.user, meeting):
        raise Http404
    return meeting


def _slates(motions) -> dict[int, list]:
    return {m.number: assembly.slate(m) for m in motions if m.is_election}


def _motions(meeting) -> tuple[list, dict[int, list]]:
    motions = list(selectors.motions_of(meeting).select_related("meeting__campaign"))
    slates = _slates(motions)
    for motion in motions:
        motion.threshold = threshold_text(motion.matter)
        motion.threshold_words = threshold_words(motion.matter)
        motion.slate = slates.get(motion.number, [])
    return motions, slates


def _window(meeting, now) -> str:
    """draft, before (announced, not yet open), open, closed."""
    if meeting.status == Status.DRAFT:
        return "draft"
    if workflow.MEETING.can(meeting.status, "cast"):
        if now < meeting.voting_opens:
            return "before"
        if now < meeting.voting_closes:
            return "open"
    return "closed"


def _ballot_line(ballot: Ballot, slate: list) -> dict:
    """What one ballot records, in words: a choice, or per choice the candidates on the election motion."""
    if not ballot.motion.is_election:
        return {"ballot": ballot, "choice": ballot.choice, "text": ballot.get_choice_display(), "groups": []}
    picked = {c.candidate_id: c.choice for c in ballot.candidate_choices.all()}
    groups = []
    for value, label in Ballot.Choice.choices:
        names = [c.person.name for c in slate if picked.get(c.pk, Ballot.Choice.ABSTAIN) == value]
        if names:
            groups.append({"choice": value, "label": label, "names": names})
    return {
        "ballot": ballot,
        "choice": "",
        "text": "",
        "groups": groups,
        "candidates": [(c, picked.get(c.pk, Ballot.Choice.ABSTAIN)) for c in slate],
    }


def _user_name(user) -> str:
    if user is None:
        return ""
    return user.person.name if user.person_id else user.username


def _errors_of(form) -> list[str]:
    """Every message of a refused form, for showing where its fields are not on the page."""
    if form is None or not form.is_bound:
        return []
    found = list(form.non_field_errors())
    for name in form.fields:
        found += [e for e in form[name].errors if e not in found]
    for extra in getattr(form, "group_errors", {}).values():
        found += [e for e in extra if e not in found]
    return found


# --- List and creation ---------------------------------------------------------------------------------


@login_required
def meeting_list(request):
    viewer = request.user
    status = request.GET.get("status", "")
    if status not in Status.values:
        status = ""
    page_obj = paginate(request, selectors.meeting_list(viewer=viewer, status=status))
    for meeting in page_obj:
        counts = selectors.turnout(meeting)
        meeting.voted = max((row["cast"] - row["unchecked"] for row in counts.values()), default=0)
        meeting.turnout = selectors.Share(Fraction(meeting.voted), Fraction(meeting.total_heads or 0))
    return render(
        request,
        "elections/meeting_list.html",
        {
            "page_obj": page_obj,
            "status": status,
            "statuses": Status.choices,
            "may_create": Compound.objects.filter(rules.running_compounds_q(viewer)).exists(),
            "elections_url": reverse("elections:index"),
        },
    )


def _default_title(campaign) -> str:
    return _("%(compound)s owners' general meeting: electing the owners' committee") % {
        "compound": campaign.compound.name
    }


@login_required
def meeting_create(request):
    viewer = request.user
    if not Compound.objects.filter(rules.running_compounds_q(viewer)).exists():
        raise Http404
    campaign = None
    if request.GET.get("campaign"):
        if not request.GET["campaign"].isdigit():
            raise Http404
        campaign = selectors.campaign_get(viewer=viewer, pk=int(request.GET["campaign"]))
        if not rules.may_run_election(viewer, campaign.compound):
            raise Http404
    initial = (
        {"campaign": campaign.pk, "compound": campaign.compound_id, "title": _default_title(campaign)}
        if campaign
        else {}
    )
    form = MeetingForm(request.POST or None, viewer=viewer, campaign=campaign, initial=initial)
    status = 200
    if request.method == "POST":
        meeting = save_form(
            request,
            form,
            lambda data: assembly.meeting_create(
                actor=viewer,
                compound=data["compound"],
                title=data["title"],
                voting_opens=data["voting_opens"],
                voting_closes=data["voting_closes"],
                place=data["place"],
                campaign=data["campaign"],
            ),
            _("The meeting was created as a draft. Add its motions, then announce it."),
        )
        if meeting is not None:
            return redirect("elections:meeting_detail", pk=meeting.pk)
        status = 422
    return render(
        request,
        "elections/meeting_form.html",
        {
            "form": form,
            "campaign": campaign,
            "notice_days": assembly.NOTICE_DAYS,
        },
        status=status,
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


def _meeting_page(request, meeting, *, status: int = 200, vote_form=None, vote_alert=(), **forms):
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
    if may_run:
        context.update(_staff_context(meeting, motions, slates, forms))
    return render(request, "elections/meeting_detail.html", context, status=status)


@login_required
def meeting_detail(request, pk):
    return _meeting_page(request, selectors.meeting_get(viewer=request.user, pk=pk))


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
    """The logged-in owner casts their ballot on every motion shown, all at once."""
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
    ballots = save_form(
        request, form, lambda data: assembly.ballots_cast_online(actor=viewer, meeting=meeting, votes=form.votes()), ""
    )
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


# --- Results and the tally files -----------------------------------------------------------------------


def _share_row(share, threshold) -> SimpleNamespace:
    return SimpleNamespace(share=share, met=threshold.met(share.part, share.whole) if share.whole else False)


def _explained(verdict) -> SimpleNamespace:
    """One verdict with each share and whether it meets its bound."""
    result = verdict.result
    return SimpleNamespace(
        verdict=verdict,
        result=result,
        candidate=result.candidate,
        area_turnout=_share_row(verdict.area_turnout, QUORUM_THRESHOLD),
        heads_turnout=_share_row(verdict.heads_turnout, QUORUM_THRESHOLD),
        agree_area=_share_row(verdict.agree_area, verdict.threshold),
        agree_heads=_share_row(verdict.agree_heads, verdict.threshold),
        against_area=selectors.Share(Fraction(result.against_area), Fraction(result.participating_area)),
        against_heads=selectors.Share(Fraction(result.against_heads), Fraction(result.participating_heads)),
        abstain_area=selectors.Share(Fraction(result.abstain_area), Fraction(result.participating_area)),
        abstain_heads=selectors.Share(Fraction(result.abstain_heads), Fraction(result.participating_heads)),
    )


@login_required
def meeting_results(request, pk):
    viewer = request.user
    meeting = selectors.meeting_get(viewer=viewer, pk=pk)
    visible = selectors.results_visible(viewer=viewer, meeting=meeting)
    may_run = _may_run(viewer, meeting)
    motions = []
    if visible:
        for motion, verdicts in selectors.results_of(meeting):
            motion.threshold = threshold_text(motion.matter)
            motion.threshold_words = threshold_words(motion.matter)
            explained = [_explained(v) for v in verdicts]
            motion.explained = explained
            motion.main = explained[0] if explained else None
            motion.elected_count = sum(1 for e in explained if e.result.elected)
            motions.append(motion)
    plain = [m for m in motions if m.main is not None and not m.is_election]
    chart = (
        {
            "motions": [f"{m.number}. {m.title}" for m in plain],
            "agree": [m.main.result.agree_heads for m in plain],
            "against": [m.main.result.against_heads for m in plain],
            "abstain": [m.main.result.abstain_heads for m in plain],
            "labels": {value: str(label) for value, label in Ballot.Choice.choices},
        }
        if plain
        else None
    )
    return render(
        request,
        "elections/result_detail.html",
        {
            "meeting": meeting,
            "visible": visible,
            "may_run": may_run,
            "motions": motions,
            "seats": meeting.campaign.seats if meeting.campaign_id else None,
            "quorum": f"≥ {QUORUM_THRESHOLD.fraction}",
            "chart": chart,
        },
    )


@login_required
def meeting_tally_files(request, pk, number, kind):
    """The ROOMS or BALLOTS file of one motion (of one candidate, on the election motion) for `jiayuan tally`.
    The ballots file names each owner's choice, so only those who run the election may download it."""
    meeting = _runner_meeting(request, pk)
    if kind not in ("rooms", "ballots") or not selectors.results_visible(viewer=request.user, meeting=meeting):
        raise Http404
    motion = get_object_or_404(selectors.motions_of(meeting), number=number)
    candidate = None
    wanted = request.GET.get("candidate", "")
    if motion.is_election and (kind == "ballots" or wanted):
        slate = {str(c.pk): c for c in assembly.slate(motion)}
        if wanted not in slate:
            raise Http404
        candidate = slate[wanted]
    rooms, ballots = selectors.tally_files(meeting, motion, candidate)
    rows, columns = (rooms, ROOM_COLUMNS) if kind == "rooms" else (ballots, BALLOT_COLUMNS)
    name = f"meeting{meeting.pk}-motion{motion.number}" + (f"-candidate{candidate.pk}" if candidate else "")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-{kind}.csv"'
    response.write("\ufeff")  # so that Excel reads the Chinese names as UTF-8; `jiayuan tally` accepts the BOM
    writer = csv.DictWriter(response, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows({key: safe_cell(value) for key, value in row.items()} for row in rows)
    return response


urlpatterns = [
    path("meetings/", meeting_list, name="meeting_list"),
    path("meetings/new/", meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/motions/add/", motion_add, name="motion_add"),
    path("meetings/<int:pk>/announce/", meeting_announce, name="meeting_announce"),
    path("meetings/<int:pk>/vote/", meeting_vote, name="meeting_vote"),
    path("meetings/<int:pk>/paper/", paper_ballot_enter, name="paper_ballot_enter"),
    path("meetings/<int:pk>/paper/check/", paper_ballot_check, name="paper_ballot_check"),
    path("meetings/<int:pk>/on-site/", onsite_ballot_record, name="onsite_ballot_record"),
    path("meetings/<int:pk>/count/", meeting_count, name="meeting_count"),
    path("meetings/<int:pk>/publish/", meeting_publish, name="meeting_publish"),
    path("meetings/<int:pk>/cancel/", meeting_cancel, name="meeting_cancel"),
    path("meetings/<int:pk>/officers/", committee_officers, name="committee_officers"),
    path("meetings/<int:pk>/electorate/", meeting_electorate, name="meeting_electorate"),
    path("meetings/<int:pk>/ballots/", meeting_ballots, name="meeting_ballots"),
    path("meetings/<int:pk>/ballots/<int:ballot_pk>/correct/", ballot_correct, name="ballot_correct"),
    path("meetings/<int:pk>/results/", meeting_results, name="meeting_results"),
    path(
        "meetings/<int:pk>/motions/<int:number>/tally-<str:kind>.csv", meeting_tally_files, name="meeting_tally_files"
    ),
]
