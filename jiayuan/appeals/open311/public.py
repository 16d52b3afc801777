"""Reads for Open311: the service catalogue and the public face of appeals.

Open311 is a public window, the same for every caller, so these reads take no viewer:
they return only what may be shown to anyone (see the package docstring for the list).
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from jiayuan.core.identity import mask_free_text
from jiayuan.places.models import Compound

from .. import selectors, workflow
from ..models import Appeal, AppealEvent, Category

MAX_REQUESTS = 1000
# Above this many compounds the `compound` attribute is a free code, not a pick list.
COMPOUND_LIST_LIMIT = 2000
# Lat/long are published to about 100 m: the compound, not the household.
COORDINATE_STEP = Decimal("0.001")
# What an Open311 POST adds at the end of an appeal's description: `name: value` lines after
# a blank line. Staff see them; the public description stops before them.
POSTED_FIELDS = ("address_string", "media_url")
_POSTED_BLOCK = re.compile(r"\n\n((?:(?:" + "|".join(POSTED_FIELDS) + r"): [^\n]*\n?)+)\Z")


def _zone():
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def w3_datetime(value: dt.datetime | None) -> str | None:
    """ISO 8601 with the UTC offset of the platform's zone, e.g. 2026-03-02T09:30:00+08:00."""
    if value is None:
        return None
    return value.astimezone(_zone()).isoformat(timespec="seconds")


def end_of_day(day: dt.date | None) -> str | None:
    if day is None:
        return None
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=_zone()).isoformat(timespec="seconds")


def public_status(status: str) -> str:
    return "closed" if status in workflow.PUBLIC_CLOSED else "open"


# --- services -------------------------------------------------------------------------


def service_categories():
    """The services: the categories a problem can be reported under."""
    return selectors.usable_categories()


def service_get(code: str) -> Category | None:
    return service_categories().filter(code=code).first()


def _chain(category: Category) -> list[Category]:
    chain, node = [], category
    while node is not None:
        chain.append(node)
        node = node.parent
    return list(reversed(chain))


def service_record(category: Category) -> dict:
    chain = _chain(category)
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.path,
        "metadata": True,
        "type": "realtime",
        "keywords": ", ".join(node.name for node in chain),
        "group": chain[0].name,
    }


def _compound_label(compound: Compound) -> str:
    community = compound.community
    return f"{compound.name}（{community.name}，{community.town.name}）"


def service_definition(category: Category) -> dict:
    """The one attribute every service has: the compound the problem is in.

    A client may instead send the compound's code as address_id, or an address_string
    that names the compound.
    """
    compounds = Compound.objects.select_related("community__town").order_by("code")
    as_list = compounds.count() <= COMPOUND_LIST_LIMIT
    attribute = {
        "variable": True,
        "code": "compound",
        "datatype": "singlevaluelist" if as_list else "string",
        "required": False,
        "datatype_description": _("Choose the compound from the list.") if as_list else _("The compound's code."),
        "order": 1,
        "description": _(
            "Which residential compound is the problem in? Needed unless address_id is the "
            "compound's code or address_string contains the compound's name."
        ),
    }
    if as_list:
        attribute["values"] = [{"key": c.code, "name": _compound_label(c)} for c in compounds]
    return {"service_code": category.code, "attributes": [attribute]}


# --- requests --------------------------------------------------------------------------


def _latest_public_event(field: str):
    """A field of the latest event shown to residents (a rating is the resident's own, not public)."""
    events = AppealEvent.objects.filter(appeal=OuterRef("pk"), public=True).exclude(action="rate")
    return Subquery(events.order_by("-at", "-id").values(field)[:1])


def readable_requests(key=None):
    """The appeals a caller may read: without a key only those marked public; a key reads its region's
    (a town, or the whole city) and always the requests it posted itself."""
    queryset = public_requests()
    if key is None:
        return queryset.filter(public=True)
    if key.town_id is None:
        return queryset
    return queryset.filter(Q(compound__community__town_id=key.town_id) | Q(api_key=key))


