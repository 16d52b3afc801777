"""Pages of an election campaign: opening it, the preparatory group, nominations, the joint qualification review
(each reviewer's own queue), interviews, the slate and its public notice with objections, and the campaign meeting.

Who sees what (the selectors scope every read, so anything outside the viewer's scope is a 404):
- Those who run the compound's election (`rules.may_run_election`: city, town, community, the compound's party
  branch) see every candidate, review and objection, and act at the campaign's current stage.
- Owners and residents of the compound, and the compound's other staff, see the campaign read-only with the slate
  (`selectors.candidates_of`); an owner may object to a slate candidate in their own name during the notice.
- A reviewer sees its own queue (`selectors.review_queue`) and the candidates in it, nothing else; another body's
  review is a 404.
An action on a campaign the viewer may see but not run answers 403. Invalid input re-renders the page with the
errors beside the fields and status 422 (200 to htmx, which swaps only successful answers).
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jiayuan.core.scope import scope_for
from jiayuan.core.web import paginate, save_form
from jiayuan.places.models import Compound

from .. import facts, rules, selectors, workflow
from ..forms.campaigns import (
    CampaignMeetingForm,
    CampaignOpenForm,
    CancelForm,
    InterviewForm,
    NominationForm,
    ObjectionAnswerForm,
    ObjectionLodgeForm,
    PreparatoryMemberForm,
    ReviewForm,
    SlateForm,
    SpeechForm,
    StepForm,
    WithdrawForm,
)
from ..models import Campaign, Candidate, EligibilityBar, Objection, Review
from ..services import campaign as svc

Status = Candidate.Status


# --- Helpers ---------------------------------------------------------------------------------------


def _is_htmx(request) -> bool:
    return bool(getattr(request, "htmx", False))


def _may_open(viewer) -> bool:
    return Compound.objects.filter(rules.running_compounds_q(viewer)).exists()


def _may_review(viewer) -> bool:
    """Could act for some reviewing body: staff over places, or holding a post in an organisation."""
    return scope_for(viewer).is_staff_scope or bool(rules.organisation_ids(viewer))


def _nav(viewer) -> dict:
    """What the elections menu links to: the viewer's review queue, the general meetings."""
    return {
        "has_queue": selectors.review_queue(viewer=viewer).exists(),
        "meeting_list_url": reverse("elections:meeting_list"),
    }


def _run_campaign(request, pk) -> Campaign:
    """The campaign (404 outside the viewer's scope), for someone who runs its election (403 otherwise)."""
    campaign = selectors.campaign_get(viewer=request.user, pk=pk)
    if not rules.may_run_election(request.user, campaign.compound):
        raise PermissionDenied
    return campaign


def _back(campaign: Campaign, anchor: str = ""):
    return redirect(reverse("elections:campaign_detail", args=[campaign.pk]) + (f"#{anchor}" if anchor else ""))


def _one_to_one(obj, name):
    """The object on the other side of a one-to-one relation, or None (its DoesNotExist is an AttributeError)."""
    return getattr(obj, name, None)


def _may_object(viewer, campaign: Campaign, today) -> bool:
    return (
        workflow.CAMPAIGN.can(campaign.status, "lodge_objection")
        and viewer.person_id is not None
        and campaign.notice_starts is not None
        and campaign.notice_starts <= today <= campaign.notice_ends
        and svc.rooms_owned(viewer.person, campaign.compound, on=today).exists()
    )


def _stage_bar(campaign: Campaign, steps) -> list[dict]:
    """The seven stages, each done, current or to come, with the time it was reached."""
    reached = {}
    for step in steps:
        reached.setdefault(step.target, step.at)
    labels = dict(Campaign.Status.choices)
    current = workflow.STAGES.index(campaign.status) if campaign.status in workflow.STAGES else None
    bar = []
    for index, stage in enumerate(workflow.STAGES):
        if current is None:
            state = "done" if stage in reached else "upcoming"
        else:
            state = "done" if index < current else "current" if index == current else "upcoming"
        bar.append(
            {"value": stage, "label": labels[stage], "state": state, "at": reached.get(stage), "number": index + 1}
        )
    return bar


