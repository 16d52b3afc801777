"""The three rates and the composite score on hand-computed cases, exactly."""

from fractions import Fraction as F

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiayuan.appeals.scores.rates import DEFAULT_WEIGHTS, Rates, Tally, rank, rates


def test_the_worked_example_from_hand():
    # 10 rated, 8 contacted, 7 solved, 5 satisfied, 2 basically satisfied
    result = rates(Tally(rated=10, contacted=8, solved=7, satisfied=5, basically_satisfied=2))
    assert result.response == F(4, 5)
    assert result.resolution == F(7, 10)
    assert result.satisfaction == F(17, 25)  # (5 + 0.9 × 2) / 10 = 6.8 / 10
    # 1/10·4/5 + 1/2·7/10 + 2/5·17/25 = 40/500 + 175/500 + 136/500
    assert result.composite == F(351, 500)
    assert float(result.composite) == 0.702


def test_everyone_satisfied_scores_one_and_nobody_satisfied_scores_the_other_rates_only():
    assert rates(Tally(rated=4, contacted=4, solved=4, satisfied=4)) == Rates(F(1), F(1), F(1), F(1))
    result = rates(Tally(rated=4, contacted=2, solved=1))
    assert (result.satisfaction, result.composite) == (0, F(1, 10) * F(1, 2) + F(1, 2) * F(1, 4))


def test_basically_satisfied_counts_nine_tenths():
    assert rates(Tally(rated=3, basically_satisfied=3)).satisfaction == F(9, 10)


def test_no_rated_orders_gives_zero_rates_not_a_division_error():
    assert rates(Tally()) == Rates(F(0), F(0), F(0), F(0))


def test_other_weights_that_add_up_to_one():
    third = F(1, 3)
    result = rates(Tally(rated=10, contacted=8, solved=7, satisfied=5, basically_satisfied=2), (third, third, third))
    assert result.composite == (F(4, 5) + F(7, 10) + F(17, 25)) / 3 == F(109, 150)


@pytest.mark.parametrize("weights", [(F(1, 10), F(1, 2), F(1, 2)), (F(0), F(0), F(0)), (F(1, 3), F(1, 3), F(1, 4))])
def test_weights_that_do_not_add_up_to_one_are_refused(weights):
    with pytest.raises(ValueError, match="add up to 1"):
        rates(Tally(rated=1, solved=1), weights)


def test_the_default_weights_are_those_of_the_domain_notes():
    assert DEFAULT_WEIGHTS == (F(1, 10), F(1, 2), F(2, 5))


@pytest.mark.parametrize(
    "fields",
    [
        {"rated": 2, "contacted": 3},
        {"rated": 2, "solved": -1},
        {"rated": 2, "satisfied": 2, "basically_satisfied": 1},
    ],
)
def test_an_impossible_tally_is_refused(fields):
    with pytest.raises(ValueError):
        Tally(**fields)


def test_rank_gives_ties_the_same_place_and_skips_the_next():
    scores = {"青阳": F(1, 2), "梅岭": F(3, 4), "西园": F(1, 2), "罗山": F(1, 4)}
    assert rank(scores) == {"梅岭": 1, "青阳": 2, "西园": 2, "罗山": 4}


def test_rank_of_nothing_and_of_all_equal():
    assert rank({}) == {}
    assert rank({"a": F(0), "b": F(0)}) == {"a": 1, "b": 1}


@st.composite
def tallies(draw):
    rated = draw(st.integers(min_value=0, max_value=500))
    satisfied = draw(st.integers(min_value=0, max_value=rated))
    return Tally(
        rated=rated,
        contacted=draw(st.integers(0, rated)),
        solved=draw(st.integers(0, rated)),
        satisfied=satisfied,
        basically_satisfied=draw(st.integers(0, rated - satisfied)),
    )


@given(tallies())
def test_every_rate_lies_between_zero_and_one_and_the_composite_between_the_rates(tally):
    result = rates(tally)
    parts = (result.response, result.resolution, result.satisfaction)
    assert all(0 <= part <= 1 for part in parts)
    assert min(parts) <= result.composite <= max(parts)


@given(st.dictionaries(st.text(max_size=3), st.fractions(min_value=0, max_value=1), max_size=12))
def test_rank_is_one_plus_the_number_of_strictly_better_scores(scores):
    places = rank(scores)
    for key, score in scores.items():
        assert places[key] == 1 + sum(1 for other in scores.values() if other > score)
