"""`jiayuan apikey create --name NAME [--region CODE] | list | revoke PREFIX`: Open311 API keys for administrators.

`create` prints the new key alone on its last line (it is stored only as a hash and cannot
be shown again); `list` shows every key by prefix; `revoke` refuses a key from then on.
"""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from jiayuan.appeals import apikeys


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "-"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _problem(exc: ValidationError) -> str:
    return "; ".join(f"{field}: {' '.join(messages)}" for field, messages in exc.message_dict.items())


class Command(BaseCommand):
    help = "Create, list or revoke Open311 API keys."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{create,list,revoke}")
        create = actions.add_parser("create", help="create a key and print it on the last line")
        create.add_argument("--name", required=True, help="who the key is for, e.g. the client application")
        create.add_argument(
            "--region",
            default="",
            help="a town's code: the key reads that town's requests in full (default: the whole city)",
        )
        actions.add_parser("list", help="list keys by prefix")
        revoke = actions.add_parser("revoke", help="refuse the key with this prefix from now on")
        revoke.add_argument("prefix", help="the key's first 8 characters, as `list` shows them")

    def handle(self, *args, action: str, **options):
        try:
            if action == "create":
                record, key = apikeys.apikey_create(actor=None, name=options["name"], region=options["region"])
                self.stdout.write(
                    _("Created API key %(prefix)s for %(name)s. Keep it now: it cannot be shown again.")
                    % {"prefix": record.prefix, "name": record.name}
                )
                self.stdout.write(key)
            elif action == "list":
                self._list()
            else:
                record = apikeys.apikey_revoke(actor=None, prefix=options["prefix"])
                self.stdout.write(
                    _("Revoked API key %(prefix)s (%(name)s).") % {"prefix": record.prefix, "name": record.name}
                )
        except ValidationError as exc:
            raise CommandError(_problem(exc)) from exc

    def _list(self) -> None:
        header = (_("prefix"), _("name"), _("created"), _("last used"), _("status"))
        rows = [
            (
                key.prefix,
                key.name,
                _when(key.created_at),
                _when(key.last_used_at),
                _("revoked %(when)s") % {"when": _when(key.revoked_at)} if key.revoked_at else _("active"),
            )
            for key in apikeys.apikey_list()
        ]
        if not rows:
            self.stdout.write(_("No API keys yet."))
            return
        widths = [max(_width(row[i]) for row in [header, *rows]) for i in range(len(header))]
        for row in [header, *rows]:
            cells = (cell + " " * (width - _width(cell)) for cell, width in zip(row, widths, strict=True))
            self.stdout.write("  ".join(cells).rstrip())