BAD = {Status.DISQUALIFIED, Status.INTERVIEW_FAILED, Status.STRUCK_OFF, Status.WITHDRAWN, Status.NOT_ELECTED}
GOOD = {Status.QUALIFIED, Status.ON_SLATE, Status.ELECTED}


def _tone(status: str) -> str:
    """The badge class of a candidate's status."""
    return "red" if status in BAD else "ok" if status in GOOD else ""


def _review_progress(candidate) -> dict:
    reviews = list(candidate.reviews.all())
    return {
        "total": len(reviews),
        "passed": sum(r.outcome == Review.Outcome.PASS for r in reviews),
        "failed": sum(r.outcome == Review.Outcome.FAIL for r in reviews),
        "pending": sum(r.outcome == Review.Outcome.PENDING for r in reviews),
    }


# --- Index -------------------------------------------------------------------------------------------


@login_required
def index(request):
    viewer = request.user
    status = request.GET.get("status", "")
    if status not in Campaign.Status.values:
        status = ""
    campaigns = selectors.campaign_list(viewer=viewer, status=status).annotate(
        slate_count=Count(
            "candidates", filter=Q(candidates__status__in=selectors.PUBLIC_CANDIDATE_STATES), distinct=True
        )
    )
    page_obj = paginate(request, campaigns)
    for campaign in page_obj:
        campaign.staff_view = selectors.is_staff_viewer(viewer, campaign.compound)
    may_open = _may_open(viewer)
    counts = []
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else None
    if may_open:
        since = dt.date(year, 1, 1) if year else None
        until = dt.date(year, 12, 31) if year else None
        counts = selectors.review_counts(viewer=viewer, since=since, until=until)
    return render(
        request,
        "elections/index.html",
        {
            "page_obj": page_obj,
            "status": status,
            "statuses": Campaign.Status.choices,
            "may_open": may_open,
            "counts": counts,
            "count_totals": {
                "decided": sum(c.decided for c in counts),
                "passed": sum(c.passed for c in counts),
                "failed": sum(c.failed for c in counts),
                "pending": sum(c.pending for c in counts),
            },
            "year": year,
            "queue_pending": selectors.review_queue(viewer=viewer, pending_only=True).count(),
            "open_votes": selectors.open_votes(viewer=viewer),
            **_nav(viewer),
        },
    )


# --- Opening a campaign ----------------------------------------------------------------------------------


@login_required
def campaign_create(request):
    viewer = request.user
    if not _may_open(viewer):
        raise Http404
    initial = {}
    if request.GET.get("compound", "").isdigit():
        initial["compound"] = int(request.GET["compound"])
    form = CampaignOpenForm(request.POST or None, viewer=viewer, initial=initial)
    if request.method == "POST":
        campaign = save_form(
            request,
            form,
            lambda data: svc.campaign_open(actor=viewer, **data),
            _("The election campaign was opened. Next: the preparatory group and nominations."),
        )
        if campaign is not None:
            return _back(campaign)
        return render(request, "elections/campaign_form.html", {"form": form}, status=422)
    return render(request, "elections/campaign_form.html", {"form": form})


# --- The campaign page ------------------------------------------------------------------------------------


class _Bound(dict):
    """The forms posted with errors, by place on the page; remembers which ones the page placed."""

    def __init__(self, *args):
        super().__init__(*args)
        self.placed = set()

    def get(self, key, default=None):
        self.placed.add(key)
        return super().get(key, default)

    def unplaced_errors(self) -> list[str]:
        """Errors of forms the page has no place for now (the campaign moved on meanwhile): shown above the actions."""
        return [
            str(error)
            for key, form in self.items()
            if key not in self.placed
            for errors in form.errors.values()
            for error in errors
        ]


