"""`jiayuan serve`: collect static files, start the scheduled jobs, then run the multi-worker gunicorn server.

The scheduled job (`jiayuan appeals_overdue --every SECONDS`) runs as a child process
next to gunicorn and stops when the server stops; --jobs-every 0 leaves it to cron.
"""

import os
import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Jiayuan with gunicorn (static files through WhiteNoise)."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("JIAYUAN_BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("JIAYUAN_WORKERS", "2")))
        parser.add_argument("--timeout", type=int, default=60)
        parser.add_argument(
            "--jobs-every",
            type=int,
            default=int(os.environ.get("JIAYUAN_JOBS_EVERY", "600")),
            metavar="SECONDS",
            help="run `jiayuan appeals_overdue` every SECONDS seconds alongside the server (0: not at all)",
        )

    def handle(self, *args, **options):
        # The server's static files are collected, hashed and compressed (long cache, gzip and Brotli): the
        # setting is read at start-up, so the collecting runs in a process of its own that starts with it on, as
        # gunicorn does below.
        os.environ["JIAYUAN_STATIC_COLLECTED"] = "1"
        subprocess.run(
            [sys.executable, "-m", "jiayuan.cli", "collectstatic", "--noinput", "--verbosity", "0"], check=True
        )
        self.stdout.write(
            f"Jiayuan on http://{options['bind']} ({options['workers']} workers, database {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]})"
        )
        self.stdout.flush()
        if options["jobs_every"] > 0:
            # A child of this process, which becomes gunicorn below; it exits when gunicorn does.
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "jiayuan.cli",
                    "appeals_overdue",
                    "--every",
                    str(options["jobs_every"]),
                    "--exit-with-parent",
                ],
                stdin=subprocess.DEVNULL,
            )
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "jiayuan.config.wsgi:application",
            "--bind",
            options["bind"],
            "--workers",
            str(options["workers"]),
            "--timeout",
            str(options["timeout"]),
            "--access-logfile",
            "-",
        ]
        os.execv(sys.executable, argv)
