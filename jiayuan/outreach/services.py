"""Writes of the outreach registers. Each takes `actor=`, runs in one transaction and leaves an audit row.

`actor=None` is the system (the demo build, scheduled jobs): it skips the scope rules.
Issues raised at a reception and escalated disputes become appeals through
`appeals.services.appeal_submit`, so they follow the appeal's whole handling ladder.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiayuan.appeals.models import Appeal, Category
from jiayuan.appeals.services import appeal_submit
from jiayuan.core.crypto import lookup_hash
from jiayuan.core.scope import scope_for
from jiayuan.core.services import create_audited, update_audited
from jiayuan.organisations.models import DepartmentLink, Organisation, Post
from jiayuan.people.models import PartyMembership, Person
from jiayuan.people.services import clean_phone
from jiayuan.places.models import Compound

from . import rules, workflow
from .models import DepartmentAction, Dispute, ReceptionIssue, ReceptionSession, ServiceRecord, Visitor

Kind = Organisation.Kind
ORGANISER_KINDS = (Kind.CITY_OFFICE, Kind.TOWN_OFFICE, Kind.COMMUNITY_PARTY, Kind.COMPOUND_BRANCH, Kind.DEPARTMENT)
ESCALATION_CHANNELS = (Appeal.Channel.GRID_WORKER, Appeal.Channel.RECEPTION)
MAX_HOURS = Decimal(24)
# Anything shaped like a resident ID number (18 or 15 characters) or a mobile number.
_ID_LIKE = re.compile(r"(?<![0-9])(\d{17}[0-9Xx]|\d{15})(?![0-9Xx])")
_MOBILE_LIKE = re.compile(r"(?<![0-9])1[3-9]\d{9}(?![0-9])")


def _require(allowed: bool, actor) -> None:
    """System writes (actor None) skip the scope rules; a login must be allowed by them."""
    if getattr(actor, "pk", None) and not allowed:
        raise PermissionDenied(_("You may not do this for a compound outside your area."))


def _scope(actor):
    return scope_for(actor) if getattr(actor, "pk", None) else None


def _allowed(actor, rule, obj) -> bool:
    scope = _scope(actor)
    return scope is None or rule(scope, obj)


def _not_in_future(day: dt.date, field: str, errors: dict) -> None:
    if day is not None and day > timezone.localdate():
        errors.setdefault(field, _("The date %(date)s is in the future.") % {"date": day.isoformat()})


def _required(value: str, field: str, message: str, errors: dict) -> str:
    value = (value or "").strip()
    if not value:
        errors.setdefault(field, message)
    return value


# --- Leaders' reception days ---------------------------------------------------------------


def holds_post_on(person: Person, day: dt.date) -> bool:
    return Post.objects.filter(person=person).current_on(day).exists()


@transaction.atomic
def reception_session_schedule(
    *,
    actor,
    leader: Person,
    compound: Compound,
    organiser: Organisation,
    held_on: dt.date,
    starts_at: dt.time,
    ends_at: dt.time,
    place: str,
    note: str = "",
) -> ReceptionSession:
    """Put a leader's reception desk in a compound on the calendar. A leader is at one desk at a time."""
    _require(_allowed(actor, rules.may_schedule_reception, compound), actor)
    errors: dict = {}
    place = _required(place, "place", _("Say where the reception is held."), errors)
    if starts_at is not None and ends_at is not None and ends_at <= starts_at:
        errors["ends_at"] = _("The reception must end after it starts.")
    if not holds_post_on(leader, held_on):
        errors["leader"] = _("%(name)s holds no post on %(date)s; a reception is held by a leader in office.") % {
            "name": leader.name,
            "date": held_on.isoformat(),
        }
    if organiser.kind not in ORGANISER_KINDS:
        errors["organiser"] = _(
            "%(name)s cannot organise a reception; choose a city, town, community or branch "
            "organisation or a department."
        ) % {"name": organiser.name}
    if errors:
        raise ValidationError(errors)
    # Lock the leader's row so that two desks for one leader cannot be booked at once.
    Person.objects.select_for_update().filter(pk=leader.pk).first()
    clash = (
        ReceptionSession.objects.filter(leader=leader, held_on=held_on, starts_at__lt=ends_at, ends_at__gt=starts_at)
        .select_related("compound")
        .first()
    )
    if clash is not None:
        raise ValidationError(
            {
                "starts_at": _("%(name)s already holds a reception at %(compound)s from %(start)s to %(end)s that day.")
                % {
                    "name": leader.name,
                    "compound": clash.compound.name,
                    "start": f"{clash.starts_at:%H:%M}",
                    "end": f"{clash.ends_at:%H:%M}",
                }
            }
        )
    return create_audited(
        ReceptionSession,
        actor=actor,
        leader=leader,
        compound=compound,
        organiser=organiser,
        held_on=held_on,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        note=(note or "").strip(),
        created_by=actor if getattr(actor, "pk", None) else None,
    )


