"""Scoped reads of committee life and the permission rules, persona by persona."""

import datetime as dt

import pytest
from django.http import Http404

from jiayuan.committees import rules, selectors, services
from jiayuan.core.scope import scope_for
from jiayuan.organisations import services as org_services
from jiayuan.testing import PERSONAS

from .conftest import EVALUATORS, INSPECTORS, OVERSEERS, STAFF, answer_all

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)
TODAY = dt.date(2026, 3, 10)


def names(queryset) -> set[str]:
    return {committee.name for committee in queryset}


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_sees_exactly_the_committees_of_its_compounds(world, chidian_committee, persona):
    expected = {
        "city_admin": {"金利花园业委会", "南天裕业委会"},
        **{p: {"金利花园业委会"} for p in STAFF if p != "city_admin"},
        "department_staff": set(),
        "resident": set(),
    }
    assert names(selectors.committee_list(viewer=world.users[persona])) == expected[persona]


def test_a_committee_outside_the_scope_is_a_404(world, chidian_committee):
    assert selectors.committee_get(viewer=world.users["city_admin"], pk=chidian_committee.pk) == chidian_committee
    with pytest.raises(Http404):
        selectors.committee_get(viewer=world.users["town_clerk"], pk=chidian_committee.pk)
    with pytest.raises(Http404):
        selectors.committee_get(viewer=world.users["resident"], pk=world.committee_a.pk)


def test_other_organisations_are_not_committees(world):
    with pytest.raises(Http404):
        selectors.committee_get(viewer=world.users["city_admin"], pk=world.branch_a.pk)


def test_terms_ending_within_six_months_and_ended_ones_are_listed_apart(world):
    soon = org_services.committee_create(
        actor=None,
        compound=world.compound_a2,
        name="宝龙世家业委会",
        established_on=dt.date(2021, 9, 1),
        term_end=dt.date(2026, 8, 31),
        seats=7,
    )
    ended = org_services.committee_create(
        actor=None,
        compound=world.compound_b,
        name="南天裕业委会",
        established_on=dt.date(2020, 1, 1),
        term_end=dt.date(2025, 1, 1),
        seats=5,
    )
    services.remind_terms(TODAY)
    city = selectors.term_overview(viewer=world.users["city_admin"], today=TODAY)
    assert (list(city["soon"]), list(city["expired"]), city["horizon"]) == ([soon], [ended], dt.date(2026, 9, 10))
    assert city["soon"][0].reminded is True
    town = selectors.term_overview(viewer=world.users["town_clerk"], today=TODAY)
    assert (list(town["soon"]), list(town["expired"])) == ([soon], [])
    secretary = selectors.term_overview(viewer=world.users["community_secretary"], today=TODAY)
    assert (list(secretary["soon"]), list(secretary["expired"])) == ([], [])  # 宝龙世家 is in another community
    assert [r.committee for r in selectors.reminder_list(viewer=world.users["town_clerk"])] == [soon]


def test_filings_are_due_overdue_or_filed(world):
    due = org_services.committee_create(
        actor=None,
        compound=world.compound_a2,
        name="宝龙世家业委会",
        established_on=TODAY - 10 * DAY,
        term_end=dt.date(2031, 1, 1),
        seats=5,
    )
    overview = selectors.filing_overview(viewer=world.users["town_clerk"], today=TODAY)
    assert (list(overview["due"]), list(overview["overdue"]), list(overview["filed"])) == (
        [due],
        [world.committee_a],
        [],
    )
    services.filing_record(
        actor=None,
        committee=world.committee_a,
        filed_on=dt.date(2024, 3, 1),
        filed_with_housing=True,
        filed_with_town=True,
        today=TODAY,
    )
    overview = selectors.filing_overview(viewer=world.users["town_clerk"], today=TODAY)
    assert (list(overview["due"]), list(overview["overdue"]), list(overview["filed"])) == (
        [due],
        [],
        [world.committee_a],
    )
    assert selectors.filing_overview(viewer=world.users["department_staff"], today=TODAY)["filed"].count() == 0


