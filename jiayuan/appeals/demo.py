"""The demo city's appeal history, and the leaking-pipe story a visitor can finish.

    build_demo_appeals(seed=2026, months=6, count=3000)   # called at the end of core.demo.build_demo

History. About `count` appeals over the last `months` months (up to the start of today), fully
determined by the seed and the day: residents of every compound report problems (reporters are
owners, picked by household so bigger compounds report more; the category mix leans on water,
hygiene, parking, property service and lifts). About 60% are handled by the compound, 15% through
a four-party meeting, and 25% escalate to the community and are whistled to the city department
the dispatch catalogue names (`services.department_for`); a few are returned (退单) and reassigned,
a few get an extension. Each appeal walks the declared moves (`workflow.APPEAL`) with its
AppealEvent rows; deadlines are working days (`workdays.add_workdays` with the holiday table) from
intake and from each dispatch; what had not happened by the start of today stays open, so the
recent orders are open, a few stalled ones are overdue (flagged and supervised as the scheduled
job would have done), and most resolved orders were rated, mostly satisfied. With each rating the resident
answered the 12345 questions: contacted by the handling unit (about 97% yes) and problem solved (about
90% yes), the answers leaning on the rating (a dissatisfied resident often says it was not solved).

It is written the fast way, as the rest of the demo city: the rows are planned in memory and
bulk-created (appeal primary keys assigned up front so numbers follow the JY<date><pk> rule; the
PostgreSQL sequence is reset afterwards), with one "imported" audit entry per table.

The story (“Done when”). The demo resident (吴淑芬, login `resident`) of 金利花园 reports a
leaking pipe through the real services: the property manager accepts it, the compound cannot
fix it and escalates to the community, and the community secretary whistles to the water
department. It is left dispatched at department level, before its deadline, so a visitor
logged in as the water department (login `shuiwu`, created here when a password is given; or as
`admin`) can start and resolve it, the resident can rate it, and the department's rates move on
/appeals/scores/.
"""

from __future__ import annotations

import datetime as dt
import random
from bisect import bisect
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import accumulate

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from jiayuan.core.models import AuditEntry, User
from jiayuan.organisations.models import Organisation, Post
from jiayuan.people.models import Ownership
from jiayuan.places.models import Community, Compound

from . import services, workdays, workflow
from .models import Appeal, AppealEvent, Category, DispatchRule

