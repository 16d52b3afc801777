"""The demo city's appeal history, planned in memory: who reports what, by which path, with what answers."""

from __future__ import annotations

import datetime as dt
import random
from bisect import bisect
from dataclasses import dataclass
from itertools import accumulate

from django.utils import timezone

from jiayuan.appeals import services, workdays, workflow
from jiayuan.appeals.models import Appeal, AppealEvent, Category, DispatchRule
from jiayuan.organisations.models import Organisation
from jiayuan.people.models import Ownership
from jiayuan.places.models import Community, Compound

from .life import Life

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


def read_city(day: dt.date) -> _City:
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


# --- the history ----------------------------------------------------------------------------------


class HistoryPlanner:
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

    def one(self) -> Life:
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
        life = Life(appeal, self.end)
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

    def walk(self, life: Life, path: str, category: Category, department, community_unit, *, stalled: bool) -> None:
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
                if life.step(
                    "request_extension", self.hours(24, 72), reason="需协调施工单位，申请延期3个工作日", days=3
                ):
                    extended = workdays.add_workdays(appeal.deadline, 3, self.overrides)
                    if life.step("grant_extension", self.hours(2, 24), days=3, extension_days=3, deadline=extended):
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
