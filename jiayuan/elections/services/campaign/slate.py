"""Interviews, the slate and its public notice, objections, the campaign meeting and speeches, and calling a campaign off."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiayuan.core.services import create_audited, update_audited
from jiayuan.organisations.models import COMMITTEE_SEATS

from ... import rules, workflow
from ...models import (
    Campaign,
    CampaignMeeting,
    Candidate,
    Interview,
    Objection,
    Speech,
)
from ._common import Status, _expect, _fresh, _locked, _refuse_unless, move, rooms_owned

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
