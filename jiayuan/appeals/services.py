"""Writes about appeals: intake, every transition of the handling ladder, rating, merging, supervision.

Every state change goes through `_transition`, which locks the row, checks the
caller's version (two staff acting at once: one wins, the other gets ConflictError),
checks the move against workflow.APPEAL and the caller against rules.allowed, writes an
AppealEvent and an audit row in the same transaction, and notifies after commit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
import uuid
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jiayuan.core.audit import audit_record, snapshot
from jiayuan.core.crypto import lookup_hash
from jiayuan.core.identity import mask_free_text
from jiayuan.core.models import AuditEntry
from jiayuan.core.scope import scope_for
from jiayuan.organisations.models import Organisation
from jiayuan.people.services import clean_phone

from . import rules, selectors, workdays, workflow
from .models import Appeal, AppealEvent, AppealPhoto, Callback, Category, DispatchRule, Holiday, Notification

# A room named in free text: 3号楼502, 502室, 2单元301.
ROOM_IN_TEXT = re.compile(r"\d+\s*(?:号楼|栋|幢)\s*\d+|\d+\s*单元\s*\d+|\d{3,4}\s*(?:室|房|号房)")

MAX_EXTENSION_DAYS = 10
RETURN_WINDOW_DAYS = 2
PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
MAX_PHOTOS = 6
TITLE_MAX = Appeal._meta.get_field("title").max_length  # 100
DESCRIPTION_MAX = Appeal._meta.get_field("description").max_length  # 4000
RELATED_FIELDS = [field.name for field in Appeal._meta.concrete_fields if field.is_relation]


class ConflictError(Exception):
    """Someone else changed the appeal since the caller loaded it."""

    def __init__(self, appeal: Appeal):
        super().__init__(
            _("Appeal %(number)s was changed by someone else in the meantime; reload it and try again.")
            % {"number": appeal.number}
        )
        self.appeal = appeal


# --- calendar -------------------------------------------------------------------


def holiday_overrides() -> dict[dt.date, bool]:
    return dict(Holiday.objects.values_list("date", "is_workday"))


def deadline_after(start: dt.date, days: int) -> dt.date:
    return workdays.add_workdays(start, days, holiday_overrides())


# --- units of the ladder ------------------------------------------------------------


def compound_unit(compound) -> Organisation:
    """The compound's party branch: it convenes the three carriages that handle an appeal first."""
    today = timezone.localdate()
    branch = (
        Organisation.objects.active_on(today).filter(kind=Organisation.Kind.COMPOUND_BRANCH, compounds=compound).first()
    )
    if branch is None:
        raise ValidationError({"compound": _("The compound has no party branch to receive appeals.")})
    return branch


def community_unit(compound) -> Organisation:
    unit = Organisation.objects.filter(
        kind=Organisation.Kind.COMMUNITY_PARTY, community_id=compound.community_id, dissolved_on__isnull=True
    ).first()
    if unit is None:
        raise ValidationError({"unit": _("The compound's community has no party committee to escalate to.")})
    return unit


def department_for(*, category: Category, compound) -> Organisation | None:
    """The dispatch catalogue's department for a category in the compound's area, most specific rule first."""
    chain, node = [], category
    while node is not None:
        chain.append(node.pk)
        node = node.parent
    rules_ = (
        DispatchRule.objects.filter(category_id__in=chain)
        .filter(
            Q(community_id=compound.community_id)
            | Q(community__isnull=True, town_id=compound.community.town_id)
            | Q(community__isnull=True, town__isnull=True)
        )
        .select_related("department")
    )
    best = sorted(rules_, key=lambda r: (chain.index(r.category_id), 0 if r.community_id else 1 if r.town_id else 2))
    return best[0].department if best else None


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
    for photo in checked_photos:
        AppealPhoto.objects.create(
            appeal=appeal,
            image=photo.upload,
            content_type=photo.content_type,
            size=photo.upload.size,
            sha256=photo.sha256,
        )
    AppealEvent.objects.create(
        appeal=appeal,
        actor=_user(actor),
        action="submit",
        to_status=workflow.RECEIVED,
        unit=unit,
        reason=Appeal.Channel(channel).label,
    )
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, obj=appeal, after=snapshot(appeal))
    _notify_staff_later(
        appeal, _("New appeal %(number)s: %(title)s") % {"number": appeal.number, "title": appeal.title}
    )
    return appeal


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


