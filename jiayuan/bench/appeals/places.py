"""The places of a generated history, written by COPY: cities, towns, communities, compounds, their party
branches and community committees, city departments with a staff login each, and the dispatch catalogue."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from . import database

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


# --- places, units, categories, staff -------------------------------------------------------


def build_places(raw, scale: Scale, rng: random.Random, log) -> Places:
    """COPY the cities, towns, communities, compounds, organisations and department staff of `scale`."""
    places = Places()
    ids = {
        table: database.next_id(raw, table)
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
