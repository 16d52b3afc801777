"""`jiayuan seed_elections` gives a city its defaults once and leaves what administrators set."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation

from jiayuan.committees.models import DutyItem
from jiayuan.elections.models import EligibilityBar, ReviewBody

pytestmark = pytest.mark.django_db


def test_seeding_twice_creates_the_defaults_once(world, keep_connections):
    out = StringIO()
    with translation.override("en"):
        call_command("seed_elections", stdout=out)
    assert ReviewBody.objects.filter(city=world.city).count() == 9
    assert not EligibilityBar.objects.get(city=world.city, code="fees_paid").enabled
    assert "2023" in EligibilityBar.objects.get(city=world.city, code="fees_paid").note  # why it is off
    items = DutyItem.objects.filter(city=world.city).count()
    assert items > 10 and "9 reviewing bodies (created)" in out.getvalue()
    ReviewBody.objects.filter(city=world.city, name__endswith="城管局").update(active=False)
    out = StringIO()
    with translation.override("en"):
        call_command("seed_elections", stdout=out)
    assert "(kept)" in out.getvalue() and "0 duty-list items added" in out.getvalue()
    assert ReviewBody.objects.filter(city=world.city).count() == 9
    assert not ReviewBody.objects.get(city=world.city, name__endswith="城管局").active
    assert DutyItem.objects.filter(city=world.city).count() == items