BATCH = 2000
WATER_LOGIN = "shuiwu"
WATER_DEPARTMENT = "晋江市水务局"
STORY_CATEGORY = "010203"  # 设施设备 › 供水与排水 › 管道漏水
# Who plays the story: the demo logins of the resident, the property manager, the branch secretary, the community.
STORY_LOGINS = {
    "resident": "resident",
    "manager": "jinli-manager",
    "secretary": "jinli-secretary",
    "community": "qinghua",
}
FLAG_HOUR = 2  # the overdue job's nightly run
# Share of each second-level category group among the appeals (unknown groups: 2).
GROUP_WEIGHTS = {
    "0101": 10,
    "0102": 12,
    "0103": 8,
    "0201": 6,
    "0202": 12,
    "0203": 8,
    "0301": 12,
    "0302": 4,
    "0303": 6,
    "0401": 12,
    "0402": 7,
    "9901": 3,
}
CHANNELS = (
    ("resident", 30),
    ("building_head", 12),
    ("grid_worker", 12),
    ("reception", 8),
    ("hotline", 20),
    ("wechat", 18),
)
RATINGS = {  # path -> (satisfied, basically satisfied) shares; the rest dissatisfied
    "compound": (0.84, 0.12),
    "four_party": (0.88, 0.10),
    "department": (0.74, 0.18),
}
# rating -> chances that the resident answers yes to "contacted by the handling unit?" and "problem solved?";
# over the demo's mix of ratings about 97% say contacted and about 90% solved.
ANSWERS = {"satisfied": (0.985, 0.96), "basic": (0.95, 0.78), "dissatisfied": (0.85, 0.30)}
SNIPPETS = {
    "0101": ("电梯经常停运，老人上下楼很不方便", "电梯运行时有异响，担心安全", "电梯按钮失灵"),
    "0102": ("家里水管渗水，楼下天花板已经发霉", "楼道里的水管一直在滴水", "下水道返味严重"),
    "0103": ("小区路灯晚上不亮，出行不安全", "小区道路坑洼，雨天积水", "健身器材螺丝松动"),
    "0201": ("绿化带长期无人修剪", "有住户在绿地上种菜", "大树枝条伸到窗户边"),
    "0202": ("垃圾桶满了没人清运，气味很大", "楼道堆满杂物", "化粪池外溢"),
    "0203": ("楼上装修电钻声从早到晚", "楼下店铺音响太吵", "夜里工地还在施工"),
    "0301": ("消防通道被私家车堵住", "外来车辆占用业主车位", "想在车位安装充电桩"),
    "0302": ("顶楼住户私搭阳光房", "一楼住户违规扩建院子"),
    "0303": ("楼道里有电动车充电", "高楼有人往下扔东西", "消防栓没有水"),
    "0401": ("物业保洁不到位", "物业费收支不公开", "电梯广告收益去向不明"),
    "0402": ("楼上卫生间漏水到我家", "邻居家狗夜里一直叫", "邻居在楼道堆放杂物"),
}
GENERIC_SNIPPET = ("希望尽快处理", "已经反映多次，希望有人跟进")
RESOLUTIONS = {
    "compound": (
        "物业已安排维修人员处理完毕，业主确认。",
        "小区党支部协调物业当天处理，已回复业主。",
        "楼栋长上门了解情况，物业已整改到位。",
    ),
    "four_party": (
        "经小区四方联席会议协商，物业、业委会分工负责，已处理完毕。",
        "四方联席会议议定整改方案，由物业实施，业委会监督，已完成。",
    ),
    "department": ("{unit}已派员到场处置，问题已解决。", "{unit}会同社区、物业现场办公，已整改到位。"),
}


def demo_logins() -> list[tuple[str, str]]:
    """(username, role) of the logins this module adds to the demo city's, for `jiayuan demo` to list."""
    return [(WATER_LOGIN, _("water department staff"))]


@dataclass
class DemoAppeals:
    counts: dict[str, int]
    story: Appeal | None = None
    water_login: str = ""
    skipped: list[str] = field(default_factory=list)


# --- reading what the demo city holds ----------------------------------------------------------


@dataclass
class _City:
    owners: list[tuple]  # (person_id, name, room_id, room number, building_id, building number, compound_id)
    compounds: dict[int, tuple[str, int, int]]  # pk -> (name, community_id, town_id)
    branch_of: dict[int, int]  # compound -> its party branch (the compound-level unit)
    community_unit_of: dict[int, int]  # community -> its party committee
    categories: list[Category]
    category_weights: list[float]
    departments: dict[int, str]  # pk -> name


def _read_city(day: dt.date) -> _City:
    owners = list(
        Ownership.objects.filter(person__isnull=False, start_date__lte=day, end_date__isnull=True)
        .order_by("pk")
        .values_list(
            "person_id",
            "person__name",
            "room_id",
            "room__number",
            "room__unit__building_id",
            "room__unit__building__number",
            "room__unit__building__compound_id",
        )
    )
    compounds = {
        pk: (name, community, town)
        for pk, name, community, town in Compound.objects.values_list(
            "pk", "name", "community_id", "community__town_id"
        )
    }
    branch_of: dict[int, int] = {}
    through = Organisation.compounds.through
    for compound_id, org_id in (
        through.objects.filter(
            organisation__in=Organisation.objects.active_on(day).filter(kind=Organisation.Kind.COMPOUND_BRANCH)
        )
        .order_by("organisation_id")
        .values_list("compound_id", "organisation_id")
    ):
        branch_of.setdefault(compound_id, org_id)
    community_unit_of: dict[int, int] = {}
    for community_id, org_id in (
        Organisation.objects.filter(kind=Organisation.Kind.COMMUNITY_PARTY, dissolved_on__isnull=True)
        .order_by("pk")
        .values_list("community_id", "pk")
    ):
        community_unit_of.setdefault(community_id, org_id)
    categories = list(Category.objects.filter(active=True, level=3).select_related("parent__parent").order_by("code"))
    groups: dict[str, int] = {}
    for category in categories:
        groups[category.parent.code] = groups.get(category.parent.code, 0) + 1
    weights = [GROUP_WEIGHTS.get(c.parent.code, 2) / groups[c.parent.code] for c in categories]
    departments = dict(
        Organisation.objects.filter(kind=Organisation.Kind.DEPARTMENT, dissolved_on__isnull=True).values_list(
            "pk", "name"
        )
    )
    return _City(
        owners=[row for row in owners if row[6] in branch_of],
        compounds=compounds,
        branch_of=branch_of,
        community_unit_of=community_unit_of,
        categories=categories,
        category_weights=weights,
        departments=departments,
    )


