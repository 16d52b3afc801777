"""The OpenAPI document names each schema once: two Ninja schemas of one name would share a component,
and one of them would be documented with the other's fields (appeal actions once showed outreach's body)."""

from __future__ import annotations

import importlib
import pkgutil
from collections import defaultdict

from ninja import Schema

import jiayuan


def test_no_two_api_schemas_share_a_name():
    modules = defaultdict(set)
    for info in pkgutil.walk_packages(jiayuan.__path__, "jiayuan."):
        if any(
            part in info.name
            for part in (
                ".tests",
                ".bench",
                ".demo",
                ".migrations",
                ".management",
                ".config.settings",
                ".wsgi",
                ".asgi",
            )
        ):
            continue
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Schema) and value.__module__ == module.__name__:
                modules[value.__name__].add(module.__name__)
    assert {name: places for name, places in modules.items() if len(places) > 1} == {}


def test_the_appeal_action_body_is_documented_with_the_appeals_fields(client, db):
    spec = client.get("/api/v1/openapi.json").json()
    body = spec["paths"]["/api/v1/appeals/{id}/actions/{action}"]["post"]["requestBody"]["content"]
    ref = body["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert "version" in spec["components"]["schemas"][ref]["properties"]
