"""Importers for the compound map: compounds, and rooms with their buildings and units."""

from __future__ import annotations

from django.utils.translation import gettext as _

from jiayuan.places import rules as place_rules
from jiayuan.places.models import Building, Community, Compound, Room, Unit
from jiayuan.places.services import building_create, compound_create, room_create, unit_create

from ..reading import ParsedRow
from .base import Importer


class CompoundsImporter(Importer):
    kind = "compounds"

    def check(self, rows: list[ParsedRow]) -> None:
        community_codes = {row["community"] for row in rows if row.ok("community") and row["community"]}
        self.communities = {
            community.code: community
            for community in Community.objects.filter(self.scope.communities_q(), code__in=community_codes)
        }
        codes = {row["compound"] for row in rows if row.ok("compound") and row["compound"]}
        existing_codes = set(Compound.objects.filter(code__in=codes).values_list("code", flat=True))
        names = {row["name"] for row in rows if row.ok("name") and row["name"]}
        existing_names = set(
            Compound.objects.filter(community__in=self.communities.values(), name__in=names).values_list(
                "community_id", "name"
            )
        )
        for row in rows:
            if row.ok("compound") and row["compound"]:
                earlier = self.first_seen(("code", row["compound"]), row)
                if earlier:
                    row.error("compound", _("Row %(row)s has the same compound code.") % {"row": earlier})
                elif row["compound"] in existing_codes:
                    # The same words whether the compound is one the importer may see or not: an import does
                    # not tell what exists outside the importer's scope.
                    row.error(
                        "compound",
                        _("This compound code cannot be used: it is already registered. Choose another code."),
                    )
            if not row.ok("community") or not row["community"]:
                continue
            community = self.communities.get(row["community"])
            if community is None:
                row.error("community", _("Unknown community code."))
                continue
            if row.ok("name") and row["name"]:
                earlier = self.first_seen(("name", community.pk, row["name"]), row)
                if earlier:
                    row.error(
                        "name", _("Row %(row)s has a compound of the same name in this community.") % {"row": earlier}
                    )
                elif (community.pk, row["name"]) in existing_names:
                    row.error("name", _("The community already has a compound of this name."))

    def write(self, row: ParsedRow) -> None:
        compound_create(
            actor=self.actor,
            community=self.communities[row["community"]],
            code=row["compound"],
            name=row["name"],
            kind=row["kind"],
            management=row["management"],
            year_built=row["year_built"],
            address=row["address"] or "",
        )
        self.result.count("compounds")


class RoomsImporter(Importer):
    kind = "rooms"

    def check(self, rows: list[ParsedRow]) -> None:
        self.load_compounds(rows)
        compounds = list(self.compounds.values())
        self.buildings = {(b.compound_id, b.number): b for b in Building.objects.filter(compound__in=compounds)}
        self.units = {(u.building_id, u.number): u for u in Unit.objects.filter(building__compound__in=compounds)}
        existing = set(
            Room.objects.filter(unit__building__compound__in=compounds).values_list(
                "unit__building__compound_id", "unit__building__number", "unit__number", "number"
            )
        )
        for row in rows:
            compound = self.compound_of(row)
            if compound is not None and not place_rules.may_edit_compound(self.scope, compound):
                row.error("compound", _("Rooms and their areas are registered by the compound's community or town."))
                continue
            if compound is None or not row.ok("building", "unit", "room"):
                continue
            key = (compound.pk, row["building"], row["unit"], row["room"])
            earlier = self.first_seen(key, row)
            if earlier:
                row.error(
                    "room",
                    _("Row %(row)s has the same room (compound, building, unit and room number).") % {"row": earlier},
                )
            elif key in existing:
                row.error("room", _("This room already exists in the compound."))

    def write(self, row: ParsedRow) -> None:
        compound = self.compounds[row["compound"]]
        building = self.buildings.get((compound.pk, row["building"]))
        if building is None:
            building = building_create(actor=self.actor, compound=compound, number=row["building"])
            self.buildings[(compound.pk, row["building"])] = building
            self.result.count("buildings")
        unit = self.units.get((building.pk, row["unit"]))
        if unit is None:
            unit = unit_create(actor=self.actor, building=building, number=row["unit"])
            self.units[(building.pk, row["unit"])] = unit
            self.result.count("units")
        room_create(
            actor=self.actor,
            unit=unit,
            number=row["room"],
            area=row["area"],
            area_source=row["area_source"],
            floor=row["floor"],
        )
        self.result.count("rooms")
