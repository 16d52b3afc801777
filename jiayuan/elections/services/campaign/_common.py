"""What the campaign's writes share: the refusal, the row locks, the stage check through workflow.CAMPAIGN."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from jiayuan.core.services import update_audited
from jiayuan.people.models import Ownership
from jiayuan.places.models import Room

from ... import workflow
from ...models import (
    Campaign,
    CampaignStep,
    Candidate,
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