# --- one appeal's life ---------------------------------------------------------------------------


class _Life:
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
                public=public,
            )
        )

    def step(self, action: str, hours: float, *, reason: str = "", event_unit: int | None = None, **changes) -> bool:
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
        self.event(action, at, source=source, target=target, unit_id=event_unit or appeal.unit_id, reason=reason)
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


# --- the history ----------------------------------------------------------------------------------


class _Planner:
    def __init__(self, seed: int, city: _City, start: dt.datetime, end: dt.datetime, first_pk: int):
        self.rng = random.Random(seed)
        self.city = city
        self.start, self.end = start, end
        self.next_pk = first_pk
        self.overrides = _calendar(timezone.localdate(start), timezone.localdate(end))
        self._deadlines: dict[tuple[dt.date, int], dt.date] = {}
        self._dispatch: dict[tuple, Organisation | None] = {}
        self._dispatch_key = _dispatch_key()
        self.category_cumulative = list(accumulate(city.category_weights))
        self.channel_cumulative = list(accumulate(weight for _name, weight in CHANNELS))
        self.catalogue_departments: list[int] = []

    def deadline(self, moment: dt.datetime, days: int) -> dt.date:
        key = (timezone.localdate(moment), days)
        if key not in self._deadlines:
            self._deadlines[key] = workdays.add_workdays(key[0], days, self.overrides)
        return self._deadlines[key]

    def department(self, category: Category, compound_id: int) -> Organisation | None:
        key = self._dispatch_key(category.pk, self.city.compounds[compound_id])
        if key not in self._dispatch:
            self._dispatch[key] = services.department_for(category=category, compound=self._compound(compound_id))
        return self._dispatch[key]

    def _compound(self, compound_id: int):
        name, community_id, town_id = self.city.compounds[compound_id]
        return Compound(pk=compound_id, name=name, community=Community(pk=community_id, town_id=town_id))

    def pick(self, cumulative, items):
        return items[bisect(cumulative, self.rng.random() * cumulative[-1])]

    def hours(self, low: float, high: float) -> float:
        return self.rng.uniform(low, high)

    def received(self) -> dt.datetime:
        """A moment in the history, mostly in the daytime."""
        span = (self.end - self.start).total_seconds()
        moment = self.start + dt.timedelta(seconds=self.rng.random() * span)
        local = timezone.localtime(moment)
        if local.hour < 7 or local.hour >= 22:
            moment += dt.timedelta(hours=self.rng.uniform(9, 12))
        return min(moment, self.end - dt.timedelta(minutes=30))

    def plan(self, count: int) -> tuple[list[Appeal], list[AppealEvent]]:
        appeals, events = [], []
        for _index in range(count):
            life = self.one()
            appeals.append(life.appeal)
            events.extend(life.events)
        return appeals, events

    def one(self) -> _Life:
        rng, city = self.rng, self.city
        owner = rng.choice(city.owners)
        person_id, person_name, room_id, room_number, building_id, building_number, compound_id = owner
        category = self.pick(self.category_cumulative, city.categories)
        roll = rng.random()
        path = "compound" if roll < 0.60 else "four_party" if roll < 0.75 else "department"
        department = self.department(category, compound_id) if path == "department" else None
        community_unit = city.community_unit_of.get(city.compounds[compound_id][1])
        if path == "department" and (department is None or community_unit is None):
            path = "compound"  # the catalogue names no department for this problem here (or no community to whistle)
            department = None
        if department is not None and department.pk not in self.catalogue_departments:
            self.catalogue_departments.append(department.pk)
        channel = self.pick(self.channel_cumulative, [name for name, _weight in CHANNELS])
        if path == "four_party" and rng.random() < 0.6:
            channel = Appeal.Channel.FOUR_PARTY
        received = self.received()
        branch = city.branch_of[compound_id]
        pk = self.next_pk
        self.next_pk += 1
        group = category.parent.code
        snippet = rng.choice(SNIPPETS.get(group, GENERIC_SNIPPET))
        compound_name = city.compounds[compound_id][0]
        appeal = Appeal(
            pk=pk,
            number=f"JY{timezone.localtime(received):%Y%m%d}{pk:07d}",
            channel=channel,
            category=category,
            title=f"{building_number}{category.name}"[:100],
            description=f"{compound_name}{building_number}{room_number}住户反映：{snippet}。",
            compound_id=compound_id,
            building_id=building_id,
            room_id=room_id,
            reporter_id=person_id,
            contact_name=person_name,
            status=workflow.RECEIVED,
            level=Appeal.Level.COMPOUND,
            unit_id=branch,
            first_unit_id=branch,
            received_at=received,
            deadline=self.deadline(received, category.deadline_days),
            via_four_party=channel == Appeal.Channel.FOUR_PARTY,
        )
        life = _Life(appeal, self.end)
        life.event(
            "submit",
            received,
            source="",
            target=workflow.RECEIVED,
            unit_id=branch,
            reason=str(Appeal.Channel(channel).label),
        )
        stalled = rng.random() < 0.03
        self.walk(life, path, category, department, community_unit, stalled=stalled)
        life.flag_overdue(timezone.localdate(self.end) - dt.timedelta(days=1), self.overrides)
        return life

    def walk(self, life: _Life, path: str, category: Category, department, community_unit, *, stalled: bool) -> None:
        rng, appeal = self.rng, life.appeal
        days = category.deadline_days
        if life.step("accept", self.hours(0.3, 10)):
            appeal.contacted_at = life.now
        life.step("start", self.hours(0.5, 20))
        if path == "department":
            if life.step(
                "dispatch",
                self.hours(12, 60),
                reason="小区无法解决，上报社区",
                unit_id=community_unit,
                level=Appeal.Level.COMMUNITY,
                extension_days=0,
            ):
                appeal.dispatched_at = life.now
                appeal.deadline = self.deadline(life.now, days)
                life.deadlines.append((life.now, appeal.deadline))
            life.step("start", self.hours(1, 12))
            if life.step(
                "dispatch",
                self.hours(6, 48),
                reason=f"小区吹哨：请{department.name}到场处置",
                unit_id=department.pk,
                level=Appeal.Level.DEPARTMENT,
                extension_days=0,
            ):
                appeal.dispatched_at = life.now
                appeal.deadline = self.deadline(life.now, days)
                life.deadlines.append((life.now, appeal.deadline))
            if rng.random() < 0.08 and len(self.catalogue_departments) > 1:
                returning = appeal.unit_id
                if life.step(
                    "return",
                    self.hours(2, 20),
                    reason="经核实不属于本部门职责，请改派",
                    event_unit=returning,
                    unit_id=community_unit,
                    level=Appeal.Level.COMMUNITY,
                ):
                    other = rng.choice([pk for pk in self.catalogue_departments if pk != returning])
                    if life.step(
                        "reassign",
                        self.hours(2, 24),
                        reason="改派至责任部门",
                        unit_id=other,
                        level=Appeal.Level.DEPARTMENT,
                    ):
                        appeal.dispatched_at = life.now
                        appeal.deadline = self.deadline(life.now, days)
                        life.deadlines.append((life.now, appeal.deadline))
            life.step("start", self.hours(1, 24))
            if rng.random() < 0.06:
                if life.step("request_extension", self.hours(24, 72), reason="3|需协调施工单位，申请延期3个工作日"):
                    extended = workdays.add_workdays(appeal.deadline, 3, self.overrides)
                    if life.step("grant_extension", self.hours(2, 24), reason="3", extension_days=3, deadline=extended):
                        pass
            work = self.hours(20, 190)
        elif path == "four_party":
            work = self.hours(24, 170)
        else:
            work = self.hours(4, 90) if rng.random() > 0.06 else self.hours(100, 260)
        if stalled:
            return
        unit_name = self.city.departments.get(appeal.unit_id, "")
        resolution = rng.choice(RESOLUTIONS[path]).format(unit=unit_name)
        if not life.step(
            "resolve",
            work,
            reason=resolution,
            resolution=resolution,
            resolved_level=appeal.level,
            via_four_party=appeal.via_four_party or path == "four_party",
        ):
            return
        appeal.resolved_at = life.now
        if appeal.contacted_at is None:
            appeal.contacted_at = life.now
        if rng.random() < 0.88:
            satisfied, basic = RATINGS[path]
            roll = rng.random()
            rating = "satisfied" if roll < satisfied else "basic" if roll < satisfied + basic else "dissatisfied"
            yes_contacted, yes_solved = ANSWERS[rating]
            life.rate(
                self.hours(3, 72), rating, contacted=rng.random() < yes_contacted, solved=rng.random() < yes_solved
            )
        elif life.step("close", self.hours(7.5 * 24, 10 * 24), reason="回访未获评价，按期办结"):
            appeal.closed_at = life.now


