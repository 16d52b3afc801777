"""The `jiayuan` operator command: Django's management commands with Jiayuan's settings.

jiayuan demo                      build the demo city
jiayuan report coverage --json    print a dashboard figure set
jiayuan import ROSTER FILE.xlsx   import an Excel roster (all or nothing)
jiayuan export ROSTER FILE.xlsx   export a roster
jiayuan serve                     run the web server
jiayuan migrate | createsuperuser | ...   any Django management command
"""

import os
import sys

ALIASES = {"import": "import_roster", "export": "export_roster"}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", os.environ.get("JIAYUAN_SETTINGS", "jiayuan.config.settings.dev"))
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    args[0] = "jiayuan"
    if len(args) > 1:
        args[1] = ALIASES.get(args[1], args[1])
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
