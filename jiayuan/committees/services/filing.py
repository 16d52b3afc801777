"""Filing a committee with the town (备案)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jiayuan.core.services import create_audited, update_audited
from jiayuan.organisations.models import Organisation

from .. import rules
from ..models import Filing
from ..terms import filing_deadline
from ._common import _committee, _not_in_future, _require, _today, _user

# --- Filing -------------------------------------------------------------------------------------------


@transaction.atomic
def filing_record(
    *,
    actor,
    committee: Organisation,
    filed_on: dt.date,
    filed_with_housing: bool,
    filed_with_town: bool,
    reference: str = "",
    note: str = "",
    today: dt.date | None = None,
) -> Filing:
    """Record (or correct) the committee's filing. After the 30-day deadline it is accepted and marked late."""
    today = _today(today)
    _committee(committee)
    _require(actor, rules.may_record_filing, committee)
    committee = Organisation.objects.select_for_update().get(pk=committee.pk)
    errors: dict = {}
    if not (filed_with_housing or filed_with_town):
        errors["filed_with_housing"] = _(
            "Say where the committee filed: with the housing department, the town, or both."
        )
    if filed_on is None:
        errors["filed_on"] = _("Give the date of the filing.")
    else:
        _not_in_future(filed_on, "filed_on", today, errors)
        if filed_on < committee.established_on:
            errors.setdefault(
                "filed_on",
                _("The committee was elected on %(date)s; it cannot file before.")
                % {"date": committee.established_on.isoformat()},
            )
    reference = (reference or "").strip()
    if len(reference) > 50:
        errors["reference"] = _("At most %(limit)s characters.") % {"limit": 50}
    note = (note or "").strip()
    if len(note) > 300:
        errors["note"] = _("At most %(limit)s characters.") % {"limit": 300}
    if errors:
        raise ValidationError(errors)
    fields = {
        "filed_on": filed_on,
        "filed_with_housing": bool(filed_with_housing),
        "filed_with_town": bool(filed_with_town),
        "reference": reference,
        "note": note,
        "late": filed_on > filing_deadline(committee),
    }
    existing = Filing.objects.filter(committee=committee).first()
    if existing is not None:
        return update_audited(existing, actor=actor, audit_note="filing corrected", **fields)
    return create_audited(Filing, actor=actor, committee=committee, recorded_by=_user(actor), **fields)
