"""The GeoReport v2 resources. Each view answers in the format its URL ends with."""

from __future__ import annotations

import datetime as dt
import re
from functools import wraps

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from .. import apikeys
from ..models import Appeal
from . import intake, public
from .formats import FORMATS, Open311Error, render, render_error

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-03-01 00:00"  # when this endpoint's resources last changed shape
WINDOW = dt.timedelta(days=90)
STATUSES = ("open", "closed")


def resource(*methods: str):
    """An Open311 resource: the format from the URL, CSRF off (the api_key authenticates a POST),
    and every failure in the standard error format."""
    allowed = set(methods) | ({"HEAD"} if "GET" in methods else set())

    def decorate(view):
        @csrf_exempt
        @wraps(view)
        def wrapper(request, fmt: str, **kwargs):
            fmt = fmt.lower()
            try:
                if fmt not in FORMATS:
                    raise Open311Error(400, "format: " + _("%(fmt)s is not offered; use json or xml.") % {"fmt": fmt})
                if request.method not in allowed:
                    raise Open311Error(
                        405,
                        _("%(method)s is not allowed here; use %(allowed)s.")
                        % {"method": request.method, "allowed": ", ".join(methods)},
                    )
                return view(request, fmt, **kwargs)
            except Open311Error as error:
                response = render_error(error, fmt=fmt)
                if error.status == 405:
                    response["Allow"] = ", ".join(sorted(allowed))
                return response

        return wrapper

    return decorate


# Dates a request can be asked about; beyond them the 90-day window would overflow the calendar.
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100


def _reader_key(request):
    """The API key a GET names (its reader reads in full), None without one; a bad key is refused."""
    raw = request.GET.get("api_key", "").strip()
    if not raw:
        return None
    key = apikeys.apikey_check(raw)
    if key is None:
        raise Open311Error(403, "api_key: " + _("Invalid api_key received."))
    return key


def _values(request, name: str) -> list[str]:
    """A parameter that may be comma delimited and declared several times."""
    return [part.strip() for raw in request.GET.getlist(name) for part in raw.split(",") if part.strip()]


def _moment(raw: str, name: str) -> dt.datetime:
    """A w3 date or datetime; without a zone it is read in the platform's zone."""
    text = re.sub(r" (\d{2}:?\d{2})$", r"+\1", raw.strip())  # a '+' that arrived unencoded as a space
    try:
        value = parse_datetime(text)
        if value is None:
            day = parse_date(text)
            value = dt.datetime.combine(day, dt.time.min) if day else None
    except ValueError:
        value = None
    if value is None:
        message = _("%(value)s is not a w3 date and time such as 2026-03-01T00:00:00+08:00.") % {"value": raw}
        raise Open311Error(400, f"{name}: {message}")
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        message = _("%(value)s is outside the years %(first)s to %(last)s.") % {
            "value": raw,
            "first": EARLIEST_YEAR,
            "last": LATEST_YEAR,
        }
        raise Open311Error(400, f"{name}: {message}")
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _window(request) -> tuple[dt.datetime, dt.datetime]:
    start_raw, end_raw = request.GET.get("start_date", "").strip(), request.GET.get("end_date", "").strip()
    start = _moment(start_raw, "start_date") if start_raw else None
    end = _moment(end_raw, "end_date") if end_raw else None
    if start and end:
        if end < start:
            raise Open311Error(400, "end_date: " + _("end_date is before start_date."))
        if end - start > WINDOW:
            raise Open311Error(400, "end_date: " + _("start_date and end_date may not span more than 90 days."))
        return start, end
    if start:
        return start, start + WINDOW
    end = end or timezone.now()
    return end - WINDOW, end


@resource("GET")
def discovery(request, fmt):
    base = request.build_absolute_uri("./").rstrip("/")
    return render(
        {
            "changeset": CHANGESET,
            "contact": _("Questions about this service go to the city's appeals office."),
            "key_service": _("API keys for posting requests are issued by the platform's administrators."),
            "endpoints": [
                {
                    "specification": SPECIFICATION,
                    "url": base,
                    "changeset": CHANGESET,
                    "type": "production",
                    "formats": ["text/xml", "application/json"],
                }
            ],
        },
        fmt=fmt,
        root="discovery",
    )


@resource("GET")
def services(request, fmt):
    records = [public.service_record(category) for category in public.service_categories()]
    return render(records, fmt=fmt, root="services", item="service")


@resource("GET")
def service_definition(request, fmt, code):
    category = public.service_get(code)
    if category is None:
        raise Open311Error(404, "service_code: " + _("%(code)s was not found.") % {"code": code})
    return render(public.service_definition(category), fmt=fmt, root="service_definition")


@resource("GET", "POST")
def service_requests(request, fmt):
    if request.method == "POST":
        return _create(request, fmt)
    key = _reader_key(request)
    queryset = public.readable_requests(key)
    numbers = _values(request, "service_request_id")
    if numbers:
        queryset = public.filter_requests(queryset, numbers=numbers)
    else:
        statuses = _values(request, "status")
        unknown = [status for status in statuses if status not in STATUSES]
        if unknown:
            raise Open311Error(400, "status: " + _("%(value)s is not open or closed.") % {"value": ", ".join(unknown)})
        start, end = _window(request)
        queryset = public.filter_requests(
            queryset, service_codes=_values(request, "service_code"), start=start, end=end, statuses=statuses
        )
    records = [public.request_record(appeal, full=key is not None) for appeal in queryset[: public.MAX_REQUESTS]]
    return render(records, fmt=fmt, root="service_requests", item="request")


def _create(request, fmt):
    key = request.POST.get("api_key") or request.GET.get("api_key")
    if not key:
        raise Open311Error(403, "api_key: " + _("api_key was not provided; a key is needed to post a request."))
    record = apikeys.apikey_check(key)
    if record is None:
        raise Open311Error(403, "api_key: " + _("Invalid api_key received; the request was not created."))
    with transaction.atomic():
        appeal = intake.submit(request.POST, request.FILES)
        Appeal.objects.filter(pk=appeal.pk).update(api_key=record)  # the key always reads back what it posted
    return render(
        [
            {
                "service_request_id": appeal.number,
                "service_notice": intake.service_notice(appeal),
                "account_id": None,
            }
        ],
        fmt=fmt,
        root="service_requests",
        item="request",
    )


@resource("GET")
def request_detail(request, fmt, number):
    key = _reader_key(request)
    appeal = public.filter_requests(public.readable_requests(key), numbers=[number]).first()
    if appeal is None:
        raise Open311Error(404, "service_request_id: " + _("%(id)s was not found.") % {"id": number})
    return render(
        [public.request_record(appeal, full=key is not None)], fmt=fmt, root="service_requests", item="request"
    )


@resource("GET")
def token(request, fmt, token):
    """Every service is realtime, so a POST answers with the service_request_id itself; the
    token of a request is its service_request_id, and this resolves it to itself."""
    if not public.readable_requests(_reader_key(request)).filter(number=token).exists():
        raise Open311Error(404, "token: " + _("%(token)s was not found.") % {"token": token})
    return render([{"service_request_id": token, "token": token}], fmt=fmt, root="service_requests", item="request")
