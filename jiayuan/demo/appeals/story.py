"""The leaking-pipe story a visitor can finish, played through the real services, and the water department's
login that finishes it."""

from __future__ import annotations

from jiayuan.appeals import services
from jiayuan.appeals.models import Appeal, Category
from jiayuan.core.models import User
from jiayuan.organisations.models import Organisation, Post
from jiayuan.people.models import Ownership

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


def water_login_create(password: str | None) -> str:
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


def leaking_pipe() -> Appeal | None:
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
