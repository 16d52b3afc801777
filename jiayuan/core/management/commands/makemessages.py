"""`jiayuan makemessages`: Django's, with two habits of this project. A new message never borrows the translation
of a similar old one (msgmerge's fuzzy matching would show, say, 查询 for "Show the number" until someone noticed):
it stays untranslated, so `msgfmt --statistics` counts it. And the tests, the benchmarks and the vendored
front-end files are not searched for messages. Run from the `jiayuan/` package directory (`make messages`)."""

from django.core.management.commands import makemessages

SKIPPED = ["tests/*", "*/tests/*", "bench/*", "static/vendor/*", "testing.py"]


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]

    def handle(self, *args, **options):
        options["ignore_patterns"] = [*options.get("ignore_patterns", []), *SKIPPED]
        return super().handle(*args, **options)
