"""`jiayuan appeals_overdue`: flag overdue appeals and escalate their supervision (the scheduled job).

Run once (for cron) it prints what it did and exits:

    */10 * * * *  jiayuan appeals_overdue

With --every SECONDS it runs again and again, pausing in between; `jiayuan serve`
starts it that way next to the web server. The job is idempotent (an order is
flagged once, supervision only goes up) and takes a row lock per order, so several
copies may run at the same time without doing anything twice.
"""

import datetime as dt
import os
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext as _

from jiayuan.appeals.services import flag_overdue

PAUSE_STEP = 5  # seconds between checks that the parent process is still there


class Command(BaseCommand):
    help = _(
        "Flag open appeals past their deadline and escalate supervision (town on the first late day, city after 3 "
        "working days late). Idempotent; prints the counts. With --every SECONDS it repeats until stopped (this is how "
        "`jiayuan serve` runs it); otherwise run it from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--every",
            type=int,
            default=0,
            metavar="SECONDS",
            help=_("repeat every SECONDS seconds until stopped (0: run once, the default)"),
        )
        parser.add_argument(
            "--date",
            type=dt.date.fromisoformat,
            default=None,
            metavar="YYYY-MM-DD",
            help=_("the day to judge deadlines by (default: today)"),
        )
        parser.add_argument(
            "--exit-with-parent",
            action="store_true",
            help=_("stop when the process that started this one ends (used by `jiayuan serve`)"),
        )

    def handle(self, *args, every=0, date=None, exit_with_parent=False, **options):
        if every < 0:
            raise CommandError(_("--every must be 0 or a number of seconds."))
        if not every:
            self.run_once(date)
            return
        parent = os.getppid()
        while True:
            try:
                self.run_once(date)
            except Exception as exc:  # keep the loop alive through a database hiccup; the next run retries
                self.stderr.write(_("appeals_overdue failed: %(error)r") % {"error": exc})
            finally:
                connections.close_all()  # a fresh connection next time: nothing stale between runs
            deadline = time.monotonic() + every
            while time.monotonic() < deadline:
                if exit_with_parent and os.getppid() != parent:
                    return
                time.sleep(min(PAUSE_STEP, max(0.0, deadline - time.monotonic())))

    def run_once(self, date):
        counts = flag_overdue(today=date)
        self.stdout.write(
            _("%(time)s overdue appeals: %(flagged)s newly flagged, %(escalated)s supervision escalated")
            % {"time": timezone.localtime().strftime("%Y-%m-%d %H:%M:%S"), **counts}
        )
        self.stdout.flush()
