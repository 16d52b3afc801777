"""The Machine of declared moves: what it allows, where a move leads, and declarations it refuses."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiayuan.core.workflow import STAY, Machine, Move, MoveNotAllowed

DOOR = Machine(
    "door",
    states=("open", "closed", "locked", "broken"),
    initial="closed",
    moves=(
        Move("open", {"closed"}, "open", label="open the door"),
        Move("close", {"open"}, "closed"),
        Move("lock", {"closed"}, "locked", needs_reason=True),
        Move("unlock", {"locked"}, "closed"),
        Move("knock", {"closed", "locked"}, STAY),
        Move("break", {"open", "closed", "locked"}, "broken"),
    ),
)


def test_a_declared_move_leads_to_its_target():
    assert DOOR.next("closed", "open") == "open"
    assert DOOR.next("locked", "unlock") == "closed"


def test_a_move_that_stays_keeps_the_state_it_started_from():
    assert DOOR.next("closed", "knock") == "closed"
    assert DOOR.next("locked", "knock") == "locked"


def test_a_move_from_a_state_it_is_not_declared_from_is_refused_with_the_state_and_the_move():
    with pytest.raises(MoveNotAllowed) as caught:
        DOOR.next("open", "lock")
    assert (caught.value.machine, caught.value.state, caught.value.move) == ("door", "open", "lock")
    assert caught.value.action == "lock"
    assert "door" in str(caught.value) and "lock" in str(caught.value)


def test_an_unknown_move_or_state_is_refused_not_a_key_error():
    with pytest.raises(MoveNotAllowed):
        DOOR.next("closed", "teleport")
    with pytest.raises(MoveNotAllowed):
        DOOR.next("ajar", "close")
    assert not DOOR.can("ajar", "close") and not DOOR.can("closed", "teleport")


def test_the_refusal_is_a_value_error_for_callers_that_catch_those():
    assert issubclass(MoveNotAllowed, ValueError)


def test_allowed_lists_the_moves_of_a_state_in_declaration_order():
    assert DOOR.allowed("closed") == ("open", "lock", "knock", "break")
    assert DOOR.allowed("open") == ("close", "break")
    assert DOOR.allowed("broken") == ()


def test_can_agrees_with_allowed():
    for state in DOOR.states:
        for move in DOOR.moves:
            assert DOOR.can(state, move) == (move in DOOR.allowed(state))


def test_terminal_states_are_those_no_move_starts_from():
    assert DOOR.terminal == {"broken"}


def test_reachable_states_from_the_initial_state_or_another():
    assert DOOR.reachable() == set(DOOR.states)
    assert DOOR.reachable("broken") == {"broken"}


def test_labels_name_moves_for_messages_and_fall_back_to_the_name():
    assert DOOR.label("open") == "open the door"
    assert DOOR.label("close") == "close"
    assert DOOR.label("teleport") == "teleport"


def test_the_declaration_keeps_sources_as_frozen_sets_and_reasons():
    assert DOOR.moves["knock"].source == frozenset({"closed", "locked"})
    assert [name for name, move in DOOR.moves.items() if move.needs_reason] == ["lock"]
    assert DOOR.states == ("open", "closed", "locked", "broken") and DOOR.initial == "closed"


def test_the_moves_cannot_be_changed_after_the_machine_is_built():
    with pytest.raises(TypeError):
        DOOR.moves["fly"] = Move("fly", {"open"}, "broken")


@pytest.mark.parametrize(
    ("states", "initial", "moves"),
    [
        (("a", "b"), "c", ()),  # the initial state is not declared
        (("a", "a"), "a", ()),  # a state twice
        (("a", "b"), "a", (Move("go", {"a"}, "z"),)),  # an undeclared target
        (("a", "b"), "a", (Move("go", {"z"}, "b"),)),  # an undeclared source
        (("a", "b"), "a", (Move("go", set(), "b"),)),  # a move from nowhere
        (("a", "b"), "a", (Move("go", {"a"}, "b"), Move("go", {"b"}, "a"))),  # a move twice
    ],
)
def test_a_faulty_declaration_is_refused_when_it_is_made(states, initial, moves):
    with pytest.raises(ValueError):
        Machine("faulty", states=states, initial=initial, moves=moves)


# --- Properties over generated machines ---------------------------------------------------------------


@st.composite
def machines(draw):
    states = [f"s{i}" for i in range(draw(st.integers(1, 6)))]
    moves = []
    for index in range(draw(st.integers(0, 8))):
        source = draw(st.sets(st.sampled_from(states), min_size=1))
        target = draw(st.one_of(st.none(), st.sampled_from(states)))
        moves.append(Move(f"m{index}", source, target))
    return Machine("generated", states=states, initial=draw(st.sampled_from(states)), moves=moves)


@given(machines(), st.data())
def test_random_walks_on_any_machine_stay_among_its_states(machine, data):
    state = machine.initial
    names = [*machine.moves, "undeclared"]
    for name in data.draw(st.lists(st.sampled_from(names), max_size=30)):
        if machine.can(state, name):
            following = machine.next(state, name)
            assert following in machine.reachable()
            assert following == state or following == machine.moves[name].target
            state = following
        else:
            with pytest.raises(MoveNotAllowed):
                machine.next(state, name)
    assert state in machine.states


@given(machines())
def test_terminal_states_allow_nothing_and_every_other_state_allows_something(machine):
    for state in machine.states:
        assert (state in machine.terminal) == (machine.allowed(state) == ())
