"""What a login may see. A viewer's scope is derived from the current posts of its person.

Every selector takes the viewer and filters in the query through these helpers, so a
list can never hold a row outside the scope, and a detail lookup outside it is a 404.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Roles in the order of breadth; an account's headline role is its broadest.
CITY, TOWN, COMMUNITY, COMPOUND, DEPARTMENT, RESIDENT, NONE = (
    "city_admin",
    "town_clerk",
    "community_secretary",
    "compound_staff",
    "department_staff",
    "resident",
    "none",
)
ROLE_LABELS = {
    CITY: _("city administrator"),
    TOWN: _("town clerk"),
    COMMUNITY: _("community secretary"),
    COMPOUND: _("compound staff"),
    DEPARTMENT: _("department staff"),
    RESIDENT: _("resident"),
    NONE: _("no role"),
}
COMMUNITY_ROLES = {"community_secretary", "two_committee_member", "grid_worker"}
COMPOUND_ROLES = {
    "branch_secretary",
    "branch_deputy",
    "branch_committee",
    "building_head",
    "committee_director",
    "committee_deputy",
    "committee_member",
    "property_manager",
}
# The compound's own posts and what each may do there: the party branch and the owners' committee run the
# compound's business, the property manager handles repair orders, a building head reports and follows.
BRANCH_ROLES = frozenset({"branch_secretary", "branch_deputy", "branch_committee"})
COMMITTEE_ROLES = frozenset({"committee_director", "committee_deputy", "committee_member"})
RUNS_COMPOUND_ROLES = BRANCH_ROLES | COMMITTEE_ROLES
# A compound login's headline label is its highest post, in this order.
COMPOUND_ROLE_ORDER = (
    "branch_secretary",
    "committee_director",
    "branch_deputy",
    "committee_deputy",
    "property_manager",
    "branch_committee",
    "committee_member",
    "building_head",
)
COMPOUND_ROLE_LABELS = {
    "branch_secretary": _("compound branch secretary"),
    "branch_deputy": _("compound branch deputy secretary"),
    "branch_committee": _("compound branch committee member"),
    "committee_director": _("owners' committee director"),
    "committee_deputy": _("owners' committee deputy director"),
    "committee_member": _("owners' committee member"),
    "property_manager": _("property manager"),
    "building_head": _("party-member building head"),
}


@dataclass(frozen=True)
class Scope:
    role: str
    everything: bool = False
    town_ids: frozenset[int] = field(default_factory=frozenset)
    community_ids: frozenset[int] = field(default_factory=frozenset)
    compound_ids: frozenset[int] = field(default_factory=frozenset)
    department_ids: frozenset[int] = field(default_factory=frozenset)
    room_ids: frozenset[int] = field(default_factory=frozenset)
    person_id: int | None = None
    # (compound id, post role) for every compound post the viewer holds.
    compound_posts: frozenset[tuple[int, str]] = field(default_factory=frozenset)

    @property
    def role_label(self):
        if self.role == COMPOUND:
            held = {role for _, role in self.compound_posts}
            for role in COMPOUND_ROLE_ORDER:
                if role in held:
                    return COMPOUND_ROLE_LABELS[role]
        return ROLE_LABELS[self.role]

    @property
    def oversees_places(self) -> bool:
        """City, town or community staff: above the compounds."""
        return self.everything or bool(self.town_ids or self.community_ids)

    @property
    def runs_a_compound(self) -> bool:
        """Oversees places, or holds a party-branch or owners'-committee post in some compound."""
        return self.oversees_places or any(role in RUNS_COMPOUND_ROLES for _, role in self.compound_posts)

    def compound_roles(self, compound_id: int) -> frozenset[str]:
        """The posts the viewer holds in that compound itself (not through a community or town)."""
        return frozenset(role for pk, role in self.compound_posts if pk == compound_id)

    def runs_compound(self, compound_id: int) -> bool:
        """Holds a party-branch or owners'-committee post in the compound."""
        return bool(self.compound_roles(compound_id) & RUNS_COMPOUND_ROLES)

    def serves_branch(self, compound_id: int) -> bool:
        """Holds a party-branch committee post in the compound."""
        return bool(self.compound_roles(compound_id) & BRANCH_ROLES)

    def manages_property(self, compound_id: int) -> bool:
        return "property_manager" in self.compound_roles(compound_id)

    def covers_community_of(self, community_id: int, town_id: int) -> bool:
        """Community staff of that community, town staff of its town, or the city."""
        return self.everything or community_id in self.community_ids or town_id in self.town_ids

    @property
    def is_staff_scope(self) -> bool:
        """Sees places and people beyond its own household."""
        return self.everything or bool(self.town_ids or self.community_ids or self.compound_ids)

    @property
    def sees_personal_data(self) -> bool:
        """Unmasked ID and phone numbers: city administrators only; everyone else sees them masked."""
        return self.everything

    # --- query filters: each returns a Q for the model named --------------
    def compounds_q(self, prefix: str = "") -> Q:
        if self.everything:
            return Q()
        q = Q(**{f"{prefix}pk__in": list(self.compound_ids)})
        if self.community_ids:
            q |= Q(**{f"{prefix}community_id__in": list(self.community_ids)})
        if self.town_ids:
            q |= Q(**{f"{prefix}community__town_id__in": list(self.town_ids)})
        return q

    def communities_q(self, prefix: str = "") -> Q:
        if self.everything:
            return Q()
        q = Q(**{f"{prefix}pk__in": list(self.community_ids)})
        if self.town_ids:
            q |= Q(**{f"{prefix}town_id__in": list(self.town_ids)})
        return q

    def towns_q(self, prefix: str = "") -> Q:
        if self.everything:
            return Q()
        return Q(**{f"{prefix}pk__in": list(self.town_ids)})

    def rooms_q(self, prefix: str = "") -> Q:
        """Rooms: those in visible compounds, plus a resident's own household."""
        if self.everything:
            return Q()
        compound_prefix = f"{prefix}unit__building__compound__"
        q = Q(**{f"{prefix}pk__in": list(self.room_ids)})
        if self.is_staff_scope:
            q |= self.compounds_q(compound_prefix)
        return q


