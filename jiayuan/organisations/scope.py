"""A person's scope, read from the posts they hold and the rooms of their household."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from jiayuan.core.scope import (
    CITY,
    COMMUNITY,
    COMMUNITY_ROLES,
    COMPOUND,
    COMPOUND_ROLES,
    DEPARTMENT,
    NONE,
    RESIDENT,
    TOWN,
    Scope,
)
from jiayuan.people.models import Ownership, Residency

from .models import Post


def scope_from_posts(user, day: dt.date) -> Scope:
    """The scope of a login's person on `day`: the places their current posts cover, the rooms they own or live
    in, the departments they work for. Registered as core's scope source by OrganisationsConfig.ready()."""
    posts = (
        Post.objects.filter(person_id=user.person_id)
        .current_on(day)
        .select_related("organisation", "building")
        .prefetch_related("organisation__compounds")
    )
    towns, communities, compounds, departments = set(), set(), set(), set()
    compound_posts = set()
    organisations = set()
    everything = user.is_superuser
    for post in posts:
        org = post.organisation
        organisations.add(org.pk)
        if post.role == Post.Role.CITY_ADMIN:
            everything = True
        elif post.role == Post.Role.TOWN_CLERK and org.town_id:
            towns.add(org.town_id)
        elif post.role in COMMUNITY_ROLES and org.community_id:
            communities.add(org.community_id)
        elif post.role in COMPOUND_ROLES:
            if post.compound_id:
                held = {post.compound_id}
            elif post.building_id:
                held = {post.building.compound_id}
            else:
                held = {c.pk for c in org.compounds.all()}
            compounds.update(held)
            compound_posts.update((pk, post.role) for pk in held)
        elif post.role == Post.Role.DEPARTMENT_STAFF:
            departments.add(org.pk)
    owned = Ownership.objects.filter(person_id=user.person_id).current_on(day)
    lived = Residency.objects.filter(person_id=user.person_id).current_on(day)
    rooms = frozenset(owned.values_list("room_id", flat=True)) | frozenset(lived.values_list("room_id", flat=True))
    if everything:
        role = CITY
    elif towns:
        role = TOWN
    elif communities:
        role = COMMUNITY
    elif compounds:
        role = COMPOUND
    elif departments:
        role = DEPARTMENT
    elif rooms:
        role = RESIDENT
    else:
        role = NONE
    return Scope(
        role=role,
        everything=everything,
        town_ids=frozenset(towns),
        community_ids=frozenset(communities),
        compound_ids=frozenset(compounds),
        department_ids=frozenset(departments),
        room_ids=rooms,
        person_id=user.person_id,
        compound_posts=frozenset(compound_posts),
        organisation_ids=frozenset(organisations),
    )


def post_holders_reached(scope: Scope):
    """The people holding a post (current or past) in the places a staff scope covers: registered with people's
    selectors as a person reach, so those people can be opened by that scope."""
    post_q = (
        scope.compounds_q("organisation__compounds__")
        | scope.compounds_q("compound__")
        | scope.compounds_q("building__compound__")
    )
    if scope.community_ids:
        post_q |= Q(organisation__community_id__in=list(scope.community_ids))
    if scope.town_ids:
        post_q |= Q(organisation__community__town_id__in=list(scope.town_ids)) | Q(
            organisation__town_id__in=list(scope.town_ids)
        )
    return Post.objects.filter(post_q).values("person_id")
