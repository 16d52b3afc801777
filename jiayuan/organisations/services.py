"""Writes about organisations and posts. Each takes `actor` and leaves an audit row."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jiayuan.core.audit import audit_record, snapshot
from jiayuan.core.models import AuditEntry
from jiayuan.core.scope import scope_for
from jiayuan.core.services import create_audited

from . import rules
from .models import COMMITTEE_SEATS, Organisation, PartyVenue, Post, ServiceContract

Role = Post.Role
Kind = Organisation.Kind

# Roles one person at a time may hold in an organisation (or for a building / grid).
SINGLE_ROLES = {Role.BRANCH_SECRETARY, Role.COMMITTEE_DIRECTOR, Role.COMMUNITY_SECRETARY, Role.PARTY_SECRETARY}
# Which roles each kind of organisation has.
ROLES_BY_KIND = {
    Kind.CITY_OFFICE: {Role.CITY_ADMIN},
    Kind.TOWN_OFFICE: {Role.TOWN_CLERK},
    Kind.COMMUNITY_PARTY: {Role.COMMUNITY_SECRETARY, Role.TWO_COMMITTEE_MEMBER, Role.GRID_WORKER},
    Kind.COMPOUND_BRANCH: {Role.BRANCH_SECRETARY, Role.BRANCH_DEPUTY, Role.BRANCH_COMMITTEE, Role.BUILDING_HEAD},
    Kind.GRID_BRANCH: {Role.PARTY_SECRETARY},
    Kind.COMPANY_PARTY: {Role.PARTY_SECRETARY},
    Kind.OWNERS_COMMITTEE: {Role.COMMITTEE_DIRECTOR, Role.COMMITTEE_DEPUTY, Role.COMMITTEE_MEMBER},
    Kind.PROPERTY_COMPANY: {Role.PROPERTY_MANAGER},
    Kind.DEPARTMENT: {Role.DEPARTMENT_STAFF},
    Kind.DEVELOPER: set(),
}
COMMITTEE_ROLES = {Role.COMMITTEE_DIRECTOR, Role.COMMITTEE_DEPUTY, Role.COMMITTEE_MEMBER}
MAX_COMMITTEE_TERM_YEARS = 5


def organisation_create(
    *, actor, kind: str, name: str, established_on: dt.date, compounds=(), **fields
) -> Organisation:
    with transaction.atomic():
        org = create_audited(Organisation, actor=actor, kind=kind, name=name, established_on=established_on, **fields)
        if compounds:
            org.compounds.set(compounds)
    return org


def committee_create(
    *,
    actor,
    compound,
    name: str,
    established_on: dt.date,
    term_end: dt.date,
    seats: int,
    parent: Organisation | None = None,
    elected_by=None,
) -> Organisation:
    """An owners' committee for one term: 5 to 11 seats, odd, term at most five years.

    It is formed by a published election (`elected_by`) or registered by the town or the city.
    """
    if actor is not None and elected_by is None:
        scope = scope_for(actor)
        if not (scope.everything or compound.community.town_id in scope.town_ids):
            raise PermissionDenied(_("Only the town or the city registers an owners' committee outside an election."))
    errors = {}
    if seats not in COMMITTEE_SEATS:
        errors["seats"] = _("An owners' committee has an odd number of members from 5 to 11, not %(seats)s.") % {
            "seats": seats
        }
    if term_end <= established_on:
        errors["term_end"] = _("The term must end after it starts.")
    elif term_end > _add_years(established_on, MAX_COMMITTEE_TERM_YEARS):
        errors["term_end"] = _("A committee term lasts at most five years.")
    if errors:
        raise ValidationError(errors)
    return organisation_create(
        actor=actor,
        kind=Kind.OWNERS_COMMITTEE,
        name=name,
        established_on=established_on,
        term_end=term_end,
        seats=seats,
        community=compound.community,
        parent=parent,
        compounds=[compound],
    )


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _overlapping(queryset, start: dt.date, end: dt.date | None):
    queryset = queryset.filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
    if end is not None:
        queryset = queryset.filter(start_date__lte=end)
    return queryset


def _appointment(*, actor, person, organisation: Organisation, role: str, elected_by) -> tuple[Post | None, str]:
    """The appointing post and the audit note of an assignment; PermissionDenied if the actor has no such power.

    `actor=None` is the system itself (migrations, the demo builder). `elected_by` is the published
    election that seats an owners' committee; its own service has checked who publishes it.
    """
    if actor is None:
        return None, ""
    if elected_by is not None:
        if organisation.kind != Kind.OWNERS_COMMITTEE:
            raise ValidationError({"organisation": _("Only an owners' committee is seated by an election.")})
        return None, _("Seated by the published election %(election)s.") % {"election": elected_by}
    if actor.person_id is not None and actor.person_id == person.pk:
        raise PermissionDenied(_("Nobody may assign a post to themselves."))
    day = timezone.localdate()
    if not rules.may_assign(actor=actor, organisation=organisation, person=person, role=role, day=day):
        raise PermissionDenied(_("You may not assign posts in %(organisation)s.") % {"organisation": organisation})
    by = rules.appointing_post(actor=actor, organisation=organisation, person=person, role=role, day=day)
    if by is None:
        return None, _("Appointed by the platform's operator.")
    return by, _("Appointed by %(person)s as %(post)s of %(organisation)s.") % {
        "person": by.person,
        "post": by.get_role_display(),
        "organisation": by.organisation,
    }


@transaction.atomic
def post_assign(
    *,
    actor,
    person,
    organisation: Organisation,
    role: str,
    start_date: dt.date,
    end_date: dt.date | None = None,
    building=None,
    grid=None,
    compound=None,
    elected_by=None,
) -> Post:
    """Give a person a post. Single posts cannot overlap in time; committees cannot exceed their seats.

    Who may appoint is organisations.rules; the appointing post is recorded on the new post.
    """
    # Lock the organisation so two assignments to it are checked one after the other.
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    appointed_by, note = _appointment(
        actor=actor, person=person, organisation=organisation, role=role, elected_by=elected_by
    )
    if role not in ROLES_BY_KIND.get(organisation.kind, set()):
        raise ValidationError(
            {
                "role": _("A %(kind)s has no post of %(role)s.")
                % {"kind": organisation.get_kind_display(), "role": Role(role).label}
            }
        )
    if end_date is not None and end_date < start_date:
        raise ValidationError({"end_date": _("The post ends before it starts.")})
    if start_date < organisation.established_on:
        raise ValidationError({"start_date": _("The post starts before the organisation was established.")})
    if role == Role.BUILDING_HEAD:
        if building is None:
            raise ValidationError({"building": _("A building head needs a building.")})
        if not organisation.compounds.filter(pk=building.compound_id).exists():
            raise ValidationError({"building": _("The building is not in a compound this branch covers.")})
        clash = _overlapping(Post.objects.filter(role=role, building=building), start_date, end_date)
        what = _("building head of %(building)s") % {"building": building}
    elif role == Role.GRID_WORKER:
        if grid is None or grid.community_id != organisation.community_id:
            raise ValidationError({"grid": _("A grid worker needs a grid in the organisation's community.")})
        clash = _overlapping(Post.objects.filter(role=role, grid=grid), start_date, end_date)
        what = _("grid worker of %(grid)s") % {"grid": grid}
    elif role in SINGLE_ROLES:
        clash = _overlapping(Post.objects.filter(role=role, organisation=organisation), start_date, end_date)
        what = Role(role).label
    else:
        clash = Post.objects.none()
        what = ""
    holder = clash.select_related("person").first()
    if holder is not None:
        raise ValidationError(
            {
                "start_date": _(
                    "%(person)s already holds the post of %(post)s from %(start)s to %(end)s; the dates overlap."
                )
                % {
                    "person": holder.person,
                    "post": what,
                    "start": holder.start_date,
                    "end": holder.end_date or _("now"),
                }
            }
        )
    if role == Role.PROPERTY_MANAGER and compound is None:
        raise ValidationError({"compound": _("A property manager needs the compound they manage.")})
    if role in COMMITTEE_ROLES:
        if organisation.term_end and start_date > organisation.term_end:
            raise ValidationError({"start_date": _("The post starts after the committee's term ends.")})
        seated = _overlapping(
            Post.objects.filter(organisation=organisation, role__in=COMMITTEE_ROLES),
            start_date,
            end_date or organisation.term_end,
        ).exclude(person=person)
        if seated.values("person").distinct().count() >= organisation.seats:
            raise ValidationError(
                {"person": _("The committee already has all %(seats)s members.") % {"seats": organisation.seats}}
            )
    duplicate = _overlapping(
        Post.objects.filter(
            person=person, organisation=organisation, role=role, building=building, grid=grid, compound=compound
        ),
        start_date,
        end_date,
    )
    if duplicate.exists():
        raise ValidationError({"person": _("%(person)s already holds this post at these dates.") % {"person": person}})
    return create_audited(
        Post,
        actor=actor,
        audit_note=note,
        person=person,
        organisation=organisation,
        role=role,
        start_date=start_date,
        end_date=end_date,
        building=building,
        grid=grid,
        compound=compound,
        appointed_by=appointed_by,
    )


@transaction.atomic
def post_end(*, actor, post: Post, end_date: dt.date, note: str = "") -> Post:
    if post.end_date is not None and post.end_date <= end_date:
        raise ValidationError({"end_date": _("The post has already ended.")})
    if end_date < post.start_date:
        raise ValidationError({"end_date": _("The post cannot end before it starts.")})
    before = snapshot(post)
    post.end_date = end_date
    post.save(update_fields=["end_date"])
    audit_record(actor=actor, action=AuditEntry.Action.END, obj=post, before=before, after=snapshot(post), note=note)
    return post


def contract_create(
    *,
    actor,
    company: Organisation,
    compound,
    start_date: dt.date,
    end_date: dt.date | None = None,
    fallback: bool = False,
) -> ServiceContract:
    if company.kind != Kind.PROPERTY_COMPANY:
        raise ValidationError({"company": _("Only a property service company can hold a service contract.")})
    clash = _overlapping(ServiceContract.objects.filter(compound=compound), start_date, end_date)
    if clash.exists():
        raise ValidationError({"start_date": _("The compound already has a service contract at these dates.")})
    return create_audited(
        ServiceContract,
        actor=actor,
        company=company,
        compound=compound,
        start_date=start_date,
        end_date=end_date,
        fallback=fallback,
    )


def venue_create(
    *, actor, organisation: Organisation, compound, name: str, feature: str, opened_on: dt.date, area=None
) -> PartyVenue:
    if organisation.kind not in Organisation.PARTY_KINDS:
        raise ValidationError({"organisation": _("A party venue belongs to a party organisation.")})
    if not organisation.compounds.filter(pk=compound.pk).exists():
        raise ValidationError({"compound": _("The venue's compound is not covered by this party organisation.")})
    return create_audited(
        PartyVenue,
        actor=actor,
        organisation=organisation,
        compound=compound,
        name=name,
        feature=feature,
        opened_on=opened_on,
        area=area,
    )
