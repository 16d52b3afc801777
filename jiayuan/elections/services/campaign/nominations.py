"""Opening a campaign, the preparatory group, nominations and withdrawals."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jiayuan.core.services import create_audited, update_audited
from jiayuan.organisations.models import COMMITTEE_SEATS, Organisation

from ... import rules, workflow
from ...models import (
    Campaign,
    CampaignStep,
    Candidate,
    CoNomination,
    PreparatoryMember,
)
from ._common import _expect, _fresh, _locked, _refuse_unless, rooms_owned


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
