"""The tables of a benchmark run: machine, generation, queries and pages, load, EXPLAIN, targets."""

from __future__ import annotations

from . import generate, report
from .options import SQL_SCENARIOS, TARGET_KEYS, Options, Results
from .places import Scale


def build_tables(results: Results, options: Options, scales: list[Scale]) -> list[report.Table]:
    city, province = scales[0].label, scales[-1].label
    tables = []

    machine = report.Table("Machine", ["item", "value"])
    for key in (
        "cpus",
        "cpu",
        "memory",
        "kernel",
        "postgresql",
        "shared_buffers",
        "work_mem",
        "synchronous_commit",
        "python",
        "django",
        "gunicorn",
        "wrk",
        "database",
        "load average at start",
        "load average at end",
    ):
        machine.add(key, results.machine.get(key, "?"))
    tables.append(machine)

    gen = report.Table(
        "Data generation (COPY, streamed)",
        [
            "scale",
            "compounds",
            "appeals",
            "events",
            "rows/s",
            "rows s",
            "indexes+FK s",
            "VACUUM ANALYZE s",
            "RSS at 10%..100% (MB)",
            "peak RSS (ru_maxrss)",
        ],
    )
    for scale in scales:
        value = results.generation.get(scale.label)
        if isinstance(value, generate.Generated):
            gen.add(
                scale.label,
                f"{scale.compounds:,}",
                f"{value.appeals:,}",
                f"{value.events:,}",
                f"{value.rows_per_second:,.0f}",
                f"{value.seconds_rows:.0f}",
                f"{value.seconds_indexes:.0f}",
                f"{value.seconds_analyze:.0f}",
                " ".join(f"{kb / 1024:.0f}" for _n, kb in value.rss_checkpoints),
                report.mb(value.peak_rss_kb),
            )
        elif value:
            checkpoints = [int(item.split(":")[1]) for item in value.get("rss_checkpoints", "").split() if ":" in item]
            gen.add(
                scale.label,
                f"{scale.compounds:,}",
                f"{int(value.get('appeals', 0)):,}",
                f"{int(value.get('events', 0)):,}",
                f"{float(value.get('rows_per_second', 0)):,.0f}",
                value.get("seconds_rows", "?"),
                value.get("seconds_indexes", "?"),
                value.get("seconds_analyze", "?"),
                " ".join(f"{kb / 1024:.0f}" for kb in checkpoints),
                report.mb(int(value.get("peak_rss_kb", 0))) + f" (generated {value.get('generated_at')})",
            )
    tables.append(gen)

    sql = report.Table(
        f"Queries in-process (ORM, PostgreSQL), milliseconds; {options.samples} samples "
        f"({options.ranking_samples} for rankings and the scores page)",
        [
            "query",
            f"{city} p50",
            f"{city} p95",
            f"{province} p50",
            f"{province} p95",
            "prov. p50 / baseline",
            f"{province}/{city} p50",
            f"{province}/{city} p95",
        ],
    )
    for key, label, _method, baseline in SQL_SCENARIOS:
        c, p = results.sql.get(city, {}).get(key), results.sql.get(province, {}).get(key)
        if c is None or p is None:
            continue
        base = results.sql[province].get(baseline) if baseline else None
        sql.add(
            label,
            report.ms(c.p50),
            report.ms(c.p95),
            report.ms(p.p50),
            report.ms(p.p95),
            report.ratio(p.p50, base.p50) if base else "1×",
            report.ratio(p.p50, c.p50),
            report.ratio(p.p95, c.p95),
        )
    tables.append(sql)

    if results.explain:
        explained = report.Table(
            f"EXPLAIN (ANALYZE, BUFFERS) at {province} scale, one run each",
            [
                "query",
                "SELECTs",
                "executor ms",
                "shared hit",
                "shared read",
                "Seq Scan on appeals_appeal",
                "Seq Scan on appeals_appealevent",
            ],
        )
        for key, label, _method, _baseline in SQL_SCENARIOS:
            plans = results.explain.get(key)
            if plans is None:
                continue
            hit, read = buffers(plans)
            explained.add(
                label,
                len(plans),
                f"{sum(p.milliseconds for p in plans):.2f}",
                hit,
                read,
                "YES" if any("appeals_appeal" in p.seq_scans for p in plans) else "no",
                "YES" if any("appeals_appealevent" in p.seq_scans for p in plans) else "no",
            )
        tables.append(explained)

    if results.job:
        job = report.Table(
            "Scheduled overdue job (services.flag_overdue), one pass with nothing to change",
            ["scale", "late open orders", "seconds", "ms per late order", "flagged", "escalated"],
        )
        for label, (late, seconds, outcome) in results.job.items():
            if outcome.get("estimated"):
                job.add(label, f"{late:,}", f"≈ {seconds:.0f} (estimated)", "as the city", "–", "–")
                continue
            job.add(
                label,
                f"{late:,}",
                f"{seconds:.1f}",
                f"{seconds * 1000 / late:.2f}" if late else "–",
                outcome.get("flagged"),
                outcome.get("escalated"),
            )
        tables.append(job)

    if results.http:
        pages = report.Table(
            f"Pages over HTTP (gunicorn, {options.workers} sync workers, one request at a time), ms",
            [
                "page",
                f"{city} p50",
                f"{city} p95",
                f"{province} p50",
                f"{province} p95",
                "prov. p50 / baseline",
                f"{province}/{city} p50",
                f"{province}/{city} p95",
                "not 200",
            ],
        )
        for key in ("work", "detail", "scores", "select"):
            c, p = results.http.get(city, {}).get(key), results.http.get(province, {}).get(key)
            if c is None or p is None:
                continue
            base = results.http[province]["select"][0]
            pages.add(
                p[0].name,
                report.ms(c[0].p50),
                report.ms(c[0].p95),
                report.ms(p[0].p50),
                report.ms(p[0].p95),
                report.ratio(p[0].p50, base.p50),
                report.ratio(p[0].p50, c[0].p50),
                report.ratio(p[0].p95, c[0].p95),
                c[1] + p[1],
            )
        tables.append(pages)

    if results.loads:
        load = report.Table(
            f"Intake under load on the {province} database (loopback)",
            ["round", "endpoint", "tool", "requests", "req/s", "p50 ms", "p95 ms", "errors", "worker RSS peak"],
        )
        for item in results.loads:
            load.add(
                item.round,
                item.name,
                item.tool,
                f"{item.requests:,}",
                f"{item.requests_per_second:,.0f}",
                report.ms(item.p50_ms),
                report.ms(item.p95_ms),
                item.errors,
                ", ".join(f"{value:.0f} MB" for value in item.rss_peak_mb.values()),
            )
        rates = load_rates(results.loads)
        if len(rates) == 2:
            (base_name, base), (intake_name, intake) = rates.items()
            load.notes.append(
                f"all rounds: {base_name} {base:,.0f} req/s, {intake_name} {intake:,.0f} req/s; "
                f"intake / bare INSERT = {report.ratio(intake, base)}"
            )
        tables.append(load)

    tables.append(targets(results, scales))
    return tables


