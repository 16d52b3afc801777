"""Lists to export, each built on the apps' scoped selectors and filtered like the list pages.

`export_table(viewer=..., kind=..., params=request.GET)` returns an ExportTable; where
a roster exists the headers and the cell values are the roster's, so an export can
be edited and imported again. ID and phone numbers are masked unless
people.selectors.shows_personal_data allows them for that person.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiayuan.core.models import current_q
from jiayuan.organisations.models import Post
from jiayuan.organisations.selectors import organisation_list
from jiayuan.organisations.services import COMMITTEE_ROLES
from jiayuan.people.models import Ownership
from jiayuan.people.selectors import party_member_list, person_list, shows_personal_data
from jiayuan.places.selectors import (
    building_list,
    community_list,
    compound_list,
    compound_search,
    room_list,
    town_list,
)

from .definitions import AREA_SOURCES, COMPOUND_KINDS, MANAGEMENT, ROSTERS, YES_NO, choice_label
from .definitions import COMMITTEE_ROLES as COMMITTEE_ROLE_LABELS

EXPORT_TITLES = {
    "compounds": gettext_lazy("Compounds"),
    "buildings": gettext_lazy("Buildings"),
    "rooms": gettext_lazy("Rooms"),
    "people": gettext_lazy("People"),
    "organisations": gettext_lazy("Organisations"),
    "posts": gettext_lazy("Posts"),
    "owners": gettext_lazy("Owners"),
    "party_members": gettext_lazy("Party members"),
    "building_heads": gettext_lazy("Party-member building heads"),
    "committee_members": gettext_lazy("Owners' committee members"),
}


@dataclass
class ExportTable:
    title: str
    headers: list[str]
    rows: Iterable[list]


@dataclass(frozen=True)
class Filters:
    town: object = None
    community: object = None
    compound: object = None
    q: str = ""
    kind: str = ""
    management: str = ""
    # Past owners' committees too (the default of the API and the command); the organisations page's link sends
    # history=0 unless its history switch is on, so its file holds the rows its list shows.
    history: bool = True

    def compounds_q(self, prefix: str) -> Q:
        """Rows whose compound (reached through `prefix`) matches the place filters."""
        q = Q()
        if self.compound is not None:
            q &= Q(**{f"{prefix}": self.compound})
        if self.community is not None:
            q &= Q(**{f"{prefix}__community": self.community})
        if self.town is not None:
            q &= Q(**{f"{prefix}__community__town": self.town})
        return q

    @property
    def by_place(self) -> bool:
        return any(value is not None for value in (self.town, self.community, self.compound))


def _visible(queryset, value):
    """A filter value is a code or a primary key of an object the viewer may see; anything else is a 404."""
    if value in (None, ""):
        return None
    value = str(value).strip()
    found = queryset.filter(code=value).first()
    if found is None and value.isdigit():
        found = queryset.filter(pk=int(value)).first()
    if found is None:
        raise Http404
    return found


def export_filters(*, viewer, params) -> Filters:
    return Filters(
        town=_visible(town_list(viewer=viewer), params.get("town")),
        community=_visible(community_list(viewer=viewer), params.get("community")),
        compound=_visible(compound_list(viewer=viewer), params.get("compound")),
        q=(params.get("q") or "").strip(),
        kind=(params.get("kind") or "").strip(),
        management=(params.get("management") or "").strip(),
        history=(params.get("history") or "1").strip() != "0",
    )


def export_table(*, viewer, kind: str, params) -> ExportTable:
    builder = _BUILDERS.get(kind)
    if builder is None:
        raise Http404
    filters = export_filters(viewer=viewer, params=params)
    headers, rows = builder(viewer, filters)
    return ExportTable(title=str(EXPORT_TITLES[kind]), headers=[str(h) for h in headers], rows=rows)


# --- helpers ---------------------------------------------------------------
def _personal(viewer, person) -> tuple[str, str]:
    if person is None:
        return "", ""
    if shows_personal_data(viewer=viewer, person=person):
        return person.id_number, person.phone
    return person.masked_id_number, person.masked_phone


def _current(queryset, prefix: str = ""):
    return queryset.filter(current_q(timezone.localdate(), prefix))


def _first_code(org) -> str:
    compounds = list(org.compounds.all())
    return compounds[0].code if compounds else ""


# --- one builder per kind ------------------------------------------------------
def _compounds(viewer, f: Filters):
    queryset = compound_search(
        viewer=viewer, community=f.community, town=f.town, search=f.q, kind=f.kind, management=f.management
    )
    if f.compound is not None:
        queryset = queryset.filter(pk=f.compound.pk)
    rows = (
        [
            c.code,
            c.name,
            c.community.code,
            c.address,
            choice_label(COMPOUND_KINDS, c.kind),
            c.year_built,
            choice_label(MANAGEMENT, c.management),
        ]
        for c in queryset
    )
    return ROSTERS["compounds"].headers, rows


def _buildings(viewer, f: Filters):
    queryset = building_list(viewer=viewer).filter(f.compounds_q("compound"))
    if f.q:
        queryset = queryset.filter(Q(number__icontains=f.q) | Q(compound__name__icontains=f.q))
    queryset = queryset.annotate(unit_count=Count("units", distinct=True), room_count=Count("units__rooms"))
    headers = ["小区编码", _("Compound"), "楼栋", _("Floors"), _("Units"), _("Rooms")]
    rows = ([b.compound.code, b.compound.name, b.number, b.floors, b.unit_count, b.room_count] for b in queryset)
    return headers, rows


def _rooms(viewer, f: Filters):
    queryset = room_list(viewer=viewer).filter(f.compounds_q("unit__building__compound"))
    if f.q:
        queryset = queryset.filter(number__icontains=f.q)
    queryset = queryset.order_by("unit__building__compound__code", "unit__building__number", "unit__number", "number")
    rows = (
        [
            r.unit.building.compound.code,
            r.unit.building.number,
            r.unit.number,
            r.number,
            r.floor,
            r.area,
            choice_label(AREA_SOURCES, r.area_source),
        ]
        for r in queryset
    )
    return ROSTERS["rooms"].headers, rows


def _people(viewer, f: Filters):
    queryset = person_list(viewer=viewer, search=f.q)
    if f.by_place:
        place = (
            Q(ownerships__in=Ownership.objects.filter(f.compounds_q("room__unit__building__compound")))
            | Q(residencies__room__in=room_list(viewer=viewer).filter(f.compounds_q("unit__building__compound")))
            | Q(
                posts__in=Post.objects.filter(
                    f.compounds_q("compound")
                    | f.compounds_q("building__compound")
                    | f.compounds_q("organisation__compounds")
                )
            )
        )
        queryset = queryset.filter(place).distinct()
    headers = [_("Full name"), "身份证号", "手机号", _("Gender"), _("Birth date")]

    def rows():
        for person in queryset:
            id_number, phone = _personal(viewer, person)
            shown = shows_personal_data(viewer=viewer, person=person)
            yield [person.name, id_number, phone, person.get_gender_display(), person.birth_date if shown else None]

    return headers, rows()


def _organisations(viewer, f: Filters):
    queryset = organisation_list(viewer=viewer, kind=f.kind or None, search=f.q, history=f.history).prefetch_related(
        "compounds"
    )
    if f.compound is not None:
        queryset = queryset.filter(compounds=f.compound)
    if f.community is not None:
        queryset = queryset.filter(Q(community=f.community) | Q(compounds__community=f.community))
    if f.town is not None:
        queryset = queryset.filter(Q(town=f.town) | Q(community__town=f.town) | Q(compounds__community__town=f.town))
    headers = [
        _("Name"),
        _("Kind"),
        _("Town"),
        _("Community"),
        _("Compound codes"),
        _("Established on"),
        _("Term ends"),
        _("Seats"),
        _("State-owned"),
        _("Unified social credit code"),
    ]
    rows = (
        [
            o.name,
            o.get_kind_display(),
            o.town.name if o.town else "",
            o.community.name if o.community else "",
            "、".join(c.code for c in o.compounds.all()),
            o.established_on,
            o.term_end,
            o.seats,
            choice_label(YES_NO, o.state_owned),
            o.credit_code or "",
        ]
        for o in queryset.distinct()
    )
    return headers, rows


def _visible_posts(viewer, f: Filters):
    queryset = _current(
        Post.objects.filter(
            organisation__in=organisation_list(viewer=viewer), person__in=person_list(viewer=viewer, search=f.q)
        )
    )
    if f.by_place:
        queryset = queryset.filter(
            f.compounds_q("compound") | f.compounds_q("building__compound") | f.compounds_q("organisation__compounds")
        ).distinct()
    return queryset.select_related("person", "organisation", "building__compound", "compound")


def _posts(viewer, f: Filters):
    queryset = (
        _visible_posts(viewer, f)
        .prefetch_related("organisation__compounds")
        .order_by("organisation__name", "role", "start_date", "pk")
    )
    headers = [
        _("Organisation"),
        _("Post"),
        _("Full name"),
        "身份证号",
        "手机号",
        "小区编码",
        "楼栋",
        _("From"),
        _("Until"),
    ]

    def rows():
        for post in queryset:
            id_number, phone = _personal(viewer, post.person)
            compound = post.compound or (post.building.compound if post.building else None)
            code = compound.code if compound else _first_code(post.organisation)
            yield [
                post.organisation.name,
                post.get_role_display(),
                post.person.name,
                id_number,
                phone,
                code,
                post.building.number if post.building else "",
                post.start_date,
                post.end_date,
            ]

    return headers, rows()


def _owners(viewer, f: Filters):
    # The owners of the rooms in scope are people in scope: the rooms alone bound the rows. Asking for the people
    # too, unsearched, made SQLite probe every person for every room (a city-wide export took 4 minutes, not 1 s).
    queryset = Ownership.objects.filter(end_date__isnull=True, person__isnull=False, room__in=room_list(viewer=viewer))
    if f.q:
        queryset = queryset.filter(person__in=person_list(viewer=viewer, search=f.q))
    queryset = (
        queryset.filter(f.compounds_q("room__unit__building__compound"))
        .select_related("person", "room__unit__building__compound")
        .order_by(
            "room__unit__building__compound__code",
            "room__unit__building__number",
            "room__unit__number",
            "room__number",
            "pk",
        )
    )

    def rows():
        for o in queryset:
            id_number, phone = _personal(viewer, o.person)
            room = o.room
            yield [
                room.unit.building.compound.code,
                room.unit.building.number,
                room.unit.number,
                room.number,
                o.person.name,
                id_number,
                phone,
                o.start_date,
            ]

    return ROSTERS["owners"].headers, rows()


def _party_members(viewer, f: Filters):
    queryset = party_member_list(viewer=viewer).filter(left_on__isnull=True)
    if f.q:
        queryset = queryset.filter(person__in=person_list(viewer=viewer, search=f.q))
    if f.by_place:
        queryset = queryset.filter(f.compounds_q("reports_to") | f.compounds_q("organisation__compounds")).distinct()
    queryset = queryset.prefetch_related("organisation__compounds").order_by("person__name", "pk")

    def rows():
        for m in queryset:
            id_number, phone = _personal(viewer, m.person)
            code = m.reports_to.code if m.reports_to else (_first_code(m.organisation) if m.organisation else "")
            yield [
                code,
                m.person.name,
                id_number,
                phone,
                m.joined_on,
                m.organisation.name if m.organisation else "",
                choice_label(YES_NO, m.in_service),
                m.workplace,
            ]

    return ROSTERS["party_members"].headers, rows()


def _building_heads(viewer, f: Filters):
    queryset = (
        _visible_posts(viewer, f)
        .filter(role=Post.Role.BUILDING_HEAD)
        .order_by("building__compound__code", "building__number", "pk")
    )

    def rows():
        for post in queryset:
            id_number, phone = _personal(viewer, post.person)
            yield [
                post.building.compound.code,
                post.building.number,
                post.person.name,
                id_number,
                phone,
                post.start_date,
            ]

    return ROSTERS["building_heads"].headers, rows()


def _committee_members(viewer, f: Filters):
    queryset = (
        _visible_posts(viewer, f)
        .filter(role__in=COMMITTEE_ROLES)
        .prefetch_related("organisation__compounds")
        .order_by("organisation__name", "role", "start_date", "pk")
    )

    def rows():
        for post in queryset:
            id_number, phone = _personal(viewer, post.person)
            yield [
                _first_code(post.organisation),
                post.person.name,
                id_number,
                phone,
                choice_label(COMMITTEE_ROLE_LABELS, post.role),
                post.start_date,
                post.end_date,
            ]

    return ROSTERS["committee_members"].headers, rows()


_BUILDERS: dict[str, Callable] = {
    "compounds": _compounds,
    "buildings": _buildings,
    "rooms": _rooms,
    "people": _people,
    "organisations": _organisations,
    "posts": _posts,
    "owners": _owners,
    "party_members": _party_members,
    "building_heads": _building_heads,
    "committee_members": _committee_members,
}
