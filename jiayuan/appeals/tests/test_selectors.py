"""What the services leave for the selectors: department work lists and linked departments."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from jiayuan.appeals import services, workflow
from jiayuan.appeals.models import Appeal

from .conftest import LEAK, category
from .services.common import frozen, link, resolved_by_compound

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in their English source form."""
    with translation.override("en"):
        yield


# --- what the services leave for the selectors --------------------------------------------------------------


def test_a_department_s_open_work_holds_only_what_it_still_has_to_act_on_and_only_for_those_who_may_see_it(
    world, cast, file_appeal
):
    from jiayuan.appeals.selectors import appeal_list, department_open_work

    secretary = world.users["community_secretary"]
    later = services.appeal_dispatch(actor=secretary, appeal=file_appeal(code="010201"), department=cast.water)
    sooner = services.appeal_dispatch(actor=secretary, appeal=file_appeal(code="010101"), department=cast.water)
    Appeal.objects.filter(pk=later.pk).update(deadline=sooner.deadline + dt.timedelta(days=3))
    done = services.appeal_dispatch(actor=secretary, appeal=file_appeal(), department=cast.water)
    done = services.appeal_resolve(
        actor=cast.water_staff, resolution="已修复", appeal=services.appeal_start(actor=cast.water_staff, appeal=done)
    )
    services.appeal_close(actor=secretary, appeal=done)
    # resolved (waiting for the resident), called back, merged: nothing left for the department to do
    resolved = services.appeal_dispatch(actor=secretary, appeal=file_appeal(), department=cast.water)
    resolved = services.appeal_resolve(
        actor=cast.water_staff,
        resolution="已修复",
        appeal=services.appeal_start(actor=cast.water_staff, appeal=resolved),
    )
    called = services.appeal_dispatch(actor=secretary, appeal=file_appeal(), department=cast.water)
    called = services.appeal_resolve(
        actor=cast.water_staff, resolution="已修复", appeal=services.appeal_start(actor=cast.water_staff, appeal=called)
    )
    called = services.appeal_callback(actor=secretary, appeal=called, reached=True)
    merged = services.appeal_dispatch(actor=secretary, appeal=file_appeal(), department=cast.water)
    merged = services.appeal_merge(actor=secretary, duplicate=merged, into=sooner)
    assert [a.status for a in (resolved, called, merged)] == [workflow.RESOLVED, workflow.CALLED_BACK, workflow.MERGED]
    assert Appeal.objects.filter(unit=cast.water).count() == 6
    assert list(department_open_work(viewer=cast.water_staff, department=cast.water)) == [sooner, later]
    assert list(department_open_work(viewer=world.users["city_admin"], department=cast.water)) == [sooner, later]
    assert list(department_open_work(viewer=world.users["department_staff"], department=cast.water)) == []
    assert list(department_open_work(viewer=cast.outsider, department=cast.water)) == []
    # a returned order stays visible to the department that returned it, but leaves its open work
    with frozen(2026, 11, 2, 9):
        returned = services.appeal_dispatch(actor=secretary, appeal=file_appeal(), department=cast.water)
        services.appeal_return(actor=cast.water_staff, appeal=returned, reason="非本部门职责")
    assert returned not in department_open_work(viewer=cast.water_staff, department=cast.water)
    assert appeal_list(viewer=cast.water_staff).filter(pk=returned.pk).exists()
    assert not appeal_list(viewer=world.users["department_staff"]).filter(pk=returned.pk).exists()


# --- linked departments (挂钩联系): read the linked compound's appeals, act only on their own orders ----------------


def test_department_staff_see_the_appeals_of_the_compound_currently_linked_to_their_department(
    world, cast, file_appeal
):
    from jiayuan.appeals.selectors import appeal_get, appeal_list
    from jiayuan.outreach.services import department_link_create

    linked = file_appeal(title="小区路灯不亮", code="010301")
    elsewhere = services.appeal_submit(
        actor=world.users["city_admin"],
        channel=Appeal.Channel.HOTLINE,
        category=category(),
        title="池店漏水",
        description="池店的。",
        compound=world.compound_b,
    )
    assert not appeal_list(viewer=cast.water_staff).filter(pk=linked.pk).exists()
    department_link_create(
        actor=world.users["city_admin"],
        department=cast.water,
        compound=world.compound_a,
        start_date=timezone.localdate() - dt.timedelta(days=30),
    )
    visible = set(appeal_list(viewer=cast.water_staff, open_only=True))
    assert linked in visible and elsewhere not in visible
    assert appeal_get(viewer=cast.water_staff, pk=linked.pk) == linked
    # another department (not linked) still sees nothing of it
    assert not appeal_list(viewer=world.users["department_staff"]).filter(pk=linked.pk).exists()


@pytest.mark.parametrize(("start_days", "end_days"), [(-60, -1), (5, None)])
def test_a_link_that_has_ended_or_not_yet_begun_shows_nothing(world, cast, file_appeal, start_days, end_days):
    from jiayuan.appeals.selectors import appeal_list

    today = timezone.localdate()
    link(
        world,
        cast,
        start=today + dt.timedelta(days=start_days),
        end=today + dt.timedelta(days=end_days) if end_days is not None else None,
    )
    appeal = file_appeal()
    assert not appeal_list(viewer=cast.water_staff).filter(pk=appeal.pk).exists()