def _session_held(session: ReceptionSession, errors: dict) -> None:
    if session.held_on > timezone.localdate():
        errors["session"] = _("The reception is on %(date)s; visitors and issues are logged on or after that day.") % {
            "date": session.held_on.isoformat()
        }


@transaction.atomic
def visitor_log(
    *,
    actor,
    session: ReceptionSession,
    name: str,
    phone: str = "",
    people_count: int = 1,
    issues: str = "",
    person: Person | None = None,
) -> Visitor:
    """Log a visitor (or a group: `people_count`) at a reception. The phone is stored encrypted and hashed."""
    _require(_allowed(actor, rules.may_schedule_reception, session.compound), actor)
    errors: dict = {}
    _session_held(session, errors)
    name = _required(name, "name", _("The visitor's name is required."), errors)
    if people_count is None or not 1 <= people_count <= 500:
        errors["people_count"] = _("The number of people is 1 to 500.")
    if errors:
        raise ValidationError(errors)
    phone = clean_phone(phone, field="phone") if (phone or "").strip() else ""
    return create_audited(
        Visitor,
        actor=actor,
        session=session,
        name=name,
        phone=phone,
        phone_hash=lookup_hash(phone) if phone else "",
        people_count=people_count,
        issues=(issues or "").strip(),
        person=person,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )


@transaction.atomic
def reception_issue_raise(
    *,
    actor,
    session: ReceptionSession,
    category: Category,
    title: str,
    description: str,
    visitor: Visitor | None = None,
    compound: Compound | None = None,
    building=None,
    room=None,
    received_at: dt.datetime | None = None,
) -> ReceptionIssue:
    """An issue raised at the desk becomes an appeal (channel "reception") linked to the session."""
    _require(_allowed(actor, rules.may_schedule_reception, session.compound), actor)
    errors: dict = {}
    _session_held(session, errors)
    if visitor is not None and visitor.session_id != session.pk:
        errors["visitor"] = _("%(name)s was not a visitor at this reception.") % {"name": visitor.name}
    if errors:
        raise ValidationError(errors)
    appeal = appeal_submit(
        actor=actor,
        channel=Appeal.Channel.RECEPTION,
        category=category,
        title=title,
        description=description,
        compound=compound or session.compound,
        building=building,
        room=room,
        reporter=visitor.person if visitor else None,
        contact_name=visitor.name if visitor else "",
        contact_phone=visitor.phone if visitor else "",
        received_at=received_at,
    )
    return create_audited(ReceptionIssue, actor=actor, session=session, visitor=visitor, appeal=appeal)


# --- Linked departments -------------------------------------------------------------------


@transaction.atomic
def department_link_create(
    *,
    actor,
    department: Organisation,
    compound: Compound,
    start_date: dt.date,
    reason: str = DepartmentLink.Reason.POORLY_MANAGED,
    note: str = "",
) -> DepartmentLink:
    """Make a city department answerable for a compound. One current link per compound and per department."""
    _require(_allowed(actor, rules.may_manage_links, compound), actor)
    errors: dict = {}
    if department.kind != Kind.DEPARTMENT:
        errors["department"] = _("%(name)s is not a city department.") % {"name": department.name}
    if reason not in DepartmentLink.Reason.values:
        errors["reason"] = _("Unknown reason %(value)s.") % {"value": reason}
    if errors:
        raise ValidationError(errors)
    # Lock both ends so two links cannot be made for the same compound or department at once.
    Compound.objects.select_for_update().filter(pk=compound.pk).first()
    Organisation.objects.select_for_update().filter(pk=department.pk).first()
    current = DepartmentLink.objects.filter(end_date__isnull=True).select_related("department", "compound")
    taken = current.filter(compound=compound).first()
    if taken is not None:
        errors["compound"] = _("%(compound)s is already linked to %(department)s; end that link first.") % {
            "compound": compound.name,
            "department": taken.department.name,
        }
    busy = current.filter(department=department).first()
    if busy is not None:
        errors["department"] = _("%(department)s is already linked to %(compound)s; end that link first.") % {
            "department": department.name,
            "compound": busy.compound.name,
        }
    if errors:
        raise ValidationError(errors)
    return create_audited(
        DepartmentLink,
        actor=actor,
        department=department,
        compound=compound,
        start_date=start_date,
        reason=reason,
        note=(note or "").strip(),
    )


