"""The units of the handling ladder: the compound's branch, its community, the department the dispatch catalogue names."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from jiayuan.organisations.models import Organisation

from .. import selectors
from ..models import Category

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
    return selectors.catalogue_department(category=category, compound=compound)
