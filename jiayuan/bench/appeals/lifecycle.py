"""The random but valid history of one generated appeal. Pure: no Django import.

An appeal climbs the ladder (compound → community → city department) as far as its
level, is accepted, started, perhaps returned and reassigned or extended, resolved,
called back, rated and closed — or stops at an earlier state if it is still open.
Every event is a move that workflow.APPEAL allows from the state before it (the tests
replay every generated history through workflow.APPEAL).

The share of closed appeals depends on the appeal's age, so that old appeals are
mostly closed and the open ones are mostly recent; over 24 months about 85 % are
closed. Old appeals that stay open are mostly resolved orders whose resident never
rated them.
"""

from __future__ import annotations

from typing import NamedTuple

from jiayuan.appeals import workflow as wf

HOUR = 3600
DAY = 86400

COMPOUND, COMMUNITY, DEPARTMENT = "compound", "community", "department"
LEVEL_WEIGHTS = ((COMPOUND, 0.56), (COMMUNITY, 0.24), (DEPARTMENT, 0.20))

# P(closed) by age in days: (upper bound of the age band, probability).
CLOSED_BY_AGE = ((3, 0.05), (14, 0.35), (30, 0.70), (90, 0.85), (10**9, 0.875))
# Where an open appeal stands, for recent (≤ 30 days) and old appeals.
OPEN_WEIGHTS_RECENT = {
    wf.RECEIVED: 3,
    wf.ACCEPTED: 4,
    wf.DISPATCHED: 4,
    wf.RETURNED: 1,
    wf.REASSIGNED: 1,
    wf.IN_PROGRESS: 10,
    wf.EXTENSION_REQUESTED: 1,
    wf.EXTENSION_GRANTED: 1,
    wf.RESOLVED: 6,
    wf.CALLED_BACK: 3,
    wf.REOPENED: 0.5,
}
OPEN_WEIGHTS_OLD = {
    wf.RECEIVED: 0.2,
    wf.ACCEPTED: 0.3,
    wf.DISPATCHED: 0.3,
    wf.RETURNED: 0.2,
    wf.REASSIGNED: 0.2,
    wf.IN_PROGRESS: 2,
    wf.EXTENSION_REQUESTED: 0.3,
    wf.EXTENSION_GRANTED: 0.5,
    wf.RESOLVED: 10,
    wf.CALLED_BACK: 6,
    wf.REOPENED: 0.5,
}
RATINGS = (("satisfied", 0.78), ("basic", 0.14), ("dissatisfied", 0.08))
RATED_SHARE = 0.88  # of closed appeals
CALLBACK_SHARE = 0.40
RETURN_SHARE = 0.06  # of department-level appeals
EXTENSION_SHARE = 0.05
FOUR_PARTY_SHARE = 0.03

EXTENSION_DAYS = 5
DAYS = {"request_extension": EXTENSION_DAYS, "grant_extension": EXTENSION_DAYS}
REASONS = {
    "return": "不属于本部门职责范围，请改派",
    "reassign": "原部门退单，按派单目录改派",
    "request_extension": "需协调多方，申请延期",
    "resolve": "已安排人员现场处理，问题已解决",
    "callback": "电话回访，居民确认已处理",
    "close": "办结",
    "reopen": "问题复发，申请重新办理",
}


class Event(NamedTuple):
    action: str
    from_status: str
    to_status: str
    unit: int
    at: int
    reason: str
    days: int | None = None


class History(NamedTuple):
    status: str
    level: str
    unit: int
    dispatched_at: int | None
    deadline_from: int  # time the current deadline runs from (receipt, or the last dispatch)
    extension_days: int
    contacted_at: int | None
    resolved_at: int | None
    resolved_level: str
    via_four_party: bool
    closed_at: int | None
    rating: str
    rated_at: int | None
    events: list[Event]


def closed_probability(age_days: float) -> float:
    for bound, probability in CLOSED_BY_AGE:
        if age_days < bound:
            return probability
    return CLOSED_BY_AGE[-1][1]


def weighted(rng, pairs) -> str:
    roll = rng.random() * sum(weight for _, weight in pairs)
    for value, weight in pairs:
        roll -= weight
        if roll < 0:
            return value
    return pairs[-1][0]


def pick_level(rng) -> str:
    return weighted(rng, LEVEL_WEIGHTS)


def history(
    rng, *, t0: int, now: int, level: str, branch: int, community: int, department: int, spare_department: int
) -> History:
    """The events of one appeal received at `t0` (epoch seconds) and its state as of `now`."""
    age_days = (now - t0) / DAY
    closed = rng.random() < closed_probability(age_days)
    target = None
    if not closed:
        weights = OPEN_WEIGHTS_RECENT if age_days <= 30 else OPEN_WEIGHTS_OLD
        target = weighted(rng, [(state, weight) for state, weight in weights.items() if _reachable(state, level)])
    rated = closed and rng.random() < RATED_SHARE
    return _walk(
        rng,
        t0=t0,
        now=now,
        level=level,
        branch=branch,
        community=community,
        department=department,
        spare_department=spare_department,
        target=target,
        rated=rated,
    )


def _reachable(state: str, level: str) -> bool:
    if state == wf.DISPATCHED:
        return level != COMPOUND
    if state in (wf.RETURNED, wf.REASSIGNED):
        return level == DEPARTMENT
    return True


