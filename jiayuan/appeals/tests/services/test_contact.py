"""The reporter's phone shown in clear to the department handling the order: who may, at which stage, and the
audit row each showing leaves (who saw whose number, on which appeal, the number itself masked)."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jiayuan.appeals import services, workflow
from jiayuan.appeals.services.contact import CONTACT_SHOWN_NOTE
from jiayuan.core.audit import history_for
from jiayuan.core.models import AuditEntry

from .common import in_progress_at_water, refused, resolved_by_compound

pytestmark = pytest.mark.django_db

PHONE = "13912345678"
MASKED = "139****5678"


def shown(appeal):
    return list(history_for(appeal).filter(action=AuditEntry.Action.VIEW))


def test_the_handling_departments_staff_see_the_phone_and_each_showing_is_audited(world, cast, file_appeal):
    appeal = file_appeal(contact_phone=PHONE)
    appeal = services.appeal_dispatch(actor=world.users["community_secretary"], appeal=appeal, department=cast.water)
    assert services.appeal_contact_reveal(actor=cast.water_staff, appeal=appeal) == PHONE
    assert services.appeal_contact_reveal(actor=cast.water_staff, appeal=appeal) == PHONE
    rows = shown(appeal)
    assert len(rows) == 2  # every showing, not once
    row = rows[0]
    assert (row.actor, row.actor_name, row.note) == (cast.water_staff, "water_staff", CONTACT_SHOWN_NOTE)
    assert (row.object_type, row.object_id) == ("appeals.appeal", str(appeal.pk))
    assert row.after["contact_phone"] == MASKED
    assert row.after["reporter"] == world.people["resident"].pk
    assert row.after["unit"] == cast.water.pk and row.after["status"] == workflow.DISPATCHED
    assert PHONE not in json.dumps([row.before, row.after, row.note, row.object_repr], ensure_ascii=False)


# Who may have the phone shown on an order at the water department, in progress: only its own staff.
ROLES = {
    "water_staff": "shown",
    "department_staff": "refused",  # another department
    "city_admin": "refused",  # reads it in clear already; nothing to show
    "town_clerk": "refused",
    "community_secretary": "refused",
    "branch_secretary": "refused",
    "committee_director": "refused",
    "property_manager": "refused",
    "building_head": "refused",
    "resident": "refused",  # the reporter reads their own number in clear
}


@pytest.mark.parametrize("who", list(ROLES))
def test_only_staff_of_the_handling_department_may_have_the_phone_shown(world, cast, file_appeal, who):
    appeal = file_appeal(contact_phone=PHONE)
    appeal = services.appeal_dispatch(actor=world.users["community_secretary"], appeal=appeal, department=cast.water)
    actor = cast.water_staff if who == "water_staff" else world.users[who]
    before = AuditEntry.objects.count()
    if ROLES[who] == "shown":
        assert services.appeal_contact_reveal(actor=actor, appeal=appeal) == PHONE
        assert AuditEntry.objects.count() == before + 1
    else:
        with pytest.raises(PermissionDenied):
            services.appeal_contact_reveal(actor=actor, appeal=appeal)
        assert AuditEntry.objects.count() == before


def test_the_phone_is_shown_only_while_the_order_waits_at_the_department(world, cast, file_appeal):
    appeal = in_progress_at_water(world, cast, lambda: file_appeal(contact_phone=PHONE))
    assert services.appeal_contact_reveal(actor=cast.water_staff, appeal=appeal) == PHONE
    appeal = services.appeal_resolve(actor=cast.water_staff, appeal=appeal, resolution="已修复。")
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.appeal_contact_reveal(actor=cast.water_staff, appeal=appeal)
    assert "it is resolved" in refused(caught.value, "status")
    assert AuditEntry.objects.count() == before


def test_an_order_returned_by_the_department_is_no_longer_its_to_call_about(world, cast, file_appeal):
    appeal = file_appeal(contact_phone=PHONE)
    appeal = services.appeal_dispatch(actor=world.users["community_secretary"], appeal=appeal, department=cast.water)
    appeal = services.appeal_return(actor=cast.water_staff, appeal=appeal, reason="不属于本部门")
    with pytest.raises(PermissionDenied):
        services.appeal_contact_reveal(actor=cast.water_staff, appeal=appeal)


def test_an_appeal_without_a_phone_has_nothing_to_show(world, cast, file_appeal):
    appeal = file_appeal()
    appeal = services.appeal_dispatch(actor=world.users["community_secretary"], appeal=appeal, department=cast.water)
    with pytest.raises(ValidationError) as caught:
        services.appeal_contact_reveal(actor=cast.water_staff, appeal=appeal)
    assert "no contact phone" in refused(caught.value, "contact_phone")
    assert not shown(appeal)


def test_a_compound_level_order_offers_no_showing_to_anyone(world, cast, file_appeal):
    appeal = resolved_by_compound(world, file_appeal)
    for who in ("branch_secretary", "community_secretary"):
        with pytest.raises(PermissionDenied):
            services.appeal_contact_reveal(actor=world.users[who], appeal=appeal)
