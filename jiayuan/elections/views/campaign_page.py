"""The campaign page and the context it is drawn from."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from jiayuan.core.pdf import pdf_response
from jiayuan.core.web import save_form

from .. import facts, selectors, workflow
from ..forms.campaigns import (
    CampaignMeetingForm,
    CancelForm,
    InterviewForm,
    NominationForm,
    ObjectionAnswerForm,
    ObjectionLodgeForm,
    PreparatoryMemberForm,
    SlateForm,
    SpeechForm,
    StepForm,
)
from ..models import Campaign, Objection
from ..services import campaign as svc
from ._campaign_common import Status, _back, _may_object, _nav, _one_to_one, _review_progress, _stage_bar, _tone

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


# The stages from the public notice on: the slate is published and may be posted on the board.
SLATE_PUBLISHED = (Campaign.Status.NOTICE, Campaign.Status.CAMPAIGNING, Campaign.Status.VOTING, Campaign.Status.ELECTED)


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
    # Those who run the election and the reviewers see the platform's flags beside each candidate they see.
    reviewer = not staff and any(c.status not in selectors.PUBLIC_CANDIDATE_STATES for c in candidates)
    found = facts.facts_for_many(candidates) if (staff or reviewer) and candidates else {}
    for candidate in candidates:
        candidate.tone = _tone(candidate.status)
        candidate.flags = [fact for fact in found.get(candidate.pk, []) if fact.concern]
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
        "slate_published": campaign.status in SLATE_PUBLISHED,
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


@login_required
def slate_notice(request, pk):
    """The slate's public notice (公示) as a PDF for the compound's board, once the slate is published."""
    campaign = selectors.campaign_get(viewer=request.user, pk=pk)
    if campaign.status not in SLATE_PUBLISHED:
        raise Http404
    slate = [
        c
        for c in selectors.candidates_of(viewer=request.user, campaign=campaign).select_related("person")
        if c.status in selectors.PUBLIC_CANDIDATE_STATES
    ]
    context = {"campaign": campaign, "candidates": slate, "today": timezone.localdate()}
    return pdf_response(
        "elections/notices/slate.html", context, filename=f"campaign{campaign.pk}-slate.pdf", request=request
    )


def _act(request, campaign, key, form, write, message, anchor=""):
    """Run the service with the form's data: back to the campaign page, or the page again with the errors."""
    if save_form(request, form, write, message) is not None:
        return _back(campaign, anchor)
    return _campaign_page(request, campaign, bound={key: form}, status=422)
