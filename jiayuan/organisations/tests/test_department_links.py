"""DepartmentLink moved from outreach to organisations: the rows, their actions and their audit trail come along."""

import datetime as dt

import pytest

from jiayuan.core.audit import audit_record, history_for
from jiayuan.core.models import AuditEntry
from jiayuan.organisations.models import DepartmentLink, Organisation
from jiayuan.places.models import Compound


@pytest.mark.django_db
def test_audit_rows_written_under_the_old_label_stay_in_the_links_history(world):
    link = DepartmentLink.objects.create(
        department=world.department, compound=world.compound_a, start_date=dt.date(2025, 3, 1)
    )
    AuditEntry.objects.create(
        actor_name="system",
        action=AuditEntry.Action.CREATE,
        object_type="outreach.departmentlink",
        object_id=str(link.pk),
        object_repr=str(link),
        after={"reason": "poorly_managed"},
    )
    audit_record(actor=None, action=AuditEntry.Action.UPDATE, obj=link, before={}, after={"note": "复查"})
    history = list(history_for(link).order_by("pk"))
    assert [entry.object_type for entry in history] == ["outreach.departmentlink", "organisations.departmentlink"]
    assert history[0].changes and history[0].changes[0][0] == DepartmentLink._meta.get_field("reason").verbose_name


def test_the_compound_and_department_reach_their_links_by_the_old_names():
    assert Compound._meta.get_field("department_links").related_model is DepartmentLink
    assert Organisation._meta.get_field("compound_links").related_model is DepartmentLink
