"""Coverage figures (组织覆盖) from the data, for the dashboard, the API and `jiayuan report coverage`.

Every figure is computed from posts, organisations and venues as of a date, within
the viewer's scope and an optional region (town or community). Nothing is stored.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction

from django.conf import settings
from django.db.models import Q
from django.http import Http404

from jiayuan.core.scope import scope_for
from jiayuan.organisations.models import Organisation, PartyVenue, Post
from jiayuan.organisations.selectors import committee_in_office_q
from jiayuan.people.models import PartyMembership
from jiayuan.places.models import City, Community, Compound, Town
from jiayuan.places.selectors import region_by_code

Kind = Organisation.Kind
Role = Post.Role
TWO_COMMITTEE_ROLES = (Role.COMMUNITY_SECRETARY, Role.TWO_COMMITTEE_MEMBER)
COMPOUND_LEAD_ROLES = (Role.BRANCH_SECRETARY, Role.COMMITTEE_DIRECTOR)
COMMITTEE_ROLES = (Role.COMMITTEE_DIRECTOR, Role.COMMITTEE_DEPUTY, Role.COMMITTEE_MEMBER)
INDICATORS = (
    "compounds",
    "party_org",
    "committee",
    "yijiantiao",
    "red_committee",
    "two_committee_post_holders",
    "building_heads",
    "party_venues",
)


def red_share_threshold() -> Fraction:
    return Fraction(settings.RED_COMMITTEE_SHARE)


def _active_posts(day: dt.date):
    return Post.objects.current_on(day)


@dataclass
class CompoundFacts:
    """What the coverage indicators need to know about one compound on one day."""

    compound_id: int
    town_id: int
    community_id: int
    party_org: bool = False
    committee: bool = False
    yijiantiao: bool = False
    red_committee: bool = False
    building_heads: set[int] = field(default_factory=set)  # persons heading a building here
    party_venues: int = 0
    two_committee_holders: set[int] = field(default_factory=set)


@dataclass
class Coverage:
    """Totals for a set of compounds. Rates are exact fractions; `as_dict` gives floats for JSON."""

    compounds: int = 0
    party_org_compounds: int = 0
    committee_compounds: int = 0
    yijiantiao_compounds: int = 0
    red_committees: int = 0
    building_head_people: set[int] = field(default_factory=set)
    party_venues: int = 0
    two_committee_holders: set[int] = field(default_factory=set)

    @staticmethod
    def _rate(part: int, whole: int) -> Fraction:
        return Fraction(part, whole) if whole else Fraction(0)

    @property
    def party_org_coverage(self) -> Fraction:
        return self._rate(self.party_org_compounds, self.compounds)

    @property
    def committee_formation(self) -> Fraction:
        return self._rate(self.committee_compounds, self.compounds)

    @property
    def red_committee_share(self) -> Fraction:
        return self._rate(self.red_committees, self.committee_compounds)

    @property
    def two_committee_post_holders(self) -> int:
        return len(self.two_committee_holders)

    @property
    def building_heads(self) -> int:
        """Party-member building heads: people, so one person heading two buildings counts once."""
        return len(self.building_head_people)

    def add(self, facts: CompoundFacts) -> None:
        self.compounds += 1
        self.party_org_compounds += facts.party_org
        self.committee_compounds += facts.committee
        self.yijiantiao_compounds += facts.yijiantiao
        self.red_committees += facts.red_committee
        self.building_head_people |= facts.building_heads
        self.party_venues += facts.party_venues
        self.two_committee_holders |= facts.two_committee_holders

    def as_dict(self) -> dict:
        return {
            "compounds": self.compounds,
            "party_org_compounds": self.party_org_compounds,
            "party_org_coverage": float(self.party_org_coverage),
            "committee_compounds": self.committee_compounds,
            "committee_formation": float(self.committee_formation),
            "yijiantiao_compounds": self.yijiantiao_compounds,
            "red_committees": self.red_committees,
            "red_committee_share": float(self.red_committee_share),
            "two_committee_post_holders": self.two_committee_post_holders,
            "building_heads": self.building_heads,
            "party_venues": self.party_venues,
        }


def compounds_in(*, viewer, region=None):
    """Compounds the viewer may see, narrowed to a city, town, community or compound if given."""
    queryset = Compound.objects.filter(scope_for(viewer).compounds_q())
    if isinstance(region, City):
        queryset = queryset.filter(community__town__city=region)
    elif isinstance(region, Town):
        queryset = queryset.filter(community__town=region)
    elif isinstance(region, Community):
        queryset = queryset.filter(community=region)
    elif isinstance(region, Compound):
        queryset = queryset.filter(pk=region.pk)
    return queryset


# --- regions: the levels of the drill-down --------------------------------
LEVELS = ("city", "town", "community", "compound")
_LEVEL_OF = {City: "city", Town: "town", Community: "community", Compound: "compound"}


def region_level(region) -> str:
    """'city', 'town', 'community' or 'compound'; 'scope' for None (all the viewer may see)."""
    return _LEVEL_OF[type(region)] if region is not None else "scope"


def _visible(scope, region) -> bool:
    if scope.everything:
        return True
    if isinstance(region, Town):
        return Town.objects.filter(scope.towns_q(), pk=region.pk).exists()
    if isinstance(region, Community):
        return Community.objects.filter(scope.communities_q(), pk=region.pk).exists()
    if isinstance(region, Compound):
        return Compound.objects.filter(scope.compounds_q(), pk=region.pk).exists()
    return False  # a whole city needs the everything scope


def region_visible(*, viewer, region) -> bool:
    """Whether the viewer may look at this region as a whole (a city needs the city-wide scope)."""
    return region is not None and _visible(scope_for(viewer), region)


def region_get(*, viewer, code: str):
    """The city, town, community or compound with this code, if the viewer may see it; otherwise Http404."""
    region = region_by_code(code) if code else None
    if region is None or not _visible(scope_for(viewer), region):
        raise Http404(f"No region with code {code!r} within the viewer's scope.")
    return region


def starting_region(*, viewer):
    """Where a viewer's dashboard starts: the city for a city administrator, else their one town,
    community or compound. None when the scope spans several regions of its level (or is empty)."""
    scope = scope_for(viewer)
    if scope.everything:
        cities = list(City.objects.order_by("pk")[:2])
        return cities[0] if len(cities) == 1 else None
    compounds = Compound.objects.filter(scope.compounds_q()).values_list("pk", "community_id", "community__town_id")
    if scope.town_ids:
        candidates, key = Town.objects.filter(pk__in=scope.town_ids), 2
    elif scope.community_ids:
        candidates, key = Community.objects.filter(pk__in=scope.community_ids), 1
    elif scope.compound_ids:
        candidates, key = Compound.objects.filter(pk__in=scope.compound_ids), 0
    else:
        return None
    only = list(candidates[:2])
    if len(only) == 1 and all(row[key] == only[0].pk for row in compounds):
        return only[0]
    return None


def _child_level(*, viewer, region) -> str:
    """The level of the rows under a region: towns under a city, communities under a town, and so on."""
    if region is None:
        scope = scope_for(viewer)
        if scope.everything or scope.town_ids:
            return "town"
        return "community" if scope.community_ids else "compound"
    return {"city": "town", "town": "community"}.get(region_level(region), "compound")


def compound_facts(*, compound_ids, day: dt.date) -> dict[int, CompoundFacts]:
    """One CompoundFacts per compound id, built with a fixed number of queries."""
    ids = list(compound_ids)
    facts = {
        row["pk"]: CompoundFacts(row["pk"], row["community__town_id"], row["community_id"])
        for row in Compound.objects.filter(pk__in=ids).values("pk", "community_id", "community__town_id")
    }
    through = Organisation.compounds.through
    # An owners' committee counts while in office: not once a later committee of its compound took over.
    active_orgs = Organisation.objects.active_on(day).filter(
        ~Q(kind=Kind.OWNERS_COMMITTEE) | committee_in_office_q(day)
    )
    org_compounds: dict[int, list[int]] = defaultdict(list)
    org_kind: dict[int, str] = {}
    for row in through.objects.filter(compound_id__in=ids, organisation__in=active_orgs).values(
        "organisation_id", "compound_id", "organisation__kind"
    ):
        org_compounds[row["organisation_id"]].append(row["compound_id"])
        org_kind[row["organisation_id"]] = row["organisation__kind"]
        if row["organisation__kind"] == Kind.COMPOUND_BRANCH:
            facts[row["compound_id"]].party_org = True
        elif row["organisation__kind"] == Kind.OWNERS_COMMITTEE:
            facts[row["compound_id"]].committee = True

    posts = _active_posts(day)
    secretaries: dict[int, set[int]] = defaultdict(set)
    directors: dict[int, set[int]] = defaultdict(set)
    lead_people: dict[int, set[int]] = defaultdict(set)  # person -> compounds where they lead
    committee_people: dict[int, set[int]] = defaultdict(set)  # committee org -> persons seated
    for row in posts.filter(
        organisation_id__in=list(org_compounds), role__in=[*COMPOUND_LEAD_ROLES, *COMMITTEE_ROLES]
    ).values("organisation_id", "person_id", "role"):
        org_id, person_id, role = row["organisation_id"], row["person_id"], row["role"]
        if org_kind[org_id] == Kind.OWNERS_COMMITTEE and role in COMMITTEE_ROLES:
            committee_people[org_id].add(person_id)
        for compound_id in org_compounds[org_id]:
            if role == Role.BRANCH_SECRETARY and org_kind[org_id] == Kind.COMPOUND_BRANCH:
                secretaries[compound_id].add(person_id)
                lead_people[person_id].add(compound_id)
            elif role == Role.COMMITTEE_DIRECTOR and org_kind[org_id] == Kind.OWNERS_COMMITTEE:
                directors[compound_id].add(person_id)
                lead_people[person_id].add(compound_id)
    for compound_id, fact in facts.items():
        fact.yijiantiao = bool(secretaries[compound_id] & directors[compound_id])

    two_committee = set(
        posts.filter(role__in=TWO_COMMITTEE_ROLES, person_id__in=list(lead_people)).values_list("person_id", flat=True)
    )
    for person_id in two_committee:
        for compound_id in lead_people[person_id]:
            facts[compound_id].two_committee_holders.add(person_id)

    members = set(
        PartyMembership.objects.filter(
            person_id__in={p for people in committee_people.values() for p in people}, joined_on__lte=day
        )
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=day))
        .values_list("person_id", flat=True)
    )
    threshold = red_share_threshold()
    for org_id, people in committee_people.items():
        if people and Fraction(len(people & members), len(people)) >= threshold:
            for compound_id in org_compounds[org_id]:
                facts[compound_id].red_committee = True

    for compound_id, person_id in posts.filter(role=Role.BUILDING_HEAD, building__compound_id__in=ids).values_list(
        "building__compound_id", "person_id"
    ):
        facts[compound_id].building_heads.add(person_id)
    venues = PartyVenue.objects.filter(compound_id__in=ids, opened_on__lte=day).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=day)
    )
    for compound_id in venues.values_list("compound_id", flat=True):
        facts[compound_id].party_venues += 1
    return facts


@dataclass
class CoverageReport:
    day: dt.date
    region: object
    total: Coverage
    rows: list[tuple[object, Coverage]]
    facts: dict[int, CompoundFacts]


def coverage_report(*, viewer, region=None, day: dt.date) -> CoverageReport:
    """Totals for the region and one row per child region (towns, communities or compounds).

    The region must already be one the viewer may see (region_get); None means all the viewer sees.
    """
    compounds = compounds_in(viewer=viewer, region=region)
    facts = compound_facts(compound_ids=compounds.values_list("pk", flat=True), day=day)
    total = Coverage()
    for fact in facts.values():
        total.add(fact)
    level = _child_level(viewer=viewer, region=region)
    if level == "town":
        children = Town.objects.filter(pk__in={f.town_id for f in facts.values()}).order_by("code")
        key = "town_id"
    elif level == "community":
        children = Community.objects.filter(pk__in={f.community_id for f in facts.values()}).order_by("code")
        key = "community_id"
    else:
        children = Compound.objects.filter(pk__in=list(facts)).order_by("code")
        key = "compound_id"
    by_child: dict[int, Coverage] = defaultdict(Coverage)
    for fact in facts.values():
        by_child[getattr(fact, key)].add(fact)
    rows = [(child, by_child[child.pk]) for child in children]
    return CoverageReport(day=day, region=region, total=total, rows=rows, facts=facts)


def compounds_with(*, report: CoverageReport, indicator: str) -> list[int]:
    """Ids of the compounds behind one figure of a report ('yijiantiao', 'party_org', ...)."""
    if indicator not in INDICATORS:
        raise ValueError(f"unknown indicator {indicator!r}")
    if indicator == "compounds":
        return list(report.facts)
    attribute = "two_committee_holders" if indicator == "two_committee_post_holders" else indicator
    return [pk for pk, fact in report.facts.items() if getattr(fact, attribute)]


def compounds_without(*, report: CoverageReport, indicator: str) -> list[int]:
    behind = set(compounds_with(report=report, indicator=indicator))
    return [pk for pk in report.facts if pk not in behind]


def compounds_behind(*, report: CoverageReport, indicator: str, missing: bool = False, search: str = ""):
    """The compounds behind one figure (or, with `missing`, those lacking it), ordered by code; with `search`,
    only those whose name holds it."""
    ids = (
        compounds_without(report=report, indicator=indicator)
        if missing
        else compounds_with(report=report, indicator=indicator)
    )
    queryset = Compound.objects.filter(pk__in=ids).select_related("community__town").order_by("code")
    if search.strip():
        queryset = queryset.filter(name__icontains=search.strip())
    return queryset


def region_dict(region) -> dict:
    if region is None:
        return {"code": None, "name": "", "level": "scope"}
    return {"code": region.code, "name": region.name, "level": region_level(region)}


def coverage_payload(report: CoverageReport) -> dict:
    """The report as plain JSON-ready data: the API answer and `jiayuan report coverage --json` use it."""
    return {
        "region": region_dict(report.region),
        "as_of": report.day.isoformat(),
        "totals": report.total.as_dict(),
        "rows": [{"region": region_dict(child), **coverage.as_dict()} for child, coverage in report.rows],
    }
