"""Who may write the registers people are counted by. Each function takes the viewer's scope.

- The owners' register decides who is in a general meeting's electorate and with what area, so it is kept by
  the community, the town or the city over the compound, never by the compound's own posts (a property company
  must not register the owners who vote on dismissing it).
- The party roster of a compound is kept by the levels above and by the compound's party branch.
"""

from __future__ import annotations

from jiayuan.core.scope import Scope


def may_register_owners(scope: Scope, compound) -> bool:
    """Takes a compound with its community loaded."""
    return scope.covers_community(compound)


def may_keep_party_roster(scope: Scope, compound) -> bool:
    """Takes a compound with its community loaded."""
    return scope.covers_community(compound) or scope.serves_branch(compound.pk)


def may_keep_party_membership(scope: Scope, *, organisation, reports_to) -> bool:
    """A membership held in a party organisation and, for an in-service member, reporting to a compound."""
    if scope.everything:
        return True
    compounds = list(organisation.compounds.select_related("community")) if organisation is not None else []
    if reports_to is not None:
        compounds.append(reports_to)
    if any(may_keep_party_roster(scope, compound) for compound in compounds):
        return True
    community = getattr(organisation, "community", None)
    return community is not None and scope.covers_community_of(community.pk, community.town_id)
