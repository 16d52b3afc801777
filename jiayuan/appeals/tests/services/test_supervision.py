"""Supervision by the town and the city."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jiayuan.appeals import services
from jiayuan.appeals.models import Appeal

from .common import resolved_by_compound

pytestmark = pytest.mark.django_db


# --- supervision ---------------------------------------------------------------------------------------------


def test_the_town_and_then_the_city_supervise_and_supervision_never_goes_down(world, cast, file_appeal):
    appeal = file_appeal()
    with pytest.raises(PermissionDenied):
        services.appeal_supervise(actor=world.users["community_secretary"], appeal=appeal, level="town")
    with pytest.raises(ValidationError):
        services.appeal_supervise(actor=world.users["town_clerk"], appeal=appeal, level="province")
    appeal = services.appeal_supervise(actor=world.users["town_clerk"], appeal=appeal, level="town", note="请加快")
    assert appeal.supervision == "town"
    appeal = services.appeal_supervise(actor=world.users["city_admin"], appeal=appeal, level="city")
    appeal = services.appeal_supervise(actor=world.users["town_clerk"], appeal=appeal, level="town")
    assert appeal.supervision == "city"
    events = appeal.events.filter(action="supervise")
    assert events.count() == 2 and not any(e.public for e in events)


def test_a_closed_appeal_is_not_supervised(world, cast, file_appeal):
    appeal = resolved_by_compound(world, file_appeal)
    appeal = services.appeal_rate(
        actor=world.users["resident"], appeal=appeal, contacted=True, solved=True, rating=Appeal.Rating.SATISFIED
    )
    with pytest.raises(ValidationError):
        services.appeal_supervise(actor=world.users["town_clerk"], appeal=appeal, level="town")
