import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import translation

from jiayuan.core.audit import history_for
from jiayuan.core.models import AuditEntry
from jiayuan.places.services import compound_update

pytestmark = pytest.mark.django_db


def test_service_change_writes_before_and_after(world):
    compound = world.compound_a
    compound_update(actor=world.users["town_clerk"], compound=compound, year_built=2011, reason="更正")
    entry = history_for(compound).first()
    assert entry.actor == world.users["town_clerk"]
    assert entry.action == AuditEntry.Action.UPDATE
    assert entry.before["year_built"] == 2010
    assert entry.after["year_built"] == 2011
    with translation.override("en"):
        assert ("year built", 2010, 2011) in entry.changes
    with translation.override("zh-hans"):
        assert ("建成年份", 2010, 2011) in entry.changes


def test_history_shows_choice_labels_not_stored_codes(world):
    compound_update(actor=world.users["town_clerk"], compound=world.compound_a, kind="resettlement", reason="更正")
    with translation.override("en"):
        assert ("type", "commercial housing", "resettlement housing") in history_for(world.compound_a).first().changes


def test_unchanged_update_writes_no_entry(world):
    before = AuditEntry.objects.count()
    compound_update(
        actor=world.users["town_clerk"],
        compound=world.compound_a,
        year_built=world.compound_a.year_built,
        reason="更正",
    )
    assert AuditEntry.objects.count() == before


def test_audit_never_stores_personal_data_in_clear(world):
    person = world.people["resident"]
    entry = history_for(person).first()
    assert entry.after["id_number"] == person.masked_id_number
    assert person.id_number not in str(entry.after)
    assert "id_number_hash" not in entry.after


def test_entries_cannot_be_changed_or_deleted_through_the_orm(world):
    entry = AuditEntry.objects.first()
    entry.note = "tampered"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().update(note="x")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()


def test_database_refuses_updates_to_audit_rows(world):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditentry SET note = 'tampered'")


def test_admin_offers_no_way_to_edit_audit_entries(world, client):
    from jiayuan.core.models import User

    root = User.objects.create_superuser("root", "root@example.com", "Root-pass-2026")
    client.force_login(root)
    entry = AuditEntry.objects.first()
    assert client.get(f"/admin/core/auditentry/{entry.pk}/delete/").status_code == 403
    page = client.get(f"/admin/core/auditentry/{entry.pk}/change/")
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
