"""The duty list and the negative list (services/duties.py): the default lists once per city, edited only by
the city administrator, with an audit row."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from jiayuan.committees import services
from jiayuan.committees.models import DutyItem
from jiayuan.core.audit import history_for
from jiayuan.core.models import AuditEntry

from .common import fields_of

pytestmark = pytest.mark.django_db


def test_a_city_without_lists_gets_the_default_lists_once(world):
    created = services.default_duty_items(world.city, actor=world.users["city_admin"])
    duties = [item.text for item in created if item.list == DutyItem.List.DUTY]
    negatives = [item.text for item in created if item.list == DutyItem.List.NEGATIVE]
    assert len(duties) == 8 and len(negatives) == 6
    assert "召集业主大会会议并报告履职情况" in duties and "不得泄露业主个人信息" in negatives
    assert [item.position for item in created if item.list == "duty"] == list(range(1, 9))
    assert services.default_duty_items(world.city, actor=None) == []
    assert DutyItem.objects.filter(city=world.city).count() == 14
    assert AuditEntry.objects.filter(object_type="committees.dutyitem").count() == 14


def test_only_the_city_administrator_edits_the_lists(world, items):
    with pytest.raises(PermissionDenied):
        services.default_duty_items(world.city, actor=world.users["town_clerk"])
    with pytest.raises(PermissionDenied):
        services.duty_item_create(actor=world.users["community_secretary"], city=world.city, list="duty", text="新增")
    with pytest.raises(PermissionDenied):
        services.duty_item_update(
            actor=world.users["committee_director"], item=items[0], text="改", position=1, active=True
        )


def test_an_item_is_added_at_the_end_of_its_list(world, items):
    item = services.duty_item_create(
        actor=world.users["city_admin"], city=world.city, list="negative", text="不得拒绝业主查阅资料"
    )
    assert item.position == 7
    assert history_for(item).get().actor == world.users["city_admin"]


def test_an_item_cannot_appear_twice_in_one_list(world, items):
    with pytest.raises(ValidationError) as exc:
        services.duty_item_create(actor=None, city=world.city, list="duty", text="执行业主大会决定")
    assert fields_of(exc) == {"text"}
    with pytest.raises(IntegrityError), transaction.atomic():
        DutyItem.objects.create(city=world.city, list="duty", text="执行业主大会决定")


def test_an_item_is_reworded_and_switched_off_with_an_audit_row(world, items):
    item = services.duty_item_update(
        actor=world.users["city_admin"], item=items[1], text="执行业主大会作出的决定", position=9, active=False
    )
    item.refresh_from_db()
    assert (item.text, item.position, item.active) == ("执行业主大会作出的决定", 9, False)
    entry = history_for(item).filter(action="update").get()
    assert entry.before["active"] is True and entry.after["active"] is False
