"""The handling ladder: accept, start, dispatch, return, reassign, extensions, resolve, close, reopen, merge,
and who may read an appeal publicly."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiayuan.core.audit import audit_record, snapshot
from jiayuan.core.identity import mask_free_text
from jiayuan.core.models import AuditEntry
from jiayuan.core.scope import scope_for
from jiayuan.organisations.models import Organisation

from .. import rules, workdays, workflow
from ..models import Appeal, AppealPhoto
from ._common import (
    MAX_EXTENSION_DAYS,
    MAX_PHOTOS,
    RETURN_WINDOW_DAYS,
    ROOM_IN_TEXT,
    check_move,
    deadline_after,
    holiday_overrides,
    lock_for_change,
    transition,
)
from .intake import attach_photos, checked
from .notify import notify_reporters_later, notify_staff_later, resolved_message
from .routing import community_unit, department_for


@transaction.atomic
def appeal_accept(*, actor, appeal: Appeal, version: int | None = None) -> Appeal:
    """The compound takes the appeal on and contacts the resident."""
    return transition(actor=actor, appeal=appeal, action="accept", version=version, contacted_at=timezone.now())


@transaction.atomic
def appeal_start(*, actor, appeal: Appeal, version: int | None = None) -> Appeal:
    current = lock_for_change(appeal, version)
    appeal = transition(
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
    current = lock_for_change(appeal, version)
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
    appeal = transition(
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
    notify_staff_later(appeal, _("Appeal %(number)s was sent to %(unit)s.") % {"number": appeal.number, "unit": unit})
    notify_reporters_later(
        appeal, _("Your appeal %(number)s is now handled by %(unit)s.") % {"number": appeal.number, "unit": unit}
    )
    return appeal


@transaction.atomic
def appeal_return(*, actor, appeal: Appeal, reason: str, version: int | None = None) -> Appeal:
    """A department sends a wrongly dispatched order back (退单): with a reason, within 2 working days."""
    current = lock_for_change(appeal, version)
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
    appeal = transition(
        actor=actor,
        appeal=current,
        action="return",
        version=None,
        reason=reason,
        unit=community_unit(current.compound),
        level=Appeal.Level.COMMUNITY,
        event_unit=returning_unit,
    )
    notify_staff_later(
        appeal,
        _("Appeal %(number)s was returned by %(unit)s: %(reason)s")
        % {"number": appeal.number, "unit": returning_unit, "reason": reason},
    )
    return appeal


@transaction.atomic
def appeal_reassign(
    *, actor, appeal: Appeal, department: Organisation, version: int | None = None, reason: str = ""
) -> Appeal:
    """After a return, the dispatcher sends the order to another department (改派), saying why: the reason is
    kept on the event and shown in the appeal's history."""
    current = lock_for_change(appeal, version)
    check_move(current, "reassign", actor=actor)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the order goes to this department.")})
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
    appeal = transition(
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
    notify_staff_later(
        appeal, _("Appeal %(number)s was reassigned to %(unit)s.") % {"number": appeal.number, "unit": department}
    )
    return appeal


@transaction.atomic
def appeal_request_extension(*, actor, appeal: Appeal, days: int, reason: str, version: int | None = None) -> Appeal:
    current = lock_for_change(appeal, version)
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
    return transition(
        actor=actor, appeal=current, action="request_extension", version=None, reason=reason, event_days=days
    )


def _requested_days(appeal: Appeal) -> int:
    event = appeal.events.filter(action="request_extension").order_by("-at", "-id").first()
    return event.days if event else 0


@transaction.atomic
def appeal_grant_extension(*, actor, appeal: Appeal, version: int | None = None) -> Appeal:
    current = lock_for_change(appeal, version)
    check_move(current, "grant_extension", actor=actor)
    days = _requested_days(current)
    total = current.extension_days + days
    if total > MAX_EXTENSION_DAYS:
        raise ValidationError(
            {"days": _("Extensions may not exceed %(max)s working days in all.") % {"max": MAX_EXTENSION_DAYS}}
        )
    return transition(
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
    return transition(actor=actor, appeal=appeal, action="refuse_extension", version=version, reason=reason)


@transaction.atomic
def appeal_resolve(
    *,
    actor,
    appeal: Appeal,
    resolution: str,
    via_four_party: bool = False,
    photos=(),
    version: int | None = None,
) -> Appeal:
    """The handling unit replies with what was done, with photos of the fixed problem if it has them (checked as
    the report's are, at most MAX_PHOTOS). Merged duplicates are answered too."""
    current = lock_for_change(appeal, version)
    check_move(current, "resolve", actor=actor)
    if not (resolution or "").strip():
        raise ValidationError({"resolution": _("Tell the resident what was done.")})
    photos = list(photos or ())
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": _("At most %(count)s photos.") % {"count": MAX_PHOTOS}})
    after_photos = [checked(photo) for photo in photos]
    now = timezone.now()
    appeal = transition(
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
    attach_photos(appeal=appeal, photos=after_photos, kind=AppealPhoto.Kind.AFTER)
    for answered in (appeal, *appeal.duplicates.all()):
        notify_reporters_later(answered, resolved_message(answered, appeal.resolution))
    return appeal


@transaction.atomic
def appeal_close(*, actor, appeal: Appeal, version: int | None = None, reason: str = "") -> Appeal:
    return transition(
        actor=actor, appeal=appeal, action="close", version=version, reason=reason, closed_at=timezone.now()
    )


@transaction.atomic
def appeal_reopen(*, actor, appeal: Appeal, reason: str, version: int | None = None) -> Appeal:
    """The reporter reopens within APPEAL_REOPEN_DAYS of the resolution; the rating is withdrawn."""
    current = lock_for_change(appeal, version)
    check_move(current, "reopen", actor=actor)
    days = settings.APPEAL_REOPEN_DAYS
    if current.resolved_at and timezone.now() > current.resolved_at + dt.timedelta(days=days):
        raise ValidationError(
            {"reason": _("An appeal can be reopened within %(days)s days of its resolution.") % {"days": days}}
        )
    return transition(
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
    locked = {first[0].pk: lock_for_change(*first), second[0].pk: lock_for_change(*second)}
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
    merged = transition(
        actor=actor,
        appeal=duplicate,
        action="merge",
        version=None,
        merged_into=into,
        reason=_("merged into %(number)s") % {"number": into.number},
    )
    # Reports merged into the duplicate earlier follow it, so that they are answered with the primary too.
    Appeal.objects.filter(merged_into=merged).update(merged_into=into)
    notify_reporters_later(
        merged,
        _("Your appeal %(number)s concerns the same problem as %(primary)s and will be answered with it.")
        % {"number": merged.number, "primary": into.number},
    )
    if into.status in {workflow.RESOLVED, workflow.CALLED_BACK}:
        notify_reporters_later(merged, resolved_message(merged, into.resolution))
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
