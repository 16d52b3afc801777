"""`jiayuan seed_elections`: give every city without them the default election and committee-life settings.

The nine reviewing bodies of the joint qualification review (city bodies matched by name, else created), the
eligibility bars (the unpaid-fees bar switched off), and the committees' duty list and negative list. A city that
has any of these already keeps what its administrators set. Safe to run again.
"""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiayuan.committees.services import default_duty_items
from jiayuan.elections.models import ReviewBody
from jiayuan.elections.services.config import review_bodies_default
from jiayuan.places.models import City


class Command(BaseCommand):
    help = _("Give every city without them the default reviewing bodies, eligibility bars and duty lists.")

    @transaction.atomic
    def handle(self, *args, **options):
        for city in City.objects.order_by("code"):
            had_bodies = ReviewBody.objects.filter(city=city).exists()
            bodies = review_bodies_default(actor=None, city=city, on=timezone.localdate())
            items = default_duty_items(city, actor=None)
            self.stdout.write(
                _("%(city)s: %(bodies)s reviewing bodies (%(state)s), %(items)s duty-list items added")
                % {
                    "city": city.name,
                    "bodies": len(bodies),
                    "state": _("kept") if had_bodies else _("created"),
                    "items": len(items),
                }
            )
