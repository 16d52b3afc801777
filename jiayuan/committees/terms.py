"""Dates of a committee's life and the unscoped base querysets both the services and the selectors use."""

from __future__ import annotations

import calendar
import datetime as dt

from django.db.models import Exists, OuterRef, Q

from jiayuan.organisations.models import Organisation
from jiayuan.organisations.selectors import committee_in_office_q, committee_standing

REMINDER_MONTHS = 6  # remind this many months before a term ends
FILING_DAYS = 30  # file with the housing department and the town within this many days of the election


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (or earlier), clamped to the end of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def filing_deadline(committee) -> dt.date:
    """The last day to file: 30 days after the committee was elected (Property Management Regulations art. 16)."""
    return committee.established_on + dt.timedelta(days=FILING_DAYS)


def reminder_horizon(today: dt.date) -> dt.date:
    """Terms ending on or before this day are due for a reminder."""
    return add_months(today, REMINDER_MONTHS)


def committees():
    return Organisation.objects.filter(kind=Organisation.Kind.OWNERS_COMMITTEE)


def not_superseded():
    """No later committee has been elected for any of the committee's compounds."""
    later = Organisation.objects.filter(
        kind=Organisation.Kind.OWNERS_COMMITTEE,
        established_on__gt=OuterRef("established_on"),
        compounds__organisations=OuterRef("pk"),
    )
    return ~Exists(later)


def existing_on(today: dt.date) -> Q:
    """Elected by `today` and not dissolved; the term may have run out."""
    return Q(established_on__lte=today) & (Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=today))


def in_office_on(today: dt.date) -> Q:
    """Elected by `today`, not dissolved, the term running, and not superseded by a later committee."""
    return committee_in_office_q(today)


def term_state(committee, today: dt.date) -> str:
    """The committee's term on `today`: "in_office", "ending_soon" (in office, the term ends within six months),
    "expired" (ended, no successor yet), "superseded" (a later committee took office), "dissolved" or "not_yet"."""
    state = committee_standing(committee, today)
    if state == "in_office" and committee.term_end <= reminder_horizon(today):
        return "ending_soon"
    return state


def needing_a_reminder(today: dt.date):
    """Committees still standing whose term ends within six months or has ended, with no successor yet."""
    return committees().filter(existing_on(today), term_end__lte=reminder_horizon(today)).filter(not_superseded())
