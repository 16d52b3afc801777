"""A city's election configuration: its reviewing bodies and its local eligibility bars."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from jiayuan.core.services import create_audited
from jiayuan.organisations.models import Organisation

from ..models import EligibilityBar, ReviewBody

# The nine reviewers of Jinjiang's joint qualification review (DOMAIN.md §3): seven city bodies found (or
# created) by name, then the candidate's community and compound party branch.
DEFAULT_DEPARTMENTS = (
    ("委组织部", "党员身份、履职表现"),
    ("住建局", "与物业服务企业的利害关系、业委会履职记录"),
    ("公安局", "违法犯罪记录"),
    ("人民法院", "失信被执行人名单"),
    ("民政局", "民事行为能力"),
    ("城管局", "违法建设、破坏房屋结构"),
    ("市场监管局", "在物业服务企业任职或持股"),
)
DEFAULT_BARS = (
    ("owner", "是本小区业主", "", True),
    ("capacity", "具有完全民事行为能力", "", True),
    ("no_interest", "本人、配偶及近亲属与物业服务企业无直接利害关系", "", True),
    ("not_dishonest", "未被列入失信被执行人名单", "", True),
    ("no_illegal_building", "无未整改的违法建设、未破坏房屋承重结构", "", True),
    (
        "fees_paid",
        "按时交纳物业服务费",
        "2023年全国人大常委会法工委认为以欠缴物业费限制参选缺乏上位法依据；作为地方规则默认关闭。",
        False,
    ),
)


@transaction.atomic
def review_bodies_default(*, actor, city, on: dt.date) -> list[ReviewBody]:
    """Give a city with none the nine default reviewing bodies; city bodies are matched by name, else created."""
    existing = list(ReviewBody.objects.filter(city=city))
    if existing:
        return existing
    bodies = []
    for position, (short, checks) in enumerate(DEFAULT_DEPARTMENTS, start=1):
        name = f"{city.name}{short}"
        organisation = Organisation.objects.filter(
            name=name, kind__in=[Organisation.Kind.DEPARTMENT, Organisation.Kind.CITY_OFFICE]
        ).first() or create_audited(
            Organisation, actor=actor, kind=Organisation.Kind.DEPARTMENT, name=name, city=city, established_on=on
        )
        bodies.append(
            create_audited(
                ReviewBody,
                actor=actor,
                city=city,
                name=name,
                kind=ReviewBody.Kind.DEPARTMENT,
                department=organisation,
                checks=checks,
                position=position,
            )
        )
    bodies.append(
        create_audited(
            ReviewBody,
            actor=actor,
            city=city,
            name="所在社区",
            kind=ReviewBody.Kind.COMMUNITY,
            checks="居住情况、群众口碑",
            position=8,
        )
    )
    bodies.append(
        create_audited(
            ReviewBody,
            actor=actor,
            city=city,
            name="小区党支部",
            kind=ReviewBody.Kind.BRANCH,
            checks="政治素质、热心公益",
            position=9,
        )
    )
    for position, (code, label, note, enabled) in enumerate(DEFAULT_BARS, start=1):
        create_audited(
            EligibilityBar,
            actor=actor,
            city=city,
            code=code,
            label=label,
            note=note,
            enabled=enabled,
            position=position,
        )
    return bodies
