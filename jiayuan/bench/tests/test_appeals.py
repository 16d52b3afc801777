"""Smoke tests of the benchmark's parts: the generated histories, the streaming generator, the timing and
load code, the baseline views and the command's refusals. No timing is asserted: figures are printed only.

The end-to-end run needs a PostgreSQL database of its own; it runs when JIAYUAN_BENCH_DATABASE_URL names
one (e.g. postgres://postgres@127.0.0.1:5432/jiayuan_bench) and is skipped otherwise.
"""

from __future__ import annotations

import datetime as dt
import http.server
import itertools
import os
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import RequestFactory

from jiayuan.appeals import workflow
from jiayuan.bench.appeals import database, generate, lifecycle, measure, places, report, rows, server, views

NOW = int(dt.datetime(2026, 6, 1, tzinfo=dt.UTC).timestamp())


def replay(story: lifecycle.History) -> str:
    """Walk a generated history through the declared workflow; the state it ends in."""
    state = None
    for event in story.events:
        if event.action == "submit":
            assert state is None
            state = workflow.RECEIVED
        elif event.action == "rate":
            assert event.from_status == event.to_status == state
        else:
            assert event.from_status == state, event
            state = workflow.next_state(state, event.action)
            assert state == event.to_status, event
    return state


def histories(count: int, seed: int = 3):
    rng = random.Random(seed)
    span = 730 * 86400
    for n in range(count):
        t0 = NOW - span + n * span // count
        yield (
            t0,
            lifecycle.history(
                rng,
                t0=t0,
                now=NOW,
                level=lifecycle.pick_level(rng),
                branch=1,
                community=2,
                department=3,
                spare_department=4,
            ),
        )


def test_every_generated_history_follows_the_declared_workflow():
    for t0, story in histories(3000):
        assert replay(story) == story.status
        times = [event.at for event in story.events]
        assert times == sorted(times)
        assert t0 <= times[0] and times[-1] <= NOW


def test_generated_histories_are_mostly_closed_with_the_open_ones_mostly_recent():
    stories = list(histories(6000))
    closed = sum(story.status == workflow.CLOSED for _t0, story in stories) / len(stories)
    recent = [story for t0, story in stories if NOW - t0 < 30 * 86400]
    recent_open = sum(story.status != workflow.CLOSED for story in recent) / len(recent)
    print(f"closed {closed:.1%}, open among the last 30 days {recent_open:.1%}")
    assert 0.80 <= closed <= 0.90
    assert recent_open > 0.4


def test_generated_departments_handle_only_department_level_appeals_and_returns_go_back_to_the_community():
    for _t0, story in histories(3000, seed=9):
        if story.unit in (3, 4):
            assert story.level == lifecycle.DEPARTMENT
        for event in story.events:
            if event.action == "return":
                assert event.unit == 3  # the returning department is named on the event
        if story.status == workflow.RETURNED:
            assert story.unit == 2 and story.level == lifecycle.COMMUNITY