def _campaign_page(request, campaign: Campaign, *, bound: dict | None = None, status: int = 200):
    viewer = request.user
    bound = _Bound(bound or {})
    today = timezone.localdate()
    staff = selectors.is_staff_viewer(viewer, campaign.compound)
    steps = list(campaign.steps.select_related("actor__person"))
    labels = dict(Campaign.Status.choices)
    for step in steps:
        step.source_label = labels.get(step.source, step.source)
        step.target_label = labels.get(step.target, step.target)
    candidates = list(selectors.candidates_of(viewer=viewer, campaign=campaign))
    for candidate in candidates:
        candidate.tone = _tone(candidate.status)
    meeting = _one_to_one(campaign, "campaign_meeting")
    stage = campaign.status
    context = {
        "campaign": campaign,
        "staff_view": staff,
        "stages": _stage_bar(campaign, steps),
        "steps": steps,
        "candidates": candidates,
        "campaign_meeting": meeting,
        "today": today,
        "general_meeting_url": None,
        **_nav(viewer),
    }
    general_meeting = _one_to_one(campaign, "general_meeting")
    if general_meeting is not None:
        context["general_meeting_url"] = reverse("elections:meeting_detail", args=[general_meeting.pk])
    objections = Objection.objects.filter(candidate__campaign=campaign).select_related(
        "candidate__person", "lodged_by", "answered_by__person"
    )
    # Anyone who may object sees the form (and whoever just tried, with the reason it was refused); their own
    # objections are listed with the answers.
    if "lodge" in bound or _may_object(viewer, campaign, today):
        context["lodge_form"] = bound.get("lodge") or ObjectionLodgeForm(campaign=campaign, prefix="lodge")
    if not staff:
        context["action_errors"] = bound.unplaced_errors()
        context["my_objections"] = list(objections.filter(lodged_by_id=viewer.person_id)) if viewer.person_id else []
        for candidate in candidates:
            candidate.speech_record = _one_to_one(candidate, "speech")
        return render(request, "elections/campaign_detail.html", context, status=status)

    objection_rows = list(objections)
    per_candidate = {}
    for objection in objection_rows:
        row = per_candidate.setdefault(objection.candidate_id, {"total": 0, "open": 0})
        row["total"] += 1
        row["open"] += objection.answered_at is None
    for candidate in candidates:
        candidate.progress = _review_progress(candidate)
        candidate.interview_record = _one_to_one(candidate, "interview")
        candidate.speech_record = _one_to_one(candidate, "speech")
        candidate.objection_counts = per_candidate.get(candidate.pk, {"total": 0, "open": 0})
        candidate.room_labels = [f"{r.unit.building.number} {r.unit.number} {r.number}" for r in candidate.rooms.all()]
    is_open = stage in workflow.OPEN_STAGES
    context.update(
        {
            "preparatory_group": list(campaign.preparatory_group.select_related("person")),
            "objections": objection_rows,
            "is_open": is_open,
            "ready_missing": [],
        }
    )
    if is_open:
        context["preparatory_form"] = bound.get("preparatory") or PreparatoryMemberForm(
            campaign=campaign, prefix="prep"
        )
        context["cancel_form"] = bound.get("cancel") or CancelForm(prefix="cancel")
    if any(workflow.CAMPAIGN.can(stage, action) for action in ("review", "interview", "campaign")):
        context["step_form"] = bound.get("step") or StepForm(prefix="step")
    if workflow.CAMPAIGN.can(stage, "nominate"):
        context["nomination_form"] = bound.get("nominate") or NominationForm(campaign=campaign, prefix="nom")
    if workflow.CAMPAIGN.can(stage, "interview"):
        context["pending_reviews"] = sum(c.progress["pending"] for c in candidates if c.status == Status.UNDER_REVIEW)
        context["qualified_count"] = sum(c.status == Status.QUALIFIED for c in candidates)
    if workflow.CAMPAIGN.can(stage, "record_interview"):
        interviews = []
        for candidate in candidates:
            if workflow.CANDIDATE.can(candidate.status, "record_interview"):
                record = candidate.interview_record
                initial = (
                    {
                        "held_on": record.held_on,
                        "panel": record.panel,
                        "notes": record.notes,
                        "passed": "yes" if record.passed else "no",
                    }
                    if record
                    else None
                )
                interviews.append(
                    (
                        candidate,
                        bound.get(("interview", candidate.pk))
                        or InterviewForm(prefix=f"interview-{candidate.pk}", initial=initial),
                    )
                )
        context["interview_forms"] = interviews
        context["slate_form"] = bound.get("slate") or SlateForm(campaign=campaign, prefix="slate")
    if workflow.CAMPAIGN.can(stage, "answer_objection"):
        for objection in objection_rows:
            if objection.answered_at is None:
                objection.answer_form = bound.get(("answer", objection.pk)) or ObjectionAnswerForm(
                    prefix=f"answer-{objection.pk}"
                )
    if workflow.CAMPAIGN.can(stage, "record_campaign_meeting"):
        initial = (
            {
                "held_at": timezone.localtime(meeting.held_at),
                "place": meeting.place,
                "livestream_url": meeting.livestream_url,
                "attendance": meeting.attendance,
            }
            if meeting
            else None
        )
        context["meeting_form"] = bound.get("meeting") or CampaignMeetingForm(prefix="meet", initial=initial)
        speeches = []
        for candidate in candidates:
            if workflow.CANDIDATE.can(candidate.status, "record_speech"):
                record = candidate.speech_record
                initial = (
                    {"summary": record.summary, "pledge": record.pledge, "pledge_signed_on": record.pledge_signed_on}
                    if record
                    else None
                )
                speeches.append(
                    (
                        candidate,
                        bound.get(("speech", candidate.pk))
                        or SpeechForm(prefix=f"speech-{candidate.pk}", initial=initial),
                    )
                )
        context["speech_forms"] = speeches
        context["ready_missing"] = svc.ready_to_vote(campaign)
        create_url = reverse("elections:meeting_create")
        context["meeting_create_url"] = f"{create_url}?campaign={campaign.pk}" if create_url else None
    context["action_errors"] = bound.unplaced_errors()
    return render(request, "elections/campaign_detail.html", context, status=status)


