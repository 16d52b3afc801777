"""The election's three machines: every state × every move is allowed or refused exactly as declared."""

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiayuan.core.workflow import MoveNotAllowed
from jiayuan.elections import workflow as wf
from jiayuan.elections.models import Campaign, Candidate, GeneralMeeting

# The tables, written out by hand: state -> {move: target}. Anything not listed is refused.
OPEN_STAGE_MOVES = {"cancel": wf.CANCELLED, "add_preparatory_member": None}
BEFORE_THE_VOTE = {**OPEN_STAGE_MOVES, "withdraw_candidate": None}
CAMPAIGN = {
    wf.NOMINATING: {**BEFORE_THE_VOTE, "review": wf.REVIEWING, "nominate": None},
    wf.REVIEWING: {**BEFORE_THE_VOTE, "interview": wf.INTERVIEWING, "record_review": None},
    wf.INTERVIEWING: {**BEFORE_THE_VOTE, "publish_slate": wf.NOTICE, "record_interview": None},
    wf.NOTICE: {**BEFORE_THE_VOTE, "campaign": wf.CAMPAIGNING, "lodge_objection": None, "answer_objection": None},
    wf.CAMPAIGNING: {
        **BEFORE_THE_VOTE,
        "vote": wf.VOTING,
        "answer_objection": None,
        "record_campaign_meeting": None,
        "record_speech": None,
        "call_meeting": None,
    },
    wf.VOTING: {**OPEN_STAGE_MOVES, "elect": wf.ELECTED, "reschedule": wf.CAMPAIGNING},
    wf.ELECTED: {"choose_officers": None},
    wf.CANCELLED: {},
}
WITHDRAW = {"withdraw": wf.WITHDRAWN}
CANDIDATE = {
    wf.NOMINATED: {**WITHDRAW, "review": wf.UNDER_REVIEW},
    wf.UNDER_REVIEW: {**WITHDRAW, "record_review": None, "qualify": wf.QUALIFIED, "disqualify": wf.DISQUALIFIED},
    wf.QUALIFIED: {
        **WITHDRAW,
        "record_review": None,
        "disqualify": wf.DISQUALIFIED,
        "reconsider": wf.UNDER_REVIEW,
        "record_interview": None,
        "fail_interview": wf.INTERVIEW_FAILED,
        "put_on_slate": wf.ON_SLATE,
    },
    wf.DISQUALIFIED: {**WITHDRAW, "record_review": None, "qualify": wf.QUALIFIED, "reconsider": wf.UNDER_REVIEW},
    wf.INTERVIEW_FAILED: {**WITHDRAW, "record_interview": None, "pass_interview": wf.QUALIFIED},
    wf.ON_SLATE: {
        **WITHDRAW,
        "lodge_objection": None,
        "strike_off": wf.STRUCK_OFF,
        "record_speech": None,
        "elect": wf.ELECTED,
        "not_elect": wf.NOT_ELECTED,
    },
    wf.STRUCK_OFF: {},
    wf.WITHDRAWN: {},
    wf.ELECTED: {},
    wf.NOT_ELECTED: {},
}
MEETING = {
    wf.DRAFT: {"add_motion": None, "announce": wf.ANNOUNCED, "cancel": wf.CANCELLED},
    wf.ANNOUNCED: {
        "cast": None,
        "check_paper": None,
        "correct_ballot": None,
        "count": wf.COUNTED,
        "cancel": wf.CANCELLED,
    },
    wf.COUNTED: {"publish": wf.PUBLISHED},
    wf.PUBLISHED: {},
    wf.CANCELLED: {},
}
MACHINES = {
    "campaign": (wf.CAMPAIGN, CAMPAIGN),
    "candidate": (wf.CANDIDATE, CANDIDATE),
    "meeting": (wf.MEETING, MEETING),
}
CELLS = [
    (name, state, move)
    for name, (machine, _table) in MACHINES.items()
    for state, move in itertools.product(machine.states, machine.moves)
]


