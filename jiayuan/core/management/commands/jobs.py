"""`jiayuan jobs`: run every background job that is waiting, or whose worker died, then list the latest jobs.

Jobs normally start in the serving process the moment they are created, and a job's page restarts one that
stalled; this command is for an operator after a restart, or for cron (`*/5 * * * * jiayuan jobs`).
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from jiayuan.core import jobs
from jiayuan.core.models import Job


class Command(BaseCommand):
    help = "Run the background jobs that are waiting (or whose worker died), then list the latest ones."

    def add_arguments(self, parser):
        parser.add_argument("--list", type=int, default=10, metavar="N", help="how many of the latest jobs to list")

    def handle(self, *args, **options):
        waiting = jobs.waiting_ids()
        for job_id in waiting:
            jobs.run(job_id)
        self.stdout.write(f"ran {len(waiting)} waiting job(s)")
        for job in Job.objects.defer("payload", "result").select_related("owner")[: options["list"]]:
            finished = timezone.localtime(job.finished_at).strftime("%Y-%m-%d %H:%M") if job.finished_at else "—"
            self.stdout.write(f"#{job.pk}\t{job.status}\t{job.owner.username}\t{finished}\t{job.title}")