@transaction.atomic
def department_link_end(*, actor, link: DepartmentLink, end_date: dt.date, note: str = "") -> DepartmentLink:
    _require(_allowed(actor, rules.may_manage_links, link.compound), actor)
    link = DepartmentLink.objects.select_for_update().select_related("compound__community").get(pk=link.pk)
    if link.end_date is not None:
        raise ValidationError(
            {"end_date": _("The link already ended on %(date)s.") % {"date": link.end_date.isoformat()}}
        )
    if end_date < link.start_date:
        raise ValidationError(
            {"end_date": _("The link cannot end before it started (%(date)s).") % {"date": link.start_date.isoformat()}}
        )
    return update_audited(link, actor=actor, audit_note=(note or "")[:200], end_date=end_date)


@transaction.atomic
def department_action_record(
    *, actor, link: DepartmentLink, done_on: dt.date, description: str, done_by: str
) -> DepartmentAction:
    """Log what the linked department did for its compound."""
    _require(_allowed(actor, rules.may_log_department_action, link), actor)
    errors: dict = {}
    description = _required(description, "description", _("Describe what the department did."), errors)
    done_by = _required(done_by, "done_by", _("Say who from the department did it."), errors)
    _not_in_future(done_on, "done_on", errors)
    if done_on < link.start_date or (link.end_date is not None and done_on > link.end_date):
        errors.setdefault(
            "done_on",
            _("The date is outside the link (%(start)s to %(end)s).")
            % {"start": link.start_date.isoformat(), "end": link.end_date.isoformat() if link.end_date else "—"},
        )
    if errors:
        raise ValidationError(errors)
    return create_audited(
        DepartmentAction,
        actor=actor,
        link=link,
        done_on=done_on,
        description=description,
        done_by=done_by,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )


# --- In-service party members' service log -------------------------------------------------


def _hours(value) -> Decimal | None:
    try:
        hours = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return hours if hours.is_finite() else None


@transaction.atomic
def service_record_create(
    *, actor, member: PartyMembership, served_on: dt.date, hours, kind: str, description: str = ""
) -> ServiceRecord:
    """Log service an in-service member gave in the compound they report to."""
    errors: dict = {}
    if not member.in_service or member.reports_to_id is None:
        raise ValidationError(
            {
                "member": _("%(name)s is not an in-service party member reporting to a compound.")
                % {"name": member.person.name}
            }
        )
    compound = member.reports_to
    _require(_allowed(actor, rules.may_record_service, compound), actor)
    amount = _hours(hours)
    if amount is None:
        errors["hours"] = _("Hours must be a number.")
    elif amount <= 0:
        errors["hours"] = _("Hours must be more than zero.")
    elif amount > MAX_HOURS:
        errors["hours"] = _("At most 24 hours can be logged for one day.")
    if kind not in ServiceRecord.Kind.values:
        errors["kind"] = _("Unknown kind of service %(value)s.") % {"value": kind}
    _not_in_future(served_on, "served_on", errors)
    if member.left_on is not None and served_on > member.left_on:
        errors.setdefault(
            "served_on",
            _("%(name)s left the party on %(date)s.")
            % {"name": member.person.name, "date": member.left_on.isoformat()},
        )
    if errors:
        raise ValidationError(errors)
    return create_audited(
        ServiceRecord,
        actor=actor,
        member=member,
        compound=compound,
        served_on=served_on,
        hours=amount,
        kind=kind,
        description=(description or "").strip(),
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )


# --- Dispute screening register --------------------------------------------------------------