def small_places() -> places.Places:
    return places.Places(
        compounds=[(100 + i, 200 + i, 300 + i // 5, i // 10) for i in range(20)],
        departments=[[400 + city * 80 + slot for slot in range(80)] for city in range(2)],
        categories=[(7, 5, "管道漏水", 3), (8, 2, "停水", 3)],
    )


def test_the_generator_streams_appeals_one_at_a_time_however_many_are_asked_for():
    events: list[str] = []
    lines = rows.appeal_lines(
        places.Scale("huge", 20, 10**9),
        small_places(),
        rows.Clock(NOW),
        first_appeal=1,
        first_event=1,
        rng=random.Random(1),
        event_sink=events.extend,
    )
    started = time.monotonic()
    first = list(itertools.islice(lines, 200))
    assert time.monotonic() - started < 30  # a list of 10⁹ appeals would never come back
    assert len(first) == 200
    assert all(line.count("\t") == len(rows.appeal_columns()) - 1 for line in first)
    assert all(line.count("\t") == len(rows.EVENT_COLUMNS) - 1 for line in events)
    assert len(events) >= 200
    event_appeals = {int(line.split("\t")[1]) for line in events}
    assert event_appeals == set(range(1, 201))


def test_generated_rows_carry_a_number_a_deadline_and_an_encrypted_contact_phone():
    lines = rows.appeal_lines(
        places.Scale("s", 20, 50),
        small_places(),
        rows.Clock(NOW),
        first_appeal=41,
        first_event=1,
        rng=random.Random(2),
        event_sink=lambda lines: None,
    )
    row = dict(zip(rows.appeal_columns(), next(lines).rstrip("\n").split("\t"), strict=True))
    assert row["id"] == "41" and row["number"].startswith("JY") and row["number"].endswith("0000041")
    assert dt.date.fromisoformat(row["deadline"]) >= dt.date.fromisoformat(row["received_at"][:10])
    assert row["status"] in workflow.STATES
    if row["channel"] != "open311":
        assert row["contact_phone"].startswith("gAAAA") and len(row["contact_phone_hash"]) == 64
    for line in lines:
        row = dict(zip(rows.appeal_columns(), line.rstrip("\n").split("\t"), strict=True))
        answers = (row.get("rated_contacted", "t"), row.get("rated_solved", "t"))
        if row["rating"]:  # the resident answers both questions with a rating, and only then
            assert all(answer in ("t", "f") for answer in answers)
        else:
            assert answers == ("\\N", "\\N") or "rated_contacted" not in row


def test_the_generator_writes_every_required_column_of_the_appeal_models():
    rows.check_columns()


def test_the_clock_counts_deadlines_in_working_days_across_the_national_day_holiday():
    clock = rows.Clock(NOW)
    received = int(dt.datetime(2025, 9, 30, 10, tzinfo=dt.UTC).timestamp())
    text, day = clock.deadline(received, 1)
    assert day == dt.date(2025, 10, 9)  # 1–8 October 2025 are holidays; the 9th is the first working day
    assert text == "2025-10-09"


def test_copy_lines_write_nulls_and_booleans_in_copy_text_format():
    assert database.copy_line([1, None, True, False, "管道"]) == "1\t\\N\tt\tf\t管道\n"


def test_percentile_interpolates_between_ranks():
    values = [float(v) for v in range(1, 101)]
    assert measure.percentile(values, 50) == pytest.approx(50.5)
    assert measure.percentile(values, 95) == pytest.approx(95.05)
    assert measure.percentile([3.0], 95) == 3.0


def test_interleaved_sampling_takes_one_sample_of_each_variant_in_turn():
    calls = []
    works = {"city": lambda rng: calls.append("city"), "province": lambda rng: calls.append("province")}
    switched = []
    timings = measure.sample_interleaved("x", works, switched.append, samples=4, warmup=1)
    assert calls[2:] == ["city", "province"] * 4
    assert switched[2:] == ["city", "province"] * 4
    assert {key: len(t.samples) for key, t in timings.items()} == {"city": 4, "province": 4}
    print({key: f"p50 {t.p50:.4f} ms" for key, t in timings.items()})


def test_tables_render_as_text_and_markdown():
    table = report.Table("Figures", ["query", "p50"])
    table.add("open work", report.ms(12.345))
    table.notes.append("measured twice")
    assert "open work  12.3" in table.text()
    assert table.markdown().splitlines()[2:5] == ["| query | p50 |", "|---|---:|", "| open work | 12.3 |"]
    assert report.ratio(3, 2) == "1.50×" and report.ratio(1, 0) == "–"


class _Ok(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(201)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def test_the_python_load_driver_stops_by_itself_and_counts_requests_and_errors():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Ok)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        started = time.monotonic()
        load = server.run_python_load(
            "ok", httpd.server_port, "/", ["a=1", "b=2"], seconds=1, connections=3, max_requests=60
        )
        print(f"{load.requests} requests, {load.requests_per_second:.0f} req/s, p95 {load.p95_ms:.1f} ms")
        assert time.monotonic() - started < 15
        assert 0 < load.requests <= 60 and load.errors == 0 and load.statuses == {"201": load.requests}
    finally:
        httpd.shutdown()


def test_worker_memory_is_read_from_proc():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(5)"])
    try:
        assert child.pid in server.children_of(os.getpid())
        assert server.vmrss_kb(child.pid) > 0
        assert generate.rss_kb() > 0 and generate.peak_rss_kb() >= generate.rss_kb() // 2
    finally:
        child.kill()
        child.wait()


def test_the_bench_command_refuses_sqlite_with_a_clear_message(monkeypatch):
    monkeypatch.setattr(connection, "vendor", "sqlite")  # whichever database the suite itself runs on
    with pytest.raises(CommandError, match="needs PostgreSQL.*DATABASE_URL"):
        call_command(
            "bench", "appeals", "--appeals", "10", "--compounds", "2", "--city-appeals", "5", "--city-compounds", "1"
        )


def test_the_bench_refuses_the_database_other_sessions_test_with(monkeypatch):
    monkeypatch.setattr(connection, "vendor", "postgresql")
    monkeypatch.setitem(connection.settings_dict, "NAME", "test")
    with pytest.raises(CommandError, match="other sessions"):
        database.require_postgres()


@pytest.mark.django_db
def test_the_baseline_views_are_not_mounted_without_the_bench_setting(client):
    assert client.get("/bench/ping/").status_code == 404


@pytest.mark.django_db
def test_the_baseline_views_insert_one_appeal_row_and_select_it_by_primary_key(world):
    from jiayuan.appeals.models import Appeal, Category

    leaf = Category.objects.filter(children__isnull=True).first()
    request = RequestFactory().post(
        "/bench/insert/", {"compound": world.compound_a.pk, "unit": world.branch_a.pk, "category": leaf.pk}
    )
    answer = views.insert_one(request)
    assert answer.status_code == 201
    pk = int(answer.content.decode().split(":")[1].strip(" }"))
    assert Appeal.objects.get(pk=pk).status == workflow.RECEIVED
    found = views.select_one(RequestFactory().get(f"/bench/select/{pk}/"), pk)
    assert found.status_code == 200 and b'"status": "received"' in found.content
    assert views.select_one(RequestFactory().get("/bench/select/0/"), 0).status_code == 404
    bad = views.insert_one(RequestFactory().post("/bench/insert/", {"compound": "x"}))
    assert bad.status_code == 400


@pytest.mark.skipif(
    not os.environ.get("JIAYUAN_BENCH_DATABASE_URL"),
    reason="set JIAYUAN_BENCH_DATABASE_URL to a PostgreSQL database of the benchmark's own",
)
def test_a_tiny_benchmark_runs_end_to_end_on_postgresql(tmp_path: Path):
    env = dict(
        os.environ,
        DATABASE_URL=os.environ["JIAYUAN_BENCH_DATABASE_URL"],
        JIAYUAN_VAR_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="jiayuan.config.settings.dev",
    )
    markdown = tmp_path / "bench.md"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "jiayuan.cli",
            "bench",
            "appeals",
            "--compounds",
            "40",
            "--appeals",
            "800",
            "--city-compounds",
            "20",
            "--city-appeals",
            "300",
            "--samples",
            "3",
            "--ranking-samples",
            "2",
            "--load-seconds",
            "2",
            "--rounds",
            "1",
            "--connections",
            "2",
            "--port",
            str(18000 + os.getpid() % 1000 * 2),
            "--schema-prefix",
            f"benchtest{os.getpid()}_",
            "--drop",
            "--markdown",
            str(markdown),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=540,
        check=False,
    )
    print(result.stdout[-6000:], result.stderr[-3000:])
    assert result.returncode == 0
    for heading in (
        "Data generation",
        "Queries in-process",
        "EXPLAIN",
        "Pages over HTTP",
        "Intake under load",
        "Targets",
    ):
        assert heading in result.stdout
    assert "rows/s" in result.stdout and "**Targets**" in markdown.read_text()