# --- transitions ----------------------------------------------------------------------


def _locked(appeal: Appeal, version: int | None) -> Appeal:
    current = Appeal.objects.select_for_update().select_related("compound__community", "category").get(pk=appeal.pk)
    if version is not None and current.version != version:
        raise ConflictError(current)
    return current


def check_move(appeal: Appeal, action: str, *, actor=None) -> None:
    """PermissionDenied if `actor` may not take `action` on the appeal, ValidationError if its state forbids it."""
    if actor is not None and not rules.allowed(action, scope=scope_for(actor), appeal=appeal, user=actor):
        raise PermissionDenied(_("You may not %(action)s this appeal.") % {"action": workflow.action_name(action)})
    try:
        workflow.APPEAL.next(appeal.status, action)
    except workflow.MoveNotAllowed as exc:
        raise ValidationError(
            {
                "status": _("“%(action)s” is not possible while the appeal is %(state)s; possible now: %(allowed)s.")
                % {
                    "state": Appeal.Status(appeal.status).label,
                    "action": workflow.action_name(action),
                    "allowed": "、".join(workflow.action_name(a) for a in workflow.APPEAL.allowed(appeal.status))
                    or "—",
                }
            }
        ) from exc


def _transition(
    *,
    actor,
    appeal: Appeal,
    action: str,
    version: int | None,
    reason: str = "",
    check_rule=True,
    event_unit: Organisation | None = None,
    event_days: int | None = None,
    **changes,
) -> Appeal:
    current = _locked(appeal, version)
    check_move(current, action, actor=actor if check_rule else None)
    if workflow.APPEAL.moves[action].needs_reason and not (reason or "").strip():
        raise ValidationError({"reason": _("A reason is required.")})
    before = snapshot(current)
    source = current.status
    if "deadline" in changes and changes["deadline"] != current.deadline:
        changes.setdefault("overdue_since", None)  # a new deadline: the job flags it again if it is missed
    for name, value in changes.items():
        setattr(current, name, value)
    current.status = workflow.APPEAL.next(source, action)
    current.version += 1
    current.save()
    AppealEvent.objects.create(
        appeal=current,
        actor=_user(actor),
        action=action,
        from_status=source,
        to_status=current.status,
        unit=event_unit or current.unit,
        reason=(reason or "").strip(),
        days=event_days,
    )
    audit_record(
        actor=actor, action=AuditEntry.Action.UPDATE, obj=current, before=before, after=snapshot(current), note=action
    )
    return current


@transaction.atomic
def appeal_accept(*, actor, appeal: Appeal, version: int | None = None) -> Appeal:
    """The compound takes the appeal on and contacts the resident."""
    return _transition(actor=actor, appeal=appeal, action="accept", version=version, contacted_at=timezone.now())


@transaction.atomic
def appeal_start(*, actor, appeal: Appeal, version: int | None = None) -> Appeal:
    current = _locked(appeal, version)
    appeal = _transition(
        actor=actor, appeal=current, action="start", version=None, contacted_at=current.contacted_at or timezone.now()
    )
    return appeal


@transaction.atomic
def appeal_dispatch(
    *, actor, appeal: Appeal, department: Organisation | None = None, version: int | None = None, reason: str = ""
) -> Appeal:
    """Escalate: the compound to its community; the community "blows the whistle" to a city department.

    With no department named, the dispatch catalogue chooses one. The deadline restarts
    from the dispatch day with the category's working days.
    """
    current = _locked(appeal, version)
    check_move(current, "dispatch", actor=actor)
    now = timezone.now()
    if current.level == Appeal.Level.COMPOUND and department is None:
        unit, level = community_unit(current.compound), Appeal.Level.COMMUNITY
    else:
        department = department or department_for(category=current.category, compound=current.compound)
        if department is None:
            raise ValidationError(
                {
                    "department": _("The dispatch catalogue names no department for %(category)s here; choose one.")
                    % {"category": current.category.path}
                }
            )
        if department.kind != Organisation.Kind.DEPARTMENT:
            raise ValidationError({"department": _("%(name)s is not a city department.") % {"name": department}})
        unit, level = department, Appeal.Level.DEPARTMENT
    if unit.pk == current.unit_id:
        raise ValidationError({"department": _("%(unit)s is already handling this appeal.") % {"unit": unit}})
    appeal = _transition(
        actor=actor,
        appeal=current,
        action="dispatch",
        version=None,
        reason=reason,
        unit=unit,
        level=level,
        dispatched_at=now,
        extension_days=0,
        deadline=deadline_after(timezone.localdate(now), current.category.deadline_days),
    )
    _notify_staff_later(appeal, _("Appeal %(number)s was sent to %(unit)s.") % {"number": appeal.number, "unit": unit})
    _notify_reporters_later(
        appeal, _("Your appeal %(number)s is now handled by %(unit)s.") % {"number": appeal.number, "unit": unit}
    )
    return appeal