def load_rates(loads) -> dict[str, float]:
    """Requests per second of each endpoint over all its rounds (in the order first run)."""
    totals: dict[str, list[float]] = {}
    for item in loads:
        total = totals.setdefault(item.name, [0, 0.0])
        total[0] += item.requests
        total[1] += item.seconds
    return {name: requests / seconds for name, (requests, seconds) in totals.items() if seconds}


def buffers(plans) -> tuple[int, int]:
    hit = read = 0
    for plan in plans:
        for line in plan.plan.splitlines():
            text = line.strip()
            if text.startswith("Buffers: shared") and "->" not in text:
                for part in text.replace("Buffers: shared", "").split():
                    if part.startswith("hit="):
                        hit += int(part[4:])
                    elif part.startswith("read="):
                        read += int(part[5:])
                break  # the top node's line holds the query's total
    return hit, read


def targets(results: Results, scales: list[Scale]) -> report.Table:
    city, province = scales[0].label, scales[-1].label
    table = report.Table("Targets", ["target", "measured", "verdict"])
    sql_c, sql_p = results.sql.get(city, {}), results.sql.get(province, {})
    for key in TARGET_KEYS:
        if key in sql_c and key in sql_p:
            worst = max(sql_p[key].p50 / sql_c[key].p50, sql_p[key].p95 / sql_c[key].p95)
            label = next(label for k, label, _m, _b in SQL_SCENARIOS if k == key)
            table.add(
                f"{label}: {province} ≤ 2× {city}", f"{worst:.2f}× (worse of p50, p95)", report.verdict(worst <= 2)
            )
    for key, label in (("work", "work list page"), ("scores", "scores page")):
        c, p = results.http.get(city, {}).get(key), results.http.get(province, {}).get(key)
        if c and p:
            worst = max(p[0].p50 / c[0].p50, p[0].p95 / c[0].p95)
            table.add(f"{label} over HTTP: {province} ≤ 2× {city}", f"{worst:.2f}×", report.verdict(worst <= 2))
    rates = load_rates(results.loads)
    if len(rates) == 2:
        base, intake = rates.values()
        share = intake / base
        table.add(
            "Open311 intake ≥ 0.5× bare INSERT (req/s)",
            f"{share:.2f}× ({intake:,.0f} / {base:,.0f} req/s)",
            report.verdict(share >= 0.5),
        )
    peaks = [value for load in results.loads for value in load.rss_peak_mb.values()]
    peaks += [value for label in results.rss_after for value in results.rss_after[label].values()]
    if peaks:
        table.add("≤ 300 MB resident per worker", f"max {max(peaks):.0f} MB", report.verdict(max(peaks) <= 300))
    generated = [value for value in results.generation.values() if isinstance(value, generate.Generated)]
    if len(generated) == 2 and generated[0].rss_checkpoints and generated[1].rss_checkpoints:
        small = max(kb for _n, kb in generated[0].rss_checkpoints)
        big = max(kb for _n, kb in generated[1].rss_checkpoints)
        first, last = generated[1].rss_checkpoints[0][1], generated[1].rss_checkpoints[-1][1]
        ok = big <= small + 64 * 1024 and last - first <= 32 * 1024
        table.add(
            "constant-memory generation",
            f"RSS {small / 1024:.0f} MB at {generated[0].appeals:,} appeals, {big / 1024:.0f} MB at "
            f"{generated[1].appeals:,}; {first / 1024:.0f}→{last / 1024:.0f} MB from 10% to 100%",
            report.verdict(ok),
        )
    return table
