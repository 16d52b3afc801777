"""Writes about people. ID and phone numbers are validated, encrypted and indexed by keyed hash."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jiayuan.core.audit import audit_record, snapshot
from jiayuan.core.crypto import lookup_hash
from jiayuan.core.identity import IdentifierError, id_birth_date, id_gender, validate_id_number, validate_phone
from jiayuan.core.models import AuditEntry
from jiayuan.core.scope import scope_for
from jiayuan.core.services import create_audited

from . import rules
from .models import Kinship, Ownership, PartyMembership, Person, Residency


def identifier_message(exc: IdentifierError) -> str:
    """The user's-language message for an invalid ID or phone number."""
    messages = {
        "id_shape": _("The ID number must be 18 characters: 17 digits and a final digit or X."),
        "id_date": _("The birth date %(date)s in the ID number is not a real date."),
        "id_date_range": _("The birth date %(date)s in the ID number is impossible."),
        "id_checksum": _("The ID number's check character is %(given)s but its checksum requires %(expected)s."),
        "phone_shape": _(
            "The phone number must be an 11-digit mobile number starting with 1, or a landline such as 0595-85681234."
        ),
    }
    return messages[exc.code] % exc.params


def clean_id_number(raw: str, *, field: str = "id_number") -> str:
    try:
        return validate_id_number(raw)
    except IdentifierError as exc:
        raise ValidationError({field: identifier_message(exc)}) from exc


def clean_phone(raw: str, *, field: str = "phone") -> str:
    try:
        return validate_phone(raw)
    except IdentifierError as exc:
        raise ValidationError({field: identifier_message(exc)}) from exc


def person_find_by_id_number(id_number: str) -> Person | None:
    return Person.objects.filter(id_number_hash=lookup_hash(id_number)).first()


def person_fields(*, name: str, id_number: str = "", phone: str = "") -> dict:
    """Validated column values for a Person (shared by the service and bulk imports)."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("A name is required.")})
    fields: dict = {"name": name, "id_number": "", "id_number_hash": None, "phone": "", "phone_hash": ""}
    if id_number:
        value = clean_id_number(id_number)
        fields.update(
            id_number=value, id_number_hash=lookup_hash(value), birth_date=id_birth_date(value), gender=id_gender(value)
        )
    if phone:
        value = clean_phone(phone)
        fields.update(phone=value, phone_hash=lookup_hash(value))
    return fields


@transaction.atomic
def person_create(*, actor, name: str, id_number: str = "", phone: str = "") -> Person:
    fields = person_fields(name=name, id_number=id_number, phone=phone)
    if fields["id_number_hash"] and Person.objects.filter(id_number_hash=fields["id_number_hash"]).exists():
        raise ValidationError({"id_number": _("A person with this ID number is already registered.")})
    person = Person(**fields)
    person.save()
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, obj=person, after=snapshot(person))
    return person


@transaction.atomic
def person_update_contact(*, actor, person: Person, phone: str) -> Person:
    before = snapshot(person)
    value = clean_phone(phone) if phone else ""
    person.phone = value
    person.phone_hash = lookup_hash(value) if value else ""
    person.save(update_fields=["phone", "phone_hash"])
    audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=person, before=before, after=snapshot(person))
    return person


@transaction.atomic
def ownership_add(*, actor, room, start_date: dt.date, person: Person | None = None, developer=None) -> Ownership:
    """Register an owner of a room: a person (another co-owner if the room has owners) or the developer."""
    if actor is not None and not rules.may_register_owners(scope_for(actor), room.unit.building.compound):
        raise PermissionDenied(_("Only the community, the town or the city registers the owners of a compound."))
    if (person is None) == (developer is None):
        raise ValidationError({"person": _("An owner is either a person or the developer, not both or neither.")})
    current = Ownership.objects.select_for_update().filter(room=room, end_date__isnull=True)
    if person is not None and current.filter(person=person).exists():
        raise ValidationError({"person": _("%(person)s already owns this room.") % {"person": person}})
    if developer is not None and current.exists():
        raise ValidationError({"developer": _("The room already has owners; the developer cannot own it as unsold.")})
    if person is not None:
        # A sale: the developer's unsold holding ends when the first buyer is registered.
        for unsold in current.filter(developer__isnull=False):
            ownership_end(actor=actor, ownership=unsold, end_date=start_date)
    return create_audited(Ownership, actor=actor, room=room, person=person, developer=developer, start_date=start_date)


@transaction.atomic
def ownership_end(*, actor, ownership: Ownership, end_date: dt.date) -> Ownership:
    if end_date < ownership.start_date:
        raise ValidationError({"end_date": _("The end date is before the start date.")})
    before = snapshot(ownership)
    ownership.end_date = end_date
    ownership.save(update_fields=["end_date"])
    audit_record(actor=actor, action=AuditEntry.Action.END, obj=ownership, before=before, after=snapshot(ownership))
    return ownership


def residency_add(*, actor, room, person: Person, relation: str, start_date: dt.date) -> Residency:
    if Residency.objects.filter(room=room, person=person, end_date__isnull=True).exists():
        raise ValidationError({"person": _("%(person)s already lives in this room.") % {"person": person}})
    return create_audited(Residency, actor=actor, room=room, person=person, relation=relation, start_date=start_date)


def party_membership_set(
    *,
    actor,
    person: Person,
    joined_on: dt.date,
    organisation=None,
    in_service: bool = False,
    workplace: str = "",
    reports_to=None,
) -> PartyMembership:
    if actor is not None and not rules.may_keep_party_membership(
        scope_for(actor), organisation=organisation, reports_to=reports_to
    ):
        raise PermissionDenied(_("The party roster is kept by the compound's party branch and the levels above it."))
    if in_service and reports_to is None:
        raise ValidationError({"reports_to": _("An in-service member must report to a compound.")})
    if joined_on > dt.date.today():
        raise ValidationError({"joined_on": _("The joining date is in the future.")})
    existing = PartyMembership.objects.filter(person=person).first()
    if existing is None:
        return create_audited(
            PartyMembership,
            actor=actor,
            person=person,
            joined_on=joined_on,
            organisation=organisation,
            in_service=in_service,
            workplace=workplace,
            reports_to=reports_to,
        )
    from jiayuan.core.services import update_audited

    return update_audited(
        existing,
        actor=actor,
        joined_on=joined_on,
        organisation=organisation,
        in_service=in_service,
        workplace=workplace,
        reports_to=reports_to,
    )


def kinship_add(*, actor, person: Person, relative: Person, relation: str) -> Kinship:
    """Record a close family tie once per pair (either direction)."""
    if person.pk == relative.pk:
        raise ValidationError({"relative": _("A person is not their own relative.")})
    if (
        Kinship.objects.filter(person=person, relative=relative).exists()
        or Kinship.objects.filter(person=relative, relative=person).exists()
    ):
        raise ValidationError({"relative": _("This family tie is already recorded.")})
    return create_audited(Kinship, actor=actor, person=person, relative=relative, relation=relation)