def _calendar(first: dt.date, last: dt.date) -> dict[dt.date, bool]:
    """Every day from a month before `first` to 200 days after `last`: working day or not, on the official
    calendar with the admin holiday table. Passed to workdays as overrides, it makes each lookup a dict hit."""
    table = services.holiday_overrides()
    day, calendar = first - dt.timedelta(days=31), {}
    while day <= last + dt.timedelta(days=200):
        calendar[day] = workdays.is_workday(day, table)
        day += dt.timedelta(days=1)
    return calendar


def _dispatch_key():
    """What services.department_for's answer depends on: the category, and the community or town only where
    the catalogue has rules that specific (the seeded catalogue is city-wide)."""
    if DispatchRule.objects.filter(community__isnull=False).exists():
        return lambda category_id, compound: (category_id, compound[1])
    if DispatchRule.objects.filter(town__isnull=False).exists():
        return lambda category_id, compound: (category_id, compound[2])
    return lambda category_id, compound: (category_id,)


@contextmanager
def _given_event_times():
    """bulk_create would stamp AppealEvent.at with the current time (auto_now_add); keep the planned times."""
    at = AppealEvent._meta.get_field("at")
    saved = at.auto_now_add
    at.auto_now_add = False
    try:
        yield
    finally:
        at.auto_now_add = saved


