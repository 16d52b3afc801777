"""What the campaign pages share: who may open, review or object, the stage bar, a candidate's tone."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse

from jiayuan.core.scope import scope_for
from jiayuan.places.models import Compound

from .. import rules, selectors, workflow
from ..models import Campaign, Candidate, Review
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