@login_required
def campaign_detail(request, pk):
    return _campaign_page(request, selectors.campaign_get(viewer=request.user, pk=pk))


def _act(request, campaign, key, form, write, message, anchor=""):
    """Run the service with the form's data: back to the campaign page, or the page again with the errors."""
    if save_form(request, form, write, message) is not None:
        return _back(campaign, anchor)
    return _campaign_page(request, campaign, bound={key: form}, status=422)


@login_required
@require_POST
def preparatory_add(request, pk):
    viewer = request.user
    campaign = _run_campaign(request, pk)
    form = PreparatoryMemberForm(request.POST, campaign=campaign, prefix="prep")
    return _act(
        request,
        campaign,
        "preparatory",
        form,
        lambda data: svc.preparatory_member_add(actor=viewer, campaign=campaign, **data),
        _("The member was added to the preparatory group."),
        "preparatory",
    )


@login_required
@require_POST
def candidate_nominate(request, pk):
    viewer = request.user
    campaign = _run_campaign(request, pk)
    form = NominationForm(request.POST, campaign=campaign, prefix="nom")
    return _act(
        request,
        campaign,
        "nominate",
        form,
        lambda data: svc.candidate_nominate(actor=viewer, campaign=campaign, **data),
        _("The candidate was nominated."),
        "candidates",
    )


STEPS = {
    "review": (
        lambda actor, campaign, note: svc.review_start(actor=actor, campaign=campaign, note=note),
        gettext_lazy("Nominations are closed: every candidate went to the reviewing bodies."),
    ),
    "interviews": (
        lambda actor, campaign, note: svc.interviews_start(actor=actor, campaign=campaign, note=note),
        gettext_lazy("The review is complete: interviews can be recorded."),
    ),
    "campaigning": (
        lambda actor, campaign, note: svc.campaigning_start(actor=actor, campaign=campaign),
        gettext_lazy("The public notice is over: the campaign meeting can be recorded."),
    ),
}


@login_required
@require_POST
def campaign_step(request, pk, step):
    if step not in STEPS:
        raise Http404
    viewer = request.user
    campaign = _run_campaign(request, pk)
    write, message = STEPS[step]
    form = StepForm(request.POST, prefix="step")
    return _act(request, campaign, "step", form, lambda data: write(viewer, campaign, data["note"]), str(message))