@transaction.atomic
def appeal_return(*, actor, appeal: Appeal, reason: str, version: int | None = None) -> Appeal:
    """A department sends a wrongly dispatched order back (退单): with a reason, within 2 working days."""
    current = _locked(appeal, version)
    check_move(current, "return", actor=actor)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason why the order is not yours to handle.")})
    if current.dispatched_at is not None:
        used = workdays.workdays_between(
            timezone.localdate(current.dispatched_at), timezone.localdate(), holiday_overrides()
        )
        if used > RETURN_WINDOW_DAYS:
            raise ValidationError(
                {
                    "reason": _(
                        "An order can only be returned within %(days)s working days of dispatch; "
                        "this one was dispatched %(used)s working days ago."
                    )
                    % {"days": RETURN_WINDOW_DAYS, "used": used}
                }
            )
    returning_unit = current.unit
    appeal = _transition(
        actor=actor,
        appeal=current,
        action="return",
        version=None,
        reason=reason,
        unit=community_unit(current.compound),
        level=Appeal.Level.COMMUNITY,
        event_unit=returning_unit,
    )
    _notify_staff_later(
        appeal,
        _("Appeal %(number)s was returned by %(unit)s: %(reason)s")
        % {"number": appeal.number, "unit": returning_unit, "reason": reason},
    )
    return appeal


@transaction.atomic
def appeal_reassign(
    *, actor, appeal: Appeal, department: Organisation, version: int | None = None, reason: str = ""
) -> Appeal:
    """After a return, the dispatcher sends the order to another department (改派)."""
    current = _locked(appeal, version)
    check_move(current, "reassign", actor=actor)
    if department.kind != Organisation.Kind.DEPARTMENT:
        raise ValidationError({"department": _("%(name)s is not a city department.") % {"name": department}})
    last_return = current.events.filter(action="return").order_by("-at", "-id").first()
    if last_return is not None and last_return.unit_id == department.pk:
        raise ValidationError(
            {
                "department": _("%(name)s has just returned this order; choose another department.")
                % {"name": department}
            }
        )
    now = timezone.now()
    appeal = _transition(
        actor=actor,
        appeal=current,
        action="reassign",
        version=None,
        reason=reason,
        unit=department,
        level=Appeal.Level.DEPARTMENT,
        dispatched_at=now,
        extension_days=0,
        deadline=deadline_after(timezone.localdate(now), current.category.deadline_days),
    )
    _notify_staff_later(
        appeal, _("Appeal %(number)s was reassigned to %(unit)s.") % {"number": appeal.number, "unit": department}
    )
    return appeal


@transaction.atomic
def appeal_request_extension(*, actor, appeal: Appeal, days: int, reason: str, version: int | None = None) -> Appeal:
    current = _locked(appeal, version)
    check_move(current, "request_extension", actor=actor)
    try:
        days = int(days)
    except (TypeError, ValueError):
        raise ValidationError({"days": _("Give the number of working days.")}) from None
    if not (reason or "").strip():
        raise ValidationError({"reason": _("A reason is required.")})
    if not 1 <= days <= MAX_EXTENSION_DAYS - current.extension_days:
        raise ValidationError(
            {
                "days": _("An extension is 1 to %(left)s more working days (at most %(max)s in all).")
                % {"left": MAX_EXTENSION_DAYS - current.extension_days, "max": MAX_EXTENSION_DAYS}
            }
        )
    return _transition(
        actor=actor, appeal=current, action="request_extension", version=None, reason=reason, event_days=days
    )


def _requested_days(appeal: Appeal) -> int:
    event = appeal.events.filter(action="request_extension").order_by("-at", "-id").first()
    return event.days if event else 0


