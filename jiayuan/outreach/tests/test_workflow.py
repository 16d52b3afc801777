"""The dispute register's machine: every state × every move is allowed or refused exactly as declared."""

import itertools

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from jiayuan.core.workflow import MoveNotAllowed
from jiayuan.outreach import workflow as wf
from jiayuan.outreach.models import Dispute

# The table, written out by hand: state -> {move: target}. Anything not listed is refused.
EXPECTED = {
    wf.OPEN: {"mediate": wf.MEDIATING, "resolve": wf.RESOLVED, "escalate": wf.ESCALATED},
    wf.MEDIATING: {"resolve": wf.RESOLVED, "escalate": wf.ESCALATED},
    wf.RESOLVED: {},
    wf.ESCALATED: {},
}
MOVES = sorted(wf.DISPUTE.moves)
CELLS = list(itertools.product(wf.DISPUTE.states, MOVES))


def test_the_expected_table_covers_every_state_and_only_declared_moves():
    assert set(EXPECTED) == set(wf.DISPUTE.states)
    assert {move for moves in EXPECTED.values() for move in moves} == set(MOVES)


@pytest.mark.parametrize(("state", "move"), CELLS, ids=[f"{s}-{m}" for s, m in CELLS])
def test_each_state_and_move_is_allowed_or_refused_as_declared(state, move):
    target = EXPECTED[state].get(move)
    if target is None:
        with pytest.raises(MoveNotAllowed):
            wf.DISPUTE.next(state, move)
        assert move not in wf.DISPUTE.allowed(state)
    else:
        assert wf.DISPUTE.next(state, move) == target


def test_the_model_offers_exactly_the_declared_states_and_a_new_dispute_is_open():
    assert set(Dispute.Status.values) == set(wf.DISPUTE.states)
    assert Dispute._meta.get_field("status").default == wf.DISPUTE.initial == wf.OPEN


def test_every_state_is_reachable_and_a_settled_dispute_is_terminal():
    assert wf.DISPUTE.reachable() == set(wf.DISPUTE.states)
    assert wf.DISPUTE.terminal == {wf.RESOLVED, wf.ESCALATED}


def test_each_move_is_named_as_the_refusal_reads_it():
    with translation.override("en"):
        assert [wf.DISPUTE.label(move) for move in wf.DISPUTE.moves] == ["mediated", "resolved", "escalated"]


@given(st.lists(st.sampled_from([*MOVES, "teleport"]), max_size=30))
def test_random_walks_stay_inside_the_declared_states_and_end_nowhere_else(moves):
    state = wf.DISPUTE.initial
    for move in moves:
        try:
            following = wf.DISPUTE.next(state, move)
        except MoveNotAllowed:
            assert not wf.DISPUTE.can(state, move)
            continue
        assert state not in wf.DISPUTE.terminal and following in wf.DISPUTE.states
        state = following
    assert state in wf.DISPUTE.states
