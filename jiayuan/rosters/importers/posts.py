"""Importers for posts: party-member building heads, and owners' committee members.

The checks mirror organisations.services.post_assign (one current building head per
building, one director at a time, a committee never above its seats) so the whole
file is reported at once; post_assign checks again while writing.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from jiayuan.organisations.models import Organisation, Post
from jiayuan.organisations.services import COMMITTEE_ROLES, post_assign
from jiayuan.places.models import Building

from ..reading import ParsedRow
from .base import Importer, PeopleMixin

Kind = Organisation.Kind
Role = Post.Role
FOREVER = dt.date.max


def _overlaps(start_a, end_a, start_b, end_b) -> bool:
    return start_a <= (end_b or FOREVER) and start_b <= (end_a or FOREVER)


def _in_force(org: Organisation, day: dt.date) -> bool:
    return (
        org.established_on <= day
        and (org.dissolved_on is None or org.dissolved_on > day)
        and (org.term_end is None or org.term_end >= day)
    )


def organisations_by_compound(kind: str, compounds) -> dict[int, list[Organisation]]:
    """Organisations of `kind` covering each compound, oldest first."""
    found: dict[int, list[Organisation]] = {}
    link = Organisation.compounds.through
    for row in (
        link.objects.filter(compound__in=compounds, organisation__kind=kind)
        .select_related("organisation")
        .order_by("organisation__established_on", "organisation_id")
    ):
        found.setdefault(row.compound_id, []).append(row.organisation)
    return found


class BuildingHeadsImporter(PeopleMixin, Importer):
    kind = "building_heads"

    def check(self, rows: list[ParsedRow]) -> None:
        self.load_compounds(rows)
        self.load_people(rows)
        compounds = list(self.compounds.values())
        self.buildings = {(b.compound_id, b.number): b for b in Building.objects.filter(compound__in=compounds)}
        branches = organisations_by_compound(Kind.COMPOUND_BRANCH, compounds)
        heads: dict[int, list[Post]] = {}
        for post in Post.objects.filter(role=Role.BUILDING_HEAD, building__compound__in=compounds).select_related(
            "person"
        ):
            heads.setdefault(post.building_id, []).append(post)
        self.branch_of: dict[int, Organisation] = {}
        for row in rows:
            compound = self.compound_of(row)
            self.check_person(row)
            if compound is None or not row.ok("building"):
                continue
            building = self.buildings.get((compound.pk, row["building"]))
            if building is None:
                row.error("building", _("The compound has no building of this number."))
                continue
            earlier = self.first_seen(("building", building.pk), row)
            if earlier:
                row.error("building", _("Row %(row)s already names a head for this building.") % {"row": earlier})
                continue
            start = row["start_date"] if row.ok("start_date") else None
            if start is None:
                continue
            branch = next((org for org in branches.get(compound.pk, []) if _in_force(org, start)), None)
            if branch is None:
                row.error(
                    "compound",
                    _("The compound has no party branch on %(date)s; building heads are appointed by the branch.")
                    % {"date": start},
                )
                continue
            self.branch_of[row.number] = branch
            holder = next(
                (p for p in heads.get(building.pk, []) if _overlaps(p.start_date, p.end_date, start, None)), None
            )
            if holder is not None:
                row.error(
                    "building",
                    _("%(person)s is already building head of this building from %(start)s.")
                    % {"person": holder.person, "start": holder.start_date},
                )

    def write(self, row: ParsedRow) -> None:
        compound = self.compounds[row["compound"]]
        post_assign(
            actor=self.actor,
            person=self.person_for(row),
            organisation=self.branch_of[row.number],
            role=Role.BUILDING_HEAD,
            start_date=row["start_date"],
            building=self.buildings[(compound.pk, row["building"])],
        )
        self.result.count("posts")


class CommitteeMembersImporter(PeopleMixin, Importer):
    kind = "committee_members"

    def check(self, rows: list[ParsedRow]) -> None:
        self.load_compounds(rows)
        self.load_people(rows)
        committees = organisations_by_compound(Kind.OWNERS_COMMITTEE, list(self.compounds.values()))
        committee_ids = {org.pk for orgs in committees.values() for org in orgs}
        # Everyone seated on these committees, from the database and then from the file, as
        # (person key, role, start, end, where) with `where` a person's name or a row number.
        self.seated: dict[int, list[tuple]] = {pk: [] for pk in committee_ids}
        for post in Post.objects.filter(organisation_id__in=committee_ids, role__in=COMMITTEE_ROLES).select_related(
            "person"
        ):
            key = post.person.id_number_hash or ("pk", post.person_id)
            self.seated[post.organisation_id].append((key, post.role, post.start_date, post.end_date, post.person))
        self.committee_of: dict[int, Organisation] = {}
        for row in rows:
            compound = self.compound_of(row)
            person = self.check_person(row)
            start = row["start_date"] if row.ok("start_date") else None
            end = row["end_date"] if row.ok("end_date") else None
            if start and end and end < start:
                row.error("end_date", _("The post ends before it starts."))
                continue
            if compound is None or start is None:
                continue
            committee = next((org for org in committees.get(compound.pk, []) if _in_force(org, start)), None)
            if committee is None:
                row.error(
                    "compound",
                    _("The compound has no owners' committee whose term includes %(date)s.") % {"date": start},
                )
                continue
            if end and end > committee.term_end:
                row.error(
                    "end_date",
                    _("The post ends after the committee's term ends on %(date)s.") % {"date": committee.term_end},
                )
                continue
            self.committee_of[row.number] = committee
            if person is not None and row.ok("role"):
                self._check_seat(row, committee, person, start, end or committee.term_end)

    def _check_seat(self, row: ParsedRow, committee: Organisation, person, start, end) -> None:
        overlapping = [s for s in self.seated[committee.pk] if _overlaps(s[2], s[3], start, end)]
        same = next((s for s in overlapping if s[0] == person), None)
        if same is not None:
            row.error(
                "name",
                self._where(
                    same,
                    _("Row %(row)s already seats this person on the committee at these dates."),
                    _("This person already sits on the committee at these dates."),
                ),
            )
            return
        if row["role"] == Role.COMMITTEE_DIRECTOR:
            director = next((s for s in overlapping if s[1] == Role.COMMITTEE_DIRECTOR), None)
            if director is not None:
                row.error(
                    "role",
                    self._where(
                        director,
                        _("Row %(row)s already names a director for these dates."),
                        _("%(person)s is already the director at these dates."),
                    ),
                )
                return
        others = {s[0] for s in overlapping}
        if len(others) >= committee.seats:
            row.error(
                "name",
                _(
                    "The committee has %(seats)s seats and all are taken at these dates; this row would be "
                    "one member too many."
                )
                % {"seats": committee.seats},
            )
            return
        self.seated[committee.pk].append((person, row["role"], start, end, row.number))

    @staticmethod
    def _where(seat: tuple, in_file: str, in_database: str) -> str:
        where = seat[4]
        if isinstance(where, int):
            return in_file % {"row": where}
        return in_database % {"person": where}

    def write(self, row: ParsedRow) -> None:
        post_assign(
            actor=self.actor,
            person=self.person_for(row),
            organisation=self.committee_of[row.number],
            role=row["role"],
            start_date=row["start_date"],
            end_date=row["end_date"],
        )
        self.result.count("posts")
