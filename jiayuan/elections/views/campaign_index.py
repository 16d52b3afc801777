"""The elections index and opening a campaign."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from jiayuan.core.web import paginate, save_form

from .. import selectors
from ..forms.campaigns import (
    CampaignOpenForm,
)
from ..models import Campaign
from ..services import campaign as svc
from ._campaign_common import _back, _may_open, _nav

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
