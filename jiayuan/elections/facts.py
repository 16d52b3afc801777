"""What the platform already knows about a candidate, put beside the qualification review.

Each provider takes the candidate and returns a list of `Fact`s. Modules that keep more records about
people or rooms (enforcement cases, for example) add a provider with `register`; the review page shows
every provider's facts, and a provider with nothing to say about the candidate says so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jiayuan.organisations.models import Organisation, Post, ServiceContract
from jiayuan.people.models import Kinship


@dataclass(frozen=True)
class Fact:
    topic: str
    text: str
    concern: bool = False  # True: something a reviewer should look at


Provider = Callable[["Candidate"], list[Fact]]  # noqa: F821 (Candidate is elections.models.Candidate)
PROVIDERS: list[tuple[str, Provider]] = []


def register(name: str, provider: Provider) -> None:
    """Add a provider (idempotent by name)."""
    PROVIDERS[:] = [(n, p) for n, p in PROVIDERS if n != name] + [(name, provider)]


def _current(queryset, day):
    return queryset.filter(start_date__lte=day).filter(Q(end_date__isnull=True) | Q(end_date__gte=day))


def ownership(candidate) -> list[Fact]:
    rooms = list(candidate.rooms.select_related("unit__building"))
    if not rooms:
        return [Fact(_("Ownership"), _("Owns no room in the compound."), concern=True)]
    names = "、".join(f"{r.unit.building.number} {r.unit.number} {r.number}（{r.area} m²）" for r in rooms)
    return [Fact(_("Ownership"), _("Owns in the compound: %(rooms)s.") % {"rooms": names})]


def property_company_links(candidate) -> list[Fact]:
    """Posts of the candidate or of a recorded close relative in the compound's current property company."""
    day = timezone.localdate()
    compound = candidate.campaign.compound
    companies = list(Organisation.objects.filter(
        pk__in=_current(ServiceContract.objects.filter(compound=compound), day).values("company")))
    if not companies:
        return [Fact(_("Property company"), _("The compound has no property service contract on record."))]
    person = candidate.person
    relatives = {k.relative: k.get_relation_display() for k in Kinship.objects.filter(person=person).select_related("relative")}
    relatives |= {k.person: k.get_relation_display() for k in Kinship.objects.filter(relative=person).select_related("person")}
    facts = []
    posts = _current(Post.objects.filter(organisation__in=companies, person__in=[person, *relatives]), day)
    for post in posts.select_related("person", "organisation"):
        if post.person_id == person.pk:
            text = _("Works for the compound's property company: %(post)s at %(company)s.")
        else:
            text = _("A relative (%(relation)s, %(name)s) works for the compound's property company: %(post)s at "
                     "%(company)s.")
        facts.append(Fact(_("Property company"), text % {
            "post": post.get_role_display(), "company": post.organisation, "name": post.person,
            "relation": relatives.get(post.person, "")}, concern=True))
    return facts or [Fact(_("Property company"), _("No post of the candidate or of a recorded relative in %(companies)s.")
                          % {"companies": "、".join(str(c) for c in companies)})]


def enforcement_cases(candidate) -> list[Fact]:
    """Open enforcement cases on the candidate's rooms: the hook an enforcement module replaces."""
    return [Fact(_("Enforcement cases"), _("Enforcement cases are not recorded on this platform yet; check with "
                                           "urban management."))]


register("ownership", ownership)
register("property_company", property_company_links)
register("enforcement", enforcement_cases)


def facts_for(candidate) -> list[Fact]:
    return [fact for _name, provider in PROVIDERS for fact in provider(candidate)]