@login_required
@require_POST
def slate_publish(request, pk):
    viewer = request.user
    campaign = _run_campaign(request, pk)
    form = SlateForm(request.POST, campaign=campaign, prefix="slate")
    return _act(
        request,
        campaign,
        "slate",
        form,
        lambda data: svc.slate_publish(actor=viewer, campaign=campaign, **data),
        _("The slate was published; the public notice has begun."),
    )


@login_required
@require_POST
def objection_lodge(request, pk):
    viewer = request.user
    campaign = selectors.campaign_get(viewer=viewer, pk=pk)
    if viewer.person_id is None:
        raise PermissionDenied
    form = ObjectionLodgeForm(request.POST, campaign=campaign, prefix="lodge")
    return _act(
        request,
        campaign,
        "lodge",
        form,
        lambda data: svc.objection_lodge(
            actor=viewer, candidate=data["candidate"], person=viewer.person, text=data["text"]
        ),
        _("Your objection was lodged. It will be answered before the campaign meeting."),
        "objections",
    )


@login_required
@require_POST
def objection_answer(request, pk, oid):
    viewer = request.user
    campaign = _run_campaign(request, pk)
    objection = Objection.objects.filter(candidate__campaign=campaign, pk=oid).first()
    if objection is None:
        raise Http404
    form = ObjectionAnswerForm(request.POST, prefix=f"answer-{objection.pk}")
    return _act(
        request,
        campaign,
        ("answer", objection.pk),
        form,
        lambda data: svc.objection_answer(actor=viewer, objection=objection, **data),
        _("The objection was answered."),
        "objections",
    )


@login_required
@require_POST
def campaign_meeting(request, pk):
    viewer = request.user
    campaign = _run_campaign(request, pk)
    form = CampaignMeetingForm(request.POST, prefix="meet")
    return _act(
        request,
        campaign,
        "meeting",
        form,
        lambda data: svc.campaign_meeting_record(actor=viewer, campaign=campaign, **data),
        _("The campaign meeting was recorded."),
        "campaign-meeting",
    )


@login_required
@require_POST
def campaign_cancel(request, pk):
    viewer = request.user
    campaign = _run_campaign(request, pk)
    form = CancelForm(request.POST, prefix="cancel")
    return _act(
        request,
        campaign,
        "cancel",
        form,
        lambda data: svc.campaign_cancel(actor=viewer, campaign=campaign, **data),
        _("The election campaign was cancelled."),
    )


@login_required
@require_POST
def interview_record(request, pk, cid):
    viewer = request.user
    campaign = _run_campaign(request, pk)
    candidate = selectors.candidate_get(viewer=viewer, campaign=campaign, pk=cid)
    form = InterviewForm(request.POST, prefix=f"interview-{candidate.pk}")
    return _act(
        request,
        campaign,
        ("interview", candidate.pk),
        form,
        lambda data: svc.interview_record(actor=viewer, candidate=candidate, **data),
        _("The interview of %(name)s was recorded.") % {"name": candidate.person.name},
        "interviews",
    )


@login_required
@require_POST
def speech_record(request, pk, cid):
    viewer = request.user
    campaign = _run_campaign(request, pk)
    candidate = selectors.candidate_get(viewer=viewer, campaign=campaign, pk=cid)
    form = SpeechForm(request.POST, prefix=f"speech-{candidate.pk}")
    return _act(
        request,
        campaign,
        ("speech", candidate.pk),
        form,
        lambda data: svc.speech_record(actor=viewer, candidate=candidate, **data),
        _("The speech and pledge of %(name)s were recorded.") % {"name": candidate.person.name},
        "speeches",
    )


# --- The candidate page ----------------------------------------------------------------------------------


def _candidate_for(viewer, pk, cid) -> tuple[Candidate, bool]:
    """The candidate, for those who run its election and for its reviewers; anyone else gets 404."""
    candidate = (
        Candidate.objects.select_related("person", "campaign__compound__community__town", "nominated_by")
        .filter(campaign_id=pk, pk=cid)
        .first()
    )
    if candidate is None:
        raise Http404
    runner = rules.may_run_election(viewer, candidate.campaign.compound)
    if not runner and not selectors.review_queue(viewer=viewer).filter(candidate=candidate).exists():
        raise Http404
    return candidate, runner


