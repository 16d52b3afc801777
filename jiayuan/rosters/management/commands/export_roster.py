"""jiayuan export KIND FILE.xlsx [--user USERNAME] [--town CODE] [--community CODE] [--compound CODE] [--q TEXT]."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from jiayuan.core.xlsx import xlsx_bytes
from jiayuan.rosters.selectors import EXPORT_TITLES, export_table

from ._common import acting_user


class Command(BaseCommand):
    help = "Export a list to .xlsx, as seen by --user (default: system, everything). Kinds: " + ", ".join(EXPORT_TITLES)

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=list(EXPORT_TITLES))
        parser.add_argument("file", type=Path)
        parser.add_argument("--user", help="export what this account may see, masked as it would see it")
        for name in ("town", "community", "compound", "q"):
            parser.add_argument(f"--{name}", default="")

    def handle(self, *args, kind, file, user=None, **options):
        viewer = acting_user(user)
        params = {name: options[name] for name in ("town", "community", "compound", "q") if options[name]}
        try:
            table = export_table(viewer=viewer, kind=kind, params=params)
        except Http404 as exc:
            raise CommandError("A filter names a place that does not exist or is outside the account's scope.") from exc
        rows = list(table.rows)
        file.write_bytes(xlsx_bytes(table.headers, rows, title=table.title))
        self.stdout.write(self.style.SUCCESS(f"{len(rows)} rows written to {file}."))
