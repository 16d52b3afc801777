"""What a benchmark run measures and with which options, and where its results are kept."""

from __future__ import annotations

from dataclasses import dataclass, field

SQL_SCENARIOS = (
    # (key, label, Scenarios method, compared with)
    ("open_work", "department open-work list (first 50)", "open_work", "select"),
    ("detail", "appeal detail (appeal + events + photos)", "detail", "select"),
    ("ranking_all", "monthly ranking, all towns", "ranking_all_towns", "select"),
    ("ranking_city", "monthly ranking, one city's towns", "ranking_city_towns", "select"),
    ("scores_page", "scores page queries (ranking + trend + counters)", "scores_page", "select"),
    ("rollup_all", "proposal: ranking, all towns, from a monthly rollup", "ranking_all_towns_rollup", "select"),
    ("rollup_city", "proposal: ranking, one city's towns, from the rollup", "ranking_city_towns_rollup", "select"),
    ("select", "baseline: SELECT by primary key", "select_by_pk", None),
    ("intake", "intake service (appeal_submit, Open311 channel)", "intake_service", "insert"),
    ("insert", "baseline: INSERT of an appeal-sized row", "insert_row", None),
)
SLOW_SCENARIOS = {"ranking_all", "ranking_city", "scores_page"}  # sampled `ranking_samples` times
TARGET_KEYS = ("open_work", "ranking_all", "ranking_city", "scores_page", "rollup_all", "rollup_city")


@dataclass
class Options:
    compounds: int = 30_000
    appeals: int = 5_000_000
    city_compounds: int = 347
    city_appeals: int = 100_000
    samples: int = 200
    ranking_samples: int = 20
    seed: int = 2026
    schema_prefix: str = "bench_"
    reuse: bool = False
    http: bool = True
    job: bool = True
    job_province: bool = False
    load: bool = True
    load_seconds: int = 20
    rounds: int = 2
    connections: int = 8
    workers: int = 2
    port: int = 8765
    tool: str = "auto"
    markdown: str = ""
    drop: bool = False


@dataclass
class Results:
    machine: dict = field(default_factory=dict)
    generation: dict = field(default_factory=dict)  # label → Generated | dict (reused)
    sql: dict = field(default_factory=dict)  # label → key → Timing
    http: dict = field(default_factory=dict)  # label → key → (Timing, errors)
    explain: dict = field(default_factory=dict)  # key → [Plan]
    loads: list = field(default_factory=list)  # [Load]
    job: dict = field(default_factory=dict)  # label → (late orders, seconds, job result)
    rss_idle: dict = field(default_factory=dict)
    rss_after: dict = field(default_factory=dict)
    started: str = ""
    seconds: float = 0.0