@transaction.atomic
def appeal_grant_extension(*, actor, appeal: Appeal, version: int | None = None) -> Appeal:
    current = _locked(appeal, version)
    check_move(current, "grant_extension", actor=actor)
    days = _requested_days(current)
    total = current.extension_days + days
    if total > MAX_EXTENSION_DAYS:
        raise ValidationError(
            {"days": _("Extensions may not exceed %(max)s working days in all.") % {"max": MAX_EXTENSION_DAYS}}
        )
    return _transition(
        actor=actor,
        appeal=current,
        action="grant_extension",
        version=None,
        extension_days=total,
        deadline=workdays.add_workdays(current.deadline, days, holiday_overrides()),
        event_days=days,
    )


@transaction.atomic
def appeal_refuse_extension(*, actor, appeal: Appeal, reason: str, version: int | None = None) -> Appeal:
    return _transition(actor=actor, appeal=appeal, action="refuse_extension", version=version, reason=reason)


@transaction.atomic
def appeal_resolve(
    *, actor, appeal: Appeal, resolution: str, via_four_party: bool = False, version: int | None = None
) -> Appeal:
    """The handling unit replies with what was done. Merged duplicates are answered too."""
    current = _locked(appeal, version)
    check_move(current, "resolve", actor=actor)
    if not (resolution or "").strip():
        raise ValidationError({"resolution": _("Tell the resident what was done.")})
    now = timezone.now()
    appeal = _transition(
        actor=actor,
        appeal=current,
        action="resolve",
        version=None,
        reason=resolution,
        resolution=resolution.strip(),
        resolved_at=now,
        resolved_level=current.level,
        via_four_party=current.via_four_party or via_four_party,
        contacted_at=current.contacted_at or now,
    )
    for answered in (appeal, *appeal.duplicates.all()):
        _notify_reporters_later(answered, _resolved_message(answered, appeal.resolution))
    return appeal


def _resolved_message(appeal: Appeal, resolution: str) -> str:
    return _("Your appeal %(number)s has been resolved: %(resolution)s") % {
        "number": appeal.number,
        "resolution": resolution[:150],
    }


def _answers(*, contacted, solved, rating) -> dict:
    """The resident's three answers, checked: contacted (yes/no), solved (yes/no) and the rating.
    ValidationError naming each missing or wrong one."""
    errors = {}
    if not isinstance(contacted, bool):
        errors["contacted"] = _("Say whether the handling unit contacted the resident (yes or no).")
    if not isinstance(solved, bool):
        errors["solved"] = _("Say whether the problem was solved (yes or no).")
    if rating not in Appeal.Rating.values:
        errors["rating"] = _("Choose satisfied, basically satisfied or dissatisfied.")
    if errors:
        raise ValidationError(errors)
    return {"rated_contacted": contacted, "rated_solved": solved, "rating": rating}


def _record_rating(*, actor, appeal: Appeal, answers: dict, comment: str, closing_reason: str, how: str = "") -> Appeal:
    """Store the answers on the locked appeal with a "rate" event and an audit row; close the order if it is not yet."""
    if appeal.status not in {workflow.RESOLVED, workflow.CALLED_BACK, workflow.CLOSED}:
        raise ValidationError({"rating": _("The appeal can be rated once it is resolved.")})
    if appeal.rating:
        raise ValidationError({"rating": _("The appeal has already been rated.")})
    before = snapshot(appeal)
    for name, value in answers.items():
        setattr(appeal, name, value)
    appeal.rating_comment, appeal.rated_at = (comment or "").strip()[:500], timezone.now()
    appeal.version += 1
    appeal.save()
    AppealEvent.objects.create(
        appeal=appeal,
        actor=_user(actor),
        action="rate",
        from_status=appeal.status,
        to_status=appeal.status,
        reason=rating_summary(appeal, how),
    )
    audit_record(
        actor=actor, action=AuditEntry.Action.UPDATE, obj=appeal, before=before, after=snapshot(appeal), note="rate"
    )
    if appeal.status != workflow.CLOSED:
        appeal = _transition(
            actor=actor,
            appeal=appeal,
            action="close",
            version=None,
            closed_at=timezone.now(),
            reason=closing_reason,
            check_rule=False,
        )
    return appeal


def rating_summary(appeal: Appeal, how: str) -> str:
    """The rate event's text: "satisfied · contacted: yes · solved: yes" (and how it was recorded)."""

    def yes_no(value: bool) -> str:
        return _("yes") if value else _("no")

    parts = [
        str(Appeal.Rating(appeal.rating).label),
        _("contacted: %(answer)s") % {"answer": yes_no(appeal.rated_contacted)},
        _("solved: %(answer)s") % {"answer": yes_no(appeal.rated_solved)},
    ]
    if how:
        parts.append(how)
    return " · ".join(parts)


