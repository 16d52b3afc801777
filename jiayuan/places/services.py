"""Writes to the compound map. Each takes `actor` and leaves an audit row."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jiayuan.core.services import create_audited, update_audited

from .models import Building, Community, Compound, Room, Unit


def compound_create(*, actor, community: Community, code: str, name: str, kind: str, management: str,
                    year_built: int | None = None, address: str = "", developer=None) -> Compound:
    return create_audited(Compound, actor=actor, community=community, code=code, name=name, kind=kind,
                          management=management, year_built=year_built, address=address, developer=developer)


def compound_update(*, actor, compound: Compound, **changes) -> Compound:
    allowed = {"name", "address", "kind", "management", "year_built", "developer"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError({field: _("This field cannot be changed here.") for field in unknown})
    return update_audited(compound, actor=actor, **changes)


def building_create(*, actor, compound: Compound, number: str, floors: int | None = None) -> Building:
    return create_audited(Building, actor=actor, compound=compound, number=number, floors=floors)


def unit_create(*, actor, building: Building, number: str) -> Unit:
    return create_audited(Unit, actor=actor, building=building, number=number)


def room_create(*, actor, unit: Unit, number: str, area: Decimal, area_source: str, floor: int | None = None) -> Room:
    _check_area(area)
    return create_audited(Room, actor=actor, unit=unit, number=number, area=area, area_source=area_source, floor=floor)


@transaction.atomic
def room_update_area(*, actor, room: Room, area: Decimal, area_source: str) -> Room:
    _check_area(area)
    return update_audited(room, actor=actor, area=area, area_source=area_source)


def _check_area(area) -> None:
    try:
        value = Decimal(str(area))
    except Exception as exc:
        raise ValidationError({"area": _("The area must be a number of square metres.")}) from exc
    if not value.is_finite() or value <= 0:
        raise ValidationError({"area": _("The area must be greater than zero, got %(value)s.") % {"value": area}})
