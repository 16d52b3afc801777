"""`jiayuan serve`: collect static files, then run the multi-worker gunicorn server."""

import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Jiayuan with gunicorn (static files through WhiteNoise)."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("JIAYUAN_BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("JIAYUAN_WORKERS", "2")))
        parser.add_argument("--timeout", type=int, default=60)

    def handle(self, *args, **options):
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"Jiayuan on http://{options['bind']} ({options['workers']} workers, database {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]})")
        self.stdout.flush()
        argv = [
            sys.executable, "-m", "gunicorn", "jiayuan.config.wsgi:application",
            "--bind", options["bind"], "--workers", str(options["workers"]), "--timeout", str(options["timeout"]),
            "--access-logfile", "-",
        ]
        os.execv(sys.executable, argv)
