import pytest
from django.utils import translation

from jiayuan.rosters.services import roster_import

from .helpers import counts


@pytest.fixture(autouse=True)
def english():
    """Reasons are compared as text: read them in the source language."""
    with translation.override("en"):
        yield


@pytest.fixture
def run_import(world, db):
    """run_import(role, kind, data) -> ImportResult, checking that a rejected file wrote nothing."""

    def run(role: str, kind: str, data: bytes, filename: str = "roster.xlsx"):
        before = counts()
        result = roster_import(actor=world.users[role], kind=kind, data=data, filename=filename)
        if not result.ok:
            assert counts() == before, "a rejected import must write nothing"
        return result

    return run
