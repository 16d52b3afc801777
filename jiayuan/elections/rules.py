"""Who may do what in elections and general meetings. Each function takes the viewer (a user).

- Running a campaign or a general meeting (opening it, recording nominations, interviews, objections'
  answers, the campaign meeting, entering paper ballots, counting, publishing): the city, the compound's
  town or community, or the compound's party branch (secretary, deputy, branch committee). The property
  company and the outgoing owners' committee do not run the election.
- Reviewing a candidate: only for the reviewing body one acts for (`acts_for`): the people holding a
  post in the department; the staff of the compound's community; the compound's party branch.
- Voting online: an owner in the meeting's frozen electorate (checked by the service).
"""

from __future__ import annotations

from django.db.models import Q

from jiayuan.core.scope import scope_for


def branch_compound_ids(user) -> frozenset[int]:
    """Compounds whose party branch the user's person serves in (secretary, deputy, branch committee)."""
    return scope_for(user).branch_compound_ids


def organisation_ids(user) -> frozenset[int]:
    """Organisations in which the user's person holds a current post (of any role)."""
    return scope_for(user).organisation_ids


def oversees(user, compound) -> bool:
    """City, the compound's town or community."""
    return scope_for(user).covers_community(compound)


def may_run_election(user, compound) -> bool:
    return oversees(user, compound) or compound.pk in branch_compound_ids(user)


def running_compounds_q(user, prefix: str = "") -> Q:
    """A filter on compounds (through `prefix`) the user may run elections in."""
    scope = scope_for(user)
    if scope.everything:
        return Q()
    q = Q(**{f"{prefix}pk__in": list(branch_compound_ids(user))})
    if scope.community_ids:
        q |= Q(**{f"{prefix}community_id__in": list(scope.community_ids)})
    if scope.town_ids:
        q |= Q(**{f"{prefix}community__town_id__in": list(scope.town_ids)})
    return q


def acts_for(user, body, compound) -> bool:
    """Whether the user may decide `body`'s reviews of candidates in `compound`."""
    scope = scope_for(user)
    if body.kind == body.Kind.DEPARTMENT:
        return body.department_id in organisation_ids(user)
    if body.kind == body.Kind.COMMUNITY:
        return compound.community_id in scope.community_ids
    return compound.pk in branch_compound_ids(user)


def review_queue_q(user, prefix: str = "") -> Q:
    """A filter on reviews (through `prefix`) for the bodies the user acts for: that user's queue."""
    scope = scope_for(user)
    compound = f"{prefix}candidate__campaign__compound__"
    q = Q(pk__in=[])
    organisations = organisation_ids(user)
    if organisations:
        q |= Q(**{f"{prefix}body__kind": "department", f"{prefix}body__department_id__in": list(organisations)})
    if scope.community_ids:
        q |= Q(**{f"{prefix}body__kind": "community", f"{compound}community_id__in": list(scope.community_ids)})
    branch = branch_compound_ids(user)
    if branch:
        q |= Q(**{f"{prefix}body__kind": "branch", f"{compound}pk__in": list(branch)})
    return q
