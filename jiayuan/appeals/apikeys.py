"""Open311 API keys: create, check, list and revoke.

A key is 43 random URL-safe characters, shown once when it is created. Only its SHA-256
hash and its first 8 characters (the prefix, to name it in lists and when revoking) are
stored in ApiKey. A revoked key is refused; a good key has its last use recorded, at most
once a minute so that a busy client does not turn every request into a write.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiayuan.core.audit import audit_record, snapshot
from jiayuan.core.models import AuditEntry
from jiayuan.places.models import City, Town

from .models import ApiKey

PREFIX_LENGTH = 8
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@transaction.atomic
def apikey_create(*, actor, name: str, region: str = "") -> tuple[ApiKey, str]:
    """A new key named `name`: (the stored record, the key itself — the only time it is seen).

    `region` is a town's code (the key reads that town's requests in full) or the city's code or
    nothing (the whole city)."""
    name = (name or "").strip()
    town = None
    region = (region or "").strip()
    if region and not City.objects.filter(code=region).exists():
        town = Town.objects.filter(code=region).first()
        if town is None:
            raise ValidationError({"region": _("No town or city has the code %(code)s.") % {"code": region}})
    if not name:
        raise ValidationError({"name": _("Name the client the key is for.")})
    if len(name) > ApiKey._meta.get_field("name").max_length:
        raise ValidationError({"name": _("The name is longer than 100 characters.")})
    while True:
        key = secrets.token_urlsafe(32)
        prefix = key[:PREFIX_LENGTH]
        if not ApiKey.objects.filter(prefix=prefix, revoked_at__isnull=True).exists():
            break
    record = ApiKey.objects.create(name=name, prefix=prefix, key_hash=key_hash(key), town=town)
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, obj=record, after=snapshot(record))
    return record, key


def apikey_check(key: str | None) -> ApiKey | None:
    """The active ApiKey for `key`, or None if it is missing, unknown or revoked."""
    key = (key or "").strip()
    if not key:
        return None
    record = ApiKey.objects.filter(key_hash=key_hash(key), revoked_at__isnull=True).first()
    if record is None:
        return None
    now = timezone.now()
    if record.last_used_at is None or now - record.last_used_at >= LAST_USED_RESOLUTION:
        ApiKey.objects.filter(pk=record.pk).update(last_used_at=now)
        record.last_used_at = now
    return record


def apikey_list():
    return ApiKey.objects.order_by("-created_at", "-id")


@transaction.atomic
def apikey_revoke(*, actor, prefix: str) -> ApiKey:
    """Revoke the active key whose prefix is `prefix`; it is refused from then on."""
    prefix = (prefix or "").strip()
    matches = list(ApiKey.objects.select_for_update().filter(prefix=prefix, revoked_at__isnull=True))
    if not matches:
        raise ValidationError({"prefix": _("No active API key has the prefix %(prefix)s.") % {"prefix": prefix}})
    if len(matches) > 1:
        raise ValidationError({"prefix": _("Several active API keys have the prefix %(prefix)s.") % {"prefix": prefix}})
    record = matches[0]
    before = snapshot(record)
    record.revoked_at = timezone.now()
    record.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor, action=AuditEntry.Action.UPDATE, obj=record, before=before, after=snapshot(record), note="revoke"
    )
    return record