@pytest.mark.parametrize("name", MACHINES)
def test_the_expected_table_covers_every_state_and_only_declared_moves(name):
    machine, table = MACHINES[name]
    assert set(table) == set(machine.states)
    assert {move for moves in table.values() for move in moves} == set(machine.moves)


@pytest.mark.parametrize(("name", "state", "move"), CELLS, ids=[f"{n}-{s}-{m}" for n, s, m in CELLS])
def test_each_state_and_move_is_allowed_or_refused_as_declared(name, state, move):
    machine, table = MACHINES[name]
    if move not in table[state]:
        with pytest.raises(MoveNotAllowed):
            machine.next(state, move)
        assert not machine.can(state, move)
    else:
        assert machine.next(state, move) == (table[state][move] or state)
        assert move in machine.allowed(state)


@pytest.mark.parametrize(
    ("machine", "model_states", "initial"),
    [
        (wf.CAMPAIGN, Campaign.Status.values, Campaign._meta.get_field("status").default),
        (wf.CANDIDATE, Candidate.Status.values, Candidate._meta.get_field("status").default),
        (wf.MEETING, GeneralMeeting.Status.values, GeneralMeeting._meta.get_field("status").default),
    ],
    ids=["campaign", "candidate", "meeting"],
)
def test_each_machine_declares_exactly_the_states_its_model_offers_and_starts_where_a_new_row_does(
    machine, model_states, initial
):
    assert set(machine.states) == set(model_states)
    assert machine.initial == initial


def test_the_candidate_machine_has_the_ten_states():
    assert len(wf.CANDIDATE.states) == 10


@pytest.mark.parametrize("name", MACHINES)
def test_every_declared_state_is_reachable_from_the_initial_state(name):
    machine, _table = MACHINES[name]
    assert machine.reachable() == set(machine.states)


def test_the_terminal_states():
    assert wf.CAMPAIGN.terminal == {wf.CANCELLED}
    assert wf.CANDIDATE.terminal == {wf.ELECTED, wf.NOT_ELECTED, wf.STRUCK_OFF, wf.WITHDRAWN}
    assert wf.MEETING.terminal == {wf.PUBLISHED, wf.CANCELLED}


def test_the_stage_bar_and_the_open_stages_follow_the_campaign_machine():
    assert wf.STAGES == wf.CAMPAIGN.states[: len(wf.STAGES)] and set(wf.CAMPAIGN.states) - set(wf.STAGES) == {
        wf.CANCELLED
    }
    assert wf.OPEN_STAGES == wf.CAMPAIGN.moves["cancel"].source


def test_only_a_candidate_still_standing_may_withdraw():
    assert wf.CANDIDATE.moves["withdraw"].source == wf.STANDING
    assert not wf.CANDIDATE.can(wf.STRUCK_OFF, "withdraw") and not wf.CANDIDATE.can(wf.WITHDRAWN, "withdraw")


@pytest.mark.parametrize("name", MACHINES)
@given(data=st.data())
def test_random_walks_stay_inside_the_declared_states(name, data):
    machine, _table = MACHINES[name]
    moves = sorted(machine.moves) + ["teleport"]
    state = machine.initial
    for move in data.draw(st.lists(st.sampled_from(moves), max_size=60)):
        try:
            following = machine.next(state, move)
        except MoveNotAllowed:
            assert move not in machine.allowed(state)
            continue
        assert following in machine.states
        assert state not in machine.terminal  # nothing leaves a terminal state
        state = following
    assert state in machine.states


@pytest.mark.parametrize("name", MACHINES)
@given(data=st.data())
def test_walks_taking_only_allowed_moves_go_on_until_a_terminal_state(name, data):
    machine, _table = MACHINES[name]
    state = machine.initial
    for _step in range(data.draw(st.integers(0, 60))):
        allowed = machine.allowed(state)
        if state in machine.terminal:
            assert allowed == ()
            break
        state = machine.next(state, data.draw(st.sampled_from(allowed)))
        assert state in machine.states


def test_general_meeting_statuses_are_the_declared_ones():
    assert set(GeneralMeeting.Status.values) == {"draft", "announced", "counted", "published", "cancelled"}
