"""What the platform already knows about a candidate, put beside the qualification review.

Each provider takes a list of candidates and returns {candidate pk: [Fact]}, reading what it needs for all of
them at once (a review queue shows dozens of candidates). Modules that keep more records about people or rooms
(enforcement cases, for example) add a provider with `register`; the review pages show every provider's
facts, and a provider with nothing to say about a candidate says so.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jiayuan.organisations.models import Post, ServiceContract
from jiayuan.people.models import Kinship


@dataclass(frozen=True)
class Fact:
    topic: str
    text: str
    concern: bool = False  # True: something a reviewer should look at


Provider = Callable[[list], dict[int, list[Fact]]]
PROVIDERS: list[tuple[str, Provider]] = []


def register(name: str, provider: Provider) -> None:
    """Add a provider (idempotent by name)."""
    PROVIDERS[:] = [(n, p) for n, p in PROVIDERS if n != name] + [(name, provider)]


def _current(queryset, day):
    return queryset.current_on(day)


def ownership(candidates: list) -> dict[int, list[Fact]]:
    from .models import Candidate

    rooms = defaultdict(list)
    for link in (
        Candidate.rooms.through.objects.filter(candidate__in=candidates)
        .select_related("room__unit__building")
        .order_by("room_id")
    ):
        rooms[link.candidate_id].append(link.room)
    facts = {}
    for candidate in candidates:
        owned = rooms.get(candidate.pk)
        if not owned:
            facts[candidate.pk] = [Fact(_("Ownership"), _("Owns no room in the compound."), concern=True)]
            continue
        names = "、".join(f"{r.unit.building.number} {r.unit.number} {r.number}（{r.area} m²）" for r in owned)
        facts[candidate.pk] = [Fact(_("Ownership"), _("Owns in the compound: %(rooms)s.") % {"rooms": names})]
    return facts


def property_company_links(candidates: list) -> dict[int, list[Fact]]:
    """Posts of the candidate or of a recorded close relative in the compound's current property company."""
    day = timezone.localdate()
    compound_of = {c.pk: c.campaign.compound_id for c in candidates}
    companies = defaultdict(list)  # compound id -> [company]
    for contract in _current(
        ServiceContract.objects.filter(compound_id__in=set(compound_of.values())), day
    ).select_related("company"):
        companies[contract.compound_id].append(contract.company)
    people = {c.person_id for c in candidates}
    relatives = defaultdict(dict)  # person id -> {relative id: relation label}
    for tie in Kinship.objects.filter(Q(person_id__in=people) | Q(relative_id__in=people)):
        if tie.person_id in people:
            relatives[tie.person_id][tie.relative_id] = tie.get_relation_display()
        if tie.relative_id in people:
            relatives[tie.relative_id][tie.person_id] = tie.get_relation_display()
    everyone = people | {r for ties in relatives.values() for r in ties}
    company_ids = {company.pk for listed in companies.values() for company in listed}
    posts = defaultdict(list)  # person id -> [post]
    for post in _current(
        Post.objects.filter(organisation_id__in=company_ids, person_id__in=everyone), day
    ).select_related("person", "organisation"):
        posts[post.person_id].append(post)
    facts = {}
    for candidate in candidates:
        here = companies.get(compound_of[candidate.pk], [])
        if not here:
            facts[candidate.pk] = [
                Fact(_("Property company"), _("The compound has no property service contract on record."))
            ]
            continue
        here_ids = {company.pk for company in here}
        ties = relatives.get(candidate.person_id, {})
        found = []
        for person_id in [candidate.person_id, *ties]:
            for post in posts.get(person_id, []):
                if post.organisation_id not in here_ids:
                    continue
                if person_id == candidate.person_id:
                    text = _("Works for the compound's property company: %(post)s at %(company)s.")
                else:
                    text = _(
                        "A relative (%(relation)s, %(name)s) works for the compound's property company: "
                        "%(post)s at %(company)s."
                    )
                found.append(
                    Fact(
                        _("Property company"),
                        text
                        % {
                            "post": post.get_role_display(),
                            "company": post.organisation,
                            "name": post.person,
                            "relation": ties.get(person_id, ""),
                        },
                        concern=True,
                    )
                )
        facts[candidate.pk] = found or [
            Fact(
                _("Property company"),
                _("No post of the candidate or of a recorded relative in %(companies)s.")
                % {"companies": "、".join(str(c) for c in here)},
            )
        ]
    return facts


def enforcement_cases(candidates: list) -> dict[int, list[Fact]]:
    """Open enforcement cases on the candidates' rooms: the hook an enforcement module replaces."""
    fact = Fact(
        _("Enforcement cases"),
        _("Enforcement cases are not recorded on this platform yet; check with urban management."),
    )
    return {candidate.pk: [fact] for candidate in candidates}


register("ownership", ownership)
register("property_company", property_company_links)
register("enforcement", enforcement_cases)


def facts_for_many(candidates: Iterable) -> dict[int, list[Fact]]:
    """{candidate pk: every provider's facts}, each provider reading once for all the candidates."""
    candidates = list({c.pk: c for c in candidates}.values())
    found = {c.pk: [] for c in candidates}
    for _name, provider in PROVIDERS:
        for pk, facts in provider(candidates).items():
            found[pk].extend(facts)
    return found


def facts_for(candidate) -> list[Fact]:
    return facts_for_many([candidate])[candidate.pk]
