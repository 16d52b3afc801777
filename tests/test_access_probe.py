"""The access probe: the demo city attacked by each of its logins, over every URL that takes an object id.

The URL patterns are read from Django's resolver (pages, JSON API, exports, downloads, history, Open311,
the admin), so a new page is probed without anyone adding it here. For every pattern and every login it
requests objects of other scopes and the same URL with ids that do not exist: the two must answer alike
(404 for a read), so nobody can tell a foreign row from a missing one. Lists and exports must hold only
rows in scope, and no answer may carry an ID or phone number in clear unless the viewer may see it. The
writes that change who holds power (posts, areas, reviews) are tried by every login, and must succeed
exactly where the rules say.

Which objects are "of another scope" is decided here, not by the code under test: an object belongs to
the compounds it is tied to by its foreign keys (a town or community to the compounds in it, a person to
the compounds of their rooms and posts; departments, property companies and developers are public
registers), and it is foreign to a login when none of those compounds is
one the login's posts or household reach. JIAYUAN_PROBE_SAMPLES (default 2) sets how many foreign
objects each pattern is tried with per login; the counts are printed at the end.
"""

from __future__ import annotations

import io
import json
import logging
import os
import re
from collections import Counter, defaultdict
from functools import cache

import openpyxl
import pytest
from django.apps import apps
from django.db import transaction
from django.db.models import Q
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone

from jiayuan import demo
from jiayuan.appeals import actions as appeal_actions
from jiayuan.appeals import apikeys
from jiayuan.appeals.models import Appeal, Notification
from jiayuan.appeals.services import appeal_set_public
from jiayuan.config.api import api as json_api
from jiayuan.core.models import Job, User
from jiayuan.core.scope import scope_for
from jiayuan.elections.models import Review
from jiayuan.elections.rules import acts_for
from jiayuan.elections.steps import API_STEPS, PAGE_STEPS
from jiayuan.organisations.models import DepartmentLink, Organisation, Post, ServiceContract
from jiayuan.organisations.rules import may_assign
from jiayuan.organisations.selectors import PUBLIC_KINDS
from jiayuan.outreach.models import Visitor
from jiayuan.people.models import Ownership, PartyMembership, Person, Residency
from jiayuan.places.models import Community, Compound, Room, Town
from jiayuan.places.rules import may_edit_compound
from jiayuan.rosters.selectors import EXPORT_TITLES
from jiayuan.testing import settle

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

PASSWORD = "probe-2026"
SAMPLES = int(os.environ.get("JIAYUAN_PROBE_SAMPLES", "2"))
MISSING_ID = 999_999_999
COUNTS: Counter[str] = Counter()

# The literal path segment before an id names the model the id is of.
SEGMENT_MODELS = {
    "towns": "places.Town",
    "communities": "places.Community",
    "compounds": "places.Compound",
    "buildings": "places.Building",
    "rooms": "places.Room",
    "people": "people.Person",
    "organisations": "organisations.Organisation",
    "committees": "organisations.Organisation",
    "appeals": "appeals.Appeal",
    "photos": "appeals.AppealPhoto",
    "notifications": "appeals.Notification",
    "reception": "outreach.ReceptionSession",
    "sessions": "outreach.ReceptionSession",
    "links": "organisations.DepartmentLink",
    "service-records": "outreach.ServiceRecord",
    "disputes": "outreach.Dispute",
    "duty-items": "committees.DutyItem",
    "items": "committees.DutyItem",
    "inspections": "committees.SelfInspection",
    "tasks": "committees.RectificationTask",
    "campaigns": "elections.Campaign",
    "candidates": "elections.Candidate",
    "objections": "elections.Objection",
    "reviews": "elections.Review",
    "meetings": "elections.GeneralMeeting",
    "ballots": "elections.Ballot",
    "motions": "elections.Motion",
    "paper-ballots": "elections.Ballot",
    "jobs": "core.Job",
}
# Path parameters that are not a row's primary key: the field of the row they carry.
KEY_FIELDS = {("elections.Motion", "number"): "number", ("elections.Ballot", "number"): "paper_number"}
# Parameters that are not ids: every value the view accepts is tried.
WORDS = {
    "appeals:appeal_act": {"action": list(appeal_actions.ACTIONS)},
    "api:appeal_act": {"action": list(appeal_actions.ACTIONS)},
    "elections:campaign_step": {"step": list(PAGE_STEPS)},
    "api:campaign_act": {"action": list(API_STEPS)},
    "outreach:dispute_act": {"action": ["mediate", "resolve", "escalate"]},
    "elections:meeting_tally_files": {"kind": ["rooms", "ballots"]},
    "history": {},  # object_type and object_id are filled from the leaf object
}
# Models whose rows are tied to no compound (the city's catalogue): nobody is foreign to them.
CITYWIDE = {"committees.DutyItem"}
PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def walk(resolver=None, prefix="", namespace=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), f"{namespace}{entry.name or ''}"


