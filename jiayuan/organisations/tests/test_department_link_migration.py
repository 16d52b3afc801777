"""Migrations organisations 0004 and outreach 0002: a department link recorded before DepartmentLink moved from
outreach to organisations is there after the move, with its actions, on the renamed table."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from jiayuan.organisations.models import DepartmentLink
from jiayuan.testing import build_world

BEFORE = [("organisations", "0003_post_appointed_by"), ("outreach", "0001_initial")]
AFTER = [("organisations", "0004_departmentlink_from_outreach"), ("outreach", "0002_departmentlink_to_organisations")]


@pytest.mark.django_db(transaction=True)
def test_a_link_and_its_actions_recorded_before_the_move_are_there_after_it():
    world = build_world()  # committed: the migrations run outside a test transaction
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        _record_and_move(executor, world)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())  # later tests and today's models read today's tables


def _record_and_move(executor, world):
    old = executor.loader.project_state(BEFORE).apps
    link = old.get_model("outreach", "DepartmentLink").objects.create(
        department_id=world.department.pk, compound_id=world.compound_a.pk, start_date=dt.date(2025, 3, 1)
    )
    old.get_model("outreach", "DepartmentAction").objects.create(
        link_id=link.pk, done_on=dt.date(2025, 3, 8), description="现场查看排水", done_by="王科长"
    )
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    moved = new.get_model("organisations", "DepartmentLink").objects.get(pk=link.pk)
    assert (moved.department_id, moved.compound_id, moved.start_date) == (
        world.department.pk,
        world.compound_a.pk,
        dt.date(2025, 3, 1),
    )
    assert [a.description for a in moved.actions.all()] == ["现场查看排水"]
    assert moved._meta.db_table == DepartmentLink._meta.db_table == "organisations_departmentlink"
