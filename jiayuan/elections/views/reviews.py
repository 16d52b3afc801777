"""The joint qualification review: each reviewer's own queue and decision."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from jiayuan.core.web import paginate, save_form

from .. import facts, selectors
from ..forms.campaigns import (
    ReviewForm,
)
from ..models import EligibilityBar, Review
from ..services import campaign as svc
from ._campaign_common import _is_htmx, _may_review
from .candidates import _may_decide

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
    found = cache[candidate.pk]
    return {
        "review": review,
        "candidate": candidate,
        "facts": found,
        "flags": [fact for fact in found if fact.concern],
        "form": form,
        "saved": saved,
    }


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