def _may_decide(candidate) -> bool:
    """A review of the candidate can be decided now: the campaign is reviewing, the candidate in review."""
    stage, status = candidate.campaign.status, candidate.status
    return workflow.CAMPAIGN.can(stage, "record_review") and workflow.CANDIDATE.can(status, "record_review")


def _candidate_page(request, candidate, runner, *, withdraw_form=None, status=200):
    viewer = request.user
    campaign = candidate.campaign
    reviews = candidate.reviews.select_related("body", "reviewer__person").order_by("body__position", "id")
    mine = set(selectors.review_queue(viewer=viewer).filter(candidate=candidate).values_list("pk", flat=True))
    if not runner:
        reviews = reviews.filter(pk__in=mine)
    reviews = list(reviews)
    may_decide = _may_decide(candidate)
    for review in reviews:
        review.mine = review.pk in mine
        if review.mine and may_decide:
            review.form = ReviewForm(
                prefix=f"review-{review.pk}",
                initial={
                    "outcome": review.outcome if review.outcome != Review.Outcome.PENDING else None,
                    "reason": review.reason,
                },
            )
    context = {
        "campaign": campaign,
        "candidate": candidate,
        "tone": _tone(candidate.status),
        "runner": runner,
        "facts": facts.facts_for(candidate),
        "bars": EligibilityBar.objects.filter(city_id=campaign.compound.community.town.city_id, enabled=True),
        "reviews": reviews,
        "progress": _review_progress(candidate),
        "interview": _one_to_one(candidate, "interview"),
        "speech": _one_to_one(candidate, "speech"),
        "rooms": candidate.rooms.select_related("unit__building"),
        "co_nominators": candidate.co_nominations.select_related("person"),
        "objections": (candidate.objections.select_related("lodged_by", "answered_by__person") if runner else []),
        "next_url": request.get_full_path(),
    }
    if withdraw_form is not None or (
        runner
        and workflow.CAMPAIGN.can(campaign.status, "withdraw_candidate")
        and candidate.status in workflow.STANDING
    ):
        context["withdraw_form"] = withdraw_form or WithdrawForm(prefix="withdraw")
    return render(request, "elections/campaign_candidate.html", context, status=status)


@login_required
def candidate_detail(request, pk, cid):
    candidate, runner = _candidate_for(request.user, pk, cid)
    return _candidate_page(request, candidate, runner)


@login_required
@require_POST
def candidate_withdraw(request, pk, cid):
    viewer = request.user
    campaign = _run_campaign(request, pk)
    candidate = selectors.candidate_get(viewer=viewer, campaign=campaign, pk=cid)
    form = WithdrawForm(request.POST, prefix="withdraw")
    if (
        save_form(
            request,
            form,
            lambda data: svc.candidate_withdraw(actor=viewer, candidate=candidate, **data),
            _("The candidate was withdrawn."),
        )
        is not None
    ):
        return redirect("elections:candidate_detail", pk=campaign.pk, cid=candidate.pk)
    candidate, runner = _candidate_for(viewer, pk, cid)
    return _candidate_page(request, candidate, runner, withdraw_form=form, status=422)


# --- Review queues ---------------------------------------------------------------------------------------


def _review_item(review, cache, *, form=None, saved=False) -> dict:
    candidate = review.candidate
    may_decide = _may_decide(candidate)
    if may_decide and form is None:
        form = ReviewForm(
            prefix=f"review-{review.pk}",
            initial={
                "outcome": review.outcome if review.outcome != Review.Outcome.PENDING else None,
                "reason": review.reason,
            },
        )
    return {"review": review, "candidate": candidate, "facts": cache[candidate.pk], "form": form, "saved": saved}


def _bars_by_city(reviews) -> list:
    cities = {
        r.candidate.campaign.compound.community.town.city_id
        for r in reviews
        if r.candidate.campaign.compound.community.town_id
    }
    return list(EligibilityBar.objects.filter(city_id__in=cities, enabled=True).select_related("city"))


