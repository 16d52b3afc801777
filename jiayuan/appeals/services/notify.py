"""Notifications: to reporters and staff after commit, and marking them read."""

from __future__ import annotations

from functools import partial

from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Appeal, Notification


def resolved_message(appeal: Appeal, resolution: str) -> str:
    return _("Your appeal %(number)s has been resolved: %(resolution)s") % {
        "number": appeal.number,
        "resolution": resolution[:150],
    }


# --- notifications -----------------------------------------------------------------------


def notify_reporters_later(appeal: Appeal, message: str) -> None:
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


def notify_staff_later(appeal: Appeal, message: str) -> None:
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