def id_routes():
    """(route, name, [(param, model label or word)]) of every pattern with a parameter."""
    routes = []
    for route, name in walk():
        if route.startswith("admin/") or route.startswith("open311/"):
            continue
        params = []
        for match in PARAM.finditer(route):
            param = match.group("name")
            before = route[: match.start()].rstrip("/").rsplit("/", 1)[-1]
            if param in WORDS.get(name, {}) or name == "history":
                params.append((param, None))
            elif before in SEGMENT_MODELS:
                params.append((param, SEGMENT_MODELS[before]))
            elif name in (
                "rosters:template",
                "rosters:export",
                "api:import_roster",
                "api:roster_template",
                "api:roster_export",
            ):
                params.append((param, None))  # the roster kind: probed as an export below
            else:
                pytest.fail(
                    f"{route}: the probe cannot tell what <{param}> is; add its path segment "
                    f"{before!r} to SEGMENT_MODELS or the parameter to WORDS"
                )
        if params:
            routes.append((route, name, params))
    return routes


# --- the oracle: which compounds an object belongs to ------------------------------------------

SCOPE_BEARING = {
    "places.Compound",
    "places.Building",
    "places.Unit",
    "places.Room",
    "places.Community",
    "places.Town",
    "organisations.Organisation",
    "appeals.Appeal",
    "elections.Campaign",
    "elections.Candidate",
    "elections.GeneralMeeting",
    "elections.Motion",
    "elections.Voter",
    "outreach.ReceptionSession",
    "outreach.Visitor",
    "organisations.DepartmentLink",
    "committees.SelfInspection",
    "committees.InspectionResult",
    "committees.Evaluation",
    "outreach.Dispute",
    "people.PartyMembership",
}


@cache
def compounds_of(label: str, pk: int) -> frozenset[int]:
    model = apps.get_model(label)
    if model is Compound:
        return frozenset({pk})
    if model is Town:
        return frozenset(Compound.objects.filter(community__town_id=pk).values_list("pk", flat=True))
    if model is Community:
        return frozenset(Compound.objects.filter(community_id=pk).values_list("pk", flat=True))
    if model is Person:
        return person_compounds(pk)
    if model is Organisation:
        org = Organisation.objects.get(pk=pk)
        if org.kind in PUBLIC_KINDS:
            return frozenset()  # departments, property companies and developers are public registers
        ids = set(org.compounds.values_list("pk", flat=True))
        ids |= set(ServiceContract.objects.filter(company=org).values_list("compound_id", flat=True))
        ids |= set(Compound.objects.filter(developer=org).values_list("pk", flat=True))
        if org.community_id:
            ids |= compounds_of("places.Community", org.community_id)
        elif org.town_id:
            ids |= compounds_of("places.Town", org.town_id)
        return frozenset(ids)
    obj = model.objects.get(pk=pk)
    ids = set()
    for field in model._meta.concrete_fields:
        if field.is_relation and field.related_model._meta.label in SCOPE_BEARING:
            value = getattr(obj, field.attname)
            if value is not None:
                ids |= compounds_of(field.related_model._meta.label, value)
    return frozenset(ids)


