"""`jiayuan jobs`: run every background job that is waiting, or whose worker died, then list the latest jobs.

Jobs normally start in the serving process the moment they are created, and a job's page restarts one that
stalled; this command is for an operator after a restart, or for cron (`*/5 * * * * jiayuan jobs`). With
`--purge DAYS` it also deletes the finished jobs (their files and reports) of more than DAYS days ago.
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from jiayuan.core import jobs
from jiayuan.core.models import Job


class Command(BaseCommand):
    help = "Run the background jobs that are waiting (or whose worker died), then list the latest ones."

    def add_arguments(self, parser):
        parser.add_argument("--list", type=int, default=10, metavar="N", help="how many of the latest jobs to list")
        parser.add_argument(
            "--purge", type=int, metavar="DAYS", help="delete finished jobs, with their files, older than DAYS days"
        )

    def handle(self, *args, **options):
        waiting = jobs.waiting_ids()
        for job_id in waiting:
            jobs.run(job_id)
        self.stdout.write(f"ran {len(waiting)} waiting job(s)")
        if options["purge"] is not None:
            if options["purge"] < 1:
                raise CommandError("--purge: give a number of days, 1 or more.")
            before = timezone.now() - dt.timedelta(days=options["purge"])
            finished = Job.objects.filter(status__in=[Job.Status.DONE, Job.Status.FAILED], finished_at__lt=before)
            deleted, _ = finished.delete()
            self.stdout.write(f"deleted {deleted} finished job(s) older than {options['purge']} day(s)")
        for job in Job.objects.defer("payload", "result").select_related("owner")[: options["list"]]:
            finished = timezone.localtime(job.finished_at).strftime("%Y-%m-%d %H:%M") if job.finished_at else "—"
            self.stdout.write(f"#{job.pk}\t{job.status}\t{job.owner.username}\t{finished}\t{job.title}")
