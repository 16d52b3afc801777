"""The appeal's states and the moves between them, declared in one place. Pure: no Django import.

    received ─accept→ accepted ─start→ in_progress ─resolve→ resolved ─close→ closed
        │                │                  │    ↑                │           │
        └──dispatch──────┴──dispatch→ dispatched  │ extension_*    └callback→ called_back ─close→ closed
                                       │  ↑       │                             closed ─reopen→ reopened ─start→ in_progress
                                       │  └reassign── returned ←return─┘ (only from dispatched)

`dispatch` escalates: from the compound to the community, or (the whistle) to a city
department. A returned order is reassigned by the dispatcher to another unit.
"""

from __future__ import annotations

from dataclasses import dataclass

RECEIVED = "received"
ACCEPTED = "accepted"
DISPATCHED = "dispatched"
IN_PROGRESS = "in_progress"
RETURNED = "returned"
REASSIGNED = "reassigned"
EXTENSION_REQUESTED = "extension_requested"
EXTENSION_GRANTED = "extension_granted"
RESOLVED = "resolved"
CALLED_BACK = "called_back"
CLOSED = "closed"
REOPENED = "reopened"
MERGED = "merged"

STATES = (
    RECEIVED,
    ACCEPTED,
    DISPATCHED,
    IN_PROGRESS,
    RETURNED,
    REASSIGNED,
    EXTENSION_REQUESTED,
    EXTENSION_GRANTED,
    RESOLVED,
    CALLED_BACK,
    CLOSED,
    REOPENED,
    MERGED,
)
OPEN_STATES = frozenset(set(STATES) - {CLOSED, MERGED})
# Open orders still waiting for a result: the handling unit has to act on them, and they can be late.
WAITING_STATES = frozenset(OPEN_STATES - {RESOLVED, CALLED_BACK})
# Open311 knows only "open" and "closed": a resolved order is closed for the public.
PUBLIC_CLOSED = frozenset({RESOLVED, CALLED_BACK, CLOSED, MERGED})


@dataclass(frozen=True)
class Move:
    action: str
    source: frozenset[str]
    target: str
    needs_reason: bool = False


MOVES = {
    move.action: move
    for move in (
        Move("accept", frozenset({RECEIVED}), ACCEPTED),
        Move("dispatch", frozenset({RECEIVED, ACCEPTED, DISPATCHED, IN_PROGRESS, REOPENED}), DISPATCHED),
        Move("start", frozenset({ACCEPTED, DISPATCHED, REASSIGNED, EXTENSION_GRANTED, REOPENED}), IN_PROGRESS),
        Move("return", frozenset({DISPATCHED}), RETURNED, needs_reason=True),
        Move("reassign", frozenset({RETURNED}), REASSIGNED),
        Move("request_extension", frozenset({IN_PROGRESS}), EXTENSION_REQUESTED, needs_reason=True),
        Move("grant_extension", frozenset({EXTENSION_REQUESTED}), EXTENSION_GRANTED),
        Move("refuse_extension", frozenset({EXTENSION_REQUESTED}), IN_PROGRESS, needs_reason=True),
        Move("resolve", frozenset({ACCEPTED, IN_PROGRESS, EXTENSION_GRANTED}), RESOLVED),
        Move("callback", frozenset({RESOLVED}), CALLED_BACK),
        Move("close", frozenset({RESOLVED, CALLED_BACK}), CLOSED),
        Move("reopen", frozenset({RESOLVED, CALLED_BACK, CLOSED}), REOPENED, needs_reason=True),
        Move("merge", frozenset(OPEN_STATES), MERGED),
    )
}


class TransitionError(ValueError):
    def __init__(self, action: str, state: str):
        super().__init__(f"cannot {action} an appeal that is {state}")
        self.action = action
        self.state = state


def next_state(state: str, action: str) -> str:
    move = MOVES.get(action)
    if move is None or state not in move.source:
        raise TransitionError(action, state)
    return move.target


def allowed_actions(state: str) -> list[str]:
    return [action for action, move in MOVES.items() if state in move.source]