NO_SCOPE = Scope(role=NONE)


def scope_for(user, *, on: dt.date | None = None) -> Scope:
    """The scope of `user` on a day (today by default). Cached on the user object for today."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_SCOPE
    cache_key = "_jiayuan_scope"
    if on is None and hasattr(user, cache_key):
        return getattr(user, cache_key)
    scope = _compute_scope(user, on or timezone.localdate())
    if on is None:
        setattr(user, cache_key, scope)
    return scope


def _compute_scope(user, day: dt.date) -> Scope:
    from jiayuan.organisations.models import Post
    from jiayuan.people.models import Ownership, Residency

    if user.is_superuser:
        return Scope(role=CITY, everything=True, person_id=user.person_id)
    if user.person_id is None:
        return NO_SCOPE
    posts = (
        Post.objects.filter(person_id=user.person_id, start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .select_related("organisation", "building")
        .prefetch_related("organisation__compounds")
    )
    towns, communities, compounds, departments = set(), set(), set(), set()
    compound_posts = set()
    everything = False
    for post in posts:
        org = post.organisation
        if post.role == "city_admin":
            everything = True
        elif post.role == "town_clerk" and org.town_id:
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
        elif post.role == "department_staff":
            departments.add(org.pk)
    owned = Ownership.objects.filter(person_id=user.person_id, start_date__lte=day).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=day)
    )
    lived = Residency.objects.filter(person_id=user.person_id, start_date__lte=day).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=day)
    )
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
    )


def get_visible_or_404(queryset, **lookup):
    """Fetch one object from an already-scoped queryset; anything else is a 404."""
    try:
        return queryset.get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404 from exc
