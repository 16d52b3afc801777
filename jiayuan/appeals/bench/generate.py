"""The streamed generator: places, units, staff viewers, then appeals with their events, all by COPY.

Memory holds only the places (a few tuples per compound) and one chunk of COPY lines;
appeals and events are produced by generators and written as they are made, so the
resident memory is the same for 100 000 and for 5 000 000 appeals (printed as it goes).

Structure, per city-equivalent of `compounds_per_city` compounds (Jinjiang has 347):
19 towns, a community per ~5 compounds, a party branch per compound (the compound-level
handling unit), a community party committee per community (the community level) and
`departments_per_city` city departments (the whistle's targets), each with one staff
login. Categories are the seeded catalogue (migration 0002); the dispatch catalogue has a
rule per town and category. Appeals spread evenly over `months` months up to now, with a
history from lifecycle.history; audit rows, notifications and photos are not generated
(no measured query reads them).
"""

from __future__ import annotations

import datetime as dt
import random
import resource
import time
from dataclasses import dataclass, field

from django.db import connection

from jiayuan.appeals import workdays
from jiayuan.appeals.models import Appeal, AppealEvent

from . import database, lifecycle

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
DEPARTMENT_NAMES = (
    "住建局",
    "城管局",
    "市场监管局",
    "水务局",
    "公安局",
    "公安局交警大队",
    "生态环境局",
    "应急管理局",
    "消防救援大队",
    "司法局",
    "教育局",
    "民政局",
    "卫健局",
    "交通运输局",
    "自然资源局",
    "农业农村局",
    "文旅局",
    "人社局",
    "供电公司",
    "燃气公司",
    "自来水公司",
    "通信管理办",
    "财政局",
    "发改局",
    "工信局",
    "商务局",
    "医保局",
    "退役军人事务局",
    "信访局",
    "园林中心",
)
# Category code (most specific first) → department short name, after appeals.seeds.DISPATCH.
DISPATCH_SHORT = {
    "0101": "市场监管局",
    "010103": "住建局",
    "010104": "住建局",
    "0102": "水务局",
    "0103": "城管局",
    "010304": "住建局",
    "0201": "城管局",
    "0202": "城管局",
    "0203": "公安局",
    "020302": "生态环境局",
    "020303": "生态环境局",
    "0301": "公安局交警大队",
    "030103": "住建局",
    "0302": "城管局",
    "030202": "住建局",
    "0303": "应急管理局",
    "030301": "消防救援大队",
    "030302": "消防救援大队",
    "030303": "公安局",
    "0401": "住建局",
    "0402": "司法局",
    "040203": "公安局",
}
COMPOUND_WORDS = (
    "阳光",
    "世纪",
    "锦绣",
    "金色",
    "滨江",
    "翠苑",
    "恒安",
    "宝龙",
    "星光",
    "泉秀",
    "紫帽",
    "梅岭",
    "青阳",
    "安海",
    "龙湖",
    "磁灶",
    "东石",
    "英林",
    "深沪",
    "池店",
)
COMPOUND_SUFFIXES = ("花园", "新村", "名苑", "公寓", "家园", "华府", "小区", "雅居")
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
EVENT_COLUMNS = ["id", "appeal_id", "at", "action", "from_status", "to_status", "unit_id", "reason", "public"]


