"""Migration 0003: orders rated before the residents were asked get the answers the old figures stood for."""

from __future__ import annotations

import importlib
from contextlib import contextmanager

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction
from django.db.migrations.loader import MigrationLoader

from jiayuan.appeals import workflow
from jiayuan.appeals.models import Appeal, AppealEvent

from .scores.test_scoring import AppealMaker, at

pytestmark = pytest.mark.django_db
answers = importlib.import_module("jiayuan.appeals.migrations.0003_rating_answers")


@contextmanager
def check_constraints_ignored():
    """Rows as they stood before 0003 (rated, no answers) break today's constraint; SQLite can be told to let them be."""
    if connection.vendor != "sqlite":
        pytest.skip("writes pre-0003 rows by switching off SQLite's CHECK constraints")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA ignore_check_constraints = ON")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA ignore_check_constraints = OFF")


def test_0003_follows_the_category_seed_and_leaves_it_as_it_was():
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    assert graph.node_map[("appeals", "0003_rating_answers")].parents == {
        graph.node_map[("appeals", "0002_seed_categories")]
    }
    seed = importlib.import_module("jiayuan.appeals.migrations.0002_seed_categories")
    assert [type(operation).__name__ for operation in seed.Migration.operations] == ["RunPython"]


def test_the_backfill_gives_past_ratings_the_answers_the_old_figures_stood_for(world):
    make = AppealMaker(world)
    recorded = make(world.compound_a, at(2025, 6, 3, 9), rating="satisfied")  # contacted and resolved
    never_contacted = make(world.compound_a, at(2025, 6, 4, 9), rating="dissatisfied", contacted=False)
    reopened = make(world.compound_a, at(2025, 6, 5, 9), rating="dissatisfied", status=workflow.REOPENED)
    unrated = make(world.compound_a, at(2025, 6, 6, 9), status=workflow.RESOLVED)
    with check_constraints_ignored():
        Appeal.objects.update(rated_contacted=None, rated_solved=None)
        answers.backfill_answers(apps, None)
    got = {
        pk: (contacted, solved)
        for pk, contacted, solved in Appeal.objects.values_list("pk", "rated_contacted", "rated_solved")
    }
    assert got[recorded.pk] == (True, True)
    assert got[never_contacted.pk] == (False, True)
    assert got[reopened.pk] == (True, False)
    assert got[unrated.pk] == (None, None)


def test_the_database_refuses_a_rating_without_the_answers_and_answers_without_a_rating(world):
    appeal = AppealMaker(world)(world.compound_a, at(2025, 6, 3, 9), rating="satisfied")
    for change in ({"rated_solved": None}, {"rating": "", "rated_at": None}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Appeal.objects.filter(pk=appeal.pk).update(**change)
    assert Appeal.objects.filter(pk=appeal.pk, rating="satisfied", rated_contacted=True, rated_solved=True).exists()


event_days = importlib.import_module("jiayuan.appeals.migrations.0007_event_days")


def test_0007_moves_the_packed_extension_days_into_their_column_and_back(world):
    appeal = AppealMaker(world)(world.compound_a, at(2025, 6, 3, 9), status=workflow.EXTENSION_GRANTED)
    AppealEvent = apps.get_model("appeals", "AppealEvent")
    packed = {
        "request": AppealEvent.objects.create(appeal=appeal, action="request_extension", reason="3|需协调施工单位"),
        "grant": AppealEvent.objects.create(appeal=appeal, action="grant_extension", reason="3"),
        "resolve": AppealEvent.objects.create(appeal=appeal, action="resolve", reason="5|6 号楼已修复"),
        "unreadable": AppealEvent.objects.create(appeal=appeal, action="request_extension", reason="材料未到"),
    }

    def stored():
        return {key: AppealEvent.objects.values_list("days", "reason").get(pk=e.pk) for key, e in packed.items()}

    event_days.unpack_days(apps, None)
    assert stored() == {
        "request": (3, "需协调施工单位"),
        "grant": (3, ""),
        "resolve": (None, "5|6 号楼已修复"),  # not an extension: its reason is the resident's words
        "unreadable": (None, "材料未到"),
    }
    event_days.pack_days(apps, None)
    assert stored() == {
        "request": (None, "3|需协调施工单位"),
        "grant": (None, "3"),
        "resolve": (None, "5|6 号楼已修复"),
        "unreadable": (None, "材料未到"),
    }


def test_the_database_keeps_working_days_to_extension_events(world):
    appeal = AppealMaker(world)(world.compound_a, at(2025, 6, 3, 9), status=workflow.RESOLVED)
    with pytest.raises(IntegrityError), transaction.atomic():
        AppealEvent.objects.create(appeal=appeal, action="resolve", reason="已修复", days=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        AppealEvent.objects.create(appeal=appeal, action="request_extension", reason="材料未到", days=0)
