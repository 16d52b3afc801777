"""Writes of an election campaign: nominations, the joint qualification review, interviews, the slate
and its public notice, objections, the campaign meeting. Each takes `actor` and leaves audit rows."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiayuan.core.services import create_audited, update_audited
from jiayuan.organisations.models import COMMITTEE_SEATS, Organisation
from jiayuan.people.models import Ownership
from jiayuan.places.models import Room

from .. import rules, workflow
from ..models import (
    Campaign,
    CampaignMeeting,
    CampaignStep,
    Candidate,
    CoNomination,
    Interview,
    Objection,
    PreparatoryMember,
    Review,
    ReviewBody,
    Speech,
)

Status = Candidate.Status


def _refuse_unless(allowed: bool) -> None:
    """A viewer without the power over the compound is refused as in every app: PermissionDenied (403)."""
    if not allowed:
        raise PermissionDenied(_("You may not do this for this compound."))


def rooms_owned(person, compound, *, on: dt.date | None = None):
    """The rooms of `compound` that `person` owns (alone or with others) on a day."""
    day = on or timezone.localdate()
    owned = Ownership.objects.filter(person=person).current_on(day)
    return Room.objects.filter(unit__building__compound=compound, ownerships__in=owned).distinct()


def move(*, actor, campaign: Campaign, action: str, note: str = "") -> Campaign:
    """Move the campaign along its workflow and write the step; the caller has checked what the move needs."""
    _expect(campaign, action, field="status")
    target = workflow.CAMPAIGN.next(campaign.status, action)
    source = campaign.status
    update_audited(campaign, actor=actor, audit_note=note, status=target)
    CampaignStep.objects.create(campaign=campaign, source=source, target=target, actor=actor, note=note[:300])
    return campaign


def _locked(campaign: Campaign) -> Campaign:
    """The campaign's row, locked for the rest of the transaction, so two moves run one after the other."""
    return Campaign.objects.select_for_update().select_related("compound__community__town").get(pk=campaign.pk)


def _fresh(candidate: Candidate) -> Candidate:
    """The candidate's row as it is now, locked: callers may hold a stale copy."""
    return Candidate.objects.select_for_update().select_related("person").get(pk=candidate.pk)


def _expect(campaign: Campaign, action: str, *, field: str = "") -> None:
    """ValidationError (on `field`, if named) unless the campaign's stage permits `action` (workflow.CAMPAIGN)."""
    if not workflow.CAMPAIGN.can(campaign.status, action):
        message = _("The campaign is at the stage “%(stage)s”; this step is not possible now.") % {
            "stage": campaign.get_status_display()
        }
        raise ValidationError({field: message} if field else message)


@transaction.atomic
def campaign_open(
    *,
    actor,
    compound,
    kind: str,
    seats: int,
    opened_on: dt.date,
    term_years: int = 5,
    co_nominators_required: int = 5,
    notice_days: int = 7,
) -> Campaign:
    """Open the election of `compound`'s owners' committee. A re-election names the outgoing committee."""
    _refuse_unless(rules.may_run_election(actor, compound))
    errors = {}
    if seats not in COMMITTEE_SEATS:
        errors["seats"] = _("An owners' committee has an odd number of members from 5 to 11, not %(seats)s.") % {
            "seats": seats
        }
    if not 1 <= term_years <= 5:
        errors["term_years"] = _("A committee term lasts from one to five years.")
    if co_nominators_required < 1:
        errors["co_nominators_required"] = _("At least one co-nominating owner is required.")
    if Campaign.objects.filter(compound=compound, status__in=workflow.OPEN_STAGES).exists():
        errors["compound"] = _("%(compound)s already has an election under way.") % {"compound": compound}
    predecessor = (
        Organisation.objects.active_on(opened_on)
        .filter(kind=Organisation.Kind.OWNERS_COMMITTEE, compounds=compound)
        .order_by("-established_on")
        .first()
    )
    if kind == Campaign.Kind.RE_ELECTION and predecessor is None:
        errors["kind"] = _("%(compound)s has no owners' committee in office: this is a first election.") % {
            "compound": compound
        }
    if kind == Campaign.Kind.FIRST and predecessor is not None:
        errors["kind"] = _(
            "%(compound)s has an owners' committee in office (%(committee)s): this is a re-election."
        ) % {"compound": compound, "committee": predecessor}
    if errors:
        raise ValidationError(errors)
    campaign = create_audited(
        Campaign,
        actor=actor,
        compound=compound,
        kind=kind,
        seats=seats,
        term_years=term_years,
        co_nominators_required=co_nominators_required,
        notice_days=notice_days,
        opened_on=opened_on,
        predecessor=predecessor if kind == Campaign.Kind.RE_ELECTION else None,
        created_by=actor,
    )
    CampaignStep.objects.create(campaign=campaign, target=campaign.status, actor=actor)
    return campaign


