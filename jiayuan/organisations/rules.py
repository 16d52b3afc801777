"""Who may give whom a post: the power to appoint, held as strictly as the power to read.

- A party organisation's posts are assigned by the level that leads it: the community party
  committee (its secretary or two-committee members) for a compound or grid branch, the town for
  a community party committee, the city above; a higher level may act for the one below.
- An owners' committee's posts come only from a published election (the election's own service
  assigns them) or from the town or the city.
- A property company's posts are assigned by that company's own manager post, or by the city.
- Town offices, city offices and departments are staffed by the city.
- A compound branch's secretary or deputy names the party-member building heads of that branch.
- Nobody assigns a post to themselves.

`appointing_post` names the post by whose authority an assignment is made; the service records
it on the new post and in the audit trail.
"""

from __future__ import annotations

import datetime as dt

from jiayuan.places.models import Community

from .models import Organisation, Post

Kind = Organisation.Kind
Role = Post.Role
COMMUNITY_LEADERS = (Role.COMMUNITY_SECRETARY, Role.TWO_COMMITTEE_MEMBER)
BRANCH_LEADERS = (Role.BRANCH_SECRETARY, Role.BRANCH_DEPUTY)


def _leading_places(organisation: Organisation) -> tuple[set[int], set[int]]:
    """(community ids, town ids) whose leadership may appoint in `organisation`."""
    communities = set()
    if organisation.community_id:
        communities.add(organisation.community_id)
    communities.update(organisation.compounds.values_list("community_id", flat=True))
    towns = {organisation.town_id} if organisation.town_id else set()
    towns.update(Community.objects.filter(pk__in=communities).values_list("town_id", flat=True))
    return communities, towns


def _may_appoint(post: Post, organisation: Organisation, role: str, communities: set[int], towns: set[int]) -> bool:
    if post.role == Role.CITY_ADMIN:
        return True
    kind = organisation.kind
    if post.role == Role.TOWN_CLERK:
        return (
            kind
            in {Kind.COMPOUND_BRANCH, Kind.GRID_BRANCH, Kind.COMMUNITY_PARTY, Kind.COMPANY_PARTY, Kind.OWNERS_COMMITTEE}
            and post.organisation.town_id in towns
        )
    if post.role in COMMUNITY_LEADERS:
        return (
            kind in {Kind.COMPOUND_BRANCH, Kind.GRID_BRANCH, Kind.COMPANY_PARTY}
            and post.organisation.kind == Kind.COMMUNITY_PARTY
            and post.organisation.community_id in communities
        )
    if post.role == Role.PROPERTY_MANAGER:
        return kind == Kind.PROPERTY_COMPANY and post.organisation_id == organisation.pk
    if post.role in BRANCH_LEADERS:
        return role == Role.BUILDING_HEAD and post.organisation_id == organisation.pk
    return False


def appointing_post(*, actor, organisation: Organisation, person, role: str, day: dt.date) -> Post | None:
    """The actor's current post that gives the power to appoint `person` in `organisation`, or None."""
    if actor is None or actor.person_id is None or actor.person_id == person.pk:
        return None
    posts = Post.objects.filter(person_id=actor.person_id).current_on(day).select_related("organisation").order_by("pk")
    communities, towns = _leading_places(organisation)
    return next((post for post in posts if _may_appoint(post, organisation, role, communities, towns)), None)


def may_assign(*, actor, organisation: Organisation, person, role: str, day: dt.date) -> bool:
    """A superuser (the platform's operator) appoints as the city even without a city post."""
    if actor is not None and actor.person_id is not None and actor.person_id == person.pk:
        return False  # nobody appoints themselves, superusers included
    if actor is not None and actor.is_superuser:
        return True
    return appointing_post(actor=actor, organisation=organisation, person=person, role=role, day=day) is not None
