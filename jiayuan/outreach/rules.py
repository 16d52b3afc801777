"""Who may write what in the outreach registers. Each function takes the viewer's scope."""

from __future__ import annotations

from jiayuan.core.scope import Scope


def covers_compound(scope: Scope, compound) -> bool:
    """City, the compound's town or community, or staff of the compound itself."""
    return (
        scope.everything
        or compound.pk in scope.compound_ids
        or compound.community_id in scope.community_ids
        or compound.community.town_id in scope.town_ids
    )


def covers_town(scope: Scope, compound) -> bool:
    return scope.everything or compound.community.town_id in scope.town_ids


def may_schedule_reception(scope: Scope, compound) -> bool:
    """Reception desks are organised by the town, the community or the compound's branch."""
    return covers_compound(scope, compound)


def may_manage_links(scope: Scope, compound) -> bool:
    """Pairing a city department with a compound is decided by the city or the compound's town."""
    return covers_town(scope, compound)


def may_log_department_action(scope: Scope, link) -> bool:
    """The linked department's own staff, or the community, town or city over the compound."""
    compound = link.compound
    return (
        link.department_id in scope.department_ids
        or scope.everything
        or compound.community_id in scope.community_ids
        or compound.community.town_id in scope.town_ids
    )


def may_record_service(scope: Scope, compound) -> bool:
    return covers_compound(scope, compound)


def may_handle_dispute(scope: Scope, compound) -> bool:
    return covers_compound(scope, compound)
