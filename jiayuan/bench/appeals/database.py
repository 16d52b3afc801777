"""PostgreSQL helpers for the benchmark: refuse SQLite, switch schemas, COPY, drop and rebuild indexes.

Each scale lives in its own schema (e.g. bench_city, bench_province) of the database
DATABASE_URL names. Django's default connection is pointed at a schema by closing it
and setting `-c search_path=<schema>` in its connection options, so every selector,
service and migration runs unchanged against that schema.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.core.management.base import CommandError
from django.db import connection

SCHEMA_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,40}$")
# Databases other sessions use; the benchmark never writes into them.
FORBIDDEN_DATABASES = {"test", "postgres", "template0", "template1"}


def require_postgres() -> None:
    """CommandError unless the default database is PostgreSQL and not a shared test database."""
    settings_dict = connection.settings_dict
    if connection.vendor != "postgresql":
        raise CommandError(
            "The appeals benchmark needs PostgreSQL (COPY, EXPLAIN and a multi-worker server), but the "
            f"default database is {connection.vendor} ({settings_dict.get('NAME')}). Create a database of its own "
            "and name it in DATABASE_URL, for example:\n"
            "  createdb -h 127.0.0.1 -U postgres jiayuan_bench\n"
            "  DATABASE_URL=postgres://postgres@127.0.0.1:5432/jiayuan_bench jiayuan bench appeals"
        )
    name = settings_dict.get("NAME") or ""
    if name in FORBIDDEN_DATABASES or name.startswith("test_"):
        raise CommandError(
            f"DATABASE_URL names the database {name!r}, which other sessions or the test suite use. "
            "The benchmark creates and drops whole schemas: give it a database of its own (e.g. jiayuan_bench)."
        )


def check_schema_name(name: str) -> str:
    if not SCHEMA_NAME.match(name) or name in {"public", "pg_catalog", "information_schema"}:
        raise CommandError(f"{name!r} is not a usable schema name (lower-case letters, digits and _).")
    return name


def use_schema(schema: str) -> None:
    """Point Django's default connection at `schema` (the next query reconnects)."""
    check_schema_name(schema)
    connection.close()
    options = dict(connection.settings_dict.get("OPTIONS") or {})
    options["options"] = f"-c search_path={schema}"
    connection.settings_dict["OPTIONS"] = options


def set_search_path(schema: str) -> None:
    """Switch the live connection to `schema` without reconnecting (its caches stay warm for both schemas)."""
    check_schema_name(schema)
    with connection.cursor() as cursor:
        cursor.execute(f'SET search_path TO "{schema}"')


def unapplied_migrations() -> list[str]:
    """Migrations of the code that the current schema has not had (the schema was made by older code)."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def schema_exists(schema: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [schema])
        return cursor.fetchone() is not None


def recreate_schema(schema: str) -> None:
    check_schema_name(schema)
    with connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        cursor.execute(f'CREATE SCHEMA "{schema}"')


def drop_schema(schema: str) -> None:
    check_schema_name(schema)
    with connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def raw_connection(schema: str):
    """A separate psycopg connection on `schema`, with Django's connection parameters (for parallel COPY)."""
    import psycopg

    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params.pop("prepare_threshold", None)
    params.pop("server_side_binding", None)
    params["options"] = f"-c search_path={schema}"
    params["autocommit"] = False
    return psycopg.connect(**params)


# --- COPY -------------------------------------------------------------------------


def copy_value(value) -> str:
    """One value in COPY text format. Generated text holds no tab, newline or backslash."""
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    return str(value)


def copy_line(values: Iterable) -> str:
    return "\t".join(copy_value(value) for value in values) + "\n"


def copy_rows(raw, table: str, columns: list[str], lines: Iterable[str], *, chunk: int = 4000) -> int:
    """Stream text lines into `table` with COPY FROM STDIN, `chunk` lines per write. Returns the row count."""
    count = 0
    buffer: list[str] = []
    with raw.cursor() as cursor:
        with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for line in lines:
                buffer.append(line)
                if len(buffer) >= chunk:
                    copy.write("".join(buffer))
                    count += len(buffer)
                    buffer.clear()
            if buffer:
                copy.write("".join(buffer))
                count += len(buffer)
    return count


# --- indexes and foreign keys around a bulk load --------------------------------------


def secondary_structures(raw, table: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(foreign keys, plain indexes) of `table` as (name, definition): what can be dropped and rebuilt."""
    with raw.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
            [table],
        )
        foreign_keys = cursor.fetchall()
        cursor.execute(
            "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
            "WHERE x.indrelid = %s::regclass AND NOT x.indisprimary AND NOT x.indisunique "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid) ORDER BY i.relname",
            [table],
        )
        indexes = cursor.fetchall()
    return foreign_keys, indexes


def drop_secondary(raw, table: str, foreign_keys, indexes) -> None:
    with raw.cursor() as cursor:
        for name, _definition in foreign_keys:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    raw.commit()


def restore_secondary(raw, table: str, foreign_keys, indexes) -> None:
    """Rebuild the indexes, then re-add the foreign keys (which validates every generated reference)."""
    with raw.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        raw.commit()
        for name, definition in foreign_keys:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        raw.commit()


def reset_sequence(raw, table: str) -> None:
    with raw.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT max(id) FROM {table}), 0) + 1, false)"
        )
    raw.commit()


def server_facts() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('server_version'), current_setting('shared_buffers'), "
            "current_setting('work_mem'), current_setting('effective_cache_size'), "
            "current_setting('synchronous_commit'), current_database()"
        )
        version, shared_buffers, work_mem, cache, sync, database = cursor.fetchone()
    return {
        "server_version": version,
        "shared_buffers": shared_buffers,
        "work_mem": work_mem,
        "effective_cache_size": cache,
        "synchronous_commit": sync,
        "database": database,
    }


def table_size(table: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size(%s::regclass))", [table])
        return cursor.fetchone()[0]


def next_id(raw, table: str) -> int:
    with raw.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(max(id), 0) + 1 FROM {table}")
        return cursor.fetchone()[0]
