"""The three rates per unit and month, on hand-computed cases (see scoring's docstring for the definitions)."""

from __future__ import annotations

import datetime as dt
import itertools
from fractions import Fraction
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jiayuan.appeals import workflow
from jiayuan.appeals.models import Appeal, AppealEvent, Category
from jiayuan.appeals.scores import scoring
from jiayuan.appeals.scores.scoring import Month
from jiayuan.organisations.models import Organisation

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
JUNE = Month(2025, 6)
_serial = itertools.count(1)


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SHANGHAI)


class AppealMaker:
    """Appeals written straight to the table with the fields scoring reads; states as the services leave them.

    `contacted` and `resolved` are what the handling unit recorded (contacted_at, resolved_at); `said_contacted`
    and `said_solved` are the resident's answers given with the rating (yes unless told otherwise).
    """

    def __init__(self, world):
        self.world = world
        self.category = Category.objects.get_or_create(code="T-SCORE", defaults={"name": "测试类别"})[0]

    def __call__(
        self,
        compound,
        received_at,
        *,
        rating="",
        contacted=True,
        status=workflow.CLOSED,
        level="compound",
        unit=None,
        four_party=False,
        resolved=None,
        merged_into=None,
        said_contacted=True,
        said_solved=True,
    ):
        w = self.world
        unit = unit or {w.compound_a.pk: w.branch_a, w.compound_b.pk: w.branch_b}.get(compound.pk, w.community_party)
        resolved = status in scoring.SOLVED_STATES if resolved is None else resolved
        serial = next(_serial)
        return Appeal.objects.create(
            number=f"T{serial:08d}",
            channel=Appeal.Channel.HOTLINE,
            category=self.category,
            title=f"问题{serial}",
            description="描述",
            compound=compound,
            status=status,
            level=level,
            unit=unit,
            first_unit=unit,
            received_at=received_at,
            deadline=received_at.date() + dt.timedelta(days=7),
            contacted_at=received_at + dt.timedelta(hours=2) if contacted else None,
            resolved_at=received_at + dt.timedelta(days=2) if resolved else None,
            resolved_level=level if resolved else "",
            via_four_party=four_party,
            rating=rating,
            rated_at=received_at + dt.timedelta(days=3) if rating else None,
            merged_into=merged_into,
            rated_contacted=said_contacted if rating else None,
            rated_solved=said_solved if rating else None,
        )


S, B, D = Appeal.Rating.SATISFIED, Appeal.Rating.BASIC, Appeal.Rating.DISSATISFIED


def build_june(world) -> SimpleNamespace:
    """The hand-computed month, June 2025 (see the expected figures in the tests below).

    Qingyang (青阳), compound_a (青华社区): A1 satisfied; A2 basically satisfied, via a four-party
    meeting; A3 dissatisfied, and although the unit recorded a contact the resident answered that
    nobody contacted them (so not contacted); A4 dissatisfied, closed by the unit as resolved but the
    resident answered that the problem was not solved (so not solved); A5 open, unrated, returned
    once by the department; A6 merged (not an order). compound_a2 (晓升社区): B1 satisfied, the
    unit recorded no contact but the resident answered that it did contact them (so contacted).
    Chidian (池店), compound_b: C1 satisfied, solved by the department; C2 basically satisfied.
    The department also has D2 open, in compound_a. Every other answer is yes.
    """
    w, make = world, AppealMaker(world)
    dep = w.department
    c = SimpleNamespace(make=make)
    c.a1 = make(w.compound_a, at(2025, 6, 3, 9), rating=S)
    c.a2 = make(w.compound_a, at(2025, 6, 10, 9), rating=B, four_party=True)
    c.a3 = make(w.compound_a, at(2025, 6, 12, 9), rating=D, said_contacted=False)
    c.a4 = make(w.compound_a, at(2025, 6, 15, 9), rating=D, said_solved=False)
    c.a5 = make(w.compound_a, at(2025, 6, 18, 9), status=workflow.RETURNED, level="community", unit=w.community_party)
    AppealEvent.objects.create(
        appeal=c.a5,
        action="return",
        from_status=workflow.DISPATCHED,
        to_status=workflow.RETURNED,
        unit=dep,
        reason="不属于本部门",
    )
    c.a6 = make(w.compound_a, at(2025, 6, 19, 9), status=workflow.MERGED, resolved=False, merged_into=c.a1)
    c.b1 = make(w.compound_a2, at(2025, 6, 20, 9), rating=S, contacted=False)
    c.c1 = make(w.compound_b, at(2025, 6, 5, 9), rating=S, level="department", unit=dep)
    c.c2 = make(w.compound_b, at(2025, 6, 25, 9), rating=B)
    c.d2 = make(w.compound_a, at(2025, 6, 28, 9), status=workflow.IN_PROGRESS, level="department", unit=dep)
    c.older = make(w.compound_b, at(2025, 1, 8, 9), rating=S, level="department", unit=dep)
    c.water = Organisation.objects.create(
        kind=Organisation.Kind.DEPARTMENT, name="晋江市水务局", city=w.city, established_on=dt.date(2020, 1, 1)
    )
    return c


