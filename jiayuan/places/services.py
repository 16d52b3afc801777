"""Writes to the compound map. Each takes `actor` and leaves an audit row."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jiayuan.core.scope import scope_for
from jiayuan.core.services import create_audited, update_audited

from . import rules
from .models import Building, Community, Compound, Room, Unit

NOT_NULL_PARTICULARS = {"name", "address", "kind", "management"}


def compound_create(
    *,
    actor,
    community: Community,
    code: str,
    name: str,
    kind: str,
    management: str,
    year_built: int | None = None,
    address: str = "",
    developer=None,
) -> Compound:
    return create_audited(
        Compound,
        actor=actor,
        community=community,
        code=code,
        name=name,
        kind=kind,
        management=management,
        year_built=year_built,
        address=address,
        developer=developer,
    )


def _require_editor(actor, compound: Compound) -> None:
    if actor is not None and not rules.may_edit_compound(scope_for(actor), compound):
        raise PermissionDenied(_("A compound's particulars and room areas are changed by its community or town."))


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why this is changed; the reason goes on the record.")})
    return reason


@transaction.atomic
def compound_update(*, actor, compound: Compound, reason: str, **changes) -> Compound:
    """Change a compound's particulars: by its community, town or the city, with a reason."""
    _require_editor(actor, compound)
    allowed = {"name", "address", "kind", "management", "year_built", "developer"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError({field: _("This field cannot be changed here.") for field in unknown})
    empty = {field for field in NOT_NULL_PARTICULARS & set(changes) if changes[field] is None}
    if empty:
        raise ValidationError({field: _("This field cannot be empty.") for field in empty})
    reason = _require_reason(reason)
    return update_audited(compound, actor=actor, audit_note=reason, **changes)


def building_create(*, actor, compound: Compound, number: str, floors: int | None = None) -> Building:
    return create_audited(Building, actor=actor, compound=compound, number=number, floors=floors)


def unit_create(*, actor, building: Building, number: str) -> Unit:
    return create_audited(Unit, actor=actor, building=building, number=number)


def room_create(*, actor, unit: Unit, number: str, area: Decimal, area_source: str, floor: int | None = None) -> Room:
    _check_area(area)
    return create_audited(Room, actor=actor, unit=unit, number=number, area=area, area_source=area_source, floor=floor)


@transaction.atomic
def room_update_area(*, actor, room: Room, area: Decimal, area_source: str, reason: str) -> Room:
    """Correct a room's exclusive area and say where the figure comes from: by the community, town or city,
    with a reason. An electorate already frozen for an owners' meeting keeps the area it froze."""
    _require_editor(actor, room.unit.building.compound)
    _check_area(area)
    if area_source not in Room.AreaSource.values:
        raise ValidationError({"area_source": _("Say where the area comes from.")})
    reason = _require_reason(reason)
    return update_audited(room, actor=actor, audit_note=reason, area=area, area_source=area_source)


def _check_area(area) -> None:
    try:
        value = Decimal(str(area))
    except Exception as exc:
        raise ValidationError({"area": _("The area must be a number of square metres.")}) from exc
    if not value.is_finite() or value <= 0:
        raise ValidationError({"area": _("The area must be greater than zero, got %(value)s.") % {"value": area}})
