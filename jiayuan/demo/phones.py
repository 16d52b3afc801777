"""The public numbers of the demo's compounds: each party branch's and owners' committee's office line and each
property service desk, so a resident's home shows whom to call. Made up, in Jinjiang's 0595 area code."""

from __future__ import annotations

from jiayuan.organisations.models import Organisation, ServiceContract


def _landline(prefix: int, pk: int) -> str:
    return f"0595-8{prefix}{pk % 1_000_000:06d}"


def publish_public_phones() -> int:
    """Give every compound branch, owners' committee and service contract its number; returns how many."""
    offices = list(
        Organisation.objects.filter(kind__in=[Organisation.Kind.COMPOUND_BRANCH, Organisation.Kind.OWNERS_COMMITTEE])
    )
    for organisation in offices:
        organisation.public_phone = _landline(
            5 if organisation.kind == Organisation.Kind.COMPOUND_BRANCH else 6, organisation.pk
        )
    Organisation.objects.bulk_update(offices, ["public_phone"], batch_size=500)
    contracts = list(ServiceContract.objects.all())
    for contract in contracts:
        contract.service_desk_phone = _landline(7, contract.pk)
    ServiceContract.objects.bulk_update(contracts, ["service_desk_phone"], batch_size=500)
    return len(offices) + len(contracts)