def _no_identifiers(text: str, field: str, errors: dict) -> None:
    if _ID_LIKE.search(text or ""):
        errors.setdefault(field, _("Do not write ID numbers in the register; name the parties only."))
    elif _MOBILE_LIKE.search(text or ""):
        errors.setdefault(field, _("Do not write phone numbers in the register; name the parties only."))


@transaction.atomic
def dispute_record(
    *,
    actor,
    compound: Compound,
    found_on: dt.date,
    found_by: str,
    parties: str,
    category: str,
    description: str,
    risk: str,
) -> Dispute:
    """Register a conflict found before anyone complained (矛盾排查), with its risk level."""
    _require(_allowed(actor, rules.may_record_dispute, compound), actor)
    errors: dict = {}
    found_by = _required(found_by, "found_by", _("Say who found the dispute."), errors)
    parties = _required(parties, "parties", _("Name the parties to the dispute."), errors)
    description = _required(description, "description", _("Describe the dispute."), errors)
    _no_identifiers(parties, "parties", errors)
    _no_identifiers(description, "description", errors)
    if category not in Dispute.Category.values:
        errors["category"] = _("Unknown category %(value)s.") % {"value": category}
    if risk not in Dispute.Risk.values:
        errors["risk"] = _("The risk level is low, medium or high, not %(value)s.") % {"value": risk}
    _not_in_future(found_on, "found_on", errors)
    if errors:
        raise ValidationError(errors)
    return create_audited(
        Dispute,
        actor=actor,
        compound=compound,
        found_on=found_on,
        found_by=found_by,
        parties=parties,
        category=category,
        description=description,
        risk=risk,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )


def _locked_dispute(actor, dispute: Dispute, action: str) -> Dispute:
    current = Dispute.objects.select_for_update().select_related("compound__community").get(pk=dispute.pk)
    _require(_allowed(actor, rules.may_handle_dispute, current.compound), actor)
    if not workflow.DISPUTE.can(current.status, action):
        raise ValidationError(
            {
                "status": _("A dispute that is %(status)s cannot be %(action)s.")
                % {"status": current.get_status_display(), "action": workflow.DISPUTE.label(action)}
            }
        )
    return current


@transaction.atomic
def dispute_mediate(*, actor, dispute: Dispute) -> Dispute:
    current = _locked_dispute(actor, dispute, "mediate")
    return update_audited(
        current, actor=actor, audit_note="mediate", status=workflow.DISPUTE.next(current.status, "mediate")
    )


@transaction.atomic
def dispute_resolve(*, actor, dispute: Dispute, outcome: str, handled_on: dt.date | None = None) -> Dispute:
    current = _locked_dispute(actor, dispute, "resolve")
    errors: dict = {}
    outcome = _required(outcome, "outcome", _("Record how the dispute was settled."), errors)
    _no_identifiers(outcome, "outcome", errors)
    handled_on = handled_on or timezone.localdate()
    _not_in_future(handled_on, "handled_on", errors)
    if handled_on < current.found_on:
        errors.setdefault(
            "handled_on",
            _("The dispute was found on %(date)s; it cannot be settled before.")
            % {"date": current.found_on.isoformat()},
        )
    if errors:
        raise ValidationError(errors)
    return update_audited(
        current,
        actor=actor,
        audit_note="resolve",
        status=workflow.DISPUTE.next(current.status, "resolve"),
        outcome=outcome,
        handled_on=handled_on,
    )


@transaction.atomic
def dispute_escalate(
    *, actor, dispute: Dispute, category: Category, channel: str = Appeal.Channel.GRID_WORKER, title: str = ""
) -> Dispute:
    """A dispute the compound cannot settle becomes an appeal (exactly one), linked to the register."""
    if channel not in ESCALATION_CHANNELS:
        raise ValidationError({"channel": _("A dispute is escalated by a grid worker or at a reception desk.")})
    current = _locked_dispute(actor, dispute, "escalate")
    appeal = appeal_submit(
        actor=actor,
        channel=channel,
        category=category,
        title=(title or "").strip() or _("Dispute: %(category)s") % {"category": current.get_category_display()},
        description=_("Parties: %(parties)s\n%(description)s")
        % {"parties": current.parties, "description": current.description},
        compound=current.compound,
    )
    return update_audited(
        current,
        actor=actor,
        audit_note="escalate",
        status=workflow.DISPUTE.next(current.status, "escalate"),
        appeal=appeal,
        handled_on=max(timezone.localdate(), current.found_on),
    )
