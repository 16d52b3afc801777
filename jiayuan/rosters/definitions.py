"""The Excel rosters staff keep, as data: columns, Chinese headers, accepted values, examples.

The headers and the Chinese choice labels are the file format (what staff already
type in Excel), so they are fixed literals, not translated strings; the help texts
shown in the template's instructions sheet go through gettext.

One definition drives the downloadable template, the importer's header and cell
checks, and the export of the same roster, so an export can be edited and re-imported.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from jiayuan.core.identity import make_id_number

# Column value kinds understood by rosters.reading.
TEXT, INT, DECIMAL, DATE, CHOICE, BOOL, ID_NUMBER, PHONE = (
    "text",
    "int",
    "decimal",
    "date",
    "choice",
    "bool",
    "id_number",
    "phone",
)

# Accepted spellings of each choice, by stored code. The first spelling is the one the
# template suggests and exports write; the English code is always accepted as well.
COMPOUND_KINDS = {
    "commercial": ("商品房", "商品住宅"),
    "resettlement": ("安置房", "安置小区"),
    "old": ("老旧小区", "老小区"),
    "mixed": ("商住混合", "商住混合小区"),
}
MANAGEMENT = {
    "company": ("物业公司", "物业服务企业", "物业管理"),
    "self": ("自治管理", "业主自管", "自管"),
    "state": ("国企兜底", "国有兜底"),
    "none": ("无人管理", "失管", "无物业"),
}
AREA_SOURCES = {
    "registered": ("登记面积", "登记", "产权登记"),
    "surveyed": ("实测面积", "实测"),
    "contract": ("合同面积", "合同"),
}
COMMITTEE_ROLES = {
    "committee_director": ("主任", "业委会主任"),
    "committee_deputy": ("副主任", "业委会副主任"),
    "committee_member": ("委员", "成员"),
}
YES_NO = {True: ("是", "y", "yes", "true", "1"), False: ("否", "n", "no", "false", "0")}

EXAMPLE_ID = make_id_number("350582", dt.date(1975, 3, 8), 123)


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: str = TEXT
    required: bool = True
    help: str = ""
    example: str = ""
    choices: dict | None = None
    max_length: int | None = None
    min_value: int | None = None
    max_value: int | None = None

    @property
    def accepted_values(self) -> list[str]:
        """What the instructions sheet lists as accepted values."""
        if self.choices is None:
            return []
        values = []
        for code, spellings in self.choices.items():
            values.extend(spellings)
            if not isinstance(code, bool):
                values.append(code)
        return values


@dataclass(frozen=True)
class Roster:
    kind: str
    title: str
    description: str
    columns: tuple[Column, ...]
    # Service field names (from ValidationError dicts) → column key, for write-phase errors.
    field_columns: dict = field(default_factory=dict)

    @property
    def headers(self) -> list[str]:
        return [column.header for column in self.columns]

    def column(self, key: str) -> Column:
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(key)

    def header_for_field(self, name: str) -> str:
        key = self.field_columns.get(name, name)
        try:
            return self.column(key).header
        except KeyError:
            return ""

    @property
    def example_row(self) -> list[str]:
        return [column.example for column in self.columns]


def choice_label(choices: dict, code) -> str:
    """The Chinese spelling the template and exports use for a stored code."""
    spellings = choices.get(code)
    return spellings[0] if spellings else ("" if code is None else str(code))


# --- shared columns -----------------------------------------------------------
def compound_code(help_text=None) -> Column:
    help_text = help_text or _("The compound's code, as on the compound list.")
    return Column("compound", "小区编码", help=help_text, example="C0101", max_length=20)


def person_columns(name_header: str = "姓名") -> tuple[Column, ...]:
    return (
        Column("name", name_header, help=_("Full name as on the ID card."), example="林志强", max_length=50),
        Column(
            "id_number",
            "身份证号",
            ID_NUMBER,
            help=_(
                "18-character resident ID number; the checksum and birth date are checked. "
                "Keep the column formatted as text so Excel does not drop digits."
            ),
            example=EXAMPLE_ID,
        ),
        Column(
            "phone",
            "手机号",
            PHONE,
            required=False,
            help=_("11-digit mobile number, or a landline such as 0595-85681234."),
            example="13905951234",
        ),
    )


PERSON_FIELDS = {"name": "name", "id_number": "id_number", "phone": "phone"}

ROSTERS: dict[str, Roster] = {}


def _register(roster: Roster) -> None:
    ROSTERS[roster.kind] = roster


_register(
    Roster(
        kind="compounds",
        title=_("Compounds"),
        description=_("Residential compounds with their community, type, year built and management status."),
        columns=(
            compound_code(_("A new, unique code for the compound.")),
            Column(
                "name",
                "小区名称",
                help=_("The compound's name; unique within its community."),
                example="青华花园",
                max_length=80,
            ),
            Column(
                "community",
                "所属社区编码",
                help=_("The code of the community or village the compound belongs to."),
                example="350582001001",
                max_length=15,
            ),
            Column(
                "address",
                "地址",
                required=False,
                help=_("Street address."),
                example="青阳街道青华路88号",
                max_length=200,
            ),
            Column("kind", "类型", CHOICE, help=_("The type of compound."), example="商品房", choices=COMPOUND_KINDS),
            Column(
                "year_built",
                "建成年份",
                INT,
                required=False,
                help=_("The year the compound was completed."),
                example="2008",
                min_value=1900,
            ),
            Column(
                "management",
                "管理状态",
                CHOICE,
                help=_("Who manages the compound."),
                example="物业公司",
                choices=MANAGEMENT,
            ),
        ),
        field_columns={"code": "compound"},
    )
)


def room_place_columns(*, existing: bool) -> tuple[Column, ...]:
    """Compound, building, unit and room number: created as needed (rooms) or looked up (owners)."""
    if existing:
        helps = (
            _("An existing building of the compound."),
            _("An existing unit of the building."),
            _("An existing room of the unit (import the rooms roster first)."),
        )
    else:
        helps = (
            _("Building number; a new building is created if the compound has none by this number."),
            _("Unit (stairway) number; created if missing."),
            _("Room number, unique within its unit."),
        )
    return (
        compound_code(),
        Column("building", "楼栋", help=helps[0], example="1号楼", max_length=20),
        Column("unit", "单元", help=helps[1], example="1单元", max_length=20),
        Column("room", "房号", help=helps[2], example="101", max_length=20),
    )


_register(
    Roster(
        kind="rooms",
        title=_("Buildings, units and rooms"),
        description=_("Rooms with their exclusive area; buildings and units are created as needed."),
        columns=(
            *room_place_columns(existing=False),
            Column(
                "floor",
                "楼层",
                INT,
                required=False,
                help=_("Floor number (negative for basements)."),
                example="1",
                min_value=-10,
                max_value=200,
            ),
            Column(
                "area",
                "专有面积(㎡)",
                DECIMAL,
                help=_("Exclusive floor area in square metres, greater than zero, at most two decimals."),
                example="89.50",
            ),
            Column(
                "area_source",
                "面积来源",
                CHOICE,
                help=_("Where the area comes from: registered, else surveyed, else contract area."),
                example="登记面积",
                choices=AREA_SOURCES,
            ),
        ),
        field_columns={"number": "room", "unit": "unit", "building": "building"},
    )
)

_register(
    Roster(
        kind="owners",
        title=_("Owners"),
        description=_("Owners of existing rooms; co-owners take one row each. People already registered are reused."),
        columns=(
            *room_place_columns(existing=True),
            *person_columns("业主姓名"),
            Column(
                "start_date",
                "产权起始日期",
                DATE,
                help=_("The date the ownership began (YYYY-MM-DD)."),
                example="2015-06-30",
            ),
        ),
        field_columns={**PERSON_FIELDS, "person": "name", "developer": "name", "room": "room"},
    )
)

_register(
    Roster(
        kind="party_members",
        title=_("Party members"),
        description=_("Party members living in or reporting to a compound, with their party organisation."),
        columns=(
            compound_code(_("The compound the member lives in or reports to.")),
            *person_columns(),
            Column(
                "joined_on",
                "入党日期",
                DATE,
                help=_("The date the person joined the Party (YYYY-MM-DD)."),
                example="2001-07-01",
            ),
            Column(
                "organisation",
                "所属党组织",
                required=False,
                help=_(
                    "Name of the party organisation holding the membership; empty means the compound's party branch."
                ),
                example="青华花园党支部",
                max_length=100,
            ),
            Column(
                "in_service",
                "在职党员",
                BOOL,
                required=False,
                help=_("是 for an in-service member reporting to the compound, 否 otherwise (default 否)."),
                example="否",
                choices=YES_NO,
            ),
            Column(
                "workplace",
                "工作单位",
                required=False,
                help=_("Workplace of an in-service member."),
                example="",
                max_length=100,
            ),
        ),
        field_columns={
            **PERSON_FIELDS,
            "person": "name",
            "joined_on": "joined_on",
            "organisation": "organisation",
            "reports_to": "compound",
            "in_service": "in_service",
            "workplace": "workplace",
        },
    )
)

_register(
    Roster(
        kind="building_heads",
        title=_("Party-member building heads"),
        description=_("Building heads appointed by the compound's party branch, one current head per building."),
        columns=(
            compound_code(),
            Column("building", "楼栋", help=_("An existing building of the compound."), example="1号楼", max_length=20),
            *person_columns(),
            Column(
                "start_date",
                "任职起始日期",
                DATE,
                help=_("The first day in the post (YYYY-MM-DD)."),
                example="2024-01-01",
            ),
        ),
        field_columns={
            **PERSON_FIELDS,
            "person": "name",
            "building": "building",
            "start_date": "start_date",
            "end_date": "start_date",
            "organisation": "compound",
            "role": "compound",
        },
    )
)

_register(
    Roster(
        kind="committee_members",
        title=_("Owners' committee members"),
        description=_(
            "Members of the compound's owners' committee for its current term; the seats cannot be "
            "exceeded and there is one director."
        ),
        columns=(
            compound_code(_("The compound whose owners' committee the member sits on.")),
            *person_columns(),
            Column(
                "role",
                "职务",
                CHOICE,
                help=_("Director, deputy director or member."),
                example="委员",
                choices=COMMITTEE_ROLES,
            ),
            Column(
                "start_date",
                "任职起始日期",
                DATE,
                help=_("The first day in the post (YYYY-MM-DD), within the committee's term."),
                example="2024-01-01",
            ),
            Column(
                "end_date",
                "任职结束日期",
                DATE,
                required=False,
                help=_("Last day in the post; empty while the member serves."),
                example="",
            ),
        ),
        field_columns={
            **PERSON_FIELDS,
            "person": "name",
            "role": "role",
            "start_date": "start_date",
            "end_date": "end_date",
            "organisation": "compound",
        },
    )
)


def roster_for(kind: str) -> Roster | None:
    return ROSTERS.get(kind)
