"""The list of general meetings and calling one."""

from __future__ import annotations

from fractions import Fraction

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from jiayuan.core.web import paginate, save_form
from jiayuan.places.models import Compound

from .. import rules, selectors
from ..forms.meetings import (
    MeetingForm,
)
from ..services import assembly
from ._meeting_common import Status

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
