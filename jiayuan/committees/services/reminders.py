"""Term reminders: who is told that a committee's term is ending, and the daily job."""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from jiayuan.core.services import create_audited
from jiayuan.organisations.models import Organisation

from .. import rules
from ..models import TermReminder
from ..terms import needing_a_reminder
from ._common import Role, _today

# --- Term reminders -----------------------------------------------------------------------------


def reminder_recipients(committee: Organisation, day: dt.date):
    """Accounts with an e-mail address of the committee's director and of the secretary of its community."""
    from jiayuan.core.models import User

    communities = committee.compounds.values("community_id")
    posts = rules.current_posts(day)
    people = posts.filter(
        Q(organisation=committee, role=Role.COMMITTEE_DIRECTOR)
        | Q(role=Role.COMMUNITY_SECRETARY, organisation__community_id__in=communities)
    )
    return (
        User.objects.filter(person_id__in=people.values("person_id"), is_active=True).exclude(email="").order_by("pk")
    )


def _reminder_mail(reminder_id: int) -> None:
    reminder = TermReminder.objects.select_related("committee").get(pk=reminder_id)
    committee = reminder.committee
    compounds = "、".join(committee.compounds.order_by("pk").values_list("name", flat=True))
    if reminder.expired:
        subject = _("The term of %(name)s ended on %(date)s") % {
            "name": committee.name,
            "date": reminder.term_end.isoformat(),
        }
        body = _(
            "The term of the owners' committee %(name)s (%(compounds)s) ended on %(date)s and no new committee "
            "has been elected. Please organise the election of a new committee."
        )
    else:
        subject = _("The term of %(name)s ends on %(date)s") % {
            "name": committee.name,
            "date": reminder.term_end.isoformat(),
        }
        body = _(
            "The term of the owners' committee %(name)s (%(compounds)s) ends on %(date)s. Please start "
            "preparing the election of the next committee (换届) in good time."
        )
    body %= {"name": committee.name, "compounds": compounds or "—", "date": reminder.term_end.isoformat()}
    for user in reminder_recipients(committee, reminder.reminded_on):
        send_mail(subject=subject, message=body, from_email=None, recipient_list=[user.email], fail_silently=True)


def remind_terms(today: dt.date | None = None) -> list[TermReminder]:
    """The daily job: one reminder per committee whose term ends within six months (or has ended).

    Idempotent: a committee already reminded of this term end is skipped, and the database
    refuses a second reminder for the same committee and term end. Each reminder is e-mailed
    after its transaction commits. Returns the reminders created.
    """
    today = _today(today)
    created = []
    already = Exists(TermReminder.objects.filter(committee=OuterRef("pk"), term_end=OuterRef("term_end")))
    for committee in needing_a_reminder(today).exclude(already).order_by("term_end", "pk"):
        try:
            with transaction.atomic():
                reminder = create_audited(
                    TermReminder,
                    actor=None,
                    audit_note="term reminder",
                    committee=committee,
                    term_end=committee.term_end,
                    reminded_on=today,
                    expired=committee.term_end < today,
                    recipient_count=reminder_recipients(committee, today).count(),
                )
                transaction.on_commit(partial(_reminder_mail, reminder.pk))
        except (IntegrityError, ValidationError):  # another run got there first
            continue
        created.append(reminder)
    return created