@transaction.atomic
def preparatory_member_add(
    *, actor, campaign: Campaign, person, role: str = PreparatoryMember.Role.MEMBER, represents: str = ""
) -> PreparatoryMember:
    campaign = _locked(campaign)
    _refuse_unless(rules.may_run_election(actor, campaign.compound))
    _expect(campaign, "add_preparatory_member")
    if campaign.preparatory_group.filter(person=person).exists():
        raise ValidationError({"person": _("%(person)s is already in the preparatory group.") % {"person": person}})
    if role == PreparatoryMember.Role.LEADER and campaign.preparatory_group.filter(role=role).exists():
        raise ValidationError({"role": _("The preparatory group already has a leader.")})
    return create_audited(
        PreparatoryMember, actor=actor, campaign=campaign, person=person, role=role, represents=represents
    )


@transaction.atomic
def candidate_nominate(
    *, actor, campaign: Campaign, person, route: str, statement: str = "", co_nominators=(), on: dt.date | None = None
) -> Candidate:
    """Nominate an owner of the compound. A joint nomination needs the campaign's number of co-nominating owners."""
    campaign = _locked(campaign)
    compound = campaign.compound
    _refuse_unless(rules.may_run_election(actor, compound))
    _expect(campaign, "nominate")
    errors = {}
    rooms = list(rooms_owned(person, compound, on=on))
    if not rooms:
        errors["person"] = _("%(person)s owns no room in %(compound)s; only owners can stand.") % {
            "person": person,
            "compound": compound,
        }
    elif campaign.candidates.filter(person=person).exists():
        errors["person"] = _("%(person)s is already a candidate.") % {"person": person}
    co_nominators = list(dict.fromkeys(co_nominators))
    if route == Candidate.Route.JOINT_OWNERS:
        not_owners = [p for p in co_nominators if p == person or not rooms_owned(p, compound, on=on).exists()]
        if not_owners:
            errors["co_nominators"] = _("Not owners of this compound (or the candidate): %(names)s.") % {
                "names": "、".join(str(p) for p in not_owners)
            }
        elif len(co_nominators) < campaign.co_nominators_required:
            errors["co_nominators"] = _(
                "A joint nomination needs %(need)s co-nominating owners; %(got)s were given."
            ) % {"need": campaign.co_nominators_required, "got": len(co_nominators)}
    elif co_nominators:
        errors["co_nominators"] = _("Co-nominating owners are named only for a joint nomination by owners.")
    if errors:
        raise ValidationError(errors)
    candidate = create_audited(
        Candidate, actor=actor, campaign=campaign, person=person, route=route, statement=statement, nominated_by=actor
    )
    candidate.rooms.set(rooms)
    CoNomination.objects.bulk_create(CoNomination(candidate=candidate, person=p) for p in co_nominators)
    return candidate


@transaction.atomic
def candidate_withdraw(*, actor, candidate: Candidate, reason: str) -> Candidate:
    candidate = _fresh(candidate)
    campaign = _locked(candidate.campaign)
    _refuse_unless(rules.may_run_election(actor, campaign.compound))
    _expect(campaign, "withdraw_candidate")
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the withdrawal.")})
    if not workflow.CANDIDATE.can(candidate.status, "withdraw"):
        raise ValidationError(
            _("%(candidate)s is no longer standing and cannot withdraw.") % {"candidate": candidate.person}
        )
    status = workflow.CANDIDATE.next(candidate.status, "withdraw")
    return update_audited(candidate, actor=actor, audit_note=reason, status=status)


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


# --- Interviews, slate, public notice, objections -----------------------------------------------


