"""The joint qualification review (资格联审) and the start of the interviews."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiayuan.core.services import update_audited

from ... import facts, rules, workflow
from ...models import (
    Campaign,
    Candidate,
    Review,
    ReviewBody,
)
from ._common import Status, _expect, _locked, _refuse_unless, move

# --- Joint qualification review --------------------------------------------------------------


@transaction.atomic
def review_start(*, actor, campaign: Campaign, note: str = "") -> Campaign:
    """Close nominations: every candidate goes to every active reviewing body of the city."""
    campaign = _locked(campaign)
    _refuse_unless(rules.may_run_election(actor, campaign.compound))
    _expect(campaign, "review")
    sent = workflow.CANDIDATE.moves["review"]
    candidates = list(campaign.candidates.filter(status__in=sent.source))
    if len(candidates) < campaign.seats:
        raise ValidationError(
            _("There are %(got)s candidates for %(seats)s seats; nominate at least as many candidates as seats.")
            % {"got": len(candidates), "seats": campaign.seats}
        )
    bodies = list(ReviewBody.objects.filter(city=campaign.compound.community.town.city_id, active=True))
    if not bodies:
        raise ValidationError(_("No reviewing bodies are configured for this city."))
    Review.objects.bulk_create(Review(candidate=c, body=b) for c in candidates for b in bodies)
    Candidate.objects.filter(pk__in=[c.pk for c in candidates]).update(status=sent.target)
    return move(
        actor=actor,
        campaign=campaign,
        action="review",
        note=note
        or _("%(candidates)s candidates sent to %(bodies)s reviewing bodies.")
        % {"candidates": len(candidates), "bodies": len(bodies)},
    )


@transaction.atomic
def review_record(*, actor, review: Review, outcome: str, reason: str = "") -> Review:
    """A reviewing body's pass or fail. Only someone acting for that body may record it."""
    review = (
        Review.objects.select_for_update()
        .select_related("body", "candidate__campaign__compound__community__town")
        .get(pk=review.pk)
    )
    candidate = review.candidate
    campaign = _locked(candidate.campaign)
    if not rules.acts_for(actor, review.body, campaign.compound):
        raise ValidationError(
            _("This review belongs to %(body)s's queue; you do not review for it.") % {"body": review.body}
        )
    _expect(campaign, "record_review")
    if not workflow.CANDIDATE.can(candidate.status, "record_review"):
        raise ValidationError(_("%(candidate)s is no longer under review.") % {"candidate": candidate.person})
    if outcome not in (Review.Outcome.PASS, Review.Outcome.FAIL):
        raise ValidationError({"outcome": _("Choose pass or fail.")})
    if outcome == Review.Outcome.FAIL and not reason.strip():
        raise ValidationError({"reason": _("A fail needs a reason.")})
    flags = [fact.text for fact in facts.facts_for(candidate) if fact.concern]
    if outcome == Review.Outcome.PASS and flags and not reason.strip():
        raise ValidationError(
            {
                "reason": _("The platform flags this candidate (%(flags)s): say why they pass anyway.")
                % {"flags": " ".join(flags)}
            }
        )
    review = update_audited(
        review, actor=actor, outcome=outcome, reason=reason.strip(), reviewer=actor, reviewed_at=timezone.now()
    )
    _settle_review(actor, candidate)
    return review


def _settle_review(actor, candidate: Candidate) -> None:
    """A candidate passes only when every review passes; one fail disqualifies."""
    outcomes = set(candidate.reviews.values_list("outcome", flat=True))
    if Review.Outcome.FAIL in outcomes:
        verdict = "disqualify"
    elif outcomes == {Review.Outcome.PASS}:
        verdict = "qualify"
    else:
        verdict = "reconsider"
    if candidate.status != workflow.CANDIDATE.moves[verdict].target:
        update_audited(candidate, actor=actor, status=workflow.CANDIDATE.next(candidate.status, verdict))


@transaction.atomic
def interviews_start(*, actor, campaign: Campaign, note: str = "") -> Campaign:
    campaign = _locked(campaign)
    _refuse_unless(rules.may_run_election(actor, campaign.compound))
    _expect(campaign, "interview")
    pending = Review.objects.filter(
        candidate__campaign=campaign, candidate__status=Status.UNDER_REVIEW, outcome=Review.Outcome.PENDING
    ).count()
    if pending:
        raise ValidationError(_("%(count)s reviews are still pending.") % {"count": pending})
    qualified = campaign.candidates.filter(status=Status.QUALIFIED).count()
    if qualified < campaign.seats:
        raise ValidationError(
            _(
                "Only %(got)s candidates passed the review for %(seats)s seats; the campaign "
                "cannot go on (nominate again in a new campaign)."
            )
            % {"got": qualified, "seats": campaign.seats}
        )
    return move(actor=actor, campaign=campaign, action="interview", note=note)
