"""Importers for people rosters: owners of rooms, and party members."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from jiayuan.core.identity import id_birth_date
from jiayuan.organisations.models import Organisation
from jiayuan.organisations.selectors import organisation_list
from jiayuan.people import rules as people_rules
from jiayuan.people.models import Ownership, PartyMembership
from jiayuan.people.services import ownership_add, party_membership_set
from jiayuan.places.models import Compound, Room

from ..reading import ParsedRow
from .base import Importer, PeopleMixin

Kind = Organisation.Kind


class OwnersImporter(PeopleMixin, Importer):
    kind = "owners"

    def check(self, rows: list[ParsedRow]) -> None:
        self.load_compounds(rows)
        self.load_people(rows)
        compound_ids = [c.pk for c in self.compounds.values()]
        rooms = Room.objects.filter(unit__building__compound_id__in=compound_ids).select_related("unit__building")
        self.rooms = {(r.unit.building.compound_id, r.unit.building.number, r.unit.number, r.number): r for r in rooms}
        buildings = {key[:2] for key in self.rooms}
        units = {key[:3] for key in self.rooms}
        owned = set(
            Ownership.objects.filter(
                room__unit__building__compound_id__in=compound_ids, end_date__isnull=True, person__isnull=False
            ).values_list("room_id", "person__id_number_hash")
        )
        today = timezone.localdate()
        for row in rows:
            compound = self.compound_of(row)
            person = self.check_person(row)
            if compound is not None and not people_rules.may_register_owners(self.scope, compound):
                row.error(
                    "compound",
                    _("Only the community, the town or the city registers the owners of a compound."),
                )
                continue
            if row.ok("start_date") and row["start_date"] and row["start_date"] > today:
                row.error("start_date", _("The date is in the future."))
            if compound is None or not row.ok("building", "unit", "room"):
                continue
            key = (compound.pk, row["building"], row["unit"], row["room"])
            room = self.rooms.get(key)
            if key[:2] not in buildings:
                row.error("building", _("The compound has no building of this number."))
            elif key[:3] not in units:
                row.error("unit", _("The building has no unit of this number."))
            elif room is None:
                row.error("room", _("The unit has no room of this number; import the rooms roster first."))
            elif person is not None:
                earlier = self.first_seen((room.pk, person), row)
                if earlier:
                    row.error("name", _("Row %(row)s already lists this owner for this room.") % {"row": earlier})
                elif (room.pk, person) in owned:
                    row.error("name", _("This person already owns this room."))

    def write(self, row: ParsedRow) -> None:
        compound = self.compounds[row["compound"]]
        room = self.rooms[(compound.pk, row["building"], row["unit"], row["room"])]
        ownership_add(actor=self.actor, room=room, person=self.person_for(row), start_date=row["start_date"])
        self.result.count("ownerships")


class PartyMembersImporter(PeopleMixin, Importer):
    kind = "party_members"

    def check(self, rows: list[ParsedRow]) -> None:
        self.load_compounds(rows)
        self.load_people(rows)
        today = timezone.localdate()
        party_orgs = organisation_list(viewer=self.actor).filter(kind__in=Organisation.PARTY_KINDS)
        names = {row["organisation"] for row in rows if row.ok("organisation") and row["organisation"]}
        self.by_name: dict[str, list[Organisation]] = {}
        for org in party_orgs.filter(name__in=names).prefetch_related("compounds"):
            self.by_name.setdefault(org.name, []).append(org)
        self.branches: dict[int, Organisation] = {}
        branches = (
            Organisation.objects.active_on(today)
            .filter(kind=Kind.COMPOUND_BRANCH, compounds__in=self.compounds.values())
            .prefetch_related("compounds")
            .order_by("established_on", "pk")
        )
        for branch in branches:
            for compound in branch.compounds.all():
                self.branches.setdefault(compound.pk, branch)
        self.members = {
            m.person.id_number_hash: m
            for m in PartyMembership.objects.filter(
                person__id_number_hash__in=set(self.hashes.values())
            ).select_related("person")
        }
        visible_org_ids = set(
            party_orgs.filter(
                pk__in=[m.organisation_id for m in self.members.values() if m.organisation_id]
            ).values_list("pk", flat=True)
        )
        visible_compound_ids = set(
            self.compounds_visible([m.reports_to_id for m in self.members.values() if m.reports_to_id])
        )
        self.organisations: dict[int, Organisation | None] = {}
        for row in rows:
            compound = self.compound_of(row)
            person = self.check_person(row)
            if compound is not None and not people_rules.may_keep_party_roster(self.scope, compound):
                row.error(
                    "compound",
                    _("The party roster is kept by the compound's party branch and the levels above it."),
                )
                continue
            joined = row["joined_on"] if row.ok("joined_on") else None
            if joined and joined > today:
                row.error("joined_on", _("The joining date is in the future."))
            elif joined and row.ok("id_number") and row["id_number"] and joined <= id_birth_date(row["id_number"]):
                row.error("joined_on", _("The joining date is before the person's birth date."))
            if person is not None:
                earlier = self.first_seen(("person", person), row)
                if earlier:
                    row.error("id_number", _("Row %(row)s already lists this person.") % {"row": earlier})
                member = self.members.get(person)
                if member is not None and not (
                    member.organisation_id in visible_org_ids
                    or member.reports_to_id in visible_compound_ids
                    or (member.organisation_id is None and member.reports_to_id is None)
                ):
                    row.error("id_number", _("This person's party membership is kept outside your area."))
            if compound is not None and row.ok("organisation"):
                self.organisations[row.number] = self._organisation(row, compound)

    def compounds_visible(self, ids: list[int]) -> list[int]:
        return list(Compound.objects.filter(self.scope.compounds_q(), pk__in=ids).values_list("pk", flat=True))

    def _organisation(self, row: ParsedRow, compound) -> Organisation | None:
        name = row["organisation"]
        if not name:
            return self.branches.get(compound.pk)
        candidates = self.by_name.get(name, [])
        if len(candidates) > 1:
            candidates = [org for org in candidates if compound in org.compounds.all()]
            if len(candidates) != 1:
                row.error(
                    "organisation",
                    _("Several party organisations have this name; name the one that covers this compound."),
                )
                return None
        if not candidates:
            row.error("organisation", _("Unknown party organisation."))
            return None
        return candidates[0]

    def write(self, row: ParsedRow) -> None:
        person = self.person_for(row)
        in_service = bool(row["in_service"])
        existed = self.hashes[row["id_number"]] in self.members
        party_membership_set(
            actor=self.actor,
            person=person,
            joined_on=row["joined_on"],
            organisation=self.organisations.get(row.number),
            in_service=in_service,
            workplace=row["workplace"] or "",
            reports_to=self.compounds[row["compound"]] if in_service else None,
        )
        self.result.count("party_memberships_updated" if existed else "party_memberships_created")