def public_requests():
    """Every appeal, with what its public record needs, newest first."""
    return (
        Appeal.objects.select_related("category", "unit", "compound__community__town__city")
        .annotate(
            public_event_at=_latest_public_event("at"),
            public_event_action=_latest_public_event("action"),
            public_event_status=_latest_public_event("to_status"),
            public_event_reason=_latest_public_event("reason"),
        )
        .order_by("-received_at", "-id")
    )


def filter_requests(queryset, *, numbers=None, service_codes=None, start=None, end=None, statuses=None):
    """The GET requests filters; `numbers` (service_request_id) overrides all the others."""
    if numbers:
        return queryset.filter(number__in=numbers)
    if service_codes:
        queryset = queryset.filter(category__code__in=service_codes)
    if start is not None:
        queryset = queryset.filter(received_at__gte=start)
    if end is not None:
        queryset = queryset.filter(received_at__lte=end)
    if statuses and set(statuses) != {"open", "closed"}:
        closed = Q(status__in=workflow.PUBLIC_CLOSED)
        queryset = queryset.filter(closed if "closed" in statuses else ~closed)
    return queryset


def split_description(description: str) -> tuple[str, dict[str, str]]:
    """(the resident's own text, the fields an Open311 POST appended to it)."""
    match = _POSTED_BLOCK.search(description or "")
    if not match:
        return description or "", {}
    fields = dict(line.split(": ", 1) for line in match.group(1).splitlines() if line)
    return description[: match.start()], fields


def _coordinate(value: Decimal | None) -> float | None:
    return None if value is None else float(value.quantize(COORDINATE_STEP, rounding=ROUND_HALF_UP))


def _address(compound: Compound) -> str:
    community = compound.community
    parts = [compound.name, compound.address, community.name, community.town.name, community.town.city.name]
    return ", ".join(part for part in parts if part)


def _status_label(status: str) -> str:
    return str(Appeal.Status(status).label) if status in Appeal.Status.values else status


def _status_notes(appeal: Appeal) -> str:
    status = getattr(appeal, "public_event_status", None) or appeal.status
    reason = (getattr(appeal, "public_event_reason", None) or "").strip()
    reason = mask_free_text(reason)
    label = _status_label(status)
    return f"{label}: {reason}" if reason else label


def _record_frame(appeal: Appeal) -> dict:
    return {
        "service_request_id": appeal.number,
        "status": public_status(appeal.status),
        "service_name": appeal.category.name,
        "service_code": appeal.category.code,
        "agency_responsible": appeal.unit.name,
        "service_notice": None,
        "requested_datetime": w3_datetime(appeal.received_at),
        "updated_datetime": w3_datetime(getattr(appeal, "public_event_at", None) or appeal.received_at),
        "expected_datetime": end_of_day(appeal.deadline),
        "address_id": appeal.compound.code,
        "zipcode": None,
    }


def request_record(appeal: Appeal, *, full: bool = True) -> dict:
    """The GeoReport v2 <request> for an appeal, never contact data. `full` (an API key's reader): the
    resident's text with personal numbers masked. Otherwise (anyone): nothing that identifies a household,
    the category, the compound and the summary staff wrote when they made it public; no coordinates."""
    text, posted = split_description(appeal.description)
    if not full:
        summary = mask_free_text(appeal.public_summary)
        return {
            **_record_frame(appeal),
            "status_notes": _status_label(appeal.public_event_status or appeal.status),
            "description": " · ".join(part for part in (appeal.category.path, appeal.compound.name, summary) if part),
            "address": _address(appeal.compound),
            "lat": None,
            "long": None,
            "media_url": None,
        }
    return {
        "service_request_id": appeal.number,
        "status": public_status(appeal.status),
        "status_notes": _status_notes(appeal),
        "service_name": appeal.category.name,
        "service_code": appeal.category.code,
        "description": mask_free_text(text),
        "agency_responsible": appeal.unit.name,
        "service_notice": None,
        "requested_datetime": w3_datetime(appeal.received_at),
        "updated_datetime": w3_datetime(getattr(appeal, "public_event_at", None) or appeal.received_at),
        "expected_datetime": end_of_day(appeal.deadline),
        "address": _address(appeal.compound),
        "address_id": appeal.compound.code,
        "zipcode": None,
        "lat": _coordinate(appeal.latitude),
        "long": _coordinate(appeal.longitude),
        "media_url": posted.get("media_url"),
    }
