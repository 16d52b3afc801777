"""The whole benchmark, phase by phase: generate, measure queries, EXPLAIN, serve and load, report."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import platform
import random
import subprocess
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection

from . import database, generate, measure, report, server
from .options import SLOW_SCENARIOS, SQL_SCENARIOS, Options, Results
from .places import Scale
from .tables import build_tables


class Bench:
    def __init__(self, options: Options, log):
        self.o = options
        self.log = log
        self.results = Results()
        self.scales = [
            Scale("city", options.city_compounds, options.city_appeals, seed=options.seed),
            Scale("province", options.compounds, options.appeals, seed=options.seed + 1),
        ]
        self.out_dir = Path(settings.VAR_DIR) / "bench"

    def schema(self, scale: Scale) -> str:
        return database.check_schema_name(f"{self.o.schema_prefix}{scale.label}")

    # --- the run --------------------------------------------------------------------------------

    def run(self) -> Results:
        database.require_postgres()
        began = time.monotonic()
        self.results.started = dt.datetime.now().astimezone().isoformat(timespec="seconds")
        self.results.machine = machine_facts()
        self.results.machine["load average at start"] = loadavg()
        self.log(
            f"Machine: {self.results.machine['cpus']} CPUs, {self.results.machine['memory']}, "
            f"PostgreSQL {self.results.machine['postgresql']}, database {self.results.machine['database']}"
        )
        try:
            for scale in self.scales:
                self.results.generation[scale.label] = self.prepare(scale)
            self.measure_sql()
            self.explain(self.scales[-1])
            if self.o.job:
                self.measure_job()
            if self.o.http:
                self.measure_http()
        finally:
            for scale in self.scales:
                self.tidy(scale)
        self.results.seconds = time.monotonic() - began
        self.results.machine["load average at end"] = loadavg()
        return self.results

    def prepare(self, scale: Scale):
        schema = self.schema(scale)
        database.use_schema(schema)
        info = generate.read_info(schema) if database.schema_exists(schema) else {}
        wanted = {
            "compounds": str(scale.compounds),
            "appeals": str(scale.appeals),
            "seed": str(scale.seed),
            "complete": "yes",
            "models": generate.model_signature(),
        }
        if (
            self.o.reuse
            and info
            and all(info.get(key) == value for key, value in wanted.items())
            and not database.unapplied_migrations()
        ):
            self.log(
                f"[{scale.label}] reusing schema {schema} ({scale.compounds:,} compounds, "
                f"{scale.appeals:,} appeals, generated {info.get('generated_at')})"
            )
            return info
        if self.o.reuse and info:
            self.log(
                f"[{scale.label}] schema {schema} holds another scale, seed or model version, or has "
                "unapplied migrations: generating it again"
            )
        self.log(f"[{scale.label}] creating schema {schema} and migrating…")
        database.recreate_schema(schema)
        database.use_schema(schema)
        call_command("migrate", interactive=False, verbosity=0)
        self.log(f"[{scale.label}] generating {scale.compounds:,} compounds and {scale.appeals:,} appeals…")
        result = generate.generate(schema, scale, self.log)
        total = result.seconds_rows + result.seconds_indexes + result.seconds_analyze
        self.log(
            f"[{scale.label}] {result.appeals:,} appeals and {result.events:,} events in {total:.0f} s "
            f"(rows {result.seconds_rows:.0f} s at {result.rows_per_second:,.0f} rows/s, indexes and keys "
            f"{result.seconds_indexes:.0f} s, VACUUM ANALYZE {result.seconds_analyze:.0f} s); peak RSS "
            f"{result.peak_rss_kb / 1024:.0f} MB; appeals table {database.table_size('appeals_appeal')}, "
            f"events table {database.table_size('appeals_appealevent')}"
        )
        generate.write_info(
            schema,
            {
                **wanted,
                "events": result.events,
                "generated_at": dt.datetime.now().isoformat(timespec="seconds"),
                "seconds_rows": f"{result.seconds_rows:.1f}",
                "seconds_indexes": f"{result.seconds_indexes:.1f}",
                "seconds_analyze": f"{result.seconds_analyze:.1f}",
                "rows_per_second": f"{result.rows_per_second:.0f}",
                "peak_rss_kb": result.peak_rss_kb,
                "rss_checkpoints": " ".join(f"{n}:{kb}" for n, kb in result.rss_checkpoints),
                **{f"count_{name.replace(' ', '_')}": count for name, count in result.places.items()},
            },
        )
        return result

    def measure_sql(self) -> None:
        """Every scenario at both scales, one sample of each scale in turn, on one connection."""
        database.use_schema(self.schema(self.scales[0]))
        scenarios = {}
        for scale in self.scales:
            database.set_search_path(self.schema(scale))
            seconds = measure.ensure_rollup()
            if seconds:
                self.log(f"[{scale.label}] built the proposed monthly rollup {measure.ROLLUP} in {seconds:.1f} s")
            scenarios[scale.label] = measure.Scenarios(measure.Fixtures.load())
        schemas = {scale.label: self.schema(scale) for scale in self.scales}
        for key, label, method, _baseline in SQL_SCENARIOS:
            samples = self.o.ranking_samples if key in SLOW_SCENARIOS else self.o.samples
            works = {name: getattr(each, method) for name, each in scenarios.items()}
            timings = measure.sample_interleaved(
                label, works, lambda name: database.set_search_path(schemas[name]), samples=samples, seed=self.o.seed
            )
            for name, timing in timings.items():
                self.results.sql.setdefault(name, {})[key] = timing
            self.log(
                f"[sql] {label:<52} "
                + "  ".join(
                    f"{name} p50 {report.ms(t.p50):>7} p95 {report.ms(t.p95):>7} ms" for name, t in timings.items()
                )
                + f"  ({samples} samples each)"
            )

    def explain(self, scale: Scale) -> None:
        database.use_schema(self.schema(scale))
        scenarios = measure.Scenarios(measure.Fixtures.load())
        self.out_dir.mkdir(parents=True, exist_ok=True)
        path = self.out_dir / f"explain-{scale.label}.txt"
        with open(path, "w") as out:
            for key, label, method, _baseline in SQL_SCENARIOS:
                if key == "insert":
                    continue
                plans = measure.explain(getattr(scenarios, method), seed=self.o.seed)
                self.results.explain[key] = plans
                scans = sorted({table for plan in plans for table in plan.seq_scans})
                heaviest = max(plans, key=lambda plan: plan.milliseconds, default=None)
                self.log(
                    f"[{scale.label}] EXPLAIN {label}: {len(plans)} SELECTs, "
                    f"{sum(p.milliseconds for p in plans):.1f} ms in the executor; "
                    f"Seq Scan on {', '.join(scans) if scans else 'no big table'}"
                )
                out.write(f"=== {label} ===\n")
                for plan in plans:
                    out.write(f"--- {plan.milliseconds:.3f} ms\n{plan.sql}\n{plan.plan}\n\n")
                if heaviest is not None:
                    out.write(f"(heaviest: {heaviest.milliseconds:.3f} ms)\n\n")
        self.log(f"[{scale.label}] plans written to {path}")

    def measure_job(self) -> None:
        """One pass of the scheduled overdue job (services.flag_overdue) at each scale.

        The generated late orders are already flagged and supervised as the job leaves them, so
        the pass changes nothing: it measures what every run of the job costs in steady state.
        """
        from django.utils import timezone

        from jiayuan.appeals import services
        from jiayuan.appeals.models import Appeal

        per_order = None
        for scale in self.scales:
            database.use_schema(self.schema(scale))
            late = Appeal.objects.filter(status__in=services.LATE_STATES, deadline__lt=timezone.localdate()).count()
            if scale is self.scales[-1] and not self.o.job_province and per_order is not None:
                # The job handles the late orders one by one, each with the same indexed lookups, so its
                # cost is proportional to their number; running it here would take a long time.
                self.results.job[scale.label] = (late, per_order * late, {"estimated": True})
                self.log(
                    f"[job] {scale.label}: {late:,} late open orders; one pass ≈ {per_order * late:.0f} s "
                    "(estimated from the city's cost per order; --job-province runs it)"
                )
                continue
            self.log(f"[job] {scale.label}: flag_overdue over {late:,} late open orders…")
            started = time.perf_counter()
            outcome = services.flag_overdue()
            seconds = time.perf_counter() - started
            per_order = seconds / late if late else None
            self.results.job[scale.label] = (late, seconds, outcome)
            self.log(f"[job] {scale.label}: {seconds:.1f} s, {outcome}")

    def measure_http(self) -> None:
        """Both scales served at once (a server each); page requests alternate between them; then the load."""
        setup = {}
        for scale in self.scales:
            database.use_schema(self.schema(scale))
            fixtures = measure.Fixtures.load()
            setup[scale.label] = {
                "fixtures": fixtures,
                "cookies": session_cookies(fixtures),
                "port": self.o.port + len(setup),
            }
        province = self.scales[-1].label
        database.use_schema(self.schema(self.scales[-1]))
        api_key = create_api_key() if self.o.load else ""
        with contextlib.ExitStack() as stack:
            servers = {}
            for scale in self.scales:
                port = setup[scale.label]["port"]
                self.log(
                    f"[http] {scale.label}: `jiayuan serve --workers {self.o.workers} --bind 127.0.0.1:{port}` "
                    f"on schema {self.schema(scale)}"
                )
                servers[scale.label] = stack.enter_context(
                    server.Server(schema=self.schema(scale), port=port, workers=self.o.workers, log_dir=self.out_dir)
                )
                self.results.rss_idle[scale.label] = servers[scale.label].worker_rss_mb()
            for name, label, samples in (
                ("work", "GET /appeals/work/ (department staff)", self.o.samples),
                ("detail", "GET /appeals/<pk>/ (city admin)", self.o.samples),
                ("scores", "GET /appeals/scores/?level=town&month= (city admin)", self.o.ranking_samples),
                ("select", "baseline: GET /bench/select/<pk>/", self.o.samples),
            ):
                targets = {scale: _page_target(name, setup[scale]) for scale in setup}
                timings = server.sample_http_interleaved(label, targets, samples=samples, seed=self.o.seed)
                for scale, (timing, errors) in timings.items():
                    self.results.http.setdefault(scale, {})[name] = (timing, errors)
                self.log(
                    f"[http] {label:<52} "
                    + "  ".join(
                        f"{scale} p50 {report.ms(t.p50):>7} p95 {report.ms(t.p95):>7} ms ({errors} not 200)"
                        for scale, (t, errors) in timings.items()
                    )
                )
            if self.o.load:
                self.load(servers[province], setup[province]["port"], setup[province]["fixtures"], api_key)
            for scale, srv in servers.items():
                self.results.rss_after[scale] = srv.worker_rss_mb()

    def load(self, srv: server.Server, port: int, fixtures: measure.Fixtures, api_key: str) -> None:
        rng = random.Random(self.o.seed)
        insert_bodies = [
            server.form({"compound": c, "unit": b, "category": rng.choice(fixtures.categories)[0]})
            for c, b, _code in fixtures.compounds[:200]
        ]
        open311_bodies = [
            server.form(
                {
                    "api_key": api_key,
                    "service_code": rng.choice(fixtures.categories)[1],
                    "address_id": code,
                    "lat": f"{24.6 + rng.random() * 0.4:.6f}",
                    "long": f"{118.4 + rng.random() * 0.4:.6f}",
                    "description": measure.BASELINE_DESCRIPTION,
                    "first_name": "先生",
                    "last_name": "王",
                    "phone": f"138{rng.randint(0, 99_999_999):08d}",
                }
            )
            for _c, _b, code in fixtures.compounds[:200]
        ]
        runs = (
            ("bare INSERT view: POST /bench/insert/", "/bench/insert/", insert_bodies),
            ("Open311 POST /open311/v2/requests.json", "/open311/v2/requests.json", open311_bodies),
        )
        for _label, path, bodies in runs:
            for body in bodies[:3]:  # a well-formed POST must succeed before the load starts
                status, answer = server.request(
                    "POST",
                    port,
                    path,
                    body=body.encode(),
                    headers={"Content-Type": "application/x-www-form-urlencoded"},
                )
                if status not in (200, 201):
                    raise RuntimeError(f"{path} answered {status} to a well-formed POST: {answer[:500]!r}")
        # The baseline and Open311 take turns, so that whatever else the machine does weighs on both alike.
        for round_ in range(1, self.o.rounds + 1):
            for label, path, bodies in runs:
                self.log(
                    f"[load] round {round_}: {label}, {self.o.connections} connections for {self.o.load_seconds} s…"
                )
                result = server.run_load(
                    label,
                    port,
                    path,
                    bodies,
                    seconds=self.o.load_seconds,
                    connections=self.o.connections,
                    server=srv,
                    tool=self.o.tool,
                )
                result.round = round_
                self.results.loads.append(result)
                peaks = ", ".join(f"{mb:.0f} MB" for mb in result.rss_peak_mb.values())
                self.log(
                    f"[load] {result.requests_per_second:,.0f} req/s, p50 {report.ms(result.p50_ms)} ms, "
                    f"p95 {report.ms(result.p95_ms)} ms, {result.requests:,} requests, {result.errors} errors; "
                    f"worker RSS peaks {peaks}"
                )

    def tidy(self, scale: Scale) -> None:
        """Remove the bare-INSERT baseline rows (they have no events or audit rows); drop the schema if asked."""
        schema = self.schema(scale)
        database.use_schema(schema)
        if not database.schema_exists(schema):
            return
        if self.o.drop:
            database.drop_schema(schema)
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_tables WHERE schemaname = %s AND tablename = 'appeals_appeal'", [schema])
            if cursor.fetchone():
                # The baseline rows' numbers start with BX (generated ones with JY): a range on the unique index.
                cursor.execute("DELETE FROM appeals_appeal WHERE number >= 'BX' AND number < 'BY'")

    # --- the report -------------------------------------------------------------------------------

    def tables(self) -> list[report.Table]:
        return build_tables(self.results, self.o, self.scales)


def _page_target(name: str, setup: dict):
    """target(rng) → (path, port, cookie) of one page of the HTTP measurement."""
    fx, cookies, port = setup["fixtures"], setup["cookies"], setup["port"]
    if name == "work":
        return lambda rng: ("/appeals/work/", port, rng.choice(cookies["departments"]))
    if name == "detail":
        return lambda rng: (f"/appeals/{rng.randint(fx.first_appeal, fx.last_appeal)}/", port, cookies["admin"])
    if name == "scores":
        return lambda rng: (f"/appeals/scores/?level=town&month={rng.choice(fx.months)}", port, cookies["admin"])
    return lambda rng: (f"/bench/select/{rng.randint(fx.first_appeal, fx.last_appeal)}/", port, "")


def session_cookies(fixtures: measure.Fixtures) -> dict:
    """Session cookies for the admin and for up to 30 department logins, stored in the schema's session table."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from jiayuan.core.models import User

    def cookie(user_id: int) -> str:
        user = User.objects.get(pk=user_id)
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.save()
        return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"

    rng = random.Random(5)
    departments = rng.sample(fixtures.departments, min(30, len(fixtures.departments)))
    return {"admin": cookie(fixtures.admin_id), "departments": [cookie(user_id) for _dept, user_id in departments]}


def create_api_key() -> str:
    from jiayuan.appeals.apikeys import apikey_create

    _record, key = apikey_create(actor=None, name=f"bench {dt.datetime.now():%Y-%m-%d %H:%M}")
    return key


def loadavg() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg()) + " (1, 5, 15 min)"


def machine_facts() -> dict:
    facts = database.server_facts()
    memory = "?"
    try:
        with open("/proc/meminfo") as meminfo:
            total_kb = int(next(line for line in meminfo if line.startswith("MemTotal:")).split()[1])
        memory = f"{total_kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, StopIteration):
        pass
    cpu = platform.processor() or "?"
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            cpu = next(line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    wrk = "not installed"
    try:
        probe = subprocess.run(["wrk", "-v"], capture_output=True, text=True, timeout=5, check=False)
        wrk = (probe.stdout or probe.stderr).split("\n")[0].strip()
    except (OSError, subprocess.SubprocessError):
        pass
    import django
    import gunicorn

    return {
        "cpus": os.cpu_count(),
        "memory": memory,
        "cpu": cpu,
        "postgresql": facts["server_version"],
        "database": facts["database"],
        "shared_buffers": facts["shared_buffers"],
        "work_mem": facts["work_mem"],
        "synchronous_commit": facts["synchronous_commit"],
        "python": platform.python_version(),
        "django": django.get_version(),
        "gunicorn": gunicorn.__version__,
        "wrk": wrk,
        "kernel": platform.release(),
    }
