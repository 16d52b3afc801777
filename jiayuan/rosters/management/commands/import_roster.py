"""jiayuan import KIND FILE.xlsx [--user USERNAME]: import a roster, all rows or none.

Prints what was written, or one line per problem (row, column, value, reason) and
exits with status 2 having written nothing.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jiayuan.rosters.definitions import ROSTERS
from jiayuan.rosters.services import roster_import

from ._common import acting_user


class Command(BaseCommand):
    help = "Import an Excel roster (all rows or none). Kinds: " + ", ".join(ROSTERS)

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=list(ROSTERS))
        parser.add_argument("file", type=Path)
        parser.add_argument("--user", help="import as this account (its scope applies); default: system")

    def handle(self, *args, kind, file, user=None, **options):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        actor = acting_user(user)
        result = roster_import(actor=actor, kind=kind, data=file.read_bytes(), filename=file.name)
        if not result.ok:
            for error in result.sorted_errors():
                self.stdout.write(str(error))
            raise CommandError(f"{len(result.errors)} problem(s) in {file.name}; nothing was written.", returncode=2)
        self.stdout.write(self.style.SUCCESS(f"{result.rows} rows imported from {file.name}."))
        for key, count in result.counts.items():
            self.stdout.write(f"  {key}: {count}")