@dataclass(frozen=True)
class Scale:
    label: str
    compounds: int
    appeals: int
    months: int = 24
    compounds_per_city: int = 347
    towns_per_city: int = 19
    compounds_per_community: int = 5
    departments_per_city: int = 80
    seed: int = 2026

    @property
    def cities(self) -> int:
        return max(1, -(-self.compounds // self.compounds_per_city))


@dataclass
class Places:
    """What the appeal generator needs to know about the places: small, O(compounds)."""

    compounds: list[tuple[int, int, int, int]] = field(default_factory=list)  # (compound, branch, community org, city)
    departments: list[list[int]] = field(default_factory=list)  # per city: department ids by slot
    categories: list[tuple[int, int, str, int]] = field(default_factory=list)  # (id, deadline days, name, dept slot)
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class Generated:
    appeals: int
    events: int
    seconds_rows: float
    seconds_indexes: float
    seconds_analyze: float
    rows_per_second: float
    rss_checkpoints: list[tuple[int, int]]  # (appeals written, VmRSS kB)
    peak_rss_kb: int
    places: dict[str, int]


def rss_kb() -> int:
    """The current resident set size of this process (VmRSS), in kB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def peak_rss_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def next_id(raw, table: str) -> int:
    with raw.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(max(id), 0) + 1 FROM {table}")
        return cursor.fetchone()[0]


# --- places, units, categories, staff -------------------------------------------------------


def build_places(raw, scale: Scale, rng: random.Random, log) -> Places:
    """COPY the cities, towns, communities, compounds, organisations and department staff of `scale`."""
    places = Places()
    ids = {
        table: next_id(raw, table)
        for table in (
            "places_city",
            "places_town",
            "places_community",
            "places_compound",
            "organisations_organisation",
            "organisations_organisation_compounds",
            "people_person",
            "core_user",
            "organisations_post",
            "appeals_dispatchrule",
        )
    }
    cities, towns, communities, compounds, orgs, links = [], [], [], [], [], []
    persons, users, posts = [], [], []
    founded = "2020-01-01"
    now_text = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S+00")
    remaining = scale.compounds
    town_rows_by_city: list[list[int]] = []
    for c in range(scale.cities):
        city_id = ids["places_city"] + c
        city_name = "晋江市" if c == 0 else f"模拟{c:03d}市"
        city_code = f"35{c:04d}"
        cities.append((city_id, city_code, city_name))
        in_city = min(scale.compounds_per_city, remaining)
        remaining -= in_city
        n_towns = min(scale.towns_per_city, max(1, in_city))
        n_communities = max(n_towns, round(in_city / scale.compounds_per_community))
        town_ids = []
        for t in range(n_towns):
            town_id = ids["places_town"] + len(towns)
            town_code = f"{city_code}{t:03d}"
            towns.append((town_id, city_id, town_code, f"{city_name}第{t + 1}街道", "subdistrict" if t % 3 else "town"))
            orgs.append((len(orgs), "town_office", f"{city_name}第{t + 1}街道办", None, town_id, None))
            town_ids.append((town_id, town_code))
        town_rows_by_city.append([town_id for town_id, _ in town_ids])
        community_orgs = []
        for k in range(n_communities):
            town_id, town_code = town_ids[k % n_towns]
            community_id = ids["places_community"] + len(communities)
            communities.append((community_id, town_id, f"{town_code}{k:04d}", f"第{k + 1}社区", "community"))
            org_index = len(orgs)
            orgs.append((org_index, "community_party", f"第{k + 1}社区党委", None, None, community_id))
            community_orgs.append((community_id, org_index))
        for j in range(in_city):
            community_id, community_org = community_orgs[j % n_communities]
            compound_id = ids["places_compound"] + len(compounds)
            name = f"{COMPOUND_WORDS[j % len(COMPOUND_WORDS)]}{COMPOUND_SUFFIXES[(j // 20) % 8]}{j // 160 + 1}期"
            compounds.append(
                (
                    compound_id,
                    community_id,
                    f"C{len(compounds):06d}",
                    name,
                    rng.choice(("commercial", "commercial", "resettlement", "old", "mixed")),
                    rng.randint(1985, 2022),
                    rng.choice(("company", "company", "company", "self", "state")),
                )
            )
            branch_index = len(orgs)
            orgs.append((branch_index, "compound_branch", f"{name}党支部", None, None, community_id))
            links.append((branch_index, compound_id))
            places.compounds.append((compound_id, branch_index, community_org, c))
        slots = []
        for s in range(scale.departments_per_city):
            short = DEPARTMENT_NAMES[s] if s < len(DEPARTMENT_NAMES) else f"联系部门{s + 1:02d}"
            org_index = len(orgs)
            orgs.append((org_index, "department", f"{city_name}{short}", city_id, None, None))
            slots.append(org_index)
        places.departments.append(slots)
    # Organisation indexes → ids.
    org_base = ids["organisations_organisation"]
    places.compounds = [
        (compound, org_base + branch, org_base + community, city)
        for compound, branch, community, city in places.compounds
    ]
    places.departments = [[org_base + index for index in slots] for slots in places.departments]
    for slots in places.departments:
        for org_id in slots:
            person_id = ids["people_person"] + len(persons)
            persons.append((person_id, f"部门人员{org_id}", "", None, "", "", "", None, now_text))
            users.append(
                (
                    ids["core_user"] + len(users),
                    "!bench",
                    None,
                    False,
                    f"bench-dept-{org_id}",
                    "",
                    "",
                    "",
                    False,
                    True,
                    now_text,
                    person_id,
                )
            )
            posts.append(
                (
                    ids["organisations_post"] + len(posts),
                    person_id,
                    org_id,
                    "department_staff",
                    None,
                    None,
                    None,
                    founded,
                    None,
                )
            )
    admin_person = ids["people_person"] + len(persons)
    persons.append((admin_person, "基准管理员", "", None, "", "", "", None, now_text))
    users.append(
        (
            ids["core_user"] + len(users),
            "!bench",
            None,
            True,
            "bench-admin",
            "",
            "",
            "",
            True,
            True,
            now_text,
            admin_person,
        )
    )

    write = _writer(raw)
    write("places_city", ["id", "code", "name"], cities)
    write("places_town", ["id", "city_id", "code", "name", "kind"], towns)
    write("places_community", ["id", "town_id", "code", "name", "kind"], communities)
    write(
        "places_compound",
        ["id", "community_id", "code", "name", "address", "kind", "year_built", "management"],
        [
            (cid, community, code, name, "", kind, year, management)
            for cid, community, code, name, kind, year, management in compounds
        ],
    )
    write(
        "organisations_organisation",
        ["id", "kind", "name", "city_id", "town_id", "community_id", "state_owned", "established_on"],
        [
            (org_base + index, kind, name, city, town, community, kind == "department", founded)
            for index, kind, name, city, town, community in orgs
        ],
    )
    write(
        "organisations_organisation_compounds",
        ["id", "organisation_id", "compound_id"],
        [
            (ids["organisations_organisation_compounds"] + n, org_base + branch, compound)
            for n, (branch, compound) in enumerate(links)
        ],
    )
    write(
        "people_person",
        ["id", "name", "id_number", "id_number_hash", "phone", "phone_hash", "gender", "birth_date", "created_at"],
        persons,
    )
    write(
        "core_user",
        [
            "id",
            "password",
            "last_login",
            "is_superuser",
            "username",
            "first_name",
            "last_name",
            "email",
            "is_staff",
            "is_active",
            "date_joined",
            "person_id",
        ],
        users,
    )
    write(
        "organisations_post",
        [
            "id",
            "person_id",
            "organisation_id",
            "role",
            "building_id",
            "grid_id",
            "compound_id",
            "start_date",
            "end_date",
        ],
        posts,
    )
    places.categories = _categories(raw, scale)
    rules = _dispatch_rules(raw, places, town_rows_by_city, ids["appeals_dispatchrule"])
    write("appeals_dispatchrule", ["id", "category_id", "town_id", "community_id", "department_id"], rules)
    raw.commit()
    places.counts = {
        "cities": len(cities),
        "towns": len(towns),
        "communities": len(communities),
        "compounds": len(compounds),
        "organisations": len(orgs),
        "departments": sum(len(slots) for slots in places.departments),
        "staff logins": len(users),
        "dispatch rules": len(rules),
    }
    log("  places: " + ", ".join(f"{name} {count}" for name, count in places.counts.items()))
    return places


def _writer(raw):
    def write(table, columns, rows):
        database.copy_rows(raw, table, columns, (database.copy_line(row) for row in rows))

    return write


def _categories(raw, scale: Scale) -> list[tuple[int, int, str, int]]:
    """Leaf categories (id, deadline days, name, department slot), from the seeded catalogue."""
    with raw.cursor() as cursor:
        cursor.execute(
            "SELECT c.id, c.code, c.name, c.deadline_days FROM appeals_category c "
            "WHERE c.active AND NOT EXISTS (SELECT 1 FROM appeals_category k WHERE k.parent_id = c.id) "
            "ORDER BY c.code"
        )
        leaves = cursor.fetchall()
    if not leaves:
        raise RuntimeError("The appeal category catalogue is empty; the migrations should have seeded it.")
    slot_of = {name: slot for slot, name in enumerate(DEPARTMENT_NAMES[: scale.departments_per_city])}
    result = []
    for pk, code, name, days in leaves:
        short = next((DISPATCH_SHORT[prefix] for prefix in (code, code[:4]) if prefix in DISPATCH_SHORT), "城管局")
        result.append((pk, days, name, slot_of.get(short, 0)))
    return result


def _dispatch_rules(raw, places: Places, towns_by_city: list[list[int]], first_id: int) -> list[tuple]:
    """A rule per town and level-2 category of the dispatch catalogue, to the town's city's department."""
    with raw.cursor() as cursor:
        cursor.execute("SELECT id, code FROM appeals_category WHERE level = 2 ORDER BY code")
        level_two = cursor.fetchall()
    slot_of = {name: slot for slot, name in enumerate(DEPARTMENT_NAMES)}
    rules = []
    for city, town_ids in enumerate(towns_by_city):
        for category_id, code in level_two:
            short = DISPATCH_SHORT.get(code)
            if short is None or slot_of.get(short, 10**6) >= len(places.departments[city]):
                continue
            for town_id in town_ids:
                rules.append(
                    (first_id + len(rules), category_id, town_id, None, places.departments[city][slot_of[short]])
                )
    return rules


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
                f"{event.to_status}\t{event.unit}\t{event.reason}\tt\n"
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


def generate(schema: str, scale: Scale, log, *, chunk: int = 4000, progress_every: int | None = None) -> Generated:
    """Fill the (freshly migrated) `schema` with `scale`'s history. Returns the figures of the run."""
    check_columns()
    columns = appeal_columns()
    rng = random.Random(scale.seed)
    places_conn = database.raw_connection(schema)
    appeals_conn = database.raw_connection(schema)
    events_conn = database.raw_connection(schema)
    try:
        places = build_places(places_conn, scale, rng, log)
        now = int(time.time())
        clock = Clock(now, _holiday_overrides(places_conn))
        places_conn.commit()
        structures = {}
        for conn, table in ((appeals_conn, "appeals_appeal"), (events_conn, "appeals_appealevent")):
            structures[table] = database.secondary_structures(conn, table)
            database.drop_secondary(conn, table, *structures[table])
        first_appeal = next_id(appeals_conn, "appeals_appeal")
        first_event = next_id(events_conn, "appeals_appealevent")
        progress_every = progress_every or max(scale.appeals // 10, 1)
        checkpoints: list[tuple[int, int]] = []
        counts = {"appeals": 0, "events": 0}
        started = time.monotonic()

        with (
            events_conn.cursor() as event_cursor,
            event_cursor.copy(f"COPY appeals_appealevent ({', '.join(EVENT_COLUMNS)}) FROM STDIN") as event_copy,
        ):
            pending: list[str] = []

            def sink(lines: list[str]) -> None:
                pending.extend(lines)
                if len(pending) >= chunk * 4:
                    event_copy.write("".join(pending))
                    counts["events"] += len(pending)
                    pending.clear()

            def lines_with_progress():
                for n, line in enumerate(
                    appeal_lines(
                        scale,
                        places,
                        clock,
                        first_appeal=first_appeal,
                        first_event=first_event,
                        rng=rng,
                        event_sink=sink,
                        answers=len(columns) > len(APPEAL_COLUMNS),
                    ),
                    1,
                ):
                    yield line
                    if n % progress_every == 0:
                        checkpoints.append((n, rss_kb()))
                        elapsed = time.monotonic() - started
                        log(
                            f"  {n:>10,} appeals, {counts['events'] + len(pending):>11,} events, "
                            f"{(n + counts['events']) / elapsed:,.0f} rows/s, RSS {rss_kb() / 1024:.0f} MB"
                        )

            counts["appeals"] = database.copy_rows(
                appeals_conn, "appeals_appeal", columns, lines_with_progress(), chunk=chunk
            )
            if pending:
                event_copy.write("".join(pending))
                counts["events"] += len(pending)
                pending.clear()
        appeals_conn.commit()
        events_conn.commit()
        seconds_rows = time.monotonic() - started
        log(f"  rows written in {seconds_rows:.1f} s; rebuilding indexes and foreign keys…")
        started = time.monotonic()
        for conn, table in ((appeals_conn, "appeals_appeal"), (events_conn, "appeals_appealevent")):
            database.restore_secondary(conn, table, *structures[table])
            database.reset_sequence(conn, table)
        seconds_indexes = time.monotonic() - started
        started = time.monotonic()
        places_conn.autocommit = True
        with places_conn.cursor() as cursor:
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s ORDER BY tablename", [schema])
            tables = [row[0] for row in cursor.fetchall()]
            cursor.execute("VACUUM (ANALYZE) " + ", ".join(f'"{schema}"."{table}"' for table in tables))
        seconds_analyze = time.monotonic() - started
    finally:
        for conn in (places_conn, appeals_conn, events_conn):
            conn.close()
    rows = counts["appeals"] + counts["events"]
    return Generated(
        appeals=counts["appeals"],
        events=counts["events"],
        seconds_rows=seconds_rows,
        seconds_indexes=seconds_indexes,
        seconds_analyze=seconds_analyze,
        rows_per_second=rows / seconds_rows if seconds_rows else 0.0,
        rss_checkpoints=checkpoints,
        peak_rss_kb=peak_rss_kb(),
        places=places.counts,
    )


def _holiday_overrides(raw) -> dict[dt.date, bool]:
    with raw.cursor() as cursor:
        cursor.execute("SELECT date, is_workday FROM appeals_holiday")
        return dict(cursor.fetchall())


def model_signature() -> str:
    """The columns the generator writes: a schema generated for other models is not reused."""
    return ",".join(appeal_columns()) + "|" + ",".join(EVENT_COLUMNS)


def write_info(schema: str, values: dict[str, object]) -> None:
    """Remember what the schema holds, so a later run can reuse it (`--reuse`)."""
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE TABLE IF NOT EXISTS "{schema}".bench_info (key text PRIMARY KEY, value text)')
        for key, value in values.items():
            cursor.execute(
                f'INSERT INTO "{schema}".bench_info VALUES (%s, %s) '
                "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                [key, str(value)],
            )


def read_info(schema: str) -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_tables WHERE schemaname = %s AND tablename = 'bench_info'", [schema])
        if cursor.fetchone() is None:
            return {}
        cursor.execute(f'SELECT key, value FROM "{schema}".bench_info')
        return dict(cursor.fetchall())
