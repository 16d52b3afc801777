"""Who may do what in committee life. Each function takes the viewer's scope and the committee.

- Seeing a committee's pages: staff whose scope covers one of its compounds (the selectors).
- Oversight (filing, starting and answering self-inspections, tasks): the community, town or
  city over the compound.
- Self-inspections and tasks also: the committee's own members (director, deputy, member) and
  the compound party branch's leaders (secretary, deputy, branch committee).
- Evaluations: the city administrator, the town clerk of the compound's town, the secretary of
  the compound's community party committee.
- The duty list and negative list: the city administrator.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from jiayuan.core.scope import Scope
from jiayuan.organisations.models import Organisation, Post

Role = Post.Role
COMMITTEE_ROLES = (Role.COMMITTEE_DIRECTOR, Role.COMMITTEE_DEPUTY, Role.COMMITTEE_MEMBER)
BRANCH_LEADER_ROLES = (Role.BRANCH_SECRETARY, Role.BRANCH_DEPUTY, Role.BRANCH_COMMITTEE)


def current_posts(day: dt.date | None = None):
    day = day or timezone.localdate()
    return Post.objects.current_on(day)


def _compounds(committee) -> list:
    cache = getattr(committee, "_prefetched_objects_cache", {})
    compounds = cache.get("compounds")
    if compounds is None:
        compounds = committee.compounds.select_related("community")
    return list(compounds)


def covers_committee(scope: Scope, committee) -> bool:
    """City, the town or community of one of its compounds, or staff of one of its compounds."""
    return scope.everything or any(scope.covers_compound(compound) for compound in _compounds(committee))


def oversees_committee(scope: Scope, committee) -> bool:
    """The community, town or city over one of the committee's compounds."""
    return scope.everything or any(scope.covers_community(compound) for compound in _compounds(committee))


def is_member(scope: Scope, committee, day: dt.date | None = None) -> bool:
    return (
        bool(scope.person_id)
        and current_posts(day)
        .filter(person_id=scope.person_id, organisation=committee, role__in=COMMITTEE_ROLES)
        .exists()
    )


def leads_the_branch(scope: Scope, committee, day: dt.date | None = None) -> bool:
    """Secretary, deputy or branch committee member of a party branch of one of the committee's compounds."""
    if not scope.person_id:
        return False
    compound_ids = [compound.pk for compound in _compounds(committee)]
    return (
        current_posts(day)
        .filter(
            person_id=scope.person_id,
            role__in=BRANCH_LEADER_ROLES,
            organisation__kind=Organisation.Kind.COMPOUND_BRANCH,
            organisation__compounds__in=compound_ids,
        )
        .exists()
    )


def may_record_filing(scope: Scope, committee) -> bool:
    return oversees_committee(scope, committee)


def may_self_inspect(scope: Scope, committee) -> bool:
    """Start, answer and close self-inspection rounds, and complete rectification tasks."""
    return oversees_committee(scope, committee) or is_member(scope, committee) or leads_the_branch(scope, committee)


def may_evaluate(scope: Scope, committee, day: dt.date | None = None) -> bool:
    if scope.everything:
        return True
    compounds = _compounds(committee)
    if any(scope.supervises(compound) for compound in compounds):
        return True
    if not scope.person_id:
        return False
    return (
        current_posts(day)
        .filter(
            person_id=scope.person_id,
            role=Role.COMMUNITY_SECRETARY,
            organisation__community_id__in=[compound.community_id for compound in compounds],
        )
        .exists()
    )


def may_edit_duty_list(scope: Scope, city) -> bool:
    """The duty list and negative list are set for the whole city by its administrator."""
    return scope.everything