def test_a_linked_department_may_read_but_not_act_on_appeals_that_are_not_at_the_department(world, cast, file_appeal):
    from jiayuan.appeals import rules
    from jiayuan.appeals.selectors import available_actions
    from jiayuan.core.scope import scope_for

    link(world, cast, start=timezone.localdate() - dt.timedelta(days=30))
    staff = cast.water_staff
    received = file_appeal()
    at_community = services.appeal_dispatch(actor=world.users["branch_secretary"], appeal=file_appeal())
    resolved = resolved_by_compound(world, file_appeal)
    for appeal in (received, at_community, resolved):
        assert available_actions(viewer=staff, appeal=appeal) == []
        for action in [*workflow.MOVES, "rate", "supervise"]:
            assert not rules.allowed(action, scope=scope_for(staff), appeal=appeal, user=staff), (appeal.status, action)
    with pytest.raises(PermissionDenied):
        services.appeal_accept(actor=staff, appeal=received)
    with pytest.raises(PermissionDenied):
        services.appeal_dispatch(actor=staff, appeal=at_community, department=cast.water)
    with pytest.raises(PermissionDenied):
        services.appeal_callback(actor=staff, appeal=resolved, reached=True)
    assert [Appeal.objects.get(pk=a.pk).status for a in (received, at_community, resolved)] == [
        workflow.RECEIVED,
        workflow.DISPATCHED,
        workflow.RESOLVED,
    ]
    # once the community whistles to the department, the order is theirs to act on
    whistled = services.appeal_dispatch(
        actor=world.users["community_secretary"], appeal=at_community, department=cast.water
    )
    assert "start" in available_actions(viewer=staff, appeal=whistled)


# --- the department selects, ranked by the dispatch catalogue -------------------------------------------------


def _departments(world, cast):
    """Beside the seeded 水务局 (the city-wide rule for 供水与排水) and 住建局 (rules for other categories): a water
    group with a 供水与排水 rule in another town, a bureau and a bank without any rule."""
    from jiayuan.appeals.models import DispatchRule
    from jiayuan.organisations.models import Organisation
    from jiayuan.organisations.services import organisation_create
    from jiayuan.testing import START

    def department(name):
        return organisation_create(
            actor=None, kind=Organisation.Kind.DEPARTMENT, name=name, city=world.city, established_on=START
        )

    group = department("晋江市水务集团")
    DispatchRule.objects.create(category=category(LEAK).parent, town=world.compound_b.community.town, department=group)
    return group, department("晋江市民政局"), department("中国工商银行晋江支行")


def _ranked(queryset, names):
    """The names among `names`, in the select's order, each with its group."""
    return [(d.name, d.catalogue_rank) for d in queryset if d.name in names]


def _by_name(*names):
    from jiayuan.organisations.models import Organisation

    return list(Organisation.objects.filter(name__in=names).order_by("name").values_list("name", flat=True))


def test_the_department_choices_put_the_suggestion_first_then_the_same_category_then_the_catalogue_then_the_rest(
    world, cast, file_appeal
):
    from jiayuan.appeals import selectors

    group, bureau, bank = _departments(world, cast)
    appeal = file_appeal(code=LEAK)
    ranked, suggestion = selectors.department_choices(viewer=world.users["community_secretary"], appeal=appeal)
    names = {cast.water.name, group.name, world.department.name, bureau.name, bank.name}
    rest = [(name, selectors.OTHER_DEPARTMENT) for name in _by_name(bureau.name, bank.name)]
    assert suggestion == cast.water
    assert _ranked(ranked, names) == [
        (cast.water.name, selectors.SUGGESTED),
        (group.name, selectors.SAME_CATEGORY),  # a rule for the category, in another town
        (world.department.name, selectors.IN_CATALOGUE),  # rules for other categories only
        *rest,
    ]


def test_without_a_catalogue_rule_for_the_category_nothing_is_suggested_and_catalogue_departments_come_first(
    world, cast, file_appeal
):
    from jiayuan.appeals import selectors

    group, bureau, bank = _departments(world, cast)
    appeal = file_appeal(code="990101")
    ranked, suggestion = selectors.department_choices(viewer=world.users["community_secretary"], appeal=appeal)
    names = {cast.water.name, group.name, world.department.name, bureau.name, bank.name}
    in_catalogue = _by_name(cast.water.name, group.name, world.department.name)
    assert suggestion is None
    assert _ranked(ranked, names) == [
        *((name, selectors.IN_CATALOGUE) for name in in_catalogue),
        *((name, selectors.OTHER_DEPARTMENT) for name in _by_name(bureau.name, bank.name)),
    ]


def test_after_a_return_the_reassign_select_suggests_the_next_rule_and_puts_the_returning_department_last(
    world, cast, file_appeal
):
    from jiayuan.appeals.forms import ReassignForm
    from jiayuan.appeals.models import DispatchRule

    _, bureau, bank = _departments(world, cast)
    DispatchRule.objects.create(category=category(LEAK).parent.parent, department=world.department)  # 设施设备
    secretary = world.users["community_secretary"]
    appeal = services.appeal_dispatch(actor=secretary, appeal=file_appeal(code=LEAK), department=cast.water)
    appeal = services.appeal_return(actor=cast.water_staff, appeal=appeal, reason="属住建部门监管")
    form = ReassignForm(viewer=secretary, appeal=appeal, initial={"version": appeal.version})
    field = form.fields["department"]
    choices = [label for value, label in field.choices if value]
    assert form.suggestion == world.department
    assert form["department"].value() == world.department.pk
    assert choices[0] == f"{world.department.name} (suggested by the catalogue)"
    assert choices[-1] == cast.water.name  # it has just returned the order
    assert "suggested" not in " ".join(choices[1:])
    assert "晋江市住建局" in str(field.help_text)
