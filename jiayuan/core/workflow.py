"""The one shape of every workflow: a status field's states and the moves declared between them.

A `Machine` is data. Each `Move` has a name, the states it may start from and the state it leads to:

    DISPUTE = Machine(
        "dispute",
        states=("open", "mediating", "resolved", "escalated"),
        initial="open",
        moves=(
            Move("mediate", {"open"}, "mediating"),
            Move("resolve", {"open", "mediating"}, "resolved"),
            Move("escalate", {"open", "mediating"}, "escalated"),
        ),
    )
    DISPUTE.next("open", "mediate")        # "mediating"
    DISPUTE.next("resolved", "mediate")    # raises MoveNotAllowed
    DISPUTE.allowed("mediating")           # ("resolve", "escalate")
    DISPUTE.terminal                       # {"resolved", "escalated"}

A move whose target is `STAY` is something a state permits without leaving it: casting a ballot while a
meeting is announced, nominating while a campaign takes nominations. Declared beside the other moves, the
rule "only in these states" lives in one place instead of in the service that does the thing.

The machine answers only "may this state take this move, and where does it lead". Who may make the move,
and what else it needs (enough candidates, every review decided), stays with the app's rules and services,
which turn a `MoveNotAllowed` into the message they show. Pure: no Django import.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from types import MappingProxyType

STAY = None  # the target of a move that keeps the state


@dataclass(frozen=True)
class Move:
    """`name`, from any state of `source`, leads to `target` (STAY: the state does not change).

    `label` names the move in messages (a lazy translation; the name itself when empty); `needs_reason`
    marks a move that must say why it is made."""

    name: str
    source: frozenset[str]
    target: str | None
    label: object = ""
    needs_reason: bool = field(default=False, kw_only=True)

    def __post_init__(self):
        object.__setattr__(self, "source", frozenset(self.source))


class MoveNotAllowed(ValueError):
    """The move `move` is not declared from `state` (or the machine knows neither)."""

    def __init__(self, machine: str, state: str, move: str):
        super().__init__(f"{machine}: cannot {move} from {state!r}")
        self.machine = machine
        self.state = state
        self.move = move

    @property
    def action(self) -> str:
        """The refused move's name, as the appeal code calls it (an action)."""
        return self.move


class Machine:
    """The states of one status field, where it starts, and its moves (kept in declaration order).

    The declaration is checked when it is made: distinct states that include the initial one, every
    source and target a declared state, no move declared twice. Immutable once built."""

    __slots__ = ("name", "states", "initial", "moves")

    def __init__(self, name: str, *, states: Iterable[str], initial: str, moves: Iterable[Move]):
        states = tuple(states)
        if len(set(states)) != len(states) or initial not in states:
            raise ValueError(f"{name}: the states must be distinct and include the initial state {initial!r}")
        declared: dict[str, Move] = {}
        for move in moves:
            if move.name in declared:
                raise ValueError(f"{name}: the move {move.name!r} is declared twice")
            named = move.source | ({move.target} if move.target is not STAY else set())
            if not move.source or not named <= set(states):
                raise ValueError(
                    f"{name}: the move {move.name!r} names undeclared states {sorted(named - set(states))}"
                )
            declared[move.name] = move
        self.name = name
        self.states = states
        self.initial = initial
        self.moves = MappingProxyType(declared)

    def __repr__(self) -> str:
        return f"Machine({self.name!r}, {len(self.states)} states, {len(self.moves)} moves)"

    def next(self, state: str, move: str) -> str:
        """The state `move` leads to from `state`; MoveNotAllowed if it is not declared from there."""
        declared = self.moves.get(move)
        if declared is None or state not in declared.source:
            raise MoveNotAllowed(self.name, state, move)
        return state if declared.target is STAY else declared.target

    def can(self, state: str, move: str) -> bool:
        declared = self.moves.get(move)
        return declared is not None and state in declared.source

    def allowed(self, state: str) -> tuple[str, ...]:
        """The moves declared from `state`, in declaration order."""
        return tuple(name for name, move in self.moves.items() if state in move.source)

    def label(self, move: str) -> str:
        """The move's name for messages, in the active language (an unknown move: its name as given)."""
        declared = self.moves.get(move)
        return str(declared.label or declared.name) if declared is not None else move

    @property
    def terminal(self) -> frozenset[str]:
        """The states no declared move starts from."""
        return frozenset(state for state in self.states if not self.allowed(state))

    def reachable(self, start: str | None = None) -> frozenset[str]:
        """Every state that declared moves lead to from `start` (the initial state), `start` included."""
        seen = {self.initial if start is None else start}
        frontier = list(seen)
        while frontier:
            state = frontier.pop()
            for name in self.allowed(state):
                following = self.next(state, name)
                if following not in seen:
                    seen.add(following)
                    frontier.append(following)
        return frozenset(seen)
