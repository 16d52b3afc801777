"""The city's duty list and negative list."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from jiayuan.core.services import create_audited, update_audited
from jiayuan.places.models import City

from .. import rules
from ..models import DutyItem
from ._common import DEFAULT_DUTIES, DEFAULT_NEGATIVES, _require, _text

# --- Duty list and negative list -------------------------------------------------------------------


def _next_position(city: City, list_: str) -> int:
    return (DutyItem.objects.filter(city=city, list=list_).aggregate(n=Max("position"))["n"] or 0) + 1


def _check_item(city: City, list_: str, text: str, errors: dict, *, exclude_pk: int | None = None) -> str:
    if list_ not in DutyItem.List.values:
        errors["list"] = _("The list is the duty list or the negative list, not %(value)s.") % {"value": list_}
    text = _text(text, "text", _("Write the item."), errors, limit=200)
    if text and "list" not in errors:
        clash = DutyItem.objects.filter(city=city, list=list_, text=text)
        if exclude_pk is not None:
            clash = clash.exclude(pk=exclude_pk)
        if clash.exists():
            errors["text"] = _("The list already has this item.")
    return text


@transaction.atomic
def duty_item_create(*, actor, city: City, list: str, text: str, position: int | None = None) -> DutyItem:  # noqa: A002
    _require(actor, rules.may_edit_duty_list, city)
    errors: dict = {}
    text = _check_item(city, list, text, errors)
    if position is not None and not 0 <= position <= 32767:
        errors["position"] = _("The position is a number from 0 to 32767.")
    if errors:
        raise ValidationError(errors)
    return create_audited(
        DutyItem,
        actor=actor,
        city=city,
        list=list,
        text=text,
        position=_next_position(city, list) if position is None else position,
    )


@transaction.atomic
def duty_item_update(*, actor, item: DutyItem, text: str, position: int, active: bool) -> DutyItem:
    """Change an item's wording, place or use. An item no longer in use stays in past rounds' results."""
    _require(actor, rules.may_edit_duty_list, item.city)
    item = DutyItem.objects.select_for_update().get(pk=item.pk)
    errors: dict = {}
    text = _check_item(item.city, item.list, text, errors, exclude_pk=item.pk)
    if position is None or not 0 <= position <= 32767:
        errors["position"] = _("The position is a number from 0 to 32767.")
    if errors:
        raise ValidationError(errors)
    return update_audited(item, actor=actor, text=text, position=position, active=bool(active))


@transaction.atomic
def default_duty_items(city: City, actor=None) -> list[DutyItem]:
    """Give a city without any list a sensible default duty list and negative list. Returns the items created."""
    _require(actor, rules.may_edit_duty_list, city)
    City.objects.select_for_update().filter(pk=city.pk).first()
    if DutyItem.objects.filter(city=city).exists():
        return []
    created = []
    for list_, texts in ((DutyItem.List.DUTY, DEFAULT_DUTIES), (DutyItem.List.NEGATIVE, DEFAULT_NEGATIVES)):
        for position, text in enumerate(texts, start=1):
            created.append(
                create_audited(
                    DutyItem,
                    actor=actor,
                    audit_note="default list",
                    city=city,
                    list=list_,
                    text=text,
                    position=position,
                )
            )
    return created
