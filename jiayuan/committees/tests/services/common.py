"""Helpers shared by the committee service tests: the day they run on, the fields of a refusal, and a new
committee for 宝龙世家."""

import datetime as dt

from jiayuan.organisations import services as org_services

TODAY = dt.date(2026, 3, 10)


def fields_of(exc_info) -> set[str]:
    return set(exc_info.value.message_dict)


def new_committee(world, *, established_on, term_end, compound=None, name="宝龙世家业委会"):
    return org_services.committee_create(
        actor=None,
        compound=compound or world.compound_a2,
        name=name,
        established_on=established_on,
        term_end=term_end,
        seats=5,
    )