@pytest.fixture
def june(world, db):
    return build_june(world)


def rows_by_name(board):
    return {row.name: row for row in board.rows}


# --- the hand-computed month -------------------------------------------------------------------


def test_town_figures_are_the_hand_computed_fractions(world, june):
    board = scoring.scoreboard(viewer=world.users["city_admin"], month=JUNE, level="town")
    qingyang, chidian = rows_by_name(board)["青阳街道"], rows_by_name(board)["池店镇"]
    # Qingyang: orders A1-A5, B1 and D2 (A6 is merged); rated A1-A4 and B1; the residents said contacted for all
    # but A3 and solved for all but A4.
    assert qingyang.orders == 7
    assert (qingyang.tally.rated, qingyang.tally.contacted, qingyang.tally.solved) == (5, 4, 4)
    assert (qingyang.tally.satisfied, qingyang.tally.basically_satisfied) == (2, 1)
    assert qingyang.rates.response == Fraction(4, 5)
    assert qingyang.rates.resolution == Fraction(4, 5)
    assert qingyang.rates.satisfaction == Fraction(29, 50)  # (2 + 0.9) / 5
    assert qingyang.rates.composite == Fraction(89, 125)  # 0.1·4/5 + 0.5·4/5 + 0.4·29/50
    # Chidian: C1 satisfied, C2 basically satisfied, both contacted and solved by the residents' answers.
    assert (chidian.orders, chidian.tally.rated) == (2, 2)
    assert (chidian.rates.response, chidian.rates.resolution) == (Fraction(1), Fraction(1))
    assert chidian.rates.satisfaction == Fraction(19, 20)
    assert chidian.rates.composite == Fraction(49, 50)
    assert [(row.name, row.rank) for row in board.rows] == [("池店镇", 1), ("青阳街道", 2)]


def test_the_rates_count_the_residents_answers_not_what_the_handling_unit_recorded(world, june):
    a3, a4, b1 = (Appeal.objects.get(pk=appeal.pk) for appeal in (june.a3, june.a4, june.b1))
    assert a3.contacted_at is not None and a3.rated_contacted is False  # recorded as contacted; the resident says no
    assert a4.resolved_at is not None and a4.status == workflow.CLOSED and a4.rated_solved is False
    assert b1.contacted_at is None and b1.rated_contacted is True  # no contact recorded; the resident says yes
    compounds = rows_by_name(scoring.scoreboard(viewer=world.users["city_admin"], month=JUNE, level="compound"))
    jinli, baolong = compounds["金利花园"], compounds["宝龙世家"]
    assert (jinli.tally.rated, jinli.tally.contacted, jinli.tally.solved) == (4, 3, 3)  # A1-A4: not A3; not A4
    assert (baolong.tally.rated, baolong.tally.contacted, baolong.tally.solved) == (1, 1, 1)  # B1
    # Every answer "no" to both questions: the rates fall to the satisfaction part alone.
    Appeal.objects.filter(pk__in=[june.a1.pk, june.a2.pk, june.a3.pk, june.a4.pk]).update(
        rated_contacted=False, rated_solved=False
    )
    jinli = rows_by_name(scoring.scoreboard(viewer=world.users["city_admin"], month=JUNE, level="compound"))["金利花园"]
    assert (jinli.rates.response, jinli.rates.resolution) == (0, 0)
    assert jinli.rates.composite == Fraction(2, 5) * Fraction(19, 40)  # 0.4 × (1 + 0.9) / 4


