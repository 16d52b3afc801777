"""Shared write helpers: validate fully, save, and write the audit row in one transaction.

The audit row's note is `audit_note`, so that a model's own `note` field passes through as a field."""

from __future__ import annotations

from typing import TypeVar

from django.db import models, transaction

from .audit import audit_record, snapshot
from .models import AuditEntry

M = TypeVar("M", bound=models.Model)


@transaction.atomic
def create_audited(model: type[M], *, actor, audit_note: str = "", **fields) -> M:
    obj = model(**fields)
    obj.full_clean()
    obj.save()
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, obj=obj, after=snapshot(obj), note=audit_note)
    return obj


@transaction.atomic
def update_audited(obj: M, *, actor, audit_note: str = "", **changes) -> M:
    before = snapshot(obj)
    for name, value in changes.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    after = snapshot(obj)
    if after != before:
        audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=obj, before=before, after=after, note=audit_note)
    return obj
