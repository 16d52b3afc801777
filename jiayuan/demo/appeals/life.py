"""One demo appeal's life: played forward through the declared moves, with its events and the overdue flags."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from jiayuan.appeals import services, workdays, workflow
from jiayuan.appeals.models import Appeal, AppealEvent

FLAG_HOUR = 2  # the overdue job's nightly run


class Life:
    """Plays one appeal forward through the declared moves until `end`; collects its events."""

    def __init__(self, appeal: Appeal, end: dt.datetime):
        self.appeal = appeal
        self.end = end
        self.events: list[AppealEvent] = []
        self.history: list[tuple[dt.datetime, str, int]] = [(appeal.received_at, appeal.status, appeal.unit_id)]
        self.deadlines: list[tuple[dt.datetime, dt.date]] = [(appeal.received_at, appeal.deadline)]
        self.stopped = False
        self.now = appeal.received_at

    def event(
        self,
        action: str,
        at: dt.datetime,
        *,
        source: str,
        target: str,
        unit_id: int | None,
        reason: str = "",
        days: int | None = None,
        public: bool = True,
    ) -> None:
        self.events.append(
            AppealEvent(
                appeal_id=self.appeal.pk,
                at=at,
                action=action,
                from_status=source,
                to_status=target,
                unit_id=unit_id,
                reason=reason,
                days=days,
                public=public,
            )
        )

    def step(
        self,
        action: str,
        hours: float,
        *,
        reason: str = "",
        days: int | None = None,
        event_unit: int | None = None,
        **changes,
    ) -> bool:
        """Take `action` `hours` after the previous step, if that is before the end; False once stopped."""
        if self.stopped:
            return False
        at = self.now + dt.timedelta(hours=hours)
        if at >= self.end:
            self.stopped = True
            return False
        appeal = self.appeal
        source = appeal.status
        target = workflow.APPEAL.next(source, action)
        for name, value in changes.items():
            setattr(appeal, name, value)
        appeal.status = target
        appeal.version += 1
        self.now = at
        self.event(
            action, at, source=source, target=target, unit_id=event_unit or appeal.unit_id, reason=reason, days=days
        )
        self.history.append((at, target, appeal.unit_id))
        if "deadline" in changes:
            self.deadlines.append((at, appeal.deadline))
        return True

    def rate(self, hours: float, rating: str, *, contacted: bool, solved: bool) -> bool:
        if self.stopped:
            return False
        at = self.now + dt.timedelta(hours=hours)
        if at >= self.end:
            self.stopped = True
            return False
        appeal = self.appeal
        appeal.rating, appeal.rated_at = rating, at
        appeal.rated_contacted, appeal.rated_solved = contacted, solved
        appeal.version += 1
        self.now = at
        self.event(
            "rate",
            at,
            source=appeal.status,
            target=appeal.status,
            unit_id=None,
            reason=services.rating_summary(appeal, ""),
        )
        return self.step("close", 0, reason=_("closed after the resident's rating"), closed_at=at)

    def state_at(self, moment: dt.datetime) -> tuple[str, int]:
        status, unit = self.history[0][1], self.history[0][2]
        for at, each_status, each_unit in self.history:
            if at > moment:
                break
            status, unit = each_status, each_unit
        return status, unit

    def flag_overdue(self, last_day: dt.date, overrides) -> None:
        """What the nightly overdue job would have done: flag once, supervise by the town, then the city."""
        pending = workflow.OPEN_STATES - {workflow.RESOLVED, workflow.CALLED_BACK}
        appeal = self.appeal
        resolved = next((at for at, status, _unit in self.history if status == workflow.RESOLVED), None)
        stop = timezone.localdate(resolved) if resolved else last_day + dt.timedelta(days=1)
        segments = [*self.deadlines]
        bounds = [timezone.localdate(at) for at, _deadline in segments[1:]] + [stop]
        flagged = escalated = None
        for (start, deadline), bound in zip(segments, bounds, strict=True):
            first_late = max(deadline + dt.timedelta(days=1), timezone.localdate(start) + dt.timedelta(days=1))
            if flagged is None and first_late < bound:
                flagged = (first_late, deadline)
            city_day = max(workdays.add_workdays(deadline, 4, overrides), first_late)
            if flagged is not None and escalated is None and city_day < bound and city_day >= flagged[0]:
                escalated = (city_day, deadline)
        if flagged is None:
            return
        for day, deadline, kind in (
            (flagged[0], flagged[1], "town"),
            *(((escalated[0], escalated[1], "city"),) if escalated else ()),
        ):
            at = timezone.make_aware(dt.datetime.combine(day, dt.time(FLAG_HOUR)))
            status, unit = self.state_at(at)
            if status not in pending:
                continue
            if kind == "town":
                appeal.overdue_since = day
                self.event(
                    "overdue",
                    at,
                    source=status,
                    target=status,
                    unit_id=unit,
                    public=False,
                    reason=_("deadline %(date)s passed") % {"date": deadline},
                )
            late = workdays.workdays_between(deadline, day, overrides)
            appeal.supervision = kind
            appeal.version += 1
            self.event(
                "supervise",
                at,
                source=status,
                target=status,
                unit_id=unit,
                public=False,
                reason=_("overdue by %(days)s working days") % {"days": late},
            )
        self.events.sort(key=lambda event: event.at)
