"""The units of the handling ladder: the compound's branch, its community, the department the dispatch catalogue names."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jiayuan.organisations.models import Organisation

from ..models import Category, DispatchRule

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
