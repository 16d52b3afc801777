"""Who may change the compound map.

A room's exclusive area is the weight of its owner's vote, and a compound's particulars are the
record owners' meetings stand on: both are changed by the compound's community or town (or the
city), never by the compound's own posts, always with a reason.
"""

from __future__ import annotations

from jiayuan.core.scope import Scope

from .models import Compound


def may_edit_compound(scope: Scope, compound: Compound) -> bool:
    return scope.covers_community_of(compound.community_id, compound.community.town_id)
