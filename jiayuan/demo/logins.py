"""The demo logins: the personas', then those the appeals' and elections' demos add, each with its scope named."""

from __future__ import annotations

from dataclasses import dataclass

from jiayuan.core.models import User
from jiayuan.core.scope import scope_for
from jiayuan.organisations.models import Organisation
from jiayuan.places.models import City, Community, Compound, Room, Town

from . import appeals, elections
from .city.data import PERSONAS


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    scope_role: str
    scope: str


def describe_scope(scope) -> str:
    """The places (or department, or household) a scope covers, named."""
    if scope.everything:
        return "、".join(City.objects.order_by("code").values_list("name", flat=True))
    parts = [
        *Town.objects.filter(pk__in=scope.town_ids).values_list("name", flat=True),
        *Community.objects.filter(pk__in=scope.community_ids).values_list("name", flat=True),
        *Compound.objects.filter(pk__in=scope.compound_ids).values_list("name", flat=True),
        *Organisation.objects.filter(pk__in=scope.department_ids).values_list("name", flat=True),
    ]
    if not parts:
        rooms = Room.objects.filter(pk__in=scope.room_ids).select_related("unit__building__compound")
        parts = [str(room) for room in rooms]
    return "、".join(parts)


def demo_logins() -> list[DemoLogin]:
    """The personas' logins, then those the apps' demo builders add (the water department's `shuiwu`, the
    election's runners and reviewers)."""
    wanted = (
        [(persona.username, persona.role) for persona in PERSONAS] + appeals.demo_logins() + elections.demo_logins()
    )
    users = {u.username: u for u in User.objects.filter(username__in=[username for username, _role in wanted])}
    logins = []
    for username, role in wanted:
        user = users.get(username)
        if user is None:
            continue
        scope = scope_for(user)
        logins.append(DemoLogin(username, role, scope.role, describe_scope(scope)))
    return logins
