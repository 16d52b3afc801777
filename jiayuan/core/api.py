"""Shared API pieces: error format, pagination, scope guards, and the /me endpoint.

Every error that concerns the input answers 422 with one shape, whether it comes from
Ninja's schema validation or from a service:

    {"detail": [{"field": "seats", "message": "..."}]}
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from typing import Annotated, get_type_hints

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DataError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.errors import HttpError
from ninja.errors import ValidationError as SchemaValidationError
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import AfterValidator

from .scope import scope_for

MAX_PAGE_SIZE = 200
# Dates the platform takes: a meeting in the year 339 or 9999 is a typing mistake, answered 422.
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100


def _sane_year(value):
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValueError(
            _("must be between the years %(first)s and %(last)s") % {"first": EARLIEST_YEAR, "last": LATEST_YEAR}
        )
    return value


SaneDate = Annotated[dt.date, AfterValidator(_sane_year)]
SaneDateTime = Annotated[dt.datetime, AfterValidator(_sane_year)]
# The largest value a database bigint column holds: ids and offsets beyond it are a 422, not an overflow.
MAX_DB_INT = 2**63 - 1
DbId = Annotated[int, Field(ge=1, le=MAX_DB_INT, description="A record's id.")]
DEFAULT_PAGE_SIZE = 50
# Where Ninja says an input came from; the first element of an error's `loc`.
_PARAM_SOURCES = {"body", "query", "path", "form", "file", "header", "cookie"}


def validation_messages(exc: ValidationError) -> list[dict]:
    """[{field, message}] from a Django ValidationError, field '__all__' for non-field errors."""
    if hasattr(exc, "error_dict"):
        return [
            {"field": field, "message": str(message)}
            for field, errors in exc.message_dict.items()
            for message in errors
        ]
    return [{"field": "__all__", "message": str(message)} for message in exc.messages]


def schema_error_field(loc) -> str:
    """The input field an error from Ninja's schema validation is about.

    `loc` is ("body", "payload", "area") for a field of a body schema named `payload`,
    ("query", "limit") for a query parameter, ("path", "id") for a path parameter.
    """
    parts = [str(part) for part in loc]
    if parts and parts[0] in _PARAM_SOURCES:
        source, parts = parts[0], parts[1:]
        if source == "body" and len(parts) > 1:
            parts = parts[1:]  # the name of the body parameter itself
        if not parts:
            return source
    return ".".join(parts) or "__all__"


def schema_messages(exc: SchemaValidationError) -> list[dict]:
    return [
        {"field": schema_error_field(error.get("loc", ())), "message": str(error.get("msg", ""))}
        for error in exc.errors
    ]


def register_error_handlers(api):
    @api.exception_handler(ValidationError)
    def on_validation_error(request, exc):
        return api.create_response(request, {"detail": validation_messages(exc)}, status=422)

    @api.exception_handler(SchemaValidationError)
    def on_schema_validation_error(request, exc):
        return api.create_response(request, {"detail": schema_messages(exc)}, status=422)

    @api.exception_handler(HttpError)
    def on_http_error(request, exc):
        # Refusals (403), conflicts (409) and CSRF failures in the same shape as every other error.
        return api.create_response(
            request, {"detail": [{"field": "__all__", "message": str(exc)}]}, status=exc.status_code
        )

    @api.exception_handler(OverflowError)
    @api.exception_handler(DataError)
    def on_out_of_range(request, exc):
        # A number in a request body larger than the database holds (query and path ids are bounded by DbId).
        message = _("A number in the request is larger than the platform can store.")
        return api.create_response(request, {"detail": [{"field": "__all__", "message": message}]}, status=422)

    @api.exception_handler(Http404)
    def on_not_found(request, exc):
        return api.create_response(request, {"detail": "Not found"}, status=404)


@contextmanager
def api_field_names(**names):
    """Rename the fields of a service's ValidationError to the names the API takes.

    with api_field_names(building="building_id"):
        post_assign(..., building=building)
    """
    try:
        yield
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        raise ValidationError({names.get(field, field): errors for field, errors in exc.error_dict.items()}) from exc


@contextmanager
def service_call(**names):
    """Call a service: its field errors renamed to the API's names (see api_field_names), a refusal
    (PermissionDenied) answered 403."""
    try:
        with api_field_names(**names):
            yield
    except PermissionDenied as exc:
        raise HttpError(403, str(exc) or _("You may not do this.")) from exc


def visible_or_422(queryset, pk: int | None, field: str):
    """The object `pk` names among those the viewer may use (None when no id was given); else a 422 naming
    the field, so an id outside the viewer's scope reads like one that does not exist."""
    if pk is None:
        return None
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: _("There is no such record that you may use here (id %(id)s).") % {"id": pk}})
    return found


class Pagination(LimitOffsetPagination):
    """limit/offset pagination; a page holds at most MAX_PAGE_SIZE rows."""

    class Input(Schema):
        limit: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)
        offset: int = Field(0, ge=0, le=MAX_DB_INT)

    def __init__(self, **kwargs):
        super().__init__(max_limit=MAX_PAGE_SIZE, **kwargs)


def paginated(func):
    """Decorate a list operation returning a scoped queryset: {"items": [...], "count": n}."""
    # Ninja reads the wrapped function's annotations in its own module; resolve them here first, where
    # the names they use (DbId) are known.
    func.__annotations__ = get_type_hints(func, include_extras=True)
    return paginate(Pagination)(func)


def require_staff_scope(viewer) -> None:
    """Writes and staff tools need a scope beyond one's own household; anyone else gets 404."""
    if not scope_for(viewer).is_staff_scope:
        raise Http404
