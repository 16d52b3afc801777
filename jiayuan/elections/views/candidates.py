"""A candidate's page and withdrawal."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiayuan.core.web import save_form

from .. import facts, rules, selectors, workflow
from ..forms.campaigns import (
    ReviewForm,
    WithdrawForm,
)
from ..models import Candidate, EligibilityBar, Review
from ..services import campaign as svc
from ._campaign_common import _one_to_one, _review_progress, _run_campaign, _tone

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