@transaction.atomic
def interview_record(
    *, actor, candidate: Candidate, held_on: dt.date, panel: str, notes: str, passed: bool
) -> Interview:
    candidate = _fresh(candidate)
    campaign = _locked(candidate.campaign)
    _refuse_unless(rules.may_run_election(actor, campaign.compound))
    _expect(campaign, "record_interview")
    if not workflow.CANDIDATE.can(candidate.status, "record_interview"):
        raise ValidationError(_("Only candidates who passed the qualification review are interviewed."))
    existing = Interview.objects.filter(candidate=candidate).first()
    fields = {"held_on": held_on, "panel": panel, "notes": notes, "passed": passed}
    if existing:
        interview = update_audited(existing, actor=actor, **fields)
    else:
        interview = create_audited(Interview, actor=actor, candidate=candidate, recorded_by=actor, **fields)
    verdict = "pass_interview" if passed else "fail_interview"
    if candidate.status != workflow.CANDIDATE.moves[verdict].target:
        update_audited(candidate, actor=actor, status=workflow.CANDIDATE.next(candidate.status, verdict))
    return interview


@transaction.atomic
def slate_publish(*, actor, campaign: Campaign, candidates, seats: int, notice_starts: dt.date) -> Campaign:
    """Fix the slate and the number of seats, and open the public notice period."""
    campaign = _locked(campaign)
    _refuse_unless(rules.may_run_election(actor, campaign.compound))
    _expect(campaign, "publish_slate")
    chosen = list(
        Candidate.objects.select_for_update()
        .select_related("person")
        .filter(pk__in=[c.pk for c in candidates])
        .order_by("pk")
    )
    errors = {}
    if seats not in COMMITTEE_SEATS:
        errors["seats"] = _("An owners' committee has an odd number of members from 5 to 11, not %(seats)s.") % {
            "seats": seats
        }
    outsiders = [c for c in chosen if c.campaign_id != campaign.pk]
    unready = [
        c
        for c in chosen
        if not workflow.CANDIDATE.can(c.status, "put_on_slate")
        or not Interview.objects.filter(candidate=c, passed=True).exists()
    ]
    if outsiders or unready:
        errors["candidates"] = _(
            "Only candidates who passed both the review and the interview can be on the slate: %(names)s."
        ) % {"names": "、".join(str(c.person) for c in outsiders + unready)}
    elif len(chosen) < seats:
        errors["candidates"] = _("The slate has %(got)s candidates for %(seats)s seats.") % {
            "got": len(chosen),
            "seats": seats,
        }
    waiting = campaign.candidates.filter(status=Status.QUALIFIED, interview__isnull=True).count()
    if waiting:
        errors.setdefault(
            "candidates", _("%(count)s qualified candidates have not been interviewed yet.") % {"count": waiting}
        )
    if errors:
        raise ValidationError(errors)
    for candidate in chosen:
        update_audited(candidate, actor=actor, status=workflow.CANDIDATE.next(candidate.status, "put_on_slate"))
    update_audited(
        campaign,
        actor=actor,
        seats=seats,
        notice_starts=notice_starts,
        notice_ends=notice_starts + dt.timedelta(days=campaign.notice_days),
    )
    return move(
        actor=actor,
        campaign=campaign,
        action="publish_slate",
        note=_("Slate of %(count)s for %(seats)s seats.") % {"count": len(chosen), "seats": seats},
    )


@transaction.atomic
def objection_lodge(*, actor, candidate: Candidate, person, text: str, on: dt.date | None = None) -> Objection:
    """An owner of the compound objects to a slate candidate during the public notice."""
    day = on or timezone.localdate()
    candidate = _fresh(candidate)
    campaign = _locked(candidate.campaign)
    _expect(campaign, "lodge_objection")
    if not (campaign.notice_starts <= day <= campaign.notice_ends):
        raise ValidationError(
            _("Objections are lodged during the public notice, %(start)s to %(end)s.")
            % {"start": campaign.notice_starts, "end": campaign.notice_ends}
        )
    if actor.person_id != person.pk and not rules.may_run_election(actor, campaign.compound):
        raise ValidationError(_("You may lodge an objection only in your own name."))
    if not rooms_owned(person, campaign.compound, on=day).exists():
        raise ValidationError(
            {"person": _("Only owners of %(compound)s may object.") % {"compound": campaign.compound}}
        )
    if not workflow.CANDIDATE.can(candidate.status, "lodge_objection"):
        raise ValidationError({"candidate": _("%(candidate)s is not on the slate.") % {"candidate": candidate.person}})
    if not text.strip():
        raise ValidationError({"text": _("Say what the objection is.")})
    return create_audited(Objection, actor=actor, candidate=candidate, lodged_by=person, text=text.strip())


