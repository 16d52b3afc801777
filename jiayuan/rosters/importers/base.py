"""What every roster importer shares: scoped compound lookups, in-file duplicates, and people.

An importer works in two phases. `check(rows)` looks everything up in a few bulk
queries and marks problems on the rows; it writes nothing. `write(row)` runs only
when no row has a problem, inside the import's transaction, through the services.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from jiayuan.core.crypto import lookup_hash
from jiayuan.people.models import Person
from jiayuan.people.services import person_create
from jiayuan.places.models import Compound

from ..definitions import ROSTERS
from ..reading import ParsedRow
from ..report import ImportResult


def same_name(a: str, b: str) -> bool:
    return re.sub(r"\s+", "", a or "") == re.sub(r"\s+", "", b or "")


class Importer:
    kind = ""

    def __init__(self, *, actor, scope, result: ImportResult):
        self.actor = actor
        self.scope = scope
        self.result = result
        self.roster = ROSTERS[self.kind]
        self.compounds: dict[str, Compound] = {}
        self._seen: dict[tuple, int] = {}

    def check(self, rows: list[ParsedRow]) -> None:
        raise NotImplementedError

    def write(self, row: ParsedRow) -> None:
        raise NotImplementedError

    # --- helpers ---------------------------------------------------------
    def load_compounds(self, rows: list[ParsedRow]) -> None:
        """The compounds the rows name, among those the importing user may write into."""
        codes = {row["compound"] for row in rows if row.ok("compound") and row["compound"]}
        queryset = Compound.objects.filter(self.scope.compounds_q(), code__in=codes).select_related("community")
        self.compounds = {compound.code: compound for compound in queryset}

    def compound_of(self, row: ParsedRow) -> Compound | None:
        """The row's compound; an unknown or out-of-scope code is the same error, so existence does not leak."""
        if not row.ok("compound") or row["compound"] is None:
            return None
        compound = self.compounds.get(row["compound"])
        if compound is None:
            row.error("compound", _("Unknown compound code."))
        return compound

    def first_seen(self, key: tuple, row: ParsedRow) -> int | None:
        """The row number where `key` first appeared in the file, or None (and remember this row)."""
        earlier = self._seen.get(key)
        if earlier is None:
            self._seen[key] = row.number
        return earlier


class PeopleMixin:
    """Rows naming a person by ID number: reuse people already registered, create the others once."""

    def load_people(self, rows: list[ParsedRow]) -> None:
        self.hashes: dict[str, str] = {
            row["id_number"]: lookup_hash(row["id_number"]) for row in rows if row.ok("id_number") and row["id_number"]
        }
        self.people: dict[str, Person] = {
            person.id_number_hash: person
            for person in Person.objects.filter(id_number_hash__in=set(self.hashes.values()))
        }
        self._names_in_file: dict[str, tuple[str, int]] = {}
        self._created: set[str] = set()
        self._reused: set[str] = set()

    def person_key(self, row: ParsedRow) -> str | None:
        """The keyed hash of the row's ID number, once name and ID number are valid."""
        if not row.ok("id_number", "name") or not row["id_number"]:
            return None
        return self.hashes[row["id_number"]]

    def check_person(self, row: ParsedRow) -> str | None:
        key = self.person_key(row)
        if key is None:
            return None
        existing = self.people.get(key)
        if existing is not None and not same_name(existing.name, row["name"]):
            row.error("name", _("This ID number is already registered under a different name."))
            return None
        name, first_row = self._names_in_file.setdefault(key, (row["name"], row.number))
        if not same_name(name, row["name"]):
            row.error("name", _("Row %(row)s has the same ID number with a different name.") % {"row": first_row})
            return None
        return key

    def person_for(self, row: ParsedRow) -> Person:
        """The registered person of this row, creating them (once) through the service if new."""
        key = self.hashes[row["id_number"]]
        person = self.people.get(key)
        if person is None:
            person = person_create(
                actor=self.actor, name=row["name"], id_number=row["id_number"], phone=row["phone"] or ""
            )
            self.people[key] = person
            self._created.add(key)
            self.result.count("people_created")
        elif key not in self._created and key not in self._reused:
            self._reused.add(key)
            self.result.count("people_reused")
        return person
