"""Dates of a committee's life and the unscoped base querysets both the services and the selectors use."""

from __future__ import annotations

import calendar
import datetime as dt

from django.db.models import Exists, OuterRef, Q

from jiayuan.organisations.models import Organisation

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
    return existing_on(today) & Q(term_end__gte=today)


def needing_a_reminder(today: dt.date):
    """Committees still standing whose term ends within six months or has ended, with no successor yet."""
    return committees().filter(existing_on(today), term_end__lte=reminder_horizon(today)).filter(not_superseded())
