import pytest
from django.db import transaction

SUMMARY = pytest.StashKey[list]()


def pytest_configure(config):
    config.stash[SUMMARY] = []


def pytest_terminal_summary(terminalreporter, config):
    for line in config.stash.get(SUMMARY, []):
        terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def summary_line(pytestconfig):
    """summary_line(text): a line printed after the test run (a fixture's own output is captured and lost)."""
    return pytestconfig.stash[SUMMARY].append


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The persona world, built once per test module inside a transaction rolled back at the end.

    Each test still runs in its own savepoint (request `db` or use the `client`
    fixtures below), so what one test writes is gone before the next.
    """
    from jiayuan.testing import build_world

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def as_role(world, client, db):
    """as_role("town_clerk") -> a test client logged in as that persona."""

    def login(role: str):
        client.force_login(world.users[role])
        return client

    return login


@pytest.fixture
def keep_connections(monkeypatch):
    """For tests that run the `jiayuan` CLI in-process: Django's run_from_argv closes every
    database connection when a command ends, which on PostgreSQL would end the test's
    transaction (and the module's world with it)."""
    from django.db import connections

    monkeypatch.setattr(connections, "close_all", lambda: None)