def test_the_filing_state_counts_the_days_to_the_deadline(world):
    committee = org_services.committee_create(
        actor=None,
        compound=world.compound_a2,
        name="宝龙世家业委会",
        established_on=dt.date(2026, 3, 1),
        term_end=dt.date(2031, 1, 1),
        seats=5,
    )
    state = selectors.filing_state(committee, TODAY)
    assert (state.status, state.deadline, state.days_left, state.days_overdue) == ("due", dt.date(2026, 3, 31), 21, 0)
    state = selectors.filing_state(committee, dt.date(2026, 4, 2))
    assert (state.status, state.days_overdue) == ("overdue", 2)
    services.filing_record(
        actor=None,
        committee=committee,
        filed_on=dt.date(2026, 4, 1),
        filed_with_housing=True,
        filed_with_town=True,
        today=dt.date(2026, 4, 2),
    )
    committee.refresh_from_db()
    assert selectors.filing_state(committee, dt.date(2026, 4, 2)).status == "filed_late"


def test_rounds_tasks_and_evaluations_are_scoped_like_their_committee(world, items, member_post, chidian_committee):
    for committee in (world.committee_a, chidian_committee):
        inspection = services.inspection_start(actor=None, committee=committee, held_on=TODAY, today=TODAY)
        answer_all(inspection, not_met={items[0].pk})
        services.inspection_close(actor=None, inspection=inspection, due_on=TODAY + 30 * DAY, today=TODAY)
    services.evaluation_record(
        actor=None,
        committee=world.committee_a,
        post=member_post,
        outcome="urged_improvement",
        reason="会议记录不全",
        decided_on=TODAY,
        led_by="市住建局",
        today=TODAY,
    )
    for persona, count in (
        ("city_admin", 2),
        ("town_clerk", 1),
        ("committee_director", 1),
        ("resident", 0),
        ("department_staff", 0),
    ):
        viewer = world.users[persona]
        assert selectors.inspection_list(viewer=viewer).count() == count, persona
        assert selectors.task_list(viewer=viewer, open_only=True).count() == count, persona
        assert selectors.evaluation_list(viewer=viewer).count() == min(count, 1), persona
    inspection = selectors.inspection_list(viewer=world.users["town_clerk"]).get()
    counts = (inspection.item_count, inspection.met_count, inspection.not_met_count, inspection.open_count)
    assert counts == (14, 13, 1, 0)


def test_members_are_listed_director_first(world, member_post):
    posts = list(selectors.member_posts(committee=world.committee_a))
    assert [post.role for post in posts] == ["committee_director", "committee_member"]
    org_services.post_end(actor=None, post=member_post, end_date=dt.date(2025, 1, 1))
    assert [p.person.name for p in selectors.past_member_posts(committee=world.committee_a)] == ["郑委员"]


def test_only_cities_of_visible_compounds_are_offered_for_the_lists(world):
    assert list(selectors.visible_cities(viewer=world.users["committee_director"])) == [world.city]
    assert list(selectors.visible_cities(viewer=world.users["resident"])) == []


# --- the rules, as a matrix ---------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_permission_matrix_for_金利花园业委会(world, persona):
    scope = scope_for(world.users[persona])
    committee = world.committee_a
    assert rules.covers_committee(scope, committee) == (persona in STAFF)
    assert rules.may_self_inspect(scope, committee) == (persona in INSPECTORS)
    assert rules.may_record_filing(scope, committee) == (persona in OVERSEERS)
    assert rules.may_evaluate(scope, committee) == (persona in EVALUATORS)
    assert rules.may_edit_duty_list(scope, world.city) == (persona == "city_admin")


@pytest.mark.parametrize("persona", PERSONAS)
def test_nobody_but_the_city_may_act_for_a_committee_in_chidian(world, chidian_committee, persona):
    scope = scope_for(world.users[persona])
    allowed = persona == "city_admin"
    assert rules.may_self_inspect(scope, chidian_committee) == allowed
    assert rules.may_record_filing(scope, chidian_committee) == allowed
    assert rules.may_evaluate(scope, chidian_committee) == allowed


def test_a_deputy_and_an_ordinary_member_may_inspect_their_committee(world, member_post):
    from jiayuan.core.models import User

    user = User.objects.create_user(username="member", password="x", person=member_post.person)
    assert rules.may_self_inspect(scope_for(user), world.committee_a)
    assert not rules.may_evaluate(scope_for(user), world.committee_a)