def person_compounds(pk: int) -> frozenset[int]:
    rooms = set(Ownership.objects.filter(person_id=pk).values_list("room_id", flat=True))
    rooms |= set(Residency.objects.filter(person_id=pk).values_list("room_id", flat=True))
    ids = set(Room.objects.filter(pk__in=rooms).values_list("unit__building__compound_id", flat=True))
    for post in Post.objects.filter(person_id=pk):
        if post.compound_id:
            ids.add(post.compound_id)
        elif post.building_id:
            ids |= compounds_of("places.Building", post.building_id)
        else:
            ids |= compounds_of("organisations.Organisation", post.organisation_id)
    for membership in PartyMembership.objects.filter(person_id=pk).values_list("pk", flat=True):
        ids |= compounds_of("people.PartyMembership", membership)
    return frozenset(ids)


class Login:
    """One demo login and the compounds its posts, household and department work reach."""

    def __init__(self, user: User):
        self.user = user
        self.scope = scope = scope_for(user)
        self.everything = scope.everything
        reach = (
            set(Compound.objects.filter(scope.compounds_q()).values_list("pk", flat=True))
            if (scope.is_staff_scope)
            else set()
        )
        reach |= set(Room.objects.filter(pk__in=scope.room_ids).values_list("unit__building__compound_id", flat=True))
        if scope.department_ids:
            departments = list(scope.department_ids)
            reach |= set(
                Appeal.objects.filter(
                    Q(unit_id__in=departments) | Q(first_unit_id__in=departments) | Q(events__unit_id__in=departments)
                ).values_list("compound_id", flat=True)
            )
            reach |= set(
                DepartmentLink.objects.filter(department_id__in=departments).values_list("compound_id", flat=True)
            )
            reach |= set(
                Review.objects.filter(body__department_id__in=departments).values_list(
                    "candidate__campaign__compound_id", flat=True
                )
            )
        if user.person_id:
            reach |= person_compounds(user.person_id)
        self.reach = frozenset(reach)
        self.client = Client()
        self.client.force_login(user)

    def foreign(self, label: str, pk: int) -> bool:
        if label == "core.Job":  # a background job is its starter's alone, the city's administrator's too
            return not Job.objects.filter(pk=pk, owner=self.user).exists()
        if self.everything or label in CITYWIDE:
            return False
        if label == "appeals.Notification":
            return not Notification.objects.filter(pk=pk, user=self.user).exists()
        if label == "people.Person" and pk == self.user.person_id:
            return False
        held = compounds_of(label, pk)
        return bool(held) and not (held & self.reach)


@cache
def spread(label: str, size: int = 60) -> tuple[int, ...]:
    """Primary keys spread over the whole table, the same every run."""
    ids = list(apps.get_model(label).objects.order_by("pk").values_list("pk", flat=True))
    step = max(1, len(ids) // size)
    return tuple(ids[::step][:size])


def parent_value(leaf_label: str, leaf_pk: int, parent_label: str, param: str):
    """The value of a parent parameter (the campaign of a candidate, the meeting of a ballot)."""
    if leaf_label == parent_label:
        key = KEY_FIELDS.get((leaf_label, param), "pk")
        return apps.get_model(leaf_label).objects.values_list(key, flat=True).get(pk=leaf_pk)
    path = fk_path(apps.get_model(leaf_label), apps.get_model(parent_label))
    return apps.get_model(leaf_label).objects.values_list(f"{path}_id", flat=True).get(pk=leaf_pk)


@cache
def fk_path(model, target, depth: int = 3) -> str:
    """The shortest chain of foreign keys from `model` to `target`, as a lookup."""
    frontier = [(model, "")]
    for _ in range(depth):
        following = []
        for current, path in frontier:
            for field in current._meta.concrete_fields:
                if field.is_relation and field.many_to_one:
                    lookup = f"{path}__{field.name}" if path else field.name
                    if field.related_model is target:
                        return lookup
                    following.append((field.related_model, lookup))
        frontier = following
    raise AssertionError(f"no foreign-key path from {model.__name__} to {target.__name__}")


def fill(route: str, values: dict) -> str:
    return "/" + PARAM.sub(lambda m: str(values[m.group("name")]), route)


# --- what an answer may not carry ----------------------------------------------------------------

NUMBER_SHAPE = re.compile(r"(?<![\dXx])(?:\d{17}[\dXx]|1[3-9]\d{9})(?![\dXx])")


@pytest.fixture(scope="module")
def city(django_db_setup, django_db_blocker, summary_line):
    """The demo city, built once for the module and rolled back after it, with every personal number."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            demo.build_demo(seed=demo.DEFAULT_SEED, password=PASSWORD)
            numbers = defaultdict(set)  # number -> person ids it belongs to (None: not a person's own)
            for person in Person.objects.all():
                for number in (person.id_number, person.phone):
                    if number:
                        numbers[number].add(person.pk)
            for appeal in Appeal.objects.exclude(contact_phone=""):
                numbers[appeal.contact_phone].add(appeal.reporter_id)
            for visitor in Visitor.objects.exclude(phone=""):
                numbers[visitor.phone].add(visitor.person_id)
            logins = [Login(user) for user in User.objects.order_by("username")]
            for login in logins[::3]:  # finished exports of some logins, for the job pages
                Job.objects.create(
                    kind="rosters.export",
                    owner=login.user,
                    title="probe",
                    status=Job.Status.DONE,
                    result=b"x",
                    result_name="probe.xlsx",
                )
            requests_log = logging.getLogger("django.request")
            level, requests_log.level = requests_log.level, logging.ERROR  # thousands of 404 lines otherwise
            yield {"numbers": numbers, "logins": logins}
        finally:
            requests_log.setLevel(level)
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
    summary_line(
        f"Access probe: {COUNTS['requests']} requests over {COUNTS['patterns']} URL patterns with an id "
        f"({COUNTS['foreign']} foreign objects, {COUNTS['missing']} missing ids, {COUNTS['own']} own objects), "
        f"{COUNTS['list_rows']} list rows, {COUNTS['links']} links and {COUNTS['export_rows']} exported rows checked "
        f"in scope, "
        f"{COUNTS['writes']} power-changing writes tried"
    )


def assert_no_clear_numbers(login: Login, url: str, body: str, numbers) -> None:
    if login.everything:
        return
    for number in set(NUMBER_SHAPE.findall(body)):
        owners = numbers.get(number)
        if owners and login.user.person_id not in owners:
            pytest.fail(f"{login.user.username} sees the personal number {number} in clear at {url}")


def send(login: Login, method: str, url: str, body=None):
    COUNTS["requests"] += 1
    if body is None:
        return getattr(login.client, method)(url)
    return getattr(login.client, method)(url, data=json.dumps(body), content_type="application/json")


# --- request bodies: the smallest instance the OpenAPI schema accepts ----------------------------


@cache
def openapi():
    return json_api.get_openapi_schema(path_prefix="/api/v1")


def minimal(schema: dict):
    document = openapi()
    if "$ref" in schema:
        return minimal(document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]])
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"]
            return minimal(options[0]) if options else None
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        return {
            name: minimal(prop)
            for name, prop in schema.get("properties", {}).items()
            if name in schema.get("required", [])
        }
    if kind == "array":
        return [minimal(schema["items"])] * schema.get("minItems", 0)
    if kind == "integer":
        return max(schema.get("minimum", 1), 1)
    if kind == "number":
        return 1
    if kind == "boolean":
        return False
    return {"date": "2026-06-01", "date-time": "2026-06-01T10:00:00+08:00"}.get(schema.get("format"), "probe")


def api_methods(route: str) -> list[tuple[str, object]]:
    """(method, JSON body or None) of every operation the OpenAPI document has on the route."""
    path = "/" + PARAM.sub(lambda m: "{" + m.group("name") + "}", route)
    operations = openapi()["paths"].get(path)
    assert operations is not None, f"{path} is routed but not in the OpenAPI document"
    methods = []
    for method, operation in operations.items():
        content = operation.get("requestBody", {}).get("content", {})
        body = minimal(content["application/json"]["schema"]) if "application/json" in content else None
        methods.append((method, body if method != "get" else None))
    return methods


def requests_for(route: str, name: str):
    if route.startswith("api/"):
        return api_methods(route)
    return [("get", None), ("post", None)]


def urls_for(route: str, name: str, params, leaf_label: str, leaf_pk: int | None) -> list[str]:
    """Every URL of the route for one leaf object (None: ids that do not exist), one per word value."""
    values = {}
    for param, label in params:
        if label is not None:
            values[param] = MISSING_ID if leaf_pk is None else parent_value(leaf_label, leaf_pk, label, param)
    if name == "history":
        values["object_type"] = leaf_label.lower()
        values["object_id"] = MISSING_ID if leaf_pk is None else leaf_pk
        return [fill(route, values)]
    variants = [values]
    for param, words in WORDS.get(name, {}).items():
        variants = [{**v, param: word} for v in variants for word in words]
    return [fill(route, v) for v in variants]


HISTORY_TYPES = ["places.Compound", "places.Building", "places.Room", "people.Person", "organisations.Organisation"]


def leaf_labels(name: str, params) -> list[str]:
    if name == "history":
        return HISTORY_TYPES
    return [label for _, label in params if label is not None][-1:]


def test_every_login_gets_404_for_every_object_of_another_scope(city):
    numbers = city["numbers"]
    problems = []
    for route, name, params in id_routes():
        labels = leaf_labels(name, params)
        if not labels:
            continue
        COUNTS["patterns"] += 1
        for leaf_label in labels:
            for method, body in requests_for(route, name):
                for login in city["logins"]:
                    missing_answers = [
                        send(login, method, url, body).status_code
                        for url in urls_for(route, name, params, leaf_label, None)
                    ]
                    COUNTS["missing"] += 1
                    foreign = [pk for pk in spread(leaf_label) if login.foreign(leaf_label, pk)][:SAMPLES]
                    for pk in foreign:
                        COUNTS["foreign"] += 1
                        urls = urls_for(route, name, params, leaf_label, pk)
                        for url, expected in zip(urls, missing_answers, strict=True):
                            response = send(login, method, url, body)
                            if response.status_code != expected or response.status_code == 200:
                                problems.append(
                                    f"{login.user.username} {method.upper()} {url} → "
                                    f"{response.status_code} (a missing id answers {expected})"
                                )
                    if method == "get":
                        own = [pk for pk in spread(leaf_label) if not login.foreign(leaf_label, pk)][:1]
                        for pk in own:
                            COUNTS["own"] += 1
                            for url in urls_for(route, name, params, leaf_label, pk):
                                response = send(login, method, url)
                                assert response.status_code < 500, f"{login.user.username} GET {url}"
                                if response.status_code == 200 and not response.streaming:
                                    assert_no_clear_numbers(
                                        login, url, response.content.decode("utf-8", "replace"), numbers
                                    )
    assert not problems, f"{len(problems)} answers tell a foreign object from a missing one:\n" + "\n".join(
        problems[:40]
    )


# --- lists, pages and exports: every row and every link in scope ---------------------------------


def linked_objects(html: str):
    """(model label, pk) of every object an answer links to, read back through the resolver."""
    for href in set(re.findall(r'href="(/[^"?#]*)', html)):
        try:
            match = resolve(href)
        except Resolver404:
            continue
        for param, label in route_params().get(match.route, ()):
            value = match.kwargs.get(param)
            if label and str(value).isdigit() and KEY_FIELDS.get((label, param)) is None:
                yield label, int(value), href


@cache
def route_params() -> dict:
    return {route: params for route, _name, params in id_routes()}


def check_answer(login: Login, url: str, response, numbers, problems) -> None:
    assert response.status_code < 500, f"{login.user.username} GET {url} → {response.status_code}"
    if response.status_code != 200 or response.streaming:
        return
    body = response.content.decode("utf-8", "replace")
    assert_no_clear_numbers(login, url, body, numbers)
    if "html" in response.get("Content-Type", ""):
        for label, pk, href in linked_objects(body):
            COUNTS["links"] += 1
            if login.foreign(label, pk):
                problems.append(f"{login.user.username}: {url} links to {href}, of another scope")


def list_routes():
    """Page and API routes without parameters that answer a GET (lists, dashboards, forms)."""
    for route, name in walk():
        if PARAM.search(route) or route.startswith(("admin/", "open311/", "i18n/", "accounts/logout", "static/")):
            continue
        documented = "/" + route in openapi()["paths"]
        if not documented or any(method == "get" for method, _ in api_methods(route)):
            yield route, name


def test_lists_and_pages_hold_only_rows_in_scope_and_no_clear_numbers(city):
    problems = []
    for route, _name in list_routes():
        for login in city["logins"]:
            if login.everything:
                continue
            url = "/" + route + ("?limit=100" if "/" + route in openapi()["paths"] else "")
            response = send(login, "get", url)
            check_answer(login, url, response, city["numbers"], problems)
            if "/" + route in openapi()["paths"] and response.status_code == 200:
                payload = response.json()
                items = payload.get("items") if isinstance(payload, dict) else payload
                label = SEGMENT_MODELS.get(route.rstrip("/").rsplit("/", 1)[-1])
                for item in items if isinstance(items, list) and label else ():
                    if isinstance(item, dict) and "id" in item:
                        COUNTS["list_rows"] += 1
                        if login.foreign(label, item["id"]):
                            problems.append(
                                f"{login.user.username}: {url} lists {label} {item['id']}, of another scope"
                            )
    assert not problems, "\n".join(problems[:40])


def test_every_export_holds_only_compounds_in_scope_and_masked_numbers(city):
    codes = dict(Compound.objects.values_list("code", "pk"))
    problems = []
    for kind in EXPORT_TITLES:
        for login in city["logins"]:
            if login.everything:
                continue
            for url in (f"/rosters/export/{kind}.xlsx", f"/api/v1/rosters/{kind}/export"):
                response = settle(login.client, send(login, "get", url))  # the page's export runs as a job
                assert response.status_code in (200, 403, 404), f"{login.user.username} {url}"
                if response.status_code != 200:
                    continue
                sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
                rows = sheet.iter_rows(values_only=True)
                headers = list(next(rows))
                column = headers.index("小区编码") if "小区编码" in headers else None
                for row in rows:
                    COUNTS["export_rows"] += 1
                    assert_no_clear_numbers(
                        login, url, " ".join(str(cell) for cell in row if cell is not None), city["numbers"]
                    )
                    for code in str(row[column] or "").split("、") if column is not None else ():
                        if code and codes.get(code) not in login.reach:
                            problems.append(f"{login.user.username}: {url} exports compound {code}")
    assert COUNTS["export_rows"] > 0
    assert not problems, "\n".join(problems[:40])


# --- Open311 and the admin ---------------------------------------------------------------------------


def test_open311_shows_a_caller_only_the_requests_it_may_read(city):
    town = Town.objects.get(name="青阳街道")
    _, key = apikeys.apikey_create(actor=None, name="probe client", region=town.code)
    in_town = set(Compound.objects.filter(community__town=town).values_list("pk", flat=True))
    admin = User.objects.get(username="admin")
    for pk in spread("appeals.Appeal", 120)[::5]:  # a few opened to the public, as staff would
        appeal_set_public(actor=admin, appeal=Appeal.objects.get(pk=pk), public=True, summary="probe summary")
    sample = [
        Appeal.objects.values_list("pk", "number", "public", "compound_id").get(pk=pk)
        for pk in spread("appeals.Appeal", 120)
    ]
    anonymous = Client()
    for _pk, number, public, compound_id in sample:
        for route in ("requests", "tokens"):
            missing = anonymous.get(f"/open311/v2/{route}/JY-MISSING.json").status_code
            COUNTS["requests"] += 2
            answer = anonymous.get(f"/open311/v2/{route}/{number}.json")
            if not public:
                assert answer.status_code == missing == 404, f"anonymous {route}/{number}"
            keyed = anonymous.get(f"/open311/v2/{route}/{number}.json", {"api_key": key})
            if not public and compound_id not in in_town:
                assert keyed.status_code == 404, f"a 青阳 key reads {number} of another town"
            assert_no_clear_numbers(city["logins"][-1], number, answer.content.decode(), city["numbers"])
    listed = anonymous.get("/open311/v2/requests.json").json()
    COUNTS["list_rows"] += len(listed)
    numbers = {row["service_request_id"] for row in listed}
    assert numbers and not Appeal.objects.filter(number__in=numbers, public=False).exists()
    assert all(row.get("lat") is None and row.get("long") is None for row in listed)  # no position either


def test_the_admin_answers_every_login_but_the_superuser_alike_for_any_object(city):
    for route, _name in walk():
        parts = route.split("/")
        if len(parts) < 4 or parts[3] != "<path:object_id>" or parts[2].startswith("<"):
            continue
        model = apps.get_model(parts[1], parts[2])
        first = model.objects.order_by("pk").values_list("pk", flat=True).first()
        if first is None:
            continue
        COUNTS["patterns"] += 1
        for login in city["logins"]:
            if login.user.is_staff:
                continue
            missing = send(login, "get", fill(route, {"object_id": MISSING_ID}))
            real = send(login, "get", fill(route, {"object_id": first}))
            assert real.status_code == missing.status_code == 302, f"{login.user.username} {route}"


# --- the writes that change who holds power ------------------------------------------------------

JINLI = "金利花园"
ROLE_FOR_KIND = {
    Organisation.Kind.COMPOUND_BRANCH: "branch_committee",
    Organisation.Kind.OWNERS_COMMITTEE: "committee_member",
    Organisation.Kind.PROPERTY_COMPANY: "property_manager",
    Organisation.Kind.COMMUNITY_PARTY: "two_committee_member",
    Organisation.Kind.TOWN_OFFICE: "town_clerk",
}


def power_targets():
    """The organisations around 金利花园 whose posts the probe tries to fill, and the compound's rooms."""
    compound = Compound.objects.get(name=JINLI)
    orgs = list(Organisation.objects.filter(compounds=compound, kind__in=ROLE_FOR_KIND))
    orgs += list(
        ServiceContract.objects.filter(compound=compound)
        .select_related("company")
        .values_list("company", flat=True)
        .distinct()
        .iterator()
    ) and [
        Organisation.objects.get(
            pk=ServiceContract.objects.filter(compound=compound).values_list("company", flat=True).first()
        )
    ]
    orgs += [
        Organisation.objects.get(kind=Organisation.Kind.COMMUNITY_PARTY, community=compound.community),
        Organisation.objects.get(kind=Organisation.Kind.TOWN_OFFICE, town=compound.community.town),
    ]
    return compound, orgs


def test_posts_are_filled_exactly_where_the_rules_allow_and_never_by_oneself(city):
    compound, orgs = power_targets()
    day = timezone.localdate()
    bystander = (
        Person.objects.filter(
            residencies__room__unit__building__compound=compound, posts__isnull=True, account__isnull=True
        )
        .order_by("pk")
        .first()
    )
    granted = 0
    for login in city["logins"]:
        for org in orgs:
            role = ROLE_FOR_KIND[org.kind]
            for person in filter(None, (login.user.person, bystander)):
                allowed = may_assign(actor=login.user, organisation=org, person=person, role=role, day=day)
                assert not (allowed and person.pk == login.user.person_id), "the rules let someone appoint themselves"
                before = Post.objects.count()
                COUNTS["writes"] += 1
                response = send(
                    login,
                    "post",
                    f"/api/v1/organisations/{org.pk}/posts",
                    {"person_id": person.pk, "role": role, "start_date": day.isoformat()},
                )
                who = f"{login.user.username} appointing {person} {role} in {org}"
                if allowed:
                    assert response.status_code in (201, 422), f"{who}: {response.status_code} {response.content[:300]}"
                    granted += response.status_code == 201
                else:
                    assert response.status_code in (403, 404, 422), f"{who}: {response.status_code}"
                    assert Post.objects.count() == before, who
    assert granted > 0  # the probe must also see the allowed path work


def test_areas_and_compound_particulars_change_only_for_those_who_keep_the_register(city):
    compound, _ = power_targets()
    room = Room.objects.filter(unit__building__compound=compound).order_by("pk").first()
    for login in city["logins"]:
        allowed = may_edit_compound(login.scope, compound)
        area = Room.objects.get(pk=room.pk).area
        COUNTS["writes"] += 4
        answers = [
            send(
                login,
                "post",
                f"/api/v1/places/rooms/{room.pk}/area",
                {"area": str((area or 0) + 1), "area_source": "surveyed", "reason": "probe"},
            ),
            send(login, "patch", f"/api/v1/places/compounds/{compound.pk}", {"year_built": 2001, "reason": "probe"}),
            login.client.post(
                f"/places/rooms/{room.pk}/area/",
                {"area": str((area or 0) + 2), "area_source": "surveyed", "reason": "probe"},
            ),
            login.client.post(
                f"/places/compounds/{compound.pk}/edit/",
                {
                    "name": compound.name,
                    "kind": compound.kind,
                    "management": compound.management,
                    "year_built": 2002,
                    "address": compound.address,
                    "reason": "probe",
                },
            ),
        ]
        if not allowed:
            assert [a.status_code for a in answers] == [
                a.status_code for a in answers if a.status_code in (403, 404)
            ], f"{login.user.username}: {[a.status_code for a in answers]}"
            assert Room.objects.get(pk=room.pk).area == area
            assert Compound.objects.get(pk=compound.pk).year_built == compound.year_built
        else:
            assert answers[0].status_code == 200 and answers[1].status_code == 200, login.user.username
            compound.refresh_from_db()


def test_a_review_is_decided_only_by_the_body_it_belongs_to(city):
    pending = list(
        Review.objects.filter(outcome=Review.Outcome.PENDING)
        .select_related("body", "candidate__campaign__compound")
        .order_by("pk")[:6]
    )
    assert pending
    for review in pending:
        for login in city["logins"]:
            COUNTS["writes"] += 1
            allowed = acts_for(login.user, review.body, review.candidate.campaign.compound)
            response = send(
                login, "post", f"/api/v1/elections/reviews/{review.pk}", {"outcome": "fail", "reason": "probe"}
            )
            if not allowed:
                assert response.status_code in (403, 404, 422), f"{login.user.username} decided review {review.pk}"
                assert Review.objects.get(pk=review.pk).outcome == Review.Outcome.PENDING
            else:
                assert response.status_code in (200, 422), login.user.username
                break  # decided: the next logins would only meet a decided review
