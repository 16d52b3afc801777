"""The campaign's writes: the preparatory group, nominations, stage moves, the slate, objections, the campaign meeting, interviews and speeches."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import selectors
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
from ..models import Objection
from ..services import campaign as svc
from ..steps import PAGE_STEPS
from ._campaign_common import _run_campaign
from .campaign_page import _act


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


@login_required
@require_POST
def campaign_step(request, pk, step):
    declared = PAGE_STEPS.get(step)
    if declared is None:
        raise Http404
    viewer = request.user
    campaign = _run_campaign(request, pk)
    form = StepForm(request.POST, prefix="step")
    write = lambda data: declared.run(actor=viewer, campaign=campaign, data=data)  # noqa: E731
    return _act(request, campaign, "step", form, write, str(declared.done))


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
