"""Fixtures of the /api/v1/elections tests: an election-ready compound per module, a frozen clock, and a
caller logged in as a user."""

import json
from types import SimpleNamespace
from unittest import mock

import pytest

from jiayuan.elections.testing import election_world

from .common import API, DAY, at


@pytest.fixture(scope="module")
def ew(world, django_db_blocker):
    with django_db_blocker.unblock():
        return election_world(world)


@pytest.fixture
def clock():
    """Freeze django.utils.timezone.now; move it with `clock.now = ...`."""
    state = SimpleNamespace(now=at(DAY, 9))
    with mock.patch("django.utils.timezone.now", side_effect=lambda: state.now):
        yield state


@pytest.fixture
def api(client, db):
    """api(user).get(path) / .post(path, data): the session is renewed at each call, as the clock may jump."""
    client.cookies["django_language"] = "en"

    class Caller:
        def __init__(self, user):
            self.user = user

        def get(self, path, **params):
            client.force_login(self.user)
            return client.get(API + path, params)

        def post(self, path, data=None):
            client.force_login(self.user)
            return client.post(
                API + path, json.dumps(data if data is not None else {}), content_type="application/json"
            )

    return Caller
