"""What the general meeting's writes share: the legal periods, the row lock, the stage check."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ... import workflow
from ...models import (
    Ballot,
    GeneralMeeting,
)

NOTICE_DAYS = 15  # Property Management Regulations art. 14
FIRST_MEETING_DAYS = 7  # the new committee's first meeting (DOMAIN.md §5)
MIN_COMMITTEE = 5
Status = GeneralMeeting.Status
Choice = Ballot.Choice
Channel = Ballot.Channel


def _locked(meeting: GeneralMeeting) -> GeneralMeeting:
    """The meeting's row, locked to the end of the transaction: ballots, checks and the count run one at a time,
    so no ballot can commit after the count has read the ballots."""
    return (
        GeneralMeeting.objects.select_for_update(of=("self",))
        .select_related("compound__community__town", "campaign")
        .get(pk=meeting.pk)
    )


def _expect(meeting: GeneralMeeting, action: str) -> str:
    """The state `action` leads the meeting to (workflow.MEETING); ValidationError if its state does not permit it."""
    if not workflow.MEETING.can(meeting.status, action):
        raise ValidationError(
            _("The meeting is “%(status)s”; this step is not possible now.") % {"status": meeting.get_status_display()}
        )
    return workflow.MEETING.next(meeting.status, action)
