"""The reporter's phone shown in clear to the department handling the order, each time on the audit trail."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jiayuan.core.audit import audit_record
from jiayuan.core.models import AuditEntry
from jiayuan.core.scope import scope_for

from .. import rules, workflow
from ..models import Appeal

CONTACT_SHOWN_NOTE = "contact_phone shown"


@transaction.atomic
def appeal_contact_reveal(*, actor, appeal: Appeal) -> str:
    """The reporter's phone in clear for staff of the department handling the order, while it is handling it.

    Each reveal writes an audit row on the appeal: who (the actor), whose number (the reporter and the contact's
    name) and the number itself masked. PermissionDenied for anyone else, ValidationError at another stage or
    when the appeal has no phone."""
    current = Appeal.objects.select_related("compound__community").get(pk=appeal.pk)
    if not rules.reveals_contact(scope_for(actor), current):
        raise PermissionDenied(_("Only the department handling this appeal may see the reporter's phone in clear."))
    if current.status not in workflow.CONTACT_REVEAL_STATES:
        raise ValidationError(
            {
                "status": _("The reporter's phone is shown only while the order is being handled; it is %(state)s.")
                % {"state": Appeal.Status(current.status).label}
            }
        )
    if not current.contact_phone:
        raise ValidationError({"contact_phone": _("This appeal has no contact phone.")})
    audit_record(
        actor=actor,
        action=AuditEntry.Action.VIEW,
        obj=current,
        after={
            "contact_phone": current.masked_contact_phone,
            "reporter": current.reporter_id,
            "contact_name": current.contact_name,
            "unit": current.unit_id,
            "status": current.status,
        },
        note=CONTACT_SHOWN_NOTE,
    )
    return current.contact_phone
