"""The COPY lines of generated appeals and their events, one appeal at a time, in constant memory."""

from __future__ import annotations

import datetime as dt
import random

from jiayuan.appeals import workdays
from jiayuan.appeals.models import Appeal, AppealEvent

from . import lifecycle
from .places import Places, Scale

UTC_OFFSET_LOCAL = 8 * 3600  # Asia/Shanghai, no daylight saving
CHANNEL_WEIGHTS = (
    ("hotline", 0.35),
    ("resident", 0.20),
    ("grid_worker", 0.12),
    ("wechat", 0.10),
    ("building_head", 0.08),
    ("open311", 0.07),
    ("reception", 0.05),
    ("four_party", 0.03),
)
FRAGMENTS = ("小区", "楼道内", "地下车库", "单元门口", "楼顶", "绿化带旁", "电梯间", "消防通道", "围墙边")
PROBLEMS = (
    "已经持续好几天了",
    "多次向物业反映未果",
    "影响居民正常生活",
    "存在安全隐患",
    "老人小孩出行不便",
    "夜间尤其严重",
    "请相关部门尽快处理",
    "希望尽快安排人员查看",
    "邻居们都很着急",
    "下雨天更加明显",
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾"
RESOLUTIONS = (
    "已安排维修人员现场处理，问题已解决。",
    "经协调物业公司完成整改，已回复居民。",
    "部门已现场核查并依法处置，后续将持续跟踪。",
    "已召开四方协商会议，达成处理方案并落实。",
)

APPEAL_COLUMNS = [
    "id",
    "number",
    "channel",
    "category_id",
    "title",
    "description",
    "compound_id",
    "latitude",
    "longitude",
    "contact_name",
    "contact_phone",
    "contact_phone_hash",
    "contact_email",
    "status",
    "level",
    "unit_id",
    "first_unit_id",
    "received_at",
    "dispatched_at",
    "deadline",
    "extension_days",
    "contacted_at",
    "resolved_at",
    "resolved_level",
    "via_four_party",
    "resolution",
    "closed_at",
    "rating",
    "rated_at",
    "rating_comment",
    "supervision",
    "overdue_since",
    "version",
    "public",
    "public_summary",
]
# The resident's answers given with a rating (contacted? solved?), where the model has them.
ANSWER_COLUMNS = ["rated_contacted", "rated_solved"]
ANSWER_SOLVED = {"satisfied": 0.97, "basic": 0.85, "dissatisfied": 0.30}
NULL = r"\N"  # COPY's null
EVENT_COLUMNS = ["id", "appeal_id", "at", "action", "from_status", "to_status", "unit_id", "reason", "days", "public"]


# --- appeals and events -------------------------------------------------------------------


class Clock:
    """Fast text for timestamps and dates of generated rows (UTC timestamps, local dates)."""

    def __init__(self, now: int, overrides=None):
        self.now = now
        self._dates: dict[int, str] = {}
        self._hms = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(86400)]
        self._deadlines: dict[tuple[int, int], tuple[str, dt.date]] = {}
        self._numbers: dict[int, str] = {}
        self._late: dict[dt.date, int] = {}
        self.overrides = overrides or {}
        self.today = dt.date.fromordinal(dt.date(1970, 1, 1).toordinal() + (now + UTC_OFFSET_LOCAL) // 86400)

    def ts(self, t: int | None) -> str:
        if t is None:
            return r"\N"
        day = t // 86400
        text = self._dates.get(day)
        if text is None:
            text = self._dates[day] = (dt.date(1970, 1, 1) + dt.timedelta(days=day)).isoformat()
        return f"{text} {self._hms[t % 86400]}+00"

    def local_day(self, t: int) -> int:
        return (t + UTC_OFFSET_LOCAL) // 86400

    def number_prefix(self, t: int) -> str:
        day = self.local_day(t)
        text = self._numbers.get(day)
        if text is None:
            text = self._numbers[day] = (dt.date(1970, 1, 1) + dt.timedelta(days=day)).strftime("JY%Y%m%d")
        return text

    def late_workdays(self, deadline: dt.date) -> int:
        value = self._late.get(deadline)
        if value is None:
            value = self._late[deadline] = workdays.workdays_between(deadline, self.today, self.overrides)
        return value

    def deadline(self, t: int, days: int) -> tuple[str, dt.date]:
        key = (self.local_day(t), days)
        value = self._deadlines.get(key)
        if value is None:
            start = dt.date(1970, 1, 1) + dt.timedelta(days=key[0])
            end = workdays.add_workdays(start, days, self.overrides)
            value = self._deadlines[key] = (end.isoformat(), end)
        return value


def _pools(rng: random.Random) -> dict[str, list]:
    from jiayuan.core.crypto import encrypt, lookup_hash

    descriptions = []
    for _ in range(400):
        text = rng.choice(FRAGMENTS)
        target = rng.randint(20, 120)
        while len(text) < target:
            text += rng.choice(PROBLEMS) + "，"
        descriptions.append(text.rstrip("，") + "。")
    phones = []
    for _ in range(200):
        phone = f"1{rng.choice('3456789')}{rng.randint(0, 999_999_999):09d}"
        phones.append((encrypt(phone), lookup_hash(phone)))
    names = [f"{surname}{rng.choice(('先生', '女士'))}" for surname in SURNAMES]
    return {"descriptions": descriptions, "phones": phones, "names": names}


def appeal_columns() -> list[str]:
    present = {field.column for field in Appeal._meta.concrete_fields}
    return APPEAL_COLUMNS + [column for column in ANSWER_COLUMNS if column in present]


def appeal_lines(
    scale: Scale,
    places: Places,
    clock: Clock,
    *,
    first_appeal: int,
    first_event: int,
    rng: random.Random,
    event_sink,
    answers: bool = True,
):
    """Yield one COPY line per appeal; its event lines go to `event_sink(list_of_lines)` just before.

    A generator: nothing but the current appeal is held in memory.
    """
    pools = _pools(rng)
    descriptions, phones, names = pools["descriptions"], pools["phones"], pools["names"]
    compounds, departments, categories = places.compounds, places.departments, places.categories
    dept_weights = [1 / (k + 1) for k in range(scale.departments_per_city)]
    channels = [name for name, _ in CHANNEL_WEIGHTS]
    channel_weights = [weight for _, weight in CHANNEL_WEIGHTS]
    span = int(scale.months * 30.44 * 86400)
    now = clock.now
    start = now - span
    ts = clock.ts
    event_id = first_event
    random_ = rng.random
    for appeal_id in range(first_appeal, first_appeal + scale.appeals):
        # Spread evenly in time (appeal ids in time order), with the hour of the day weighted to daytime.
        t0 = start + int((appeal_id - first_appeal + random_()) * span / scale.appeals)
        local_midnight = (t0 + UTC_OFFSET_LOCAL) // 86400 * 86400 - UTC_OFFSET_LOCAL
        t0 = min(local_midnight + int((7 + 15 * random_()) * 3600), now - 120)
        compound, branch, community, city = compounds[int(len(compounds) * random_())]
        category_id, deadline_days, category_name, slot = categories[int(len(categories) * random_())]
        if random_() > 0.85:
            slot = rng.choices(range(len(dept_weights)), dept_weights)[0]
        city_departments = departments[city]
        department = city_departments[slot]
        spare = city_departments[(slot + 1 + int(random_() * (len(city_departments) - 1))) % len(city_departments)]
        level = lifecycle.pick_level(rng)
        story = lifecycle.history(
            rng,
            t0=t0,
            now=now,
            level=level,
            branch=branch,
            community=community,
            department=department,
            spare_department=spare,
        )
        channel = rng.choices(channels, channel_weights)[0]
        deadline_text, deadline_date = clock.deadline(story.deadline_from, deadline_days + story.extension_days)
        status = story.status
        overdue = r"\N"
        supervision = ""
        if status not in ("resolved", "called_back", "closed") and deadline_date < clock.today:
            # As the scheduled job (services.flag_overdue) leaves a late order: flagged, supervised by the
            # town, by the city after 3 working days; so the job has nothing to change in generated data.
            overdue = (deadline_date + dt.timedelta(days=1)).isoformat()
            supervision = "city" if clock.late_workdays(deadline_date) > 3 else "town"
        phone, phone_hash = phones[int(len(phones) * random_())] if channel != "open311" else ("", "")
        resolved = story.resolved_at is not None
        said = ""
        if answers:
            if story.rating:
                contacted = random_() < (0.96 if story.contacted_at else 0.5)
                said = f"\t{'t' if contacted else 'f'}\t{'t' if random_() < ANSWER_SOLVED[story.rating] else 'f'}"
            else:
                said = "\t\\N\t\\N"
        lines = []
        for event in story.events:
            lines.append(
                f"{event_id}\t{appeal_id}\t{ts(event.at)}\t{event.action}\t{event.from_status}\t"
                f"{event.to_status}\t{event.unit}\t{event.reason}\t{NULL if event.days is None else event.days}\tt\n"
            )
            event_id += 1
        event_sink(lines)
        yield (
            f"{appeal_id}\t{clock.number_prefix(t0)}{appeal_id:07d}\t{channel}\t{category_id}\t"
            f"{category_name}\t{descriptions[int(400 * random_())]}\t{compound}\t"
            f"{24.6 + random_() * 0.4:.6f}\t{118.4 + random_() * 0.4:.6f}\t{names[int(len(names) * random_())]}\t"
            f"{phone}\t{phone_hash}\t\t{status}\t{story.level}\t{story.unit}\t{branch}\t{ts(t0)}\t"
            f"{ts(story.dispatched_at)}\t{deadline_text}\t{story.extension_days}\t{ts(story.contacted_at)}\t"
            f"{ts(story.resolved_at)}\t{story.resolved_level}\t"
            f"{'t' if story.via_four_party or (channel == 'four_party' and resolved) else 'f'}\t"
            f"{RESOLUTIONS[appeal_id % 4] if resolved else ''}\t{ts(story.closed_at)}\t{story.rating}\t"
            f"{ts(story.rated_at)}\t\t{supervision}\t{overdue}\t{len(story.events)}\tf\t{said}\n"
        )


def check_columns() -> None:
    """Fail loudly if the models gained a NOT NULL column the generator does not write."""
    for model, columns in ((Appeal, appeal_columns()), (AppealEvent, EVENT_COLUMNS)):
        missing = [
            f.column
            for f in model._meta.concrete_fields
            if f.column not in columns and not f.null and f.column != "actor_id"
        ]
        unknown = set(columns) - {f.column for f in model._meta.concrete_fields}
        if missing or unknown:
            raise RuntimeError(
                f"The benchmark generator is out of date for {model._meta.db_table}: "
                f"columns not written {missing}, columns no longer there {sorted(unknown)}."
            )