def _reset_sequences(*models) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


# --- the story --------------------------------------------------------------------------------------


def _water_login(password: str | None) -> str:
    """A login for a member of the water department's staff, so a visitor can finish the story."""
    if not password:
        return ""
    if User.objects.filter(username=WATER_LOGIN).exists():
        return WATER_LOGIN
    post = (
        Post.objects.filter(
            organisation__name=WATER_DEPARTMENT,
            organisation__kind=Organisation.Kind.DEPARTMENT,
            role=Post.Role.DEPARTMENT_STAFF,
            end_date__isnull=True,
        )
        .exclude(person_id__in=User.objects.filter(person__isnull=False).values("person_id"))
        .select_related("person")
        .order_by("pk")
        .first()
    )
    if post is None:
        return ""
    user = User(username=WATER_LOGIN, person=post.person)
    user.set_password(password)
    user.save()
    return WATER_LOGIN


def _story() -> Appeal | None:
    """The leaking pipe of the demo resident in 金利花园, through the real services, left with the water department."""
    by_name = {user.username: user for user in User.objects.filter(username__in=STORY_LOGINS.values())}
    users = {role: by_name[name] for role, name in STORY_LOGINS.items() if name in by_name}
    category = (
        Category.objects.filter(code=STORY_CATEGORY, active=True).first()
        or Category.objects.filter(name__contains="漏水", level=3, active=True).order_by("code").first()
    )
    if len(users) < 4 or category is None:
        return None
    resident = users["resident"]
    ownership = (
        Ownership.objects.filter(person_id=resident.person_id, end_date__isnull=True)
        .select_related("room__unit__building__compound")
        .order_by("pk")
        .first()
    )
    if ownership is None:
        return None
    room = ownership.room
    building, compound = room.unit.building, room.unit.building.compound
    appeal = services.appeal_submit(
        actor=resident,
        channel=Appeal.Channel.RESIDENT,
        category=category,
        title="卫生间墙内水管漏水",
        description=(
            f"{building.number}{room.number}卫生间墙内水管漏水，墙面渗水发霉，楼下邻居天花板也开始滴水，"
            "请尽快派人维修。"
        ),
        compound=compound,
        building=building,
        room=room,
    )
    appeal = services.appeal_accept(actor=users["manager"], appeal=appeal)
    appeal = services.appeal_dispatch(
        actor=users["secretary"],
        appeal=appeal,
        reason="物业维修人员已上门查看：漏点在楼内公共供水立管，需停水更换管段，超出物业维修能力，上报社区。",
    )
    department = (
        services.department_for(category=category, compound=compound)
        or Organisation.objects.filter(kind=Organisation.Kind.DEPARTMENT, name=WATER_DEPARTMENT).first()
    )
    if department is None:
        return appeal
    return services.appeal_dispatch(
        actor=users["community"],
        appeal=appeal,
        department=department,
        reason="小区吹哨：供水立管属供水部门维护范围，请水务部门到场处置。",
    )


