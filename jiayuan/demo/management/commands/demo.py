"""`jiayuan demo`: build the demo city into an empty database and print a login for every role.

The work is done by jiayuan.demo; see its docstring for what is built and why
the command refuses a database that holds anything but the demo.
"""

import time
import unicodedata

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiayuan import demo
from jiayuan.core.models import User


class Command(BaseCommand):
    help = _("Build the demo city (a seeded Jinjiang) into an empty database and print the demo logins.")

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=demo.DEFAULT_SEED, help=_("random seed (default %(default)s)"))
        parser.add_argument(
            "--password", default=demo.DEFAULT_PASSWORD, help=_("password of every demo login (default %(default)s)")
        )

    def handle(self, *args, seed, password, **options):
        if not password:
            raise CommandError(_("--password must not be empty."))
        if demo.demo_present():
            self.stdout.write(
                _("demo city already present (seed %(seed)s); nothing built.") % {"seed": demo.demo_seed()}
            )
            self.print_logins(password, built_now=False)
            return
        if not demo.database_empty():
            raise CommandError(
                _(
                    "The database already holds data that is not the demo city. The demo is only built into an empty "
                    "database: use a fresh one (for example JIAYUAN_VAR_DIR=/tmp/jiayuan-demo, or another DATABASE_URL), "
                    "migrate it and run `jiayuan demo` again."
                )
            )
        started = time.monotonic()
        self.stdout.write(_("Building the demo city of Jinjiang (seed %(seed)s)…") % {"seed": seed})
        result = demo.build_demo(seed=seed, password=password)
        seconds = time.monotonic() - started
        rows = "、".join(f"{_rows_named(label)} {count}" for label, count in result.counts.items())
        self.stdout.write(_("Built in %(seconds).1f s: %(rows)s.") % {"seconds": seconds, "rows": rows})
        self.stdout.write(_("Coverage figures from the dashboard's queries, as of today:"))
        labels = [str(FIGURE_LABELS.get(key, key)) for key in result.figures]
        width = max(_width(label) for label in labels)
        for label, (key, value) in zip(labels, result.figures.items(), strict=True):
            shown = f"{float(value):.1%}" if key in ("party_org_coverage", "committee_formation") else value
            self.stdout.write(f"  {label}{' ' * (width - _width(label))}  {shown}")
        self.print_logins(password, built_now=True)

    def print_logins(self, password, *, built_now):
        logins = demo.demo_logins()
        rows = []
        for login in logins:
            shown = password
            if not built_now and not User.objects.get(username=login.username).check_password(password):
                shown = _("(as set when built)")
            rows.append((login.username, shown, login.role, login.scope))
        table = [(_("username"), _("password"), _("role"), _("scope")), *rows]
        table = [tuple(str(cell) for cell in row) for row in table]
        widths = [max(_width(row[i]) for row in table) for i in range(3)]
        self.stdout.write(_("Demo logins:"))
        for row in table:
            cells = [cell + " " * (width - _width(cell)) for cell, width in zip(row[:3], widths, strict=True)]
            self.stdout.write("  " + "  ".join([*cells, row[3]]))


# The dashboard's names of its figures, so the summary reads like its tiles in the interface language.
FIGURE_LABELS = {
    "compounds": gettext_lazy("Compounds"),
    "party_org_coverage": gettext_lazy("Party organisation coverage"),
    "committee_formation": gettext_lazy("Owners' committee formation"),
    "yijiantiao_compounds": gettext_lazy("一肩挑 compounds"),
    "two_committee_post_holders": gettext_lazy("Two-committee members in compound posts"),
    "building_heads": gettext_lazy("Party-member building heads"),
    "party_venues": gettext_lazy("Party venues"),
    "red_committees": gettext_lazy("Red owners' committees"),
}


def _rows_named(label: str) -> str:
    """What a count of rows is of, in the interface language: the model's plural name."""
    try:
        return str(apps.get_model(label)._meta.verbose_name_plural)
    except (LookupError, ValueError):
        return label.split(".")[-1]


def _width(text: str) -> int:
    """Columns `text` takes in a terminal: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
