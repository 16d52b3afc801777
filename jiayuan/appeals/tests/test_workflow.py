"""The transition table: every state × every action is allowed or refused exactly as declared."""

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiayuan.appeals import workflow as wf
from jiayuan.appeals.workflow import TransitionError, allowed_actions, next_state
from jiayuan.core.workflow import MoveNotAllowed

# The table, written out by hand: state -> {action: target}. Anything not listed is refused.
EXPECTED = {
    wf.RECEIVED: {"accept": wf.ACCEPTED, "dispatch": wf.DISPATCHED, "merge": wf.MERGED},
    wf.ACCEPTED: {"dispatch": wf.DISPATCHED, "start": wf.IN_PROGRESS, "resolve": wf.RESOLVED, "merge": wf.MERGED},
    wf.DISPATCHED: {"dispatch": wf.DISPATCHED, "start": wf.IN_PROGRESS, "return": wf.RETURNED, "merge": wf.MERGED},
    wf.IN_PROGRESS: {
        "dispatch": wf.DISPATCHED,
        "request_extension": wf.EXTENSION_REQUESTED,
        "resolve": wf.RESOLVED,
        "merge": wf.MERGED,
    },
    wf.RETURNED: {"reassign": wf.REASSIGNED, "merge": wf.MERGED},
    wf.REASSIGNED: {"start": wf.IN_PROGRESS, "merge": wf.MERGED},
    wf.EXTENSION_REQUESTED: {
        "grant_extension": wf.EXTENSION_GRANTED,
        "refuse_extension": wf.IN_PROGRESS,
        "merge": wf.MERGED,
    },
    wf.EXTENSION_GRANTED: {"start": wf.IN_PROGRESS, "resolve": wf.RESOLVED, "merge": wf.MERGED},
    # A resolved, called-back or closed order is not merged: it has had its answer.
    wf.RESOLVED: {"callback": wf.CALLED_BACK, "close": wf.CLOSED, "reopen": wf.REOPENED},
    wf.CALLED_BACK: {"close": wf.CLOSED, "reopen": wf.REOPENED},
    wf.CLOSED: {"reopen": wf.REOPENED},
    wf.REOPENED: {"dispatch": wf.DISPATCHED, "start": wf.IN_PROGRESS, "merge": wf.MERGED},
    wf.MERGED: {},
}
ACTIONS = sorted(wf.MOVES)
CELLS = list(itertools.product(wf.STATES, ACTIONS))


def test_the_expected_table_covers_every_state_and_only_declared_actions():
    assert set(EXPECTED) == set(wf.STATES)
    assert {action for moves in EXPECTED.values() for action in moves} == set(wf.MOVES)


@pytest.mark.parametrize(("state", "action"), CELLS, ids=[f"{s}-{a}" for s, a in CELLS])
def test_each_state_and_action_is_allowed_or_refused_as_declared(state, action):
    target = EXPECTED[state].get(action)
    if target is None:
        with pytest.raises(TransitionError) as caught:
            next_state(state, action)
        assert (caught.value.state, caught.value.action) == (state, action)
        assert action not in allowed_actions(state)
    else:
        assert next_state(state, action) == target
        assert action in allowed_actions(state)


@pytest.mark.parametrize("state", wf.STATES)
def test_allowed_actions_lists_exactly_the_declared_moves(state):
    assert sorted(allowed_actions(state)) == sorted(EXPECTED[state])


def test_an_unknown_action_or_state_is_refused():
    with pytest.raises(TransitionError):
        next_state(wf.RECEIVED, "teleport")
    with pytest.raises(TransitionError):
        next_state("lost", "accept")


def test_a_return_is_only_possible_straight_after_dispatch_and_needs_a_reason():
    assert [s for s in wf.STATES if "return" in allowed_actions(s)] == [wf.DISPATCHED]
    assert {a for a, m in wf.MOVES.items() if m.needs_reason} == {
        "return",
        "request_extension",
        "refuse_extension",
        "reopen",
        "reassign",
    }


def test_open_and_publicly_closed_states():
    assert wf.OPEN_STATES == set(wf.STATES) - {wf.CLOSED, wf.MERGED}
    assert wf.PUBLIC_CLOSED == {wf.RESOLVED, wf.CALLED_BACK, wf.CLOSED, wf.MERGED}


@given(st.lists(st.sampled_from(ACTIONS), max_size=60))
def test_random_walks_stay_inside_the_declared_states(actions):
    state = wf.RECEIVED
    for action in actions:
        try:
            following = next_state(state, action)
        except TransitionError:
            assert action not in allowed_actions(state)
            continue
        assert following in wf.STATES
        if state == wf.CLOSED:
            assert action == "reopen"
        assert state != wf.MERGED  # nothing leaves a merged appeal
        state = following
    assert state in wf.STATES


@given(st.sampled_from(wf.STATES), st.sampled_from(ACTIONS))
def test_closed_and_merged_appeals_only_leave_by_reopening(state, action):
    if state in {wf.CLOSED, wf.MERGED}:
        try:
            target = next_state(state, action)
        except TransitionError:
            return
        assert (state, action, target) == (wf.CLOSED, "reopen", wf.REOPENED)


def test_the_appeal_machine_declares_the_states_and_moves_the_module_names():
    assert wf.APPEAL.states == wf.STATES and wf.APPEAL.initial == wf.RECEIVED
    assert wf.MOVES is wf.APPEAL.moves and wf.TransitionError is MoveNotAllowed


def test_every_state_is_reachable_from_a_received_appeal_and_only_a_merged_one_is_terminal():
    assert wf.APPEAL.reachable() == set(wf.STATES)
    assert wf.APPEAL.terminal == {wf.MERGED}


def test_the_model_offers_exactly_the_declared_states():
    from jiayuan.appeals.models import Appeal

    assert set(Appeal.Status.values) == set(wf.STATES)


@given(st.lists(st.sampled_from(ACTIONS), max_size=60))
def test_walks_taking_only_allowed_moves_never_get_stuck_before_a_terminal_state(actions):
    state = wf.RECEIVED
    for action in actions:
        allowed = allowed_actions(state)
        if state in wf.APPEAL.terminal:
            assert allowed == []
            break
        state = next_state(state, allowed[ACTIONS.index(action) % len(allowed)])
        assert state in wf.STATES


@given(st.lists(st.sampled_from(ACTIONS), max_size=60))
def test_walks_never_merge_an_order_that_has_had_its_answer(actions):
    """However an appeal got there, once resolved, called back or closed it is not folded into another."""
    state = wf.RECEIVED
    for action in actions:
        allowed = allowed_actions(state)
        if not allowed:
            break
        if state in {wf.RESOLVED, wf.CALLED_BACK, wf.CLOSED}:
            assert "merge" not in allowed
            with pytest.raises(TransitionError):
                next_state(state, "merge")
        else:
            assert "merge" in allowed
        state = next_state(state, allowed[ACTIONS.index(action) % len(allowed)])