# --- the entry point -------------------------------------------------------------------------------


def build_demo_appeals(
    seed: int = 2026,
    months: int = 6,
    count: int = 3000,
    *,
    today: dt.date | None = None,
    password: str | None = None,
    story: bool = True,
) -> DemoAppeals:
    """Write the appeal history of the demo city and the leaking-pipe story. Call inside the demo's transaction."""
    from jiayuan.core.demo.data import DEMO_NOTE

    if months < 1 or count < 0:
        raise ValueError("months must be at least 1 and count not negative")
    today = today or timezone.localdate()
    result = DemoAppeals(counts={})
    city = _read_city(today)
    if not city.owners or not city.categories:
        result.skipped.append("no owners or no categories: the appeal history was not built")
        return result
    end = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    first_month = dt.date(today.year, today.month, 1)
    for _step in range(months - 1):
        first_month = (first_month - dt.timedelta(days=1)).replace(day=1)
    start = timezone.make_aware(dt.datetime.combine(first_month, dt.time.min))
    first_pk = (Appeal.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
    appeals, events = _Planner(seed, city, start, end, first_pk).plan(count)
    Appeal.objects.bulk_create(appeals, batch_size=BATCH)
    with _given_event_times():
        AppealEvent.objects.bulk_create(events, batch_size=BATCH)
    _reset_sequences(Appeal)
    result.counts = {"appeals.appeal": len(appeals), "appeals.appealevent": len(events)}
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                actor=None,
                actor_name="system",
                action=AuditEntry.Action.IMPORT,
                object_type=label,
                object_id="*",
                object_repr=f"demo appeals: {number} rows",
                note=f"{DEMO_NOTE}, seed {seed}: {number} rows bulk-created (appeal history)",
            )
            for label, number in result.counts.items()
        ]
    )
    result.water_login = _water_login(password)
    if story:
        result.story = _story()
        if result.story is not None:  # written through the services, one appeal and its events
            result.counts["appeals.appeal"] += 1
            result.counts["appeals.appealevent"] += result.story.events.count()
    return result
