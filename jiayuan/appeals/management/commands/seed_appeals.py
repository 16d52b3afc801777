"""`jiayuan seed_appeals`: load the category catalogue and the city-wide dispatch catalogue.

Safe to run again: categories missing by code are created (existing ones are left as
the administrators edited them unless --update-categories), and a dispatch rule is
only created where none exists for the category city-wide and its department exists.
"""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from jiayuan.appeals.seeds import seed_categories, seed_dispatch_catalogue


class Command(BaseCommand):
    help = _("Load the appeal category catalogue and the dispatch catalogue (for the departments that exist).")

    def add_arguments(self, parser):
        parser.add_argument(
            "--update-categories",
            action="store_true",
            help=_("also reset the names and deadlines of existing categories to the seeded ones"),
        )

    @transaction.atomic
    def handle(self, *args, update_categories=False, **options):
        categories = seed_categories(update=update_categories)
        rules = seed_dispatch_catalogue()
        self.stdout.write(_("categories: %(created)s created, %(updated)s updated") % categories)
        self.stdout.write(
            _("dispatch rules: %(created)s created, %(kept)s already there")
            % {"created": rules.created, "kept": rules.kept}
        )
        if rules.missing_departments:
            self.stdout.write(_("no department named: %(names)s") % {"names": "、".join(rules.missing_departments)})
