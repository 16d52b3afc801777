"""Shared pieces of the organisation tests: a re-elected owners' committee for 宝龙世家."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from jiayuan.organisations import services as org_services
from jiayuan.organisations.models import Organisation

DAY = dt.timedelta(days=1)


def re_elect(world, *, today: dt.date, dissolve: bool = True) -> SimpleNamespace:
    """宝龙世家 (C0002) re-elected a month before `today`: the first committee's term would still run for
    300 days, the second took office 30 days ago. With `dissolve` the first committee is dissolved the day
    before, as counting the election does; without it, it is left as an import might leave it."""
    old = org_services.committee_create(
        actor=None,
        compound=world.compound_a2,
        name="宝龙世家第一届业主委员会",
        established_on=today - 4 * 365 * DAY,
        term_end=today + 300 * DAY,
        seats=5,
    )
    elected_on = today - 30 * DAY
    new = org_services.committee_create(
        actor=None,
        compound=world.compound_a2,
        name="宝龙世家第二届业主委员会",
        established_on=elected_on,
        term_end=elected_on + 4 * 365 * DAY,
        seats=7,
    )
    if dissolve:
        Organisation.objects.filter(pk=old.pk).update(dissolved_on=elected_on - DAY)
        old.refresh_from_db()
    return SimpleNamespace(old=old, new=new, elected_on=elected_on)


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture(params=[True, False], ids=["dissolved", "left-standing"])
def re_elected(request, world, db, today):
    """宝龙世家's outgoing and incoming committees, the outgoing one dissolved or not."""
    return re_elect(world, today=today, dissolve=request.param)
