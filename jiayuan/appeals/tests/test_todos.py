"""The appeals' to-dos on the workbench: each group holds exactly the orders whose move the viewer may take now.

The groups count in the database with `rules.*_q`; these tests hold each filter equal to its rule for every
persona over orders at every level and of every kind, then check what each persona's workbench lists.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from jiayuan.appeals import rules, services, todos, workdays
from jiayuan.appeals.models import Appeal, Category
from jiayuan.core.scope import scope_for
from jiayuan.testing import PERSONAS

pytestmark = pytest.mark.django_db

REPAIR = "010203"  # 设施设备 › 供水与排水 › 管道漏水
PROPERTY_COMPLAINT = "040101"  # 物业与邻里 › 物业服务 › 服务质量
GENERAL = "030101"  # 秩序与安全 › 停车 › 乱停车


def file(world, code: str, compound=None) -> Appeal:
    return services.appeal_submit(
        actor=world.users["city_admin"],
        channel=Appeal.Channel.RECEPTION,
        category=Category.objects.get(code=code),
        title=f"待办测试 {code}",
        description="用于核对工作台的待办。",
        compound=compound or world.compound_a,
    )


@pytest.fixture
def orders(world, cast):
    """One order per kind at the compound, one at the community, one at the water department, one in Chidian."""
    admin = world.users["city_admin"]
    at_compound = {code: file(world, code) for code in (REPAIR, PROPERTY_COMPLAINT, GENERAL)}
    at_community = services.appeal_dispatch(actor=admin, appeal=file(world, GENERAL))
    at_department = services.appeal_dispatch(
        actor=admin, appeal=services.appeal_dispatch(actor=admin, appeal=file(world, REPAIR)), department=cast.water
    )
    elsewhere = file(world, GENERAL, compound=world.compound_b)
    return {"compound": at_compound, "community": at_community, "department": at_department, "elsewhere": elsewhere}


def viewers(world, cast):
    return [(name, world.users[name]) for name in PERSONAS] + [("water_staff", cast.water_staff)]


@pytest.mark.parametrize(
    "as_q, rule",
    [
        (rules.handles_q, rules.handles),
        (rules.covers_community_q, rules.covers_community),
        (rules.supervises_q, rules.is_supervisor),
    ],
    ids=["handles", "covers_community", "supervises"],
)
def test_each_query_filter_holds_the_same_orders_as_its_rule(world, cast, orders, as_q, rule):
    every = list(Appeal.objects.select_related("category", "compound__community"))
    assert len(every) == 6
    for name, user in viewers(world, cast):
        scope = scope_for(user)
        by_rule = {appeal.pk for appeal in every if rule(scope, appeal)}
        by_query = set(Appeal.objects.filter(as_q(scope)).values_list("pk", flat=True))
        assert by_query == by_rule, name


def keys(groups) -> dict[str, set[int]]:
    """{group key: the order numbers it lists}."""
    return {g.key: {item.title.split()[0] for item in g.items} for g in groups if g is not None}


def test_orders_to_accept_are_those_each_compound_post_may_accept(world, cast, orders):
    today = timezone.localdate()
    repair, complaint, general = (orders["compound"][code].number for code in (REPAIR, PROPERTY_COMPLAINT, GENERAL))
    waiting = {name: keys(todos.todos(user, today)).get("appeals.accept", set()) for name, user in viewers(world, cast)}
    assert waiting["branch_secretary"] == {repair, complaint, general}
    assert waiting["committee_director"] == {repair, general}
    assert waiting["property_manager"] == {repair}  # never the complaint about itself
    assert waiting["building_head"] == set()  # reports and follows, accepts nothing
    assert waiting["resident"] == set() and waiting["department_staff"] == set()
    assert orders["elsewhere"].number in waiting["city_admin"]
    assert orders["elsewhere"].number not in waiting["town_clerk"]


def test_a_dispatched_order_shows_the_department_the_last_day_it_may_be_returned(world, cast, orders):
    today = timezone.localdate()
    groups = {g.key: g for g in todos.todos(cast.water_staff, today) if g is not None}
    (item,) = groups["appeals.handle"].items
    order = orders["department"]
    assert item.title.startswith(order.number) and item.due == order.deadline
    last = workdays.add_workdays(timezone.localdate(order.dispatched_at), services.RETURN_WINDOW_DAYS)
    assert last.strftime("%m-%d") in item.note and "2" in item.note
    assert "appeals.accept" not in groups  # a department has nothing to accept
    assert "appeals.handle" not in keys(todos.todos(world.users["department_staff"], today))  # housing, not water


def test_the_community_reassigns_a_returned_order_and_calls_back_a_resolved_one(world, cast, orders):
    today = timezone.localdate()
    services.appeal_return(actor=cast.water_staff, appeal=orders["department"], reason="不属本局职责")
    admin = world.users["city_admin"]
    resolved = services.appeal_resolve(
        actor=admin, appeal=services.appeal_accept(actor=admin, appeal=orders["compound"][GENERAL]), resolution="已处理"
    )
    community = keys(todos.todos(world.users["community_secretary"], today))
    assert community["appeals.reassign"] == {orders["department"].number}
    assert community["appeals.callback"] == {resolved.number}
    compound = keys(todos.todos(world.users["branch_secretary"], today))
    assert "appeals.reassign" not in compound and "appeals.callback" not in compound


def test_only_the_town_and_the_city_decide_an_extension(world, cast, orders):
    today = timezone.localdate()
    order = services.appeal_start(actor=cast.water_staff, appeal=orders["department"])
    services.appeal_request_extension(actor=cast.water_staff, appeal=order, days=3, reason="需采购配件")
    for name in ("town_clerk", "city_admin"):
        assert keys(todos.todos(world.users[name], today))["appeals.extensions"] == {order.number}
    for name in ("community_secretary", "branch_secretary"):
        assert "appeals.extensions" not in keys(todos.todos(world.users[name], today))


def test_a_reporter_follows_their_open_appeals_and_rates_the_solved_ones(world, cast, file_appeal):
    today = timezone.localdate()
    mine = file_appeal(by="resident")
    theirs = file_appeal(by="neighbour")
    waiting = keys(todos.todos(world.users["resident"], today))
    assert waiting["appeals.mine"] == {mine.number} and "appeals.rate" not in waiting
    admin = world.users["city_admin"]
    services.appeal_resolve(actor=admin, appeal=services.appeal_accept(actor=admin, appeal=mine), resolution="已修复")
    waiting = keys(todos.todos(world.users["resident"], today))
    assert waiting["appeals.rate"] == {mine.number} and "appeals.mine" not in waiting
    assert theirs.number in keys(todos.todos(cast.neighbour, today))["appeals.mine"]


def test_a_group_counts_every_order_and_lists_the_nearest_deadlines_first(world, cast):
    today = timezone.localdate()
    filed = [file(world, GENERAL) for _ in range(10)]
    Appeal.objects.filter(pk=filed[-1].pk).update(deadline=today - dt.timedelta(days=3))
    (accept,) = [g for g in todos.todos(world.users["branch_secretary"], today) if g and g.key == "appeals.accept"]
    assert accept.count == 10 and len(accept.items) == 8
    assert accept.items[0].title.startswith(filed[-1].number) and accept.items[0].due < today
    assert [item.due for item in accept.items] == sorted(item.due for item in accept.items)