def test_the_total_adds_up_the_units(world, june):
    board = scoring.scoreboard(viewer=world.users["city_admin"], month=JUNE, level="town")
    assert board.total.orders == 9
    assert board.total.tally.rated == 7
    assert board.total.rates.satisfaction == (3 + Fraction(9, 10) * 2) / 7


def test_compound_and_community_levels_group_by_the_appeals_compound(world, june):
    admin = world.users["city_admin"]
    compounds = rows_by_name(scoring.scoreboard(viewer=admin, month=JUNE, level="compound"))
    assert compounds["金利花园"].rates.composite == Fraction(16, 25)  # 0.1·3/4 + 0.5·3/4 + 0.4·19/40
    assert compounds["宝龙世家"].rates.composite == Fraction(1)
    assert [compounds[name].rank for name in ("宝龙世家", "南天裕", "金利花园")] == [1, 2, 3]
    communities = rows_by_name(scoring.scoreboard(viewer=admin, month=JUNE, level="community"))
    assert communities["青华社区"].rates.composite == Fraction(16, 25)
    assert communities["晓升社区"].orders == 1


def test_a_department_is_judged_on_the_orders_it_handles_and_counts_its_returns(world, june):
    board = scoring.scoreboard(viewer=world.users["city_admin"], month=JUNE, level="department")
    housing, water = rows_by_name(board)["晋江市住建局"], rows_by_name(board)["晋江市水务局"]
    assert housing.orders == 2  # C1 (rated) and D2 (open)
    assert (housing.tally.rated, housing.tally.solved, housing.tally.satisfied) == (1, 1, 1)
    assert housing.rates.composite == Fraction(1)
    assert housing.returned == 1  # A5
    assert housing.rank == 1
    # A department with no rated order is listed, unranked, after the ranked ones.
    assert (water.orders, water.rank, water.returned) == (0, None, 0)
    assert board.rows[-1] is water


def test_units_with_the_same_composite_share_a_rank_and_the_next_rank_skips(world, db):
    make = AppealMaker(world)
    for compound in (world.compound_a, world.compound_a2):
        make(compound, at(2025, 7, 2, 10), rating=S)
    make(world.compound_b, at(2025, 7, 3, 10), rating=D)
    board = scoring.scoreboard(viewer=world.users["city_admin"], month=Month(2025, 7), level="compound")
    assert {row.name: row.rank for row in board.rows} == {"金利花园": 1, "宝龙世家": 1, "南天裕": 3}


def test_an_order_counts_for_the_month_it_was_received_in_at_midnight_shanghai_time(world, db):
    make = AppealMaker(world)
    make(world.compound_b, at(2025, 3, 31, 23, 59, 59), rating=S)  # March
    make(world.compound_b, at(2025, 4, 1, 0, 0), rating=D)  # April: 16:00 UTC on 31 March
    make(world.compound_b, at(2025, 4, 30, 23, 59, 59), rating=D)  # April
    make(world.compound_b, at(2025, 5, 1, 0, 0), rating=S)  # May
    admin = world.users["city_admin"]

    def chidian(month):
        return rows_by_name(scoring.scoreboard(viewer=admin, month=month, level="town"))["池店镇"]

    assert (chidian(Month(2025, 3)).tally.rated, chidian(Month(2025, 3)).tally.satisfied) == (1, 1)
    assert (chidian(Month(2025, 4)).tally.rated, chidian(Month(2025, 4)).tally.satisfied) == (2, 0)
    assert (chidian(Month(2025, 5)).tally.rated, chidian(Month(2025, 5)).tally.satisfied) == (1, 1)
    trend = {
        str(point.month): point.tally.rated
        for point in scoring.trend(viewer=admin, month=Month(2025, 5), level="town", months=3)
    }
    assert trend == {"2025-03": 1, "2025-04": 2, "2025-05": 1}
    assert Month(2025, 4).start == dt.datetime(2025, 3, 31, 16, 0, tzinfo=dt.UTC)
    assert Month(2025, 12).end == at(2026, 1, 1)