def _queue_queryset(viewer, **kwargs):
    return selectors.review_queue(viewer=viewer, **kwargs).select_related(
        "candidate__campaign__compound__community__town"
    )


@login_required
def review_queue(request):
    viewer = request.user
    if not _may_review(viewer):
        raise Http404
    page_obj = paginate(request, _queue_queryset(viewer, pending_only=True))
    decided = list(_queue_queryset(viewer).exclude(outcome=Review.Outcome.PENDING)[:20])
    reviews = [*page_obj, *decided]
    cache = facts.facts_for_many(r.candidate for r in reviews)
    return render(
        request,
        "elections/review_queue.html",
        {
            "page_obj": page_obj,
            "pending": [_review_item(r, cache) for r in page_obj],
            "decided": [_review_item(r, cache) for r in decided],
            "bars": _bars_by_city(reviews),
            "total": selectors.review_queue(viewer=viewer).count(),
        },
    )


def _safe_next(request) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


@login_required
def review_record(request, pk):
    """One review of the viewer's queue (404 for any other): GET shows it, POST records pass or fail."""
    viewer = request.user
    review = selectors.review_get(viewer=viewer, pk=pk)
    review = _queue_queryset(viewer).get(pk=review.pk)
    cache = facts.facts_for_many([review.candidate])
    if request.method != "POST":
        return render(
            request,
            "elections/review_detail.html",
            {"item": _review_item(review, cache), "bars": _bars_by_city([review]), "next_url": _safe_next(request)},
        )
    form = ReviewForm(request.POST, prefix=f"review-{review.pk}")
    saved = save_form(
        request,
        form,
        lambda data: svc.review_record(actor=viewer, review=review, **data),
        _("The review of %(name)s was recorded.") % {"name": review.candidate.person.name},
    )
    if saved is not None:
        if _is_htmx(request):
            list(messages.get_messages(request))  # shown in place, not on the next page
            review = _queue_queryset(viewer).get(pk=review.pk)
            return render(
                request,
                "elections/_campaign_review_item.html",
                {"item": _review_item(review, facts.facts_for_many([review.candidate]), saved=True)},
            )
        return redirect(_safe_next(request) or reverse("elections:review_queue"))
    item = _review_item(review, cache, form=form)
    if _is_htmx(request):
        return render(request, "elections/_campaign_review_item.html", {"item": item})
    return render(
        request,
        "elections/review_detail.html",
        {"item": item, "bars": _bars_by_city([review]), "next_url": _safe_next(request)},
        status=422,
    )


urlpatterns = [
    path("", index, name="index"),
    path("campaigns/new/", campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/preparatory-group/", preparatory_add, name="preparatory_add"),
    path("campaigns/<int:pk>/nominations/", candidate_nominate, name="candidate_nominate"),
    path("campaigns/<int:pk>/steps/<slug:step>/", campaign_step, name="campaign_step"),
    path("campaigns/<int:pk>/slate/", slate_publish, name="slate_publish"),
    path("campaigns/<int:pk>/objections/", objection_lodge, name="objection_lodge"),
    path("campaigns/<int:pk>/objections/<int:oid>/answer/", objection_answer, name="objection_answer"),
    path("campaigns/<int:pk>/campaign-meeting/", campaign_meeting, name="campaign_meeting"),
    path("campaigns/<int:pk>/cancel/", campaign_cancel, name="campaign_cancel"),
    path("campaigns/<int:pk>/candidates/<int:cid>/", candidate_detail, name="candidate_detail"),
    path("campaigns/<int:pk>/candidates/<int:cid>/interview/", interview_record, name="interview_record"),
    path("campaigns/<int:pk>/candidates/<int:cid>/speech/", speech_record, name="speech_record"),
    path("campaigns/<int:pk>/candidates/<int:cid>/withdraw/", candidate_withdraw, name="candidate_withdraw"),
    path("reviews/", review_queue, name="review_queue"),
    path("reviews/<int:pk>/", review_record, name="review_record"),
]
