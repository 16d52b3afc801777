"""Helpers shared by the service tests."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from unittest import mock
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError

from jiayuan.appeals import services
from jiayuan.appeals.models import Appeal, AppealEvent

from ..conftest import category

TZ = ZoneInfo("Asia/Shanghai")


@contextmanager
def frozen(*args):
    """Freeze django.utils.timezone.now (services, localdate and auto_now all read it) at a Shanghai time."""
    moment = dt.datetime(*args, tzinfo=TZ)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield moment


def actions_of(appeal):
    return list(AppealEvent.objects.filter(appeal=appeal).values_list("action", flat=True))


def refused(error: ValidationError, field: str) -> str:
    assert field in error.message_dict, error.message_dict
    return " ".join(error.message_dict[field])


def dispatched_to_water(world, cast, file_appeal, when):
    with frozen(*when):
        appeal = file_appeal()
        return services.appeal_dispatch(actor=world.users["community_secretary"], appeal=appeal, department=cast.water)


def in_progress_at_water(world, cast, file_appeal):
    with frozen(2026, 11, 2, 9):  # Monday
        appeal = file_appeal()
        appeal = services.appeal_dispatch(
            actor=world.users["community_secretary"], appeal=appeal, department=cast.water
        )
        return services.appeal_start(actor=cast.water_staff, appeal=appeal)


def resolved_by_compound(world, file_appeal, by="resident"):
    secretary = world.users["branch_secretary"]
    appeal = services.appeal_accept(actor=secretary, appeal=file_appeal(by=by))
    return services.appeal_resolve(actor=secretary, appeal=appeal, resolution="物业已维修。")


def hotline_appeal_resolved(world, *, reporter=None):
    """A hotline operator's appeal for a caller (no account unless `reporter` has one), resolved by the compound."""
    secretary = world.users["branch_secretary"]
    appeal = services.appeal_submit(
        actor=world.users["building_head"],
        channel=Appeal.Channel.HOTLINE,
        category=category(),
        title="水表井冒水",
        description="来电反映水表井冒水。",
        compound=world.compound_a,
        reporter=reporter,
        contact_name="郑阿姨",
    )
    appeal = services.appeal_accept(actor=secretary, appeal=appeal)
    return services.appeal_resolve(actor=secretary, appeal=appeal, resolution="已更换水表接头。")


def link(world, cast, *, start: dt.date, end: dt.date | None = None):
    from jiayuan.organisations.models import DepartmentLink

    return DepartmentLink.objects.create(
        department=cast.water, compound=world.compound_a, start_date=start, end_date=end
    )