def reporter_has_account(appeal: Appeal) -> bool:
    """The reporter can log in (and so rates the result personally)."""
    from jiayuan.core.models import User

    if appeal.reporter_account_id is not None:
        return True
    return appeal.reporter_id is not None and User.objects.filter(person_id=appeal.reporter_id, is_active=True).exists()


@transaction.atomic
def appeal_callback(
    *,
    actor,
    appeal: Appeal,
    reached: bool,
    note: str = "",
    contacted: bool | None = None,
    solved: bool | None = None,
    rating: str = "",
    version: int | None = None,
) -> Appeal:
    """Record a call back to the resident (回访).

    A call that reached a resident who has no account (a hotline or desk report) may record the
    resident's three answers on their behalf: contacted, solved and the rating (all three, or none).
    The order is then closed, as after the resident's own rating. A resident with an account rates
    personally: recording answers for them is refused (PermissionDenied).
    """
    current = _locked(appeal, version)
    check_move(current, "callback", actor=actor)
    answering = contacted is not None or solved is not None or bool(rating)
    answers = None
    if answering:
        if reporter_has_account(current):
            raise PermissionDenied(
                _("The resident has an account and rates the result personally; record the call without the answers.")
            )
        if not reached:
            raise ValidationError(
                {"reached": _("The resident's answers can only be recorded when the call reached them.")}
            )
        answers = _answers(contacted=contacted, solved=solved, rating=rating)
    current = _transition(actor=actor, appeal=current, action="callback", version=None, reason=note)
    Callback.objects.create(appeal=current, by=actor, reached=reached, note=note)
    if answers is not None:
        current = _record_rating(
            actor=actor,
            appeal=current,
            answers=answers,
            comment="",
            closing_reason=_("closed after the callback"),
            how=_("recorded at the callback"),
        )
    return current


@transaction.atomic
def appeal_close(*, actor, appeal: Appeal, version: int | None = None, reason: str = "") -> Appeal:
    return _transition(
        actor=actor, appeal=appeal, action="close", version=version, reason=reason, closed_at=timezone.now()
    )


@transaction.atomic
def appeal_rate(
    *, actor, appeal: Appeal, contacted: bool, solved: bool, rating: str, comment: str = "", version: int | None = None
) -> Appeal:
    """The reporter answers the three questions: was I contacted by the handling unit (yes/no), was the
    problem solved (yes/no), and how satisfied am I. Rating closes the order (a dissatisfied reporter
    may reopen instead)."""
    current = _locked(appeal, version)
    if not rules.is_reporter(scope_for(actor), current, actor):
        raise PermissionDenied(_("Only the resident who reported the problem can rate it."))
    answers = _answers(contacted=contacted, solved=solved, rating=rating)
    return _record_rating(
        actor=actor,
        appeal=current,
        answers=answers,
        comment=comment,
        closing_reason=_("closed after the resident's rating"),
    )


@transaction.atomic
def appeal_reopen(*, actor, appeal: Appeal, reason: str, version: int | None = None) -> Appeal:
    """The reporter reopens within APPEAL_REOPEN_DAYS of the resolution; the rating is withdrawn."""
    current = _locked(appeal, version)
    check_move(current, "reopen", actor=actor)
    days = settings.APPEAL_REOPEN_DAYS
    if current.resolved_at and timezone.now() > current.resolved_at + dt.timedelta(days=days):
        raise ValidationError(
            {"reason": _("An appeal can be reopened within %(days)s days of its resolution.") % {"days": days}}
        )
    return _transition(
        actor=actor,
        appeal=current,
        action="reopen",
        version=None,
        reason=reason,
        rating="",
        rated_at=None,
        rated_contacted=None,
        rated_solved=None,
        rating_comment="",
        closed_at=None,
        resolved_at=None,
        resolved_level="",
        deadline=deadline_after(timezone.localdate(), current.category.deadline_days),
    )


