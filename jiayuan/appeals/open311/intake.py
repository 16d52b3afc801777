"""POST Service Request: the form-encoded Open311 fields, turned into an appeal.

The appeal is recorded by appeals.services.appeal_submit (channel open311, no actor: the
api_key is the caller), so intake keeps every domain rule; this module only maps the
spec's parameters onto the service's arguments and its errors back onto the parameters.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models import CharField, F, Value
from django.db.models.functions import Length
from django.utils.translation import gettext as _

from jiayuan.places.models import Compound

from .. import services
from ..models import Appeal
from .formats import Open311Error
from .public import service_get

TITLE_LENGTH = 50
DESCRIPTION_LENGTH = 4000  # the spec's limit, and the appeal's
MEDIA_URL_LENGTH = 1000
# Which Open311 parameter a field of appeal_submit's errors came from.
PARAMETERS = {
    "category": "service_code",
    "channel": "service_code",
    "compound": "address_id",
    "building": "address_id",
    "room": "address_id",
    "title": "description",
    "description": "description",
    "latitude": "lat",
    "longitude": "long",
    "contact_name": "first_name",
    "contact_phone": "phone",
    "contact_email": "email",
    "photos": "media",
}
_CJK = re.compile(r"[\u3400-\u9fff]")


def _param(params, name: str) -> str:
    return (params.get(name) or "").strip()


def _named(name: str, message: str) -> str:
    return f"{name}: {message}"


def _compound_from_address(text: str) -> Compound:
    """The compound whose code is `text`, or the one whose name it contains (the longest name wins)."""
    compound = Compound.objects.filter(code=text).first()
    if compound is not None:
        return compound
    named = list(
        Compound.objects.alias(given=Value(text, output_field=CharField()), name_length=Length("name"))
        .filter(given__contains=F("name"))
        .order_by("-name_length", "code")[:10]
    )
    longest = [c for c in named if len(c.name) == len(named[0].name)] if named else []
    if len(longest) == 1:
        return longest[0]
    if not longest:
        message = _("No compound is named in %(text)s; send the compound's code as address_id.") % {"text": text}
    else:
        message = _("%(text)s could be any of %(codes)s; send the compound's code as address_id.") % {
            "text": text,
            "codes": ", ".join(c.code for c in longest),
        }
    raise Open311Error(400, _named("address_string", message))


def compound_for(params) -> Compound:
    """The compound from address_id, attribute[compound] or address_string, in that order."""
    for name in ("address_id", "attribute[compound]", "attribute[compound][]"):
        code = _param(params, name)
        if code:
            compound = Compound.objects.filter(code=code).first()
            if compound is None:
                raise Open311Error(
                    400, _named(name.removesuffix("[]"), _("No compound has the code %(code)s.") % {"code": code})
                )
            return compound
    text = _param(params, "address_string")
    if text:
        return _compound_from_address(text)
    if _param(params, "lat") or _param(params, "long"):
        raise Open311Error(
            400,
            _named(
                "address_id",
                _(
                    "This server cannot place lat/long in a compound; send the "
                    "compound's code as address_id or attribute[compound]."
                ),
            ),
        )
    raise Open311Error(
        400,
        _named(
            "address_id",
            _(
                "A location is required: address_id (the compound's code), "
                "attribute[compound], address_string, or lat and long."
            ),
        ),
    )


def _coordinate(params, name: str, limit: int) -> Decimal | None:
    raw = _param(params, name)
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise Open311Error(400, _named(name, _("%(value)s is not a number.") % {"value": raw})) from None
    if not value.is_finite() or abs(value) > limit:
        raise Open311Error(
            400, _named(name, _("%(value)s is outside -%(limit)s to %(limit)s.") % {"value": raw, "limit": limit})
        )
    return value.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)


def coordinates_for(params) -> tuple[Decimal | None, Decimal | None]:
    has_lat, has_long = bool(_param(params, "lat")), bool(_param(params, "long"))
    if not has_lat and not has_long:
        return None, None
    if has_lat != has_long:
        raise Open311Error(400, _named("lat" if not has_lat else "long", _("lat and long must be sent together.")))
    return _coordinate(params, "lat", 90), _coordinate(params, "long", 180)


def _full_name(first: str, last: str) -> str:
    """Chinese names read family name first, without a space; others read "first last"."""
    if _CJK.search(first + last):
        return f"{last}{first}"
    return " ".join(part for part in (first, last) if part)


def _media_url(params) -> str:
    url = _param(params, "media_url")
    if not url:
        return ""
    try:
        if len(url) > MEDIA_URL_LENGTH:
            raise ValidationError("too long")
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise Open311Error(
            400,
            _named(
                "media_url",
                _("Send an http or https address of at most %(length)s characters.") % {"length": MEDIA_URL_LENGTH},
            ),
        ) from None
    return url


def _description(params, category, compound) -> tuple[str, str]:
    """(title, description): the resident's text, then the Open311 fields the appeal has no column for."""
    text = (params.get("description") or "").strip() or category.name
    if len(text) > DESCRIPTION_LENGTH:
        message = _("The description has %(count)s characters; at most %(max)s are accepted.")
        raise Open311Error(400, _named("description", message % {"count": len(text), "max": DESCRIPTION_LENGTH}))
    first_line = next(line.strip() for line in text.splitlines() if line.strip())
    title = first_line if len(first_line) <= TITLE_LENGTH else first_line[: TITLE_LENGTH - 1] + "…"
    posted = []
    address = _param(params, "address_string").replace("\n", " ")
    if address and address != compound.code:
        posted.append(f"address_string: {address}")
    media_url = _media_url(params)
    if media_url:
        posted.append(f"media_url: {media_url}")
    return title, text + ("\n\n" + "\n".join(posted) if posted else "")


def _errors(exc: ValidationError) -> list[str]:
    if not hasattr(exc, "error_dict"):
        return [_named("service", message) for message in exc.messages]
    return [_named(PARAMETERS.get(field, field), " ".join(messages)) for field, messages in exc.message_dict.items()]


def submit(params, files=None) -> Appeal:
    """Record the appeal an Open311 client posted; Open311Error (400) names the bad parameter."""
    code = _param(params, "service_code")
    if not code:
        raise Open311Error(400, _named("service_code", _("service_code was not provided.")))
    category = service_get(code)
    if category is None:
        raise Open311Error(
            400, _named("service_code", _("%(code)s is not one of the services; see services.xml.") % {"code": code})
        )
    compound = compound_for(params)
    latitude, longitude = coordinates_for(params)
    title, description = _description(params, category, compound)
    try:
        return services.appeal_submit(
            actor=None,
            channel=Appeal.Channel.OPEN311,
            category=category,
            title=title,
            description=description,
            compound=compound,
            latitude=latitude,
            longitude=longitude,
            contact_name=_full_name(_param(params, "first_name"), _param(params, "last_name")),
            contact_phone=_param(params, "phone"),
            contact_email=_param(params, "email"),
            photos=files.getlist("media") if files is not None else (),
        )
    except ValidationError as exc:
        raise Open311Error(400, *_errors(exc)) from exc


def service_notice(appeal: Appeal) -> str:
    return _("Received. %(unit)s handles it first and answers by %(date)s.") % {
        "unit": appeal.unit.name,
        "date": appeal.deadline.isoformat(),
    }
