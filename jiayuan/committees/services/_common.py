"""What the committee writes share: the post roles, the default lists, the refusal and the input checks."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from jiayuan.core.scope import scope_for
from jiayuan.organisations.models import Organisation, Post
from jiayuan.places.models import City

Role = Post.Role
DEFAULT_DUTIES = (
    "召集业主大会会议并报告履职情况",
    "执行业主大会决定",
    "代表业主与业主大会选聘的物业服务企业签订物业服务合同",
    "监督物业服务合同履行，及时了解业主意见和建议",
    "监督管理规约实施，督促业主履行义务",
    "监督专项维修资金的筹集和使用",
    "及时公开业委会会议决定和财务情况",
    "接受社区党组织领导，配合做好小区治理和矛盾化解",
)
DEFAULT_NEGATIVES = (
    "不得擅自选聘或解聘物业服务企业",
    "不得收受物业服务企业或其他利害关系人财物",
    "不得挪用侵占业主共有资金",
    "不得擅自使用专项维修资金",
    "不得以业委会名义从事营利活动",
    "不得泄露业主个人信息",
)


# --- helpers ----------------------------------------------------------------------------------


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def _require(actor, rule, *args) -> None:
    """System writes (actor None) skip the rules; a login must be allowed by them."""
    if _user(actor) is not None and not rule(scope_for(actor), *args):
        raise PermissionDenied(_("You may not do this for this owners' committee."))


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _text(value, field: str, message: str, errors: dict, *, limit: int | None = None) -> str:
    value = (value or "").strip()
    if not value:
        errors.setdefault(field, message)
    elif limit is not None and len(value) > limit:
        errors.setdefault(field, _("At most %(limit)s characters.") % {"limit": limit})
    return value


def _not_in_future(day: dt.date | None, field: str, today: dt.date, errors: dict) -> None:
    if day is not None and day > today:
        errors.setdefault(field, _("The date %(date)s is in the future.") % {"date": day.isoformat()})


def _committee(committee: Organisation) -> Organisation:
    if committee.kind != Organisation.Kind.OWNERS_COMMITTEE:
        raise ValidationError({"committee": _("%(name)s is not an owners' committee.") % {"name": committee.name}})
    return committee


def committee_city(committee: Organisation) -> City | None:
    """The city whose duty list applies: that of the committee's (first) compound."""
    compound = committee.compounds.select_related("community__town__city").order_by("pk").first()
    if compound is not None:
        return compound.community.town.city
    if committee.community_id:
        return committee.community.town.city
    return committee.city