@transaction.atomic
def appeal_merge(*, actor, duplicate: Appeal, into: Appeal, version: int | None = None) -> Appeal:
    """Fold a duplicate report into the appeal that is being handled; its reporter is answered with it."""
    if duplicate.pk == into.pk:
        raise ValidationError({"into": _("An appeal cannot be merged into itself.")})
    # Lock both rows, lower id first, so that two merges of the same pair cannot deadlock.
    first, second = sorted([(duplicate, version), (into, None)], key=lambda pair: pair[0].pk)
    locked = {first[0].pk: _locked(*first), second[0].pk: _locked(*second)}
    duplicate, into = locked[duplicate.pk], locked[into.pk]
    check_move(duplicate, "merge", actor=actor)
    if into.compound_id != duplicate.compound_id:
        raise ValidationError({"into": _("Only reports from the same compound can be merged.")})
    if into.merged_into_id is not None or into.status == workflow.MERGED:
        raise ValidationError(
            {
                "into": _("%(number)s is itself merged; merge into the appeal it was merged into.")
                % {"number": into.number}
            }
        )
    if into.status == workflow.CLOSED:
        raise ValidationError(
            {"into": _("%(number)s is closed; only an open appeal can take in duplicates.") % {"number": into.number}}
        )
    merged = _transition(
        actor=actor,
        appeal=duplicate,
        action="merge",
        version=None,
        merged_into=into,
        reason=_("merged into %(number)s") % {"number": into.number},
    )
    # Reports merged into the duplicate earlier follow it, so that they are answered with the primary too.
    Appeal.objects.filter(merged_into=merged).update(merged_into=into)
    _notify_reporters_later(
        merged,
        _("Your appeal %(number)s concerns the same problem as %(primary)s and will be answered with it.")
        % {"number": merged.number, "primary": into.number},
    )
    if into.status in {workflow.RESOLVED, workflow.CALLED_BACK}:
        _notify_reporters_later(merged, _resolved_message(merged, into.resolution))
    return merged


@transaction.atomic
def appeal_set_public(*, actor, appeal: Appeal, public: bool, summary: str = "") -> Appeal:
    """Open an appeal to anyone through Open311 (or close it again): staff over its compound or its reporter.

    The public record shows the category, the compound and `summary`, never the resident's own text; the
    summary may not name a room or carry personal numbers."""
    current = Appeal.objects.select_for_update().select_related("compound__community").get(pk=appeal.pk)
    scope = scope_for(actor)
    if not (rules.covers_compound(scope, current) or rules.is_reporter(scope, current, actor)):
        raise PermissionDenied(_("Only staff over the compound or the reporter may make an appeal public."))
    summary = (summary or "").strip()
    if len(summary) > Appeal._meta.get_field("public_summary").max_length:
        raise ValidationError({"public_summary": _("The public summary is longer than 200 characters.")})
    if summary and (mask_free_text(summary) != summary or ROOM_IN_TEXT.search(summary)):
        raise ValidationError(
            {"public_summary": _("The public summary may not name a room or carry phone or ID numbers.")}
        )
    before = snapshot(current)
    current.public, current.public_summary = public, summary if public else ""
    current.save(update_fields=["public", "public_summary"])
    audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=current, before=before, after=snapshot(current))
    return current


@transaction.atomic
def appeal_supervise(*, actor, appeal: Appeal, level: str, note: str = "", version: int | None = None) -> Appeal:
    """The town or city takes the order under supervision (督办)."""
    current = _locked(appeal, version)
    if actor is not None and not rules.allowed("supervise", scope=scope_for(actor), appeal=current, user=actor):
        raise PermissionDenied(_("You may not supervise this appeal."))
    if level not in {Appeal.Supervision.TOWN, Appeal.Supervision.CITY}:
        raise ValidationError({"level": _("Supervision is by the town or the city.")})
    if current.status in {workflow.CLOSED, workflow.MERGED}:
        raise ValidationError({"status": _("Only an open appeal can be supervised.")})
    if current.supervision == Appeal.Supervision.CITY or current.supervision == level:
        return current
    before = snapshot(current)
    current.supervision = level
    current.version += 1
    current.save()
    AppealEvent.objects.create(
        appeal=current,
        actor=_user(actor),
        action="supervise",
        from_status=current.status,
        to_status=current.status,
        unit=current.unit,
        reason=note or Appeal.Supervision(level).label,
        public=False,
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=current,
        before=before,
        after=snapshot(current),
        note="supervise",
    )
    _notify_staff_later(
        current,
        _("Appeal %(number)s is under %(level)s supervision.")
        % {"number": current.number, "level": Appeal.Supervision(level).label},
    )
    return current