def test_a_month_without_rated_orders_has_zero_rates_and_no_ranks(world, june):
    board = scoring.scoreboard(viewer=world.users["city_admin"], month=Month(2025, 2), level="town")
    assert [(row.orders, row.rates.composite, row.rank) for row in board.rows] == [(0, 0, None), (0, 0, None)]


def test_the_figures_come_from_a_fixed_number_of_aggregate_queries(world, june):
    admin = world.users["city_admin"]
    for level in ("town", "compound"):
        scoring.scoreboard(viewer=admin, month=JUNE, level=level)  # the viewer's scope is now known
        with CaptureQueriesContext(connection) as queries:
            scoring.scoreboard(viewer=admin, month=JUNE, level=level)
        assert len(queries) == 2  # the GROUP BY over the month's appeals, and the unit names
        assert "GROUP BY" in queries[0]["sql"].upper()


# --- scope --------------------------------------------------------------------------------------


def test_a_town_clerk_sees_only_the_units_of_their_town(world, june):
    clerk = world.users["town_clerk"]
    assert scoring.levels_for(clerk) == ("town", "community", "compound", "department")
    assert scoring.natural_level(clerk) == "community"
    towns = scoring.scoreboard(viewer=clerk, month=JUNE, level="town")
    assert [row.name for row in towns.rows] == ["青阳街道"]
    assert towns.rows[0].rates.composite == Fraction(89, 125)
    compounds = scoring.scoreboard(viewer=clerk, month=JUNE, level="compound")
    assert {row.name for row in compounds.rows} == {"金利花园", "宝龙世家"}
    communities = scoring.scoreboard(viewer=clerk, month=JUNE, level="community")
    assert {row.name for row in communities.rows} == {"青华社区", "晓升社区"}


def test_a_town_clerk_judges_departments_on_their_towns_orders_only(world, june):
    board = scoring.scoreboard(viewer=world.users["town_clerk"], month=JUNE, level="department")
    assert [row.name for row in board.rows] == ["晋江市住建局"]
    housing = board.rows[0]
    assert (housing.orders, housing.tally.rated, housing.returned, housing.rank) == (1, 0, 1, None)  # D2; A5


def test_department_staff_see_their_own_department_only(world, june):
    staff = world.users["department_staff"]
    assert scoring.levels_for(staff) == ("department",)
    assert scoring.natural_level(staff) == "department"
    board = scoring.scoreboard(viewer=staff, month=JUNE, level="department")
    assert [(row.name, row.orders, row.tally.rated, row.returned) for row in board.rows] == [("晋江市住建局", 2, 1, 1)]
    with pytest.raises(ValidationError):
        scoring.scoreboard(viewer=staff, month=JUNE, level="town")


def test_a_community_secretary_sees_their_community_and_its_compounds(world, june):
    secretary = world.users["community_secretary"]
    assert scoring.levels_for(secretary) == ("community", "compound", "department")
    assert [row.name for row in scoring.scoreboard(viewer=secretary, month=JUNE, level="community").rows] == [
        "青华社区"
    ]
    assert [row.name for row in scoring.scoreboard(viewer=secretary, month=JUNE, level="compound").rows] == ["金利花园"]


def test_residents_see_no_scores(world):
    assert not scoring.may_see_scores(world.users["resident"])
    assert scoring.levels_for(world.users["resident"]) == ()
    with pytest.raises(ValidationError) as caught:
        scoring.check_level(world.users["resident"], "town")
    assert "level" in caught.value.message_dict


# --- trend and counters -------------------------------------------------------------------------


def test_the_trend_covers_twelve_months_ending_with_the_chosen_one(world, june):
    points = scoring.trend(viewer=world.users["city_admin"], month=JUNE, level="town")
    assert [str(point.month) for point in points][0::11] == ["2024-07", "2025-06"]
    by_month = {str(point.month): point for point in points}
    assert by_month["2025-06"].tally.rated == 7
    assert by_month["2025-01"].tally.rated == 1 and by_month["2025-01"].rates.composite == 1
    assert by_month["2025-03"].orders == 0
    clerk_points = scoring.trend(viewer=world.users["town_clerk"], month=JUNE, level="town")
    assert {str(p.month): p.tally.rated for p in clerk_points}["2025-06"] == 5


