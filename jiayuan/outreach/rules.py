"""Who may write what in the outreach registers. Each function takes the viewer's scope."""

from __future__ import annotations

from jiayuan.core.scope import Scope


def runs_compound(scope: Scope, compound) -> bool:
    """City, the compound's town or community, or the compound's party branch or owners' committee.

    The property manager and the building heads see the registers but do not keep them.
    """
    return scope.covers_community(compound) or scope.runs_compound(compound.pk)


def may_schedule_reception(scope: Scope, compound) -> bool:
    """Reception desks are organised by the town, the community or the compound's branch."""
    return scope.covers_community(compound) or scope.serves_branch(compound.pk)


def may_manage_links(scope: Scope, compound) -> bool:
    """Pairing a city department with a compound is decided by the city or the compound's town."""
    return scope.supervises(compound)


def may_log_department_action(scope: Scope, link) -> bool:
    """The linked department's own staff, or the community, town or city over the compound."""
    return link.department_id in scope.department_ids or scope.covers_community(link.compound)


def may_record_service(scope: Scope, compound) -> bool:
    """In-service party members' service is logged by the branch (or the community and above)."""
    return scope.covers_community(compound) or scope.serves_branch(compound.pk)


def may_record_dispute(scope: Scope, compound) -> bool:
    """Anyone serving the compound reports a dispute they find (a building head among them)."""
    return scope.covers_compound(compound)


def may_handle_dispute(scope: Scope, compound) -> bool:
    """Mediating and escalating is the compound's business: its branch or committee, or the community above."""
    return runs_compound(scope, compound)