def _walk(rng, *, t0, now, level, branch, community, department, spare_department, target, rated) -> History:
    uniform = rng.uniform
    events: list[Event] = []
    state = {
        "status": wf.RECEIVED,
        "unit": branch,
        "level": COMPOUND,
        "t": t0,
        "dispatched_at": None,
        "deadline_from": t0,
        "extension_days": 0,
        "contacted_at": None,
        "resolved_at": None,
        "resolved_level": "",
        "closed_at": None,
        "rating": "",
        "rated_at": None,
    }
    four_party = rng.random() < FOUR_PARTY_SHARE
    # The whole-life pace: most orders are handled within days, a few take weeks.
    pace = uniform(0.3, 1.0) if rng.random() < 0.9 else uniform(1.0, 4.0)

    def step(
        action: str, to_status: str, *, delay: float, unit: int | None = None, event_unit: int | None = None
    ) -> bool:
        """Append one event; True when the walk has reached the open appeal's target state."""
        at = state["t"] + int(delay * pace)
        at = min(at, now - 60) if at >= now else at
        at = max(at, state["t"])
        if unit is not None:
            state["unit"] = unit
        events.append(
            Event(
                action,
                state["status"],
                to_status,
                event_unit or state["unit"],
                at,
                REASONS.get(action, ""),
                DAYS.get(action),
            )
        )
        state["status"], state["t"] = to_status, at
        return target is not None and to_status == target

    events.append(Event("submit", "", wf.RECEIVED, branch, t0, ""))
    if target == wf.RECEIVED:
        return _finish(state, events, level=COMPOUND, four_party=four_party)
    if step("accept", wf.ACCEPTED, delay=uniform(0.1, 18) * HOUR):
        state["contacted_at"] = state["t"]
        return _finish(state, events, level=COMPOUND, four_party=four_party)
    state["contacted_at"] = state["t"]
    current_level = COMPOUND
    if level in (COMMUNITY, DEPARTMENT):
        current_level = COMMUNITY
        reached = step("dispatch", wf.DISPATCHED, delay=uniform(1, 48) * HOUR, unit=community)
        state["dispatched_at"] = state["deadline_from"] = state["t"]
        if reached and level == COMMUNITY:
            return _finish(state, events, level=current_level, four_party=four_party)
    if level == DEPARTMENT:
        current_level = DEPARTMENT
        reached = step("dispatch", wf.DISPATCHED, delay=uniform(1, 48) * HOUR, unit=department)
        state["dispatched_at"] = state["deadline_from"] = state["t"]
        if reached:
            return _finish(state, events, level=current_level, four_party=four_party)
        if target in (wf.RETURNED, wf.REASSIGNED) or rng.random() < RETURN_SHARE:
            # The department returns the order within 2 working days; the community reassigns it.
            if step("return", wf.RETURNED, delay=uniform(2, 40) * HOUR / pace, unit=community, event_unit=department):
                return _finish(state, events, level=COMMUNITY, four_party=four_party)
            if step("reassign", wf.REASSIGNED, delay=uniform(1, 24) * HOUR, unit=spare_department):
                state["dispatched_at"] = state["deadline_from"] = state["t"]
                return _finish(state, events, level=DEPARTMENT, four_party=four_party)
            state["dispatched_at"] = state["deadline_from"] = state["t"]
    if step("start", wf.IN_PROGRESS, delay=uniform(0.5, 30) * HOUR):
        return _finish(state, events, level=current_level, four_party=four_party)
    extended = target in (wf.EXTENSION_REQUESTED, wf.EXTENSION_GRANTED) or rng.random() < EXTENSION_SHARE
    if extended:
        if step("request_extension", wf.EXTENSION_REQUESTED, delay=uniform(1, 4) * DAY):
            return _finish(state, events, level=current_level, four_party=four_party)
        state["extension_days"] = EXTENSION_DAYS
        if step("grant_extension", wf.EXTENSION_GRANTED, delay=uniform(1, 24) * HOUR):
            return _finish(state, events, level=current_level, four_party=four_party)
    reached = step("resolve", wf.RESOLVED, delay=uniform(0.3, 7) * DAY)
    state["resolved_at"], state["resolved_level"] = state["t"], current_level
    if reached:
        return _finish(state, events, level=current_level, four_party=four_party)
    if target == wf.CALLED_BACK or rng.random() < CALLBACK_SHARE:
        if step("callback", wf.CALLED_BACK, delay=uniform(2, 48) * HOUR):
            return _finish(state, events, level=current_level, four_party=four_party)
    if rated or target == wf.REOPENED:
        rating = weighted(rng, RATINGS)
        at = min(state["t"] + int(uniform(1, 72) * HOUR), now - 60)
        at = max(at, state["t"])
        events.append(Event("rate", state["status"], state["status"], state["unit"], at, rating))
        state["t"], state["rating"], state["rated_at"] = at, rating, at
    step("close", wf.CLOSED, delay=uniform(0, 2) * HOUR if state["rating"] else uniform(3, 10) * DAY)
    state["closed_at"] = state["t"]
    if target == wf.REOPENED:
        step("reopen", wf.REOPENED, delay=uniform(2, 72) * HOUR)
        state.update(
            rating="", rated_at=None, closed_at=None, resolved_at=None, resolved_level="", deadline_from=state["t"]
        )
    return _finish(state, events, level=current_level, four_party=four_party)


def _finish(state: dict, events: list[Event], *, level: str, four_party: bool) -> History:
    return History(
        status=state["status"],
        level=level,
        unit=state["unit"],
        dispatched_at=state["dispatched_at"],
        deadline_from=state["deadline_from"],
        extension_days=state["extension_days"],
        contacted_at=state["contacted_at"],
        resolved_at=state["resolved_at"],
        resolved_level=state["resolved_level"],
        via_four_party=four_party and state["resolved_at"] is not None,
        closed_at=state["closed_at"],
        rating=state["rating"],
        rated_at=state["rated_at"],
        events=events,
    )