@transaction.atomic
def objection_answer(*, actor, objection: Objection, answer: str, upheld: bool) -> Objection:
    """Answer an objection; an upheld objection strikes the candidate off the slate."""
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    candidate = objection.candidate
    campaign = _locked(candidate.campaign)
    _refuse_unless(rules.may_run_election(actor, campaign.compound))
    _expect(campaign, "answer_objection")
    if objection.answered_at is not None:
        raise ValidationError(_("This objection has been answered."))
    if not answer.strip():
        raise ValidationError({"answer": _("Write the answer to the objection.")})
    objection = update_audited(
        objection, actor=actor, answer=answer.strip(), upheld=upheld, answered_by=actor, answered_at=timezone.now()
    )
    if upheld and workflow.CANDIDATE.can(candidate.status, "strike_off"):
        status = workflow.CANDIDATE.next(candidate.status, "strike_off")
        update_audited(candidate, actor=actor, status=status, audit_note=answer.strip()[:200])
    return objection


@transaction.atomic
def campaigning_start(*, actor, campaign: Campaign, on: dt.date | None = None) -> Campaign:
    """After the notice period, with every objection answered and still enough candidates on the slate."""
    day = on or timezone.localdate()
    campaign = _locked(campaign)
    _refuse_unless(rules.may_run_election(actor, campaign.compound))
    _expect(campaign, "campaign")
    if day <= campaign.notice_ends:
        raise ValidationError(_("The public notice runs until %(end)s.") % {"end": campaign.notice_ends})
    unanswered = Objection.objects.filter(candidate__campaign=campaign, answered_at__isnull=True).count()
    if unanswered:
        raise ValidationError(_("%(count)s objections are not answered yet.") % {"count": unanswered})
    on_slate = campaign.candidates.filter(status=Status.ON_SLATE).count()
    if on_slate < campaign.seats:
        raise ValidationError(
            _("%(got)s candidates remain on the slate for %(seats)s seats.")
            % {"got": on_slate, "seats": campaign.seats}
        )
    return move(actor=actor, campaign=campaign, action="campaign")


@transaction.atomic
def campaign_meeting_record(
    *,
    actor,
    campaign: Campaign,
    held_at: dt.datetime,
    place: str,
    livestream_url: str = "",
    attendance: int | None = None,
) -> CampaignMeeting:
    campaign = _locked(campaign)
    _refuse_unless(rules.may_run_election(actor, campaign.compound))
    _expect(campaign, "record_campaign_meeting")
    fields = {"held_at": held_at, "place": place, "livestream_url": livestream_url, "attendance": attendance}
    existing = CampaignMeeting.objects.filter(campaign=campaign).first()
    if existing:
        return update_audited(existing, actor=actor, **fields)
    return create_audited(CampaignMeeting, actor=actor, campaign=campaign, **fields)


@transaction.atomic
def speech_record(*, actor, candidate: Candidate, summary: str, pledge: str, pledge_signed_on: dt.date) -> Speech:
    candidate = _fresh(candidate)
    campaign = _locked(candidate.campaign)
    _refuse_unless(rules.may_run_election(actor, campaign.compound))
    _expect(campaign, "record_speech")
    if not workflow.CANDIDATE.can(candidate.status, "record_speech"):
        raise ValidationError(_("%(candidate)s is not on the slate.") % {"candidate": candidate.person})
    fields = {"summary": summary, "pledge": pledge, "pledge_signed_on": pledge_signed_on}
    existing = Speech.objects.filter(candidate=candidate).first()
    if existing:
        return update_audited(existing, actor=actor, **fields)
    return create_audited(Speech, actor=actor, candidate=candidate, **fields)


def ready_to_vote(campaign: Campaign) -> list[str]:
    """What still stops the campaign from going to the general meeting (empty when nothing does)."""
    missing = []
    if not CampaignMeeting.objects.filter(campaign=campaign).exists():
        missing.append(_("The campaign meeting is not recorded."))
    silent = campaign.candidates.filter(status=Status.ON_SLATE, speech__isnull=True)
    if silent.exists():
        missing.append(
            _("No speech and signed pledge recorded for: %(names)s.")
            % {"names": "、".join(str(c.person) for c in silent.select_related("person"))}
        )
    return missing


@transaction.atomic
def campaign_cancel(*, actor, campaign: Campaign, reason: str) -> Campaign:
    campaign = _locked(campaign)
    _refuse_unless(rules.may_run_election(actor, campaign.compound))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for cancelling.")})
    return move(actor=actor, campaign=campaign, action="cancel", note=reason.strip())
