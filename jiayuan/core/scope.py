"""What a login may see. A viewer's scope is derived from the current posts of its person.

Every selector takes the viewer and filters in the query through these helpers, so a
list can never hold a row outside the scope, and a detail lookup outside it is a 404.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured
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
    # Every organisation the viewer holds a current post in, of any role (a reviewing department, say).
    organisation_ids: frozenset[int] = field(default_factory=frozenset)

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

    @property
    def branch_compound_ids(self) -> frozenset[int]:
        """The compounds whose party branch the viewer serves in (secretary, deputy, branch committee)."""
        return frozenset(pk for pk, role in self.compound_posts if role in BRANCH_ROLES)

    def serves_branch(self, compound_id: int) -> bool:
        """Holds a party-branch committee post in the compound."""
        return bool(self.compound_roles(compound_id) & BRANCH_ROLES)

    def manages_property(self, compound_id: int) -> bool:
        return "property_manager" in self.compound_roles(compound_id)

    def covers_community_of(self, community_id: int, town_id: int) -> bool:
        """Community staff of that community, town staff of its town, or the city."""
        return self.everything or community_id in self.community_ids or town_id in self.town_ids

    # The predicates below take a compound with its community loaded (`select_related("community")`).
    def covers_compound(self, compound) -> bool:
        """The city, the compound's town or community, or a post in the compound itself."""
        return compound.pk in self.compound_ids or self.covers_community(compound)

    def covers_community(self, compound) -> bool:
        """The city, or the town or community the compound is in: the levels above the compound."""
        return self.covers_community_of(compound.community_id, compound.community.town_id)

    def supervises(self, compound) -> bool:
        """The city or the compound's town: those who supervise the compound's community."""
        return self.everything or compound.community.town_id in self.town_ids

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


# How a person's scope is read from the posts and households they hold on a day: the organisations app, which
# knows posts, registers it at start-up (OrganisationsConfig.ready), so core never imports the apps above it.
_scope_source = None


def register_scope_source(source) -> None:
    """`source(user, day) -> Scope` for a login with a person (a superuser sees everything besides)."""
    global _scope_source
    _scope_source = source


def _compute_scope(user, day: dt.date) -> Scope:
    if user.person_id is None:
        return Scope(role=CITY, everything=True) if user.is_superuser else NO_SCOPE
    if _scope_source is None:
        raise ImproperlyConfigured("no scope source registered: is jiayuan.organisations in INSTALLED_APPS?")
    return _scope_source(user, day)


def get_visible_or_404(queryset, **lookup):
    """Fetch one object from an already-scoped queryset; anything else is a 404."""
    try:
        return queryset.get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404 from exc
