"""A new appeal: where it may be reported, its photos, the record and its first event."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiayuan.core.audit import audit_record, snapshot
from jiayuan.core.crypto import lookup_hash
from jiayuan.core.models import AuditEntry
from jiayuan.core.scope import scope_for
from jiayuan.people.services import clean_phone

from .. import selectors, workflow
from ..models import Appeal, AppealEvent, AppealPhoto, Category
from ._common import (
    DESCRIPTION_MAX,
    MAX_PHOTOS,
    PHOTO_MAX_BYTES,
    PHOTO_TYPES,
    RELATED_FIELDS,
    TITLE_MAX,
    deadline_after,
    user_or_none,
)
from .notify import notify_staff_later
from .routing import compound_unit

# --- intake ---------------------------------------------------------------------------


def _check_location(*, compound, building, room, reporter_scope) -> None:
    if building is not None and building.compound_id != compound.pk:
        raise ValidationError({"building": _("The building is not in the compound.")})
    if room is not None:
        if room.unit.building.compound_id != compound.pk:
            raise ValidationError({"room": _("The room is not in the compound.")})
        if building is not None and room.unit.building_id != building.pk:
            raise ValidationError({"room": _("The room is not in the building.")})
    if reporter_scope is not None:
        if not selectors.may_report_in(scope=reporter_scope, compound=compound, resident=True):
            raise ValidationError({"compound": _("You can only report problems in the compound where you live.")})
        if room is not None and room.pk not in reporter_scope.room_ids:
            # A resident reports on their own home or on common parts (building, unit, compound), never on a
            # neighbour's household.
            raise ValidationError(
                {"room": _("You can report on your own home or on the common parts, not on another household's room.")}
            )


@dataclass(frozen=True)
class CheckedPhoto:
    """An upload check_photo has read: a genuine image within the limits, with its type and digest, so the intake
    that checked it in its form does not decode it again."""

    upload: UploadedFile
    content_type: str
    sha256: str


def checked(upload) -> CheckedPhoto:
    """The upload as a checked photo, decoding it only if no form has done so already."""
    if isinstance(upload, CheckedPhoto):
        return upload
    return CheckedPhoto(upload, *check_photo(upload))


def check_photo(upload: UploadedFile) -> tuple[str, str]:
    """(content type, sha256) of a genuine JPEG/PNG/WebP image within the size limit, else ValidationError."""
    from PIL import Image, UnidentifiedImageError

    if upload.size > PHOTO_MAX_BYTES:
        raise ValidationError(
            {
                "photos": _("Photo %(name)s is %(size)s MB; at most 5 MB is accepted.")
                % {"name": upload.name, "size": math.ceil(upload.size / 1024 / 1024 * 10) / 10}
            }
        )
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(
            {"photos": _("%(name)s is not a photo (JPEG, PNG or WebP).") % {"name": upload.name}}
        ) from exc
    if kind not in PHOTO_TYPES:
        raise ValidationError({"photos": _("%(name)s is not a photo (JPEG, PNG or WebP).") % {"name": upload.name}})
    upload.seek(0)
    digest = hashlib.sha256(upload.read()).hexdigest()
    upload.seek(0)
    return PHOTO_TYPES[kind], digest


def attach_photos(*, appeal: Appeal, photos, kind: str = AppealPhoto.Kind.BEFORE) -> list[AppealPhoto]:
    """Store checked photos with the appeal (streamed only through its scoped page, never from /media/)."""
    return [
        AppealPhoto.objects.create(
            appeal=appeal,
            kind=kind,
            image=photo.upload,
            content_type=photo.content_type,
            size=photo.upload.size,
            sha256=photo.sha256,
        )
        for photo in photos
    ]


@transaction.atomic
def appeal_submit(
    *,
    actor,
    channel: str,
    category: Category,
    title: str,
    description: str,
    compound,
    building=None,
    room=None,
    reporter=None,
    reporter_account=None,
    contact_name: str = "",
    contact_phone: str = "",
    contact_email: str = "",
    photos=(),
    latitude=None,
    longitude=None,
    received_at: dt.datetime | None = None,
) -> Appeal:
    """Record a new appeal. Residents report for themselves; staff enter it for a resident."""
    errors = {}
    if channel not in Appeal.Channel.values:
        errors["channel"] = _("Unknown channel %(value)s.") % {"value": channel}
    if category is None:
        errors["category"] = _("Choose a category.")
    elif not selectors.category_usable(category):
        if category.active and category.children.filter(active=True).exists():
            errors["category"] = _("Choose one of the kinds of problem under %(name)s.") % {"name": category.name}
        else:
            errors["category"] = _("The category %(name)s is no longer used.") % {"name": category.name}
    title, description = (title or "").strip(), (description or "").strip()
    if not title:
        errors["title"] = _("A short title is required.")
    elif len(title) > TITLE_MAX:
        errors["title"] = _(
            "The title has %(count)s characters; at most %(max)s are accepted. Put the details in the description."
        ) % {"count": len(title), "max": TITLE_MAX}
    if not description:
        errors["description"] = _("Describe the problem.")
    elif len(description) > DESCRIPTION_MAX:
        errors["description"] = _("The description has %(count)s characters; at most %(max)s are accepted.") % {
            "count": len(description),
            "max": DESCRIPTION_MAX,
        }
    if len(photos) > MAX_PHOTOS:
        errors["photos"] = _("At most %(count)s photos.") % {"count": MAX_PHOTOS}
    if errors:
        raise ValidationError(errors)
    scope = scope_for(actor) if actor is not None and getattr(actor, "pk", None) else None
    if channel == Appeal.Channel.RESIDENT:
        if actor is None or not getattr(actor, "pk", None):
            raise ValidationError({"channel": _("A resident's own report needs the resident's login.")})
        _check_location(compound=compound, building=building, room=room, reporter_scope=scope)
        reporter, reporter_account = actor.person, actor
    else:
        _check_location(compound=compound, building=building, room=room, reporter_scope=None)
        if (
            scope is not None
            and channel != Appeal.Channel.OPEN311
            and not selectors.may_report_in(scope=scope, compound=compound, resident=False)
        ):
            raise ValidationError({"compound": _("The compound is outside your area.")})
    phone = clean_phone(contact_phone, field="contact_phone") if contact_phone else ""
    checked_photos = [checked(photo) for photo in photos]
    received_at = received_at or timezone.now()
    unit = compound_unit(compound)
    appeal = Appeal(
        number=uuid.uuid4().hex[:20],
        channel=channel,
        category=category,
        title=title,
        description=description,
        compound=compound,
        building=building,
        room=room,
        latitude=latitude,
        longitude=longitude,
        reporter=reporter,
        reporter_account=reporter_account,
        contact_name=(contact_name or (reporter.name if reporter else "")).strip()[:50],
        contact_phone=phone,
        contact_phone_hash=lookup_hash(phone) if phone else "",
        contact_email=contact_email,
        entered_by=actor if scope is not None and channel != Appeal.Channel.RESIDENT else None,
        status=workflow.RECEIVED,
        level=Appeal.Level.COMPOUND,
        unit=unit,
        first_unit=unit,
        received_at=received_at,
        deadline=deadline_after(timezone.localdate(received_at), category.deadline_days),
        via_four_party=channel == Appeal.Channel.FOUR_PARTY,
    )
    # Field validation only: the table's check constraints cannot fail for a new order, and the related rows are
    # the objects passed in (their foreign keys are the database's to hold); checking either here costs one query
    # each on the intake path (see BENCHMARKS.md).
    appeal.full_clean(exclude=["number", *RELATED_FIELDS], validate_constraints=False)
    appeal.save()
    appeal.number = f"JY{timezone.localtime(received_at):%Y%m%d}{appeal.pk:07d}"
    Appeal.objects.filter(pk=appeal.pk).update(number=appeal.number)
    attach_photos(appeal=appeal, photos=checked_photos)
    AppealEvent.objects.create(
        appeal=appeal,
        actor=user_or_none(actor),
        action="submit",
        to_status=workflow.RECEIVED,
        unit=unit,
        reason=Appeal.Channel(channel).label,
    )
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, obj=appeal, after=snapshot(appeal))
    notify_staff_later(appeal, _("New appeal %(number)s: %(title)s") % {"number": appeal.number, "title": appeal.title})
    return appeal
