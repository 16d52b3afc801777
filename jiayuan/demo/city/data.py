"""Fixed data of the demo city: places, the people and compounds the reports name, and name parts."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from django.utils.translation import gettext_lazy as _

from jiayuan.organisations.models import Organisation, PartyVenue, Post
from jiayuan.places.models import Compound, Town

DEFAULT_SEED = 2026
DEFAULT_PASSWORD = "jiayuan2026"
DEMO_NOTE = "demo city build"
BASE_YEAR = 2026
CITY_CODE = "350582"
# The figures of the source reports, which the built data must reproduce.
TARGETS = {
    "compounds": 347,
    "party_org_coverage": Fraction(1),
    "committee_formation": Fraction(1),
    "yijiantiao_compounds": 59,
    "two_committee_post_holders": 138,
    "building_heads": 1612,
    "party_venues": 288,
}
BRANCHES, DEPARTMENTS, STATE_FALLBACK, UNMANAGED = 288, 82, 10, 2

Kind, Role, CKind, Mgmt = Organisation.Kind, Post.Role, Compound.Kind, Compound.Management
S, T = Town.Kind.SUBDISTRICT, Town.Kind.TOWN

# code suffix, name, kind, compounds, communities (each "…社区")
TOWNS = (
    ("001", "青阳街道", S, 58, "青华 晓升 霞行 象峰 阳光 洪山"),
    ("002", "梅岭街道", S, 45, "梅青 桂山 岭山 曾井 长兴"),
    ("003", "西园街道", S, 35, "西园 洋埭 霞浦 赖厝"),
    ("004", "罗山街道", S, 35, "华泰 福埔 缺塘 梧垵"),
    ("005", "灵源街道", S, 22, "林口 英墩 灵水"),
    ("006", "新塘街道", S, 25, "晋新 沙塘 湖格 新塘"),
    ("101", "安海镇", T, 18, "安平 星塔 新安"),
    ("102", "磁灶镇", T, 10, "磁灶 张林"),
    ("103", "陈埭镇", T, 14, "江头 湖中 四境"),
    ("104", "池店镇", T, 20, "池店 唐厝 凤池"),
    ("105", "东石镇", T, 7, "东石 萧下"),
    ("106", "金井镇", T, 8, "金井 围头"),
    ("107", "龙湖镇", T, 10, "龙湖 衙口 石龟"),
    ("108", "内坑镇", T, 5, "内坑 黄塘"),
    ("109", "深沪镇", T, 8, "深沪 运伙"),
    ("110", "英林镇", T, 5, "英林 嘉排"),
    ("111", "永和镇", T, 8, "永和 巴厝"),
    ("112", "紫帽镇", T, 4, "紫帽 园坂"),
    ("113", "西滨镇", T, 10, "西滨 跃进"),
)
FIXED_COMPOUND_COUNTS = {"晋新社区": 4}  # the report: all 4 compounds of Jinxin have red committees
# The compounds the reports name: community, type, year built, management, buildings.
NAMED_COMPOUNDS = {
    "金利花园": ("青华社区", CKind.COMMERCIAL, 2006, Mgmt.PROPERTY_COMPANY, 6),
    "莲花小区": ("霞行社区", CKind.COMMERCIAL, 2003, Mgmt.PROPERTY_COMPANY, 5),
    "象峰安置小区": ("象峰社区", CKind.RESETTLEMENT, 2009, Mgmt.SELF_MANAGED, 8),
    "阳光东环南片": ("阳光社区", CKind.OLD, 1997, Mgmt.PROPERTY_COMPANY, 6),
    "永丰里": ("洪山社区", CKind.OLD, 1996, Mgmt.STATE_FALLBACK, 4),
    "宝龙世家": ("晋新社区", CKind.COMMERCIAL, 2012, Mgmt.PROPERTY_COMPANY, 9),
    "瑞璟香榭花都": ("岭山社区", CKind.COMMERCIAL, 2015, Mgmt.PROPERTY_COMPANY, 7),
    "梅华苑": ("梅青社区", CKind.COMMERCIAL, 2004, Mgmt.PROPERTY_COMPANY, 4),
    "竹园小区": ("桂山社区", CKind.MIXED, 1999, Mgmt.PROPERTY_COMPANY, 3),
    "华泰国际新城": ("华泰社区", CKind.COMMERCIAL, 2013, Mgmt.PROPERTY_COMPANY, 10),
    "南天裕小区": ("池店社区", CKind.COMMERCIAL, 2011, Mgmt.PROPERTY_COMPANY, 5),
    "龙湖嘉天下": ("唐厝社区", CKind.COMMERCIAL, 2016, Mgmt.PROPERTY_COMPANY, 8),
}
# People who own the first rooms of a named compound: key, name, gender, birth years.
NAMED_OWNERS = {
    "金利花园": (
        ("resident", "吴淑芬", "F", (1968, 1975)),
        ("jinli-secretary", "陈建国", "M", (1965, 1972)),
        ("jinli-director", "蔡丽华", "F", (1970, 1978)),
        ("jinli-louzhang", "李明辉", "M", (1962, 1970)),
    ),
    "莲花小区": (("qiu", "邱振华", "M", (1963, 1970)),),
    "南天裕小区": (("cai", "蔡清泉", "M", (1966, 1974)),),
    "梅华苑": (("li", "李永福", "M", (1958, 1966)),),
    "瑞璟香榭花都": (("wu", "吴志明", "M", (1968, 1975)),),
    "华泰国际新城": (("nurse", "陈晓燕", "F", (1990, 1996)),),
}


@dataclass(frozen=True)
class Persona:
    username: str
    role: str  # what the persona is, in words (translatable)
    superuser: bool = False


PERSONAS = (
    Persona("admin", _("city administrator"), superuser=True),
    Persona("qingyang", _("town clerk")),
    Persona("qinghua", _("community secretary")),
    Persona("jinli-secretary", _("compound branch secretary")),
    Persona("jinli-director", _("owners' committee director")),
    Persona("jinli-manager", _("property manager")),
    Persona("jinli-louzhang", _("party-member building head")),
    Persona("zhujian", _("department staff")),
    Persona("resident", _("resident owner")),
)

SURNAMES = ("陈 许 林 吴 蔡 施 王 黄 洪 李 张 郑 庄 苏 丁 杨 刘 曾 邱 柯 尤 颜 粘 傅 何 周 郭 谢 董 龚 留 赖").split()
SURNAME_WEIGHTS = (
    14,
    9,
    8,
    8,
    7,
    7,
    6,
    6,
    5,
    5,
    4,
    3,
    3,
    3,
    2,
    2,
    2,
    2,
    2,
    2,
    1.5,
    1.5,
    1,
    1,
    1,
    1,
    1,
    1,
    1,
    1,
    0.5,
    0.5,
)
GIVEN = {
    "M": "志伟明建国华文斌军勇强辉杰俊鹏鑫海荣松清福金水龙德振宏平东晓峰毅源锋耀泉铭家成永祥聪阳展鸿彬培炳添",
    "F": "丽红梅芳燕秀玲娟婷霞雪静雅琴英美萍慧淑玉月莲珍婉佳欣怡琳丹妮蓉凤碧瑜钰思晴雯",
}
# Region prefixes of ID numbers: Jinjiang, the rest of Quanzhou, Fujian, and (tenants) other provinces.
OWNER_REGIONS = (
    ("350582", 70),
    ("350581", 4),
    ("350583", 4),
    ("350521", 3),
    ("350524", 3),
    ("350525", 2),
    ("350526", 1),
    ("350502", 2),
    ("350503", 2),
    ("350102", 1),
    ("350203", 1),
    ("350322", 1),
)
TENANT_REGIONS = (
    ("350582", 20),
    ("350583", 6),
    ("350524", 6),
    ("360731", 12),
    ("430524", 10),
    ("511321", 10),
    ("421127", 8),
    ("450881", 8),
    ("522422", 8),
)
COMMERCIAL_PARTS = (
    "阳光 世纪 金色 华侨 星光 滨江 东方 天骄 凤凰 锦绣 御景 富丽 嘉禾 恒泰 鑫源 国贸 泰和 中央 海峡 紫荆 翡翠 丽景 "
    "兰亭 书香 宝岛 晋城 金域 融信 信和 佳源 万祥 中瑞 鸿泰 湖滨 江滨 银河 帝景 名仕 君悦 水岸 聚龙 金桥 南湖 汇景 "
    "学府 领秀 春天 盛世 香颂 云山 海德 锦江 新华都 正荣 建华 天成 丰泽 东湖 西湖 碧水"
).split()
COMMERCIAL_ENDS = "花园 华府 名城 家园 公馆 雅苑 豪庭 御府 新城 广场 一品 壹号院 国际 天地 湾 苑 嘉园 名苑 花苑 雅居 城 府 小区".split()
OLD_PARTS = (
    "永安 长兴 和平 新华 向阳 东风 建设 迎宾 泉安 青梅 桂花 工人 粮站 供销 商业 交通 教师 财政 电力 邮电 水利 "
    "体育 育英 文化 南门 北门 朝阳 民主 团结 五一 红星 前进 光明 幸福 胜利"
).split()
OLD_ENDS = "里 新村 小区 宿舍区 花苑 公寓".split()
MIXED_ENDS = "商住楼 大厦 商厦 商城 中心 公寓 大楼".split()
RESETTLEMENT_ENDS = "安置小区 安置区 安置房 新村".split()
ROADS = "世纪大道 青梅路 泉安路 梅岭路 晋江大道 迎宾路 长兴路 和平路 崇德路 阳光路 拥军路 学府路 曾井路 福埔路 兴业路 金山路 桂山路 滨江路".split()
BRANDS = (
    "福晟 鑫源 嘉禾 恒泰 安泰 金辉 德信 盛世 和美 永鸿 华盛 瑞丰 建辉 海天 信达 宏远 泰禾 鼎盛 锦华 新景 "
    "佳美 荣盛 天和 万安 顺源 联丰 恒通 汇丰 富源 明发 中梁 世纪 凯旋 天宇 长泰 益友 兴业 东方 晋安 祥瑞"
).split()
STATE_COMPANIES = (
    "晋江城投物业服务有限公司",
    "晋江市国投物业管理有限公司",
    "晋江市安居物业服务有限公司",
    "晋江文旅物业服务有限公司",
)
STATE_DEVELOPER = "晋江市城市建设投资开发集团有限公司"
DEPARTMENT_NAMES = (
    "住建局 城管局 公安局 市场监管局 民政局 卫健局 水务局 教育局 发改局 工信局 科技局 司法局 财政局 人社局 自然资源局 "
    "生态环境局 交通运输局 农业农村局 商务局 文体旅游局 退役军人事务局 应急管理局 审计局 国资委 统计局 医保局 信访局 "
    "数据管理局 林业局 人防办 机关事务服务中心 住房保障服务中心 行政服务中心管委会 金融工作服务中心 融媒体中心 档案馆 "
    "委办 政府办 纪委监委 委宣传部 委统战部 委政法委 委编办 直机关工委 委党校 总工会 共青团晋江市委 妇联 科协 残联 红十字会 "
    "侨联 工商联 文联 税务局 消防救援大队 气象局 烟草专卖局 人民法院 人民检察院 供电公司 水务集团 燃气公司 城投集团 "
    "文旅集团 交发集团 产业投资集团 建投集团 医院 中医院 疾控中心 公交公司 邮政分公司 移动分公司 电信分公司 联通分公司 "
    "中国工商银行晋江支行 中国农业银行晋江支行 中国银行晋江支行 中国建设银行晋江支行 晋江农商银行 体育中心"
).split()
WORKPLACES = (
    "永和镇卫生院",
    "晋江市医院",
    "晋江市中医院",
    "晋江市第一中学",
    "晋江市实验小学",
    "晋江市税务局",
    "晋江市供电公司",
    "晋江市公安局",
    "晋江市住建局",
    "晋江市卫健局",
    "晋江市农商银行",
    "晋江市图书馆",
)
VENUE_NAMES = {
    PartyVenue.Feature.ELDERLY: "银龄康养空间",
    PartyVenue.Feature.CHILDREN: "儿童友好空间",
    PartyVenue.Feature.READING: "邻里书屋",
    PartyVenue.Feature.HEALTH: "健康驿站",
    PartyVenue.Feature.CULTURE: "文体活动室",
    PartyVenue.Feature.TEA: "民情茶角",
    PartyVenue.Feature.SERVICE: "红色帮帮团服务站",
}
CN_NUMBERS = "一二三四五六七八九十"
