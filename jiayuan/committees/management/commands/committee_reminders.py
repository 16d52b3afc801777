"""`jiayuan committee_reminders [--date YYYY-MM-DD]`: remind of owners' committee terms ending within six months.

Run it daily (cron or a systemd timer). Idempotent: one reminder per committee and term end.
Each new reminder is e-mailed to the committee's director and the community secretary.
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import ngettext

from jiayuan.committees.services import remind_terms


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--date must be YYYY-MM-DD, not {value!r}") from exc


class Command(BaseCommand):
    help = "Create (and e-mail) reminders for owners' committees whose term ends within six months or has ended."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", dest="day", default=None, metavar="YYYY-MM-DD", help="the day to run for (default: today)"
        )

    def handle(self, *args, **options):
        day = _date(options["day"]) if options["day"] else None
        created = remind_terms(day)
        count = len(created)
        self.stdout.write(
            ngettext("%(count)d reminder created.", "%(count)d reminders created.", count) % {"count": count}
        )
