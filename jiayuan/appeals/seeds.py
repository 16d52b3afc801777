"""The seeded catalogues: appeal categories (three levels) and the city-wide dispatch catalogue.

    seed_categories(Category)      # data migration 0002 and `jiayuan seed_appeals`
    seed_dispatch_catalogue()      # the demo build and `jiayuan seed_appeals`

Categories are loaded by code ("01" › "0101" › "010101"); the dispatch catalogue names
city departments by name (the names the demo city creates, then the full official
names), and only rules whose category and department exist are created. Creating
departments is not this module's job, and a rule an administrator already edited is
left as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field

DEFAULT_DEADLINE = 5

# (code, name, deadline in working days, children). A node without a deadline has DEFAULT_DEADLINE.
CATEGORIES: tuple = (
    (
        "01",
        "设施设备",
        None,
        (
            (
                "0101",
                "电梯",
                None,
                (
                    ("010101", "电梯故障", 3, ()),
                    ("010102", "电梯困人", 1, ()),
                    ("010103", "电梯老旧更新", 15, ()),
                    ("010104", "加装电梯", 20, ()),
                ),
            ),
            (
                "0102",
                "供水与排水",
                None,
                (
                    ("010201", "停水", 2, ()),
                    ("010202", "水压不足", None, ()),
                    ("010203", "管道漏水", None, ()),
                    ("010204", "下水道堵塞", 3, ()),
                    ("010205", "污水外溢", 2, ()),
                ),
            ),
            (
                "0103",
                "公共设施",
                None,
                (
                    ("010301", "路灯损坏", None, ()),
                    ("010302", "道路破损", None, ()),
                    ("010303", "健身器材损坏", None, ()),
                    ("010304", "外墙脱落", 2, ()),
                ),
            ),
        ),
    ),
    (
        "02",
        "环境",
        None,
        (
            (
                "0201",
                "绿化",
                None,
                (
                    ("020101", "绿化养护", None, ()),
                    ("020102", "毁绿占绿", None, ()),
                    ("020103", "树木倒伏修剪", 3, ()),
                ),
            ),
            (
                "0202",
                "环境卫生",
                None,
                (
                    ("020201", "垃圾清运", 2, ()),
                    ("020202", "卫生死角", None, ()),
                    ("020203", "化粪池", 3, ()),
                ),
            ),
            (
                "0203",
                "噪声",
                None,
                (
                    ("020301", "装修噪声", 3, ()),
                    ("020302", "商业噪声", None, ()),
                    ("020303", "夜间施工", 2, ()),
                ),
            ),
        ),
    ),
    (
        "03",
        "秩序与安全",
        None,
        (
            (
                "0301",
                "停车",
                None,
                (
                    ("030101", "乱停车", 3, ()),
                    ("030102", "车位纠纷", None, ()),
                    ("030103", "充电桩", 10, ()),
                ),
            ),
            (
                "0302",
                "违法建设",
                None,
                (
                    ("030201", "私搭乱建", 10, ()),
                    ("030202", "破坏承重结构", 3, ()),
                ),
            ),
            (
                "0303",
                "安全隐患",
                None,
                (
                    ("030301", "消防通道堵塞", 2, ()),
                    ("030302", "电动车违规充电", 2, ()),
                    ("030303", "高空坠物", 2, ()),
                ),
            ),
        ),
    ),
    (
        "04",
        "物业与邻里",
        None,
        (
            (
                "0401",
                "物业服务",
                None,
                (
                    ("040101", "服务质量", None, ()),
                    ("040102", "物业收费", 10, ()),
                    ("040103", "公共收益", 10, ()),
                ),
            ),
            (
                "0402",
                "邻里纠纷",
                None,
                (
                    ("040201", "漏水纠纷", None, ()),
                    ("040202", "噪声纠纷", None, ()),
                    ("040203", "宠物扰民", None, ()),
                ),
            ),
        ),
    ),
    ("99", "其他", None, (("9901", "其他问题", None, (("990101", "其他", None, ()),)),)),
)

# Department names: the demo city's (晋江市 + short name), then the full official names.
HOUSING = ("晋江市住建局", "晋江市住房和城乡建设局")
URBAN = ("晋江市城管局", "晋江市城市管理局")
MARKET = ("晋江市市场监管局", "晋江市市场监督管理局")
WATER = ("晋江市水务局",)
POLICE = ("晋江市公安局",)
TRAFFIC = ("晋江市公安局交警大队", *POLICE)
ECOLOGY = ("晋江市生态环境局",)
EMERGENCY = ("晋江市应急管理局",)
FIRE = ("晋江市消防救援大队",)
JUSTICE = ("晋江市司法局",)

# Category code → the department's possible names, first existing one wins. The most specific rule applies.
DISPATCH: dict[str, tuple[str, ...]] = {
    "0101": MARKET,  # lifts: special-equipment safety
    "010103": HOUSING,  # renewing old lifts: maintenance fund
    "010104": HOUSING,  # adding lifts to old buildings
    "0102": WATER,
    "0103": URBAN,  # street lights, roads, fitness equipment
    "010304": HOUSING,  # falling facade: building safety
    "0201": URBAN,
    "0202": URBAN,
    "0203": POLICE,  # neighbourhood and renovation noise
    "020302": ECOLOGY,  # commercial noise
    "020303": ECOLOGY,  # construction at night
    "0301": TRAFFIC,
    "030103": HOUSING,  # charging piles in the compound
    "0302": URBAN,
    "030202": HOUSING,  # damage to load-bearing structure
    "0303": EMERGENCY,
    "030301": FIRE,
    "030302": FIRE,
    "030303": POLICE,  # objects thrown from height
    "0401": HOUSING,
    "0402": JUSTICE,  # people's mediation
    "040203": POLICE,  # dogs
}


def iter_categories(nodes=CATEGORIES, parent_code: str | None = None, level: int = 1):
    """(code, name, deadline_days, parent code, level) for every node, parents before children."""
    for code, name, days, children in nodes:
        yield code, name, days or DEFAULT_DEADLINE, parent_code, level
        yield from iter_categories(children, code, level + 1)


# Who handles a category at the compound (Category.Kind), by code prefix; the longest prefix wins.
KIND_BY_PREFIX = {"01": "repair", "0401": "property_complaint"}


def category_kind(code: str) -> str:
    """The seeded kind of a category: facilities are repair orders, 物业服务 is a complaint about the company."""
    matches = [prefix for prefix in KIND_BY_PREFIX if code.startswith(prefix)]
    return KIND_BY_PREFIX[max(matches, key=len)] if matches else "general"


def seed_categories(category_model=None, *, update: bool = True) -> dict[str, int]:
    """Load the catalogue by code. `update` rewrites names and deadlines of existing codes (the migration does).

    Takes the model class so the data migration can pass its historical model, whose
    save() does not compute `level`; the level is therefore set here.
    """
    if category_model is None:
        from .models import Category as category_model
    by_code: dict[str, object] = {}
    has_kind = any(f.name == "kind" for f in category_model._meta.get_fields())  # not yet in migration 0002
    created = updated = 0
    for code, name, days, parent_code, level in iter_categories():
        values = {"name": name, "deadline_days": days, "parent": by_code.get(parent_code), "level": level}
        if has_kind:
            values["kind"] = category_kind(code)
        node = category_model.objects.filter(code=code).first()
        if node is None:
            node = category_model.objects.create(code=code, active=True, **values)
            created += 1
        elif update and any(getattr(node, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(node, key, value)
            node.save()
            updated += 1
        by_code[code] = node
    return {"created": created, "updated": updated}


@dataclass
class DispatchSeedResult:
    created: int = 0
    kept: int = 0
    missing_categories: list[str] = field(default_factory=list)
    missing_departments: list[str] = field(default_factory=list)


def seed_dispatch_catalogue() -> DispatchSeedResult:
    """City-wide dispatch rules for the departments that exist by name; existing rules are kept as edited."""
    from jiayuan.core.audit import audit_record, snapshot
    from jiayuan.core.models import AuditEntry
    from jiayuan.organisations.models import Organisation

    from .models import Category, DispatchRule

    result = DispatchSeedResult()
    departments = {}
    for org in Organisation.objects.filter(kind=Organisation.Kind.DEPARTMENT, dissolved_on__isnull=True).order_by("pk"):
        departments.setdefault(org.name, org)
    categories = Category.objects.in_bulk(list(DISPATCH), field_name="code")
    for code, names in DISPATCH.items():
        category = categories.get(code)
        if category is None:
            result.missing_categories.append(code)
            continue
        department = next((departments[name] for name in names if name in departments), None)
        if department is None:
            if names[0] not in result.missing_departments:
                result.missing_departments.append(names[0])
            continue
        rule, created = DispatchRule.objects.get_or_create(
            category=category, town=None, community=None, defaults={"department": department}
        )
        if created:
            audit_record(
                actor=None,
                action=AuditEntry.Action.CREATE,
                obj=rule,
                after=snapshot(rule),
                note="dispatch catalogue seed",
            )
            result.created += 1
        else:
            result.kept += 1
    return result