def test_the_trend_is_one_query(world, june):
    scoring.trend(viewer=world.users["city_admin"], month=JUNE, level="community")
    with CaptureQueriesContext(connection) as queries:
        scoring.trend(viewer=world.users["city_admin"], month=JUNE, level="community")
    assert len(queries) == 1


def test_the_counters_count_problems_solved_by_departments_and_by_four_party_meetings(world, june):
    numbers = scoring.counters(viewer=world.users["city_admin"], month=JUNE)
    assert (numbers.solved_by_departments, numbers.solved_by_departments_in_month) == (2, 1)  # older, C1
    assert (numbers.solved_by_four_party_meetings, numbers.solved_by_four_party_meetings_in_month) == (1, 1)  # A2
    clerk = scoring.counters(viewer=world.users["town_clerk"], month=JUNE)
    assert (clerk.solved_by_departments, clerk.solved_by_four_party_meetings) == (0, 1)


# --- months and weights ---------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["2025-13", "2025-00", "2025-6", "25-06", "June", "2025/06", "2025-06-01"])
def test_a_bad_month_is_an_error_naming_the_field(raw):
    with pytest.raises(ValidationError) as caught:
        Month.parse(raw)
    assert list(caught.value.message_dict) == ["month"]
    assert "YYYY-MM" in caught.value.message_dict["month"][0]


def test_an_empty_month_is_this_month():
    assert Month.parse("") == Month.current()
    assert str(Month.parse(" 2024-02 ")) == "2024-02"
    assert Month(2024, 1).shift(-1) == Month(2023, 12) and Month(2024, 12).shift(1) == Month(2025, 1)


def test_the_weights_come_from_the_settings(world, june, settings):
    settings.APPEAL_SCORE_WEIGHTS = ["1/3", "1/3", "1/3"]
    board = scoring.scoreboard(viewer=world.users["city_admin"], month=JUNE, level="town")
    assert rows_by_name(board)["青阳街道"].rates.composite == (Fraction(4, 5) * 2 + Fraction(29, 50)) / 3


@pytest.mark.parametrize(
    "weights", [["1/2", "1/2", "1/2"], ["1/2", "1/2"], ["a", "b", "c"], ["1/0", "0", "1"], ["-1/2", "1/2", "1"]]
)
def test_weights_that_do_not_add_up_to_one_fail_loudly(settings, weights):
    settings.APPEAL_SCORE_WEIGHTS = weights
    with pytest.raises(ImproperlyConfigured, match="APPEAL_SCORE_WEIGHTS"):
        scoring.score_weights()


def test_the_default_weights_are_the_published_ones():
    assert scoring.score_weights() == (Fraction(1, 10), Fraction(1, 2), Fraction(2, 5))
    assert scoring.exact(Fraction(1)) == "1/1" and scoring.exact(Fraction(89, 125)) == "89/125"


# --- the appeal list behind a number ---------------------------------------------------------------


def test_filter_appeals_gives_the_appeals_behind_each_number(world, june):
    everything = Appeal.objects.all()
    month = scoring.filter_appeals(everything, month=JUNE, town=world.qingyang)
    assert set(month) == {june.a1, june.a2, june.a3, june.a4, june.a5, june.b1, june.d2}
    # Each row's numbers, as the page links them: orders at department level come via unit=<pk>.
    assert set(scoring.filter_appeals(month, rated=True, contacted=True)) == {june.a1, june.a2, june.a4, june.b1}
    assert set(scoring.filter_appeals(month, rated=True, solved=True)) == {june.a1, june.a2, june.a3, june.b1}
    assert set(scoring.filter_appeals(month, ratings=("satisfied", "basic"))) == {june.a1, june.a2, june.b1}
    assert set(scoring.filter_appeals(everything, returned_by=world.department)) == {june.a5}
    assert set(scoring.filter_appeals(everything, resolved_level="department", resolved=True)) == {june.c1, june.older}
    # The answers "no" list the orders that pull the rates down; rated=False the orders not rated.
    assert set(scoring.filter_appeals(month, contacted=False)) == {june.a3}
    assert set(scoring.filter_appeals(month, solved=False)) == {june.a4}
    assert set(scoring.filter_appeals(month, rated=False)) == {june.a5, june.d2}