# Open orders still waiting for a result: these can be late.
LATE_STATES = workflow.WAITING_STATES


def flag_overdue(*, today: dt.date | None = None, city_after_days: int = 3) -> dict[str, int]:
    """The scheduled job: flag open orders past their deadline and escalate supervision.

    Idempotent: an order is flagged once; town supervision starts on the first overdue
    day, city supervision after `city_after_days` more working days. Running it twice
    on the same day changes nothing the second time.
    """
    today = today or timezone.localdate()
    overrides = holiday_overrides()
    flagged = escalated = 0
    # Only orders the job would change: not yet flagged, or not yet under city supervision
    # (the partial index appeal_overdue_pending serves exactly this).
    open_late = Appeal.objects.filter(status__in=sorted(LATE_STATES), deadline__lt=today).filter(
        Q(overdue_since__isnull=True) | ~Q(supervision=Appeal.Supervision.CITY)
    )
    for appeal_id in list(open_late.values_list("pk", flat=True)):
        with transaction.atomic():
            appeal = Appeal.objects.select_for_update().select_related("compound__community").get(pk=appeal_id)
            if not (appeal.status in LATE_STATES and appeal.deadline < today):
                continue  # resolved or given a new deadline since the list was read
            if appeal.overdue_since is None:
                before = snapshot(appeal)
                appeal.overdue_since = today
                appeal.save(update_fields=["overdue_since"])
                audit_record(
                    actor=None,
                    action=AuditEntry.Action.UPDATE,
                    obj=appeal,
                    before=before,
                    after=snapshot(appeal),
                    note="overdue",
                )
                AppealEvent.objects.create(
                    appeal=appeal,
                    action="overdue",
                    from_status=appeal.status,
                    to_status=appeal.status,
                    unit=appeal.unit,
                    public=False,
                    reason=_("deadline %(date)s passed") % {"date": appeal.deadline},
                )
                flagged += 1
            late_days = workdays.workdays_between(appeal.deadline, today, overrides)
            wanted = Appeal.Supervision.CITY if late_days > city_after_days else Appeal.Supervision.TOWN
            if appeal.supervision != wanted and appeal.supervision != Appeal.Supervision.CITY:
                appeal_supervise(
                    actor=None,
                    appeal=appeal,
                    level=wanted,
                    note=_("overdue by %(days)s working days") % {"days": late_days},
                )
                escalated += 1
    return {"flagged": flagged, "escalated": escalated}


# --- notifications -----------------------------------------------------------------------


def _notify_reporters_later(appeal: Appeal, message: str) -> None:
    transaction.on_commit(partial(_notify_reporters, appeal.pk, message))


def _notify_reporters(appeal_id: int, message: str) -> None:
    appeal = Appeal.objects.select_related("reporter_account").get(pk=appeal_id)
    if appeal.reporter_account_id:
        Notification.objects.create(user=appeal.reporter_account, appeal=appeal, message=message[:300])
    address = appeal.contact_email or (appeal.reporter_account.email if appeal.reporter_account_id else "")
    if address:
        send_mail(
            subject=_("Appeal %(number)s") % {"number": appeal.number},
            message=message,
            from_email=None,
            recipient_list=[address],
            fail_silently=True,
        )


def _notify_staff_later(appeal: Appeal, message: str) -> None:
    transaction.on_commit(partial(_notify_staff, appeal.pk, message))


def _notify_staff(appeal_id: int, message: str) -> None:
    """In-app messages to the people holding current posts in the handling unit."""
    from jiayuan.core.models import User
    from jiayuan.organisations.selectors import posts_of

    appeal = Appeal.objects.select_related("unit").get(pk=appeal_id)
    people = [post.person_id for post in posts_of(organisation=appeal.unit)]
    users = User.objects.filter(person_id__in=people, is_active=True)
    Notification.objects.bulk_create(Notification(user=user, appeal=appeal, message=message[:300]) for user in users)


def notifications_mark_read_for_appeal(*, actor, appeal: Appeal) -> int:
    """The recipient has opened the appeal: its unread messages to them are read now. The number marked."""
    if not getattr(actor, "pk", None):
        return 0
    return Notification.objects.filter(user_id=actor.pk, appeal=appeal, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notification_mark_read(*, actor, notification: Notification) -> Notification:
    """The recipient has read the message. Idempotent; a read receipt is not audited (it is the user's own inbox)."""
    if notification.user_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("This message is addressed to someone else."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification
