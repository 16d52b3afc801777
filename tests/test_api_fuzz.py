"""API fuzzing: schemathesis generates requests from /api/v1/openapi.json and sends them to the app in
process, as a city administrator and as a resident; no answer may be a server error, and every answer
whose status the document declares must match its schema. Open311 has no OpenAPI document: hypothesis
throws random parameters at its read and write endpoints.

The budget is JIAYUAN_FUZZ_EXAMPLES examples per operation and persona (default 4, Open311 gets 50 times as many; the
issue's full run used about 32,000 cases: `JIAYUAN_FUZZ_EXAMPLES=100 pytest tests/test_api_fuzz.py`).
The number of cases sent is printed at the end of the module, in the test log.
"""

from __future__ import annotations

import logging
import os
from collections import Counter

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from jiayuan.appeals import apikeys
from jiayuan.config.wsgi import application

pytestmark = [pytest.mark.django_db(transaction=False), pytest.mark.slow]

EXAMPLES = int(os.environ.get("JIAYUAN_FUZZ_EXAMPLES", "4"))
SCHEMA = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
SENT = {"api": 0, "open311": 0}
OPEN311_STATUSES: Counter[int] = Counter()
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
)
# Open311 is one test over all its endpoints, so it gets the budget of many operations.
OPEN311_SETTINGS = settings(FUZZ_SETTINGS, max_examples=EXAMPLES * 50)


TOKEN = "fuzz" * 8


def session_cookies(user) -> dict[str, str]:
    """A logged-in session and a CSRF token, as a browser would send them."""
    client = Client()
    client.force_login(user)
    return {"sessionid": client.cookies["sessionid"].value, "csrftoken": TOKEN}


@pytest.fixture(scope="module", autouse=True)
def keep_the_connection():
    """Schemathesis calls the WSGI application itself, whose request signals close the database connection after
    each request, as in production; Django's test client holds them off, and so does this, or the first answer
    would close the transaction the module's data lives in (PostgreSQL)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(scope="module", autouse=True)
def report_counts(summary_line):
    requests_log = logging.getLogger("django.request")
    level = requests_log.level
    requests_log.setLevel(logging.ERROR)  # thousands of 404/422 lines otherwise; a 500 still shows
    yield
    requests_log.setLevel(level)
    summary_line(
        f"API fuzzing: {SENT['api']} OpenAPI cases and {SENT['open311']} Open311 cases sent "
        f"(Open311 answers {dict(sorted(OPEN311_STATUSES.items()))})"
    )


@pytest.mark.parametrize("persona", ["city_admin", "resident"])
@SCHEMA.parametrize()
@FUZZ_SETTINGS
def test_no_api_operation_answers_a_server_error_or_breaks_its_schema(case, persona, world):
    SENT["api"] += 1
    case.cookies = {**(case.cookies or {}), **session_cookies(world.users[persona])}
    case.call_and_validate(headers={"X-CSRFToken": TOKEN}, checks=[not_a_server_error, response_schema_conformance])


@pytest.fixture(scope="module")
def open311_key(world, django_db_blocker):
    with django_db_blocker.unblock():
        return apikeys.apikey_create(actor=None, name="fuzzing client")[1]


OPEN311_PARAMS = st.fixed_dictionaries(
    {},
    optional={
        name: st.one_of(
            st.text(max_size=30),
            st.integers(-(10**20), 10**20).map(str),
            st.dates().map(str),
            st.sampled_from(["0001-01-01", "9999-12-31", "2026-03-01T00:00:00+08:00", "O311F0101", "JY1"]),
        )
        for name in (
            "start_date",
            "end_date",
            "status",
            "service_code",
            "service_request_id",
            "api_key",
            "lat",
            "long",
            "address_id",
            "description",
            "jurisdiction_id",
        )
    },
)


@OPEN311_SETTINGS
@given(
    path=st.sampled_from(
        [
            "requests.json",
            "requests.xml",
            "services.json",
            "discovery.json",
            "requests/JY1.json",
            "tokens/JY1.json",
            "services/010203.json",
        ]
    ),
    params=OPEN311_PARAMS,
    post=st.booleans(),
    with_key=st.booleans(),
)
def test_open311_never_answers_a_server_error(world, open311_key, path, params, post, with_key):
    SENT["open311"] += 1
    if with_key:  # past the key check, so the parameters reach the reads and the intake
        params = {**params, "api_key": open311_key}
    client = Client()
    method = client.post if post and path.startswith("requests.") else client.get
    response = method(f"/open311/v2/{path}", params)
    OPEN311_STATUSES[response.status_code] += 1
    assert response.status_code < 500, (path, params, response.content[:300])
