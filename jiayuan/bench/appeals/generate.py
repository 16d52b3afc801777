"""The streamed generator: places, units, staff viewers, then appeals with their events, all by COPY.

Memory holds only the places (a few tuples per compound) and one chunk of COPY lines;
appeals and events are produced by generators and written as they are made, so the
resident memory is the same for 100 000 and for 5 000 000 appeals (printed as it goes).

Structure, per city-equivalent of `compounds_per_city` compounds (Jinjiang has 347):
19 towns, a community per ~5 compounds, a party branch per compound (the compound-level
handling unit), a community party committee per community (the community level) and
`departments_per_city` city departments (the whistle's targets), each with one staff
login. Categories are the seeded catalogue (migration 0002); the dispatch catalogue has a
rule per town and category. Appeals spread evenly over `months` months up to now, with a
history from lifecycle.history; audit rows, notifications and photos are not generated
(no measured query reads them).

The parts: `places` writes the places, units, categories and staff; `rows` makes the COPY lines of
the appeals and their events; this module streams them into the schema and remembers what it holds.
"""

from __future__ import annotations

import datetime as dt
import random
import resource
import time
from dataclasses import dataclass

from django.db import connection

from . import database
from .places import Scale, build_places
from .rows import APPEAL_COLUMNS, EVENT_COLUMNS, Clock, appeal_columns, appeal_lines, check_columns


@dataclass
class Generated:
    appeals: int
    events: int
    seconds_rows: float
    seconds_indexes: float
    seconds_analyze: float
    rows_per_second: float
    rss_checkpoints: list[tuple[int, int]]  # (appeals written, VmRSS kB)
    peak_rss_kb: int
    places: dict[str, int]


def rss_kb() -> int:
    """The current resident set size of this process (VmRSS), in kB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def peak_rss_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def generate(schema: str, scale: Scale, log, *, chunk: int = 4000, progress_every: int | None = None) -> Generated:
    """Fill the (freshly migrated) `schema` with `scale`'s history. Returns the figures of the run."""
    check_columns()
    columns = appeal_columns()
    rng = random.Random(scale.seed)
    places_conn = database.raw_connection(schema)
    appeals_conn = database.raw_connection(schema)
    events_conn = database.raw_connection(schema)
    try:
        places = build_places(places_conn, scale, rng, log)
        now = int(time.time())
        clock = Clock(now, _holiday_overrides(places_conn))
        places_conn.commit()
        structures = {}
        for conn, table in ((appeals_conn, "appeals_appeal"), (events_conn, "appeals_appealevent")):
            structures[table] = database.secondary_structures(conn, table)
            database.drop_secondary(conn, table, *structures[table])
        first_appeal = database.next_id(appeals_conn, "appeals_appeal")
        first_event = database.next_id(events_conn, "appeals_appealevent")
        progress_every = progress_every or max(scale.appeals // 10, 1)
        checkpoints: list[tuple[int, int]] = []
        counts = {"appeals": 0, "events": 0}
        started = time.monotonic()

        with (
            events_conn.cursor() as event_cursor,
            event_cursor.copy(f"COPY appeals_appealevent ({', '.join(EVENT_COLUMNS)}) FROM STDIN") as event_copy,
        ):
            pending: list[str] = []

            def sink(lines: list[str]) -> None:
                pending.extend(lines)
                if len(pending) >= chunk * 4:
                    event_copy.write("".join(pending))
                    counts["events"] += len(pending)
                    pending.clear()

            def lines_with_progress():
                for n, line in enumerate(
                    appeal_lines(
                        scale,
                        places,
                        clock,
                        first_appeal=first_appeal,
                        first_event=first_event,
                        rng=rng,
                        event_sink=sink,
                        answers=len(columns) > len(APPEAL_COLUMNS),
                    ),
                    1,
                ):
                    yield line
                    if n % progress_every == 0:
                        checkpoints.append((n, rss_kb()))
                        elapsed = time.monotonic() - started
                        log(
                            f"  {n:>10,} appeals, {counts['events'] + len(pending):>11,} events, "
                            f"{(n + counts['events']) / elapsed:,.0f} rows/s, RSS {rss_kb() / 1024:.0f} MB"
                        )

            counts["appeals"] = database.copy_rows(
                appeals_conn, "appeals_appeal", columns, lines_with_progress(), chunk=chunk
            )
            if pending:
                event_copy.write("".join(pending))
                counts["events"] += len(pending)
                pending.clear()
        appeals_conn.commit()
        events_conn.commit()
        seconds_rows = time.monotonic() - started
        log(f"  rows written in {seconds_rows:.1f} s; rebuilding indexes and foreign keys…")
        started = time.monotonic()
        for conn, table in ((appeals_conn, "appeals_appeal"), (events_conn, "appeals_appealevent")):
            database.restore_secondary(conn, table, *structures[table])
            database.reset_sequence(conn, table)
        seconds_indexes = time.monotonic() - started
        started = time.monotonic()
        places_conn.autocommit = True
        with places_conn.cursor() as cursor:
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s ORDER BY tablename", [schema])
            tables = [row[0] for row in cursor.fetchall()]
            cursor.execute("VACUUM (ANALYZE) " + ", ".join(f'"{schema}"."{table}"' for table in tables))
        seconds_analyze = time.monotonic() - started
    finally:
        for conn in (places_conn, appeals_conn, events_conn):
            conn.close()
    rows = counts["appeals"] + counts["events"]
    return Generated(
        appeals=counts["appeals"],
        events=counts["events"],
        seconds_rows=seconds_rows,
        seconds_indexes=seconds_indexes,
        seconds_analyze=seconds_analyze,
        rows_per_second=rows / seconds_rows if seconds_rows else 0.0,
        rss_checkpoints=checkpoints,
        peak_rss_kb=peak_rss_kb(),
        places=places.counts,
    )


def _holiday_overrides(raw) -> dict[dt.date, bool]:
    with raw.cursor() as cursor:
        cursor.execute("SELECT date, is_workday FROM appeals_holiday")
        return dict(cursor.fetchall())


def model_signature() -> str:
    """The columns the generator writes: a schema generated for other models is not reused."""
    return ",".join(appeal_columns()) + "|" + ",".join(EVENT_COLUMNS)


def write_info(schema: str, values: dict[str, object]) -> None:
    """Remember what the schema holds, so a later run can reuse it (`--reuse`)."""
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE TABLE IF NOT EXISTS "{schema}".bench_info (key text PRIMARY KEY, value text)')
        for key, value in values.items():
            cursor.execute(
                f'INSERT INTO "{schema}".bench_info VALUES (%s, %s) '
                "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                [key, str(value)],
            )


def read_info(schema: str) -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_tables WHERE schemaname = %s AND tablename = 'bench_info'", [schema])
        if cursor.fetchone() is None:
            return {}
        cursor.execute(f'SELECT key, value FROM "{schema}".bench_info')
        return dict(cursor.fetchall())
