"""Writing the audit trail. Services call `audit_record` inside their transaction."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from django.db import models

from .models import AuditEntry

# Fields never copied into the audit trail in clear; their masked form is stored instead.
SENSITIVE_FIELDS = {"id_number", "phone", "contact_phone", "password"}


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The concrete field values of `obj`, JSON-ready, with personal data masked."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        name = field.name
        if name.endswith("_hash"):
            continue
        value = getattr(obj, field.attname)
        if name in SENSITIVE_FIELDS:
            masker = getattr(obj, f"masked_{name}", None)
            value = masker if isinstance(masker, str) else ("***" if value else "")
        data[name] = _plain(value)
    return data


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=(actor.get_username() if getattr(actor, "pk", None) else "system")[:150],
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        before=before,
        after=after,
        note=note[:200],
    )


def audit_labels(model) -> list[str]:
    """The labels an object's audit rows carry: its own, and those it had before it moved between apps
    (`audit_former_labels` on the model; the trail is append-only, so old rows keep their label)."""
    return [model._meta.label_lower, *getattr(model, "audit_former_labels", ())]


def history_for(obj: models.Model):
    return AuditEntry.objects.filter(object_type__in=audit_labels(type(obj)), object_id=str(obj.pk))
