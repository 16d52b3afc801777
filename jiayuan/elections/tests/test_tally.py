"""The Civil Code vote-counting rules, on plain values (no database)."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiayuan.elections.tally import Ballot, Electorate, Room, TallyError, decimal_string, tally


def flat(*areas):
    """One room per owner o0, o1, ... with the given areas."""
    return Electorate.from_rooms(Room(f"r{i}", (f"o{i}",), Decimal(str(a))) for i, a in enumerate(areas))


def votes(*choices):
    return [Ballot(f"o{i}", c) for i, c in enumerate(choices) if c]


# Counting rules (interpretation arts. 8 and 9), hand-computed.


def test_area_is_registered_else_surveyed_else_contract():
    electorate = Electorate.from_rooms(
        [
            Room("101", ("A",), Decimal("90"), "contract"),
            Room("101", ("A",), Decimal("88.5"), "surveyed"),
            Room("101", ("A",), Decimal("87.25"), "registered"),
            Room("102", ("B",), Decimal("70"), "contract"),
            Room("102", ("B",), Decimal("71.5"), "surveyed"),
            Room("103", ("C",), Decimal("60"), "contract"),
        ]
    )
    assert electorate.total_area == Fraction("87.25") + Fraction("71.5") + 60
    assert electorate.total_heads == 3


def test_one_buyer_of_three_rooms_is_one_head_with_all_their_area():
    electorate = Electorate.from_rooms(
        [Room("101", ("A",), 50), Room("102", ("A",), 60), Room("103", ("A",), 70), Room("104", ("B",), 80)]
    )
    assert electorate.total_heads == 2
    result = tally(electorate, [Ballot("A", "agree")], 1)
    assert (result.participating_heads, result.participating_area) == (1, 180)


def test_developers_unsold_rooms_together_are_one_head():
    rooms = [Room(f"D{i}", ("DevCo",) if i % 2 else ("DevCo Sales",), 100, developer_unsold=True) for i in range(5)]
    electorate = Electorate.from_rooms(rooms + [Room("101", ("A",), 100), Room("102", ("B",), 100)])
    assert electorate.total_heads == 3
    result = tally(electorate, [Ballot("DevCo Sales", "against")], 1)
    assert (result.participating_heads, result.participating_area) == (1, 500)


def test_a_co_owned_room_casts_one_vote_and_a_second_co_owner_is_a_duplicate():
    electorate = Electorate.from_rooms([Room("101", ("Li", "Zhang"), 100), Room("102", ("Wang",), 100)])
    assert electorate.total_heads == 2
    assert tally(electorate, [Ballot("Zhang", "agree")], 1).participating_heads == 1
    with pytest.raises(TallyError, match="Duplicate ballot") as error:
        tally(electorate, [Ballot("Li", "agree", row=2), Ballot("Zhang", "against", row=3)], 1)
    assert error.value.row == 3


def test_rooms_sharing_an_owner_merge_transitively():
    electorate = Electorate.from_rooms([Room("101", ("X", "Y"), 100), Room("102", ("X",), 50), Room("103", ("Z",), 1)])
    assert electorate.total_heads == 2
    assert tally(electorate, [Ballot("Y", "agree")], 1).participating_area == 150


@pytest.mark.parametrize(
    ("rooms", "ballots", "matter", "message"),
    [
        ([Room("101", ("A",), 1)], [Ballot("Nobody", "agree")], 1, "Unknown owner"),
        ([Room("101", ("A",), 1)], [Ballot("A", "agree"), Ballot("A", "agree")], 1, "Duplicate ballot"),
        ([Room("101", ("A",), 1)], [Ballot("A", "maybe")], 1, "Unknown choice"),
        ([Room("101", ("A",), 1)], [], 10, "from 1 to 9"),
        ([Room("101", ("A",), 1)], [], 0, "from 1 to 9"),
        ([Room("101", ("A",), -5)], [], 1, "greater than zero"),
        ([Room("101", ("A",), 0)], [], 1, "greater than zero"),
        ([Room("101", ("A",), 1), Room("101", ("A",), 2)], [], 1, "listed twice"),
        ([Room("101", ("A",), 1), Room("101", ("B",), 2, "contract")], [], 1, "differ"),
        ([Room("101", ("A",), 1, "estimated")], [], 1, "unknown area source"),
        ([], [], 1, "no rooms"),
    ],
)
def test_uncountable_input_is_a_clear_error(rooms, ballots, matter, message):
    with pytest.raises(TallyError, match=message):
        tally(Electorate.from_rooms(rooms), ballots, matter)


# Boundaries (Civil Code art. 1259: 以上 includes the bound, 过半数 does not).


def test_quorum_is_met_at_exactly_two_thirds_and_not_one_unit_below():
    assert tally(flat(1, 1, 1), votes("agree", "agree", None), 1).quorum_met  # 2/3 area, 2/3 heads
    assert not tally(flat("1", "1", "1.01"), votes("agree", "agree", None), 1).quorum_met  # area 2/3.01: below
    assert tally(flat("1", "1", "0.99"), votes("agree", "agree", None), 1).quorum_met  # area 2/2.99: above
    assert not tally(flat(1, 1, 1, 1, 1, 1), votes("agree", "agree", "agree", None, None, None), 1).quorum_met


@pytest.mark.parametrize(
    ("matter", "last_area", "passed"),
    [
        (6, "100", True),
        (7, "100", True),
        (8, "100", True),  # exactly 3/4 of area and heads
        (6, "100.01", False),  # area 300/400.01: just under 3/4
        (6, "99.99", True),  # area just over 3/4
    ],
)
def test_matters_six_to_eight_pass_at_exactly_three_quarters(matter, last_area, passed):
    result = tally(flat(100, 100, 100, last_area), votes("agree", "agree", "agree", "against"), matter)
    assert result.quorum_met and result.passed is passed


def test_matters_six_to_eight_fail_one_head_below_three_quarters():
    result = tally(flat(*[1] * 8), votes(*["agree"] * 5, "against", "against", "abstain"), 6)
    assert result.agree_area_share == Fraction(5, 8) and not result.passed
    assert tally(flat(*[1] * 8), votes(*["agree"] * 6, "against", "abstain"), 6).passed


@pytest.mark.parametrize(("last_area", "passed"), [("50", False), ("49.99", True), ("50.01", False)])
def test_other_matters_fail_at_exactly_half_the_area_and_pass_one_unit_above(last_area, passed):
    # 3 of 5 heads agree (above half); agreeing area 100 against 50 + last_area.
    result = tally(flat(40, 30, 30, 50, last_area), votes("agree", "agree", "agree", "against", "abstain"), 1)
    assert result.quorum_met and result.agree_heads_share == Fraction(3, 5)
    assert result.passed is passed


@pytest.mark.parametrize(("agree_heads", "passed"), [(2, False), (3, True)])
def test_other_matters_fail_at_exactly_half_the_heads(agree_heads, passed):
    choices = ["agree"] * agree_heads + ["against"] * (4 - agree_heads)
    result = tally(flat(1000, 1000, 1, 1), votes(*choices), 4)  # agreeing area is far above half either way
    assert result.agree_area_share > Fraction(1, 2)
    assert result.passed is passed


def test_no_quorum_means_not_passed_even_when_everyone_agrees():
    result = tally(flat(1, 1, 1, 1), votes("agree", None, None, None), 1)
    assert not result.quorum_met and not result.passed and result.agree_area_share == 1


def test_decimal_string_is_exact():
    assert [decimal_string(Fraction(x)) for x in ("1225.5", "100", "0.125", "1/3")] == ["1225.5", "100", "0.125", "1/3"]


# Properties.

electorates = st.lists(st.integers(min_value=1, max_value=500), min_size=1, max_size=12)


@st.composite
def votes_on(draw):
    areas = draw(electorates)
    choices = draw(
        st.lists(st.sampled_from(["agree", "against", "abstain", None]), min_size=len(areas), max_size=len(areas))
    )
    return areas, choices, draw(st.integers(min_value=1, max_value=9))


@given(votes_on())
def test_adding_an_agree_ballot_from_a_non_voter_never_turns_a_pass_into_a_fail(case):
    areas, choices, matter = case
    electorate = flat(*areas)
    before = tally(electorate, votes(*choices), matter)
    for i, choice in enumerate(choices):
        if choice is None:
            after = tally(electorate, votes(*[("agree" if j == i else c) for j, c in enumerate(choices)]), matter)
            assert after.quorum_met or not before.quorum_met
            assert after.passed or not before.passed


@given(votes_on())
def test_the_verdict_matches_integer_cross_multiplication(case):
    areas, choices, matter = case
    result = tally(flat(*areas), votes(*choices), matter)
    p = [a for a, c in zip(areas, choices, strict=True) if c]
    y = [a for a, c in zip(areas, choices, strict=True) if c == "agree"]
    quorum = 3 * sum(p) >= 2 * sum(areas) and 3 * len(p) >= 2 * len(areas)
    if matter in (6, 7, 8):
        agree = 4 * sum(y) >= 3 * sum(p) and 4 * len(y) >= 3 * len(p)
    else:
        agree = 2 * sum(y) > sum(p) and 2 * len(y) > len(p)
    assert result.quorum_met is quorum
    assert result.passed is (quorum and bool(p) and agree)
