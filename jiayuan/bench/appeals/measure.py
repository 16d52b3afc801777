"""Timing of the queries behind the appeals pages, against a baseline of one SELECT and one INSERT.

Each scenario is a function of a random generator that does one unit of work (one page's
queries); `sample` runs it a fixed number of times after a short warm-up and keeps the
wall-clock times. The SQL-level scenarios call the same selectors and scoring functions the
pages call, through the ORM, so the figures include the ORM's own cost.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.test.utils import CaptureQueriesContext

BIG_TABLES = ("appeals_appeal", "appeals_appealevent")


@dataclass
class Timing:
    name: str
    samples: list[float] = field(default_factory=list)  # milliseconds
    note: str = ""

    @property
    def p50(self) -> float:
        return percentile(self.samples, 50)

    @property
    def p95(self) -> float:
        return percentile(self.samples, 95)


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile with linear interpolation between closest ranks (numpy's default)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def sample(
    name: str, work: Callable[[random.Random], object], *, samples: int, seed: int = 7, warmup: int = 5, note: str = ""
) -> Timing:
    rng = random.Random(seed)
    for _ in range(warmup):
        work(rng)
    rng = random.Random(seed + 1)
    timing = Timing(name, note=note)
    for _ in range(samples):
        started = time.perf_counter()
        work(rng)
        timing.samples.append((time.perf_counter() - started) * 1000)
    return timing


def sample_interleaved(
    name: str,
    works: dict[str, Callable[[random.Random], object]],
    switch: Callable[[str], None],
    *,
    samples: int,
    seed: int = 7,
    warmup: int = 5,
    note: str = "",
) -> dict[str, Timing]:
    """Like `sample` for several variants (the scales), one sample of each in turn.

    `switch(key)` (not timed) points the connection at the variant's data. Taking the
    samples in turn means that whatever else the machine is doing weighs on every variant
    alike, so their ratio holds even when the absolute times are noisy.
    """
    rngs = {key: random.Random(seed) for key in works}
    for key, work in works.items():
        switch(key)
        for _ in range(warmup):
            work(rngs[key])
    rngs = {key: random.Random(seed + 1) for key in works}
    timings = {key: Timing(name, note=note) for key in works}
    for _ in range(samples):
        for key, work in works.items():
            switch(key)
            started = time.perf_counter()
            work(rngs[key])
            timings[key].samples.append((time.perf_counter() - started) * 1000)
    return timings


# --- the world the scenarios pick from ----------------------------------------------------------


@dataclass
class Fixtures:
    """Ids the scenarios choose from at random, read once per schema."""

    first_appeal: int
    last_appeal: int
    departments: list[tuple[int, int]]  # (department id, its staff login's user id)
    admin_id: int
    months: list[str]  # complete months with data, "YYYY-MM"
    first_city_id: int
    compounds: list[tuple[int, int, str]]  # (compound id, its branch id, its code): a spread-out sample
    categories: list[tuple[int, str]]  # leaf categories: (id, code)

    @classmethod
    def load(cls) -> Fixtures:
        with connection.cursor() as cursor:
            cursor.execute("SELECT min(id), max(id) FROM appeals_appeal")
            first, last = cursor.fetchone()
            cursor.execute(
                "SELECT p.organisation_id, u.id FROM organisations_post p "
                "JOIN core_user u ON u.person_id = p.person_id "
                "WHERE p.role = 'department_staff' AND u.username LIKE 'bench-dept-%%' ORDER BY 1"
            )
            departments = cursor.fetchall()
            cursor.execute("SELECT id FROM core_user WHERE username = 'bench-admin'")
            admin_id = cursor.fetchone()[0]
            cursor.execute("SELECT min(received_at), max(received_at) FROM appeals_appeal")
            oldest, newest = cursor.fetchone()
            cursor.execute("SELECT min(id) FROM places_city")
            city_id = cursor.fetchone()[0]
            cursor.execute(
                "SELECT oc.compound_id, oc.organisation_id, c.code FROM organisations_organisation_compounds oc "
                "JOIN organisations_organisation o ON o.id = oc.organisation_id "
                "JOIN places_compound c ON c.id = oc.compound_id "
                "WHERE o.kind = 'compound_branch' ORDER BY md5(c.code) LIMIT 500"
            )
            compounds = cursor.fetchall()
            cursor.execute(
                "SELECT c.id, c.code FROM appeals_category c WHERE c.active AND NOT EXISTS "
                "(SELECT 1 FROM appeals_category k WHERE k.parent_id = c.id AND k.active) ORDER BY c.code"
            )
            categories = cursor.fetchall()
        return cls(
            first_appeal=first,
            last_appeal=last,
            departments=departments,
            admin_id=admin_id,
            months=complete_months(oldest, newest),
            first_city_id=city_id,
            compounds=compounds,
            categories=categories,
        )


def complete_months(oldest: dt.datetime, newest: dt.datetime) -> list[str]:
    """The calendar months (Asia/Shanghai) wholly inside [oldest, newest], as YYYY-MM."""
    from django.utils import timezone

    first, last = timezone.localtime(oldest).date(), timezone.localtime(newest).date()
    months = []
    year, month = first.year, first.month + 1
    if month == 13:
        year, month = year + 1, 1
    while (year, month) < (last.year, last.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


# --- scenarios -----------------------------------------------------------------------------------


class Scenarios:
    """The measured units of work, each a function of a random generator."""

    def __init__(self, fixtures: Fixtures):
        from jiayuan.core.models import User
        from jiayuan.core.scope import scope_for

        self.fx = fixtures
        self.admin = User.objects.get(pk=fixtures.admin_id)
        scope_for(self.admin)
        self._scope_for = scope_for
        self._user_model = User

    def _viewer(self, user_id: int):
        """A department login as a request has it: loaded by its id, its scope not computed yet."""
        return self._user_model.objects.get(pk=user_id)

    def random_appeal(self, rng: random.Random) -> int:
        return rng.randint(self.fx.first_appeal, self.fx.last_appeal)

    # The department's open-work list: first page of 50, nearest deadline first; with the
    # login's scope (its posts, ownerships, residencies), which every request computes.
    def open_work(self, rng: random.Random):
        from jiayuan.appeals.selectors import department_open_work
        from jiayuan.organisations.models import Organisation

        department_id, user_id = rng.choice(self.fx.departments)
        viewer = self._viewer(user_id)
        department = Organisation(pk=department_id, kind="department")
        return list(department_open_work(viewer=viewer, department=department).select_related("category")[:50])

    # An appeal's detail page: the appeal, its timeline and its photos, as the page reads them.
    def detail(self, rng: random.Random):
        from jiayuan.appeals import selectors

        appeal = selectors.appeal_get(viewer=self.admin, pk=self.random_appeal(rng))
        events = list(selectors.appeal_timeline(viewer=self.admin, appeal=appeal).select_related("actor__person"))
        photos = list(appeal.photos.order_by("pk"))
        return appeal, events, photos

    # The monthly three-rate ranking of all towns (every town of the data: the province at province scale).
    def ranking_all_towns(self, rng: random.Random):
        from jiayuan.appeals.scores import scoring

        month = scoring.Month.parse(rng.choice(self.fx.months))
        return scoring.scoreboard(viewer=self.admin, month=month, level=scoring.TOWN)

    # The same ranking narrowed to one city's towns (what one city's dashboard shows).
    def ranking_city_towns(self, rng: random.Random):
        from jiayuan.appeals.scores import scoring
        from jiayuan.places.models import City

        month = scoring.Month.parse(rng.choice(self.fx.months))
        return scoring.scoreboard(
            viewer=self.admin, month=month, level=scoring.TOWN, region=City(pk=self.fx.first_city_id)
        )

    # The scores page at town level: the ranking, the 12-month trend and the counters.
    def scores_page(self, rng: random.Random):
        from jiayuan.appeals.scores import scoring

        month = scoring.Month.parse(rng.choice(self.fx.months))
        board = scoring.scoreboard(viewer=self.admin, month=month, level=scoring.TOWN)
        points = scoring.trend(viewer=self.admin, month=month, level=scoring.TOWN)
        numbers = scoring.counters(viewer=self.admin, month=month)
        return board, points, numbers

    # The proposal: the same rankings read from a monthly rollup (see ROLLUP_SQL), not from the appeals.
    def ranking_all_towns_rollup(self, rng: random.Random):
        return rollup_ranking(rng.choice(self.fx.months))

    def ranking_city_towns_rollup(self, rng: random.Random):
        return rollup_ranking(rng.choice(self.fx.months), city_id=self.fx.first_city_id)

    # Baseline: one indexed SELECT by primary key.
    def select_by_pk(self, rng: random.Random):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, number, status, title, unit_id, deadline FROM appeals_appeal WHERE id = %s",
                [self.random_appeal(rng)],
            )
            return cursor.fetchone()

    # Baseline: one INSERT of an appeal-sized row (autocommit: one transaction, as a bare view has it).
    def insert_row(self, rng: random.Random):
        compound, branch, _code = rng.choice(self.fx.compounds)
        return insert_appeal_row(compound_id=compound, unit_id=branch, category_id=rng.choice(self.fx.categories)[0])

    # Intake through the service, as Open311 POST calls it (no HTTP).
    def intake_service(self, rng: random.Random):
        from jiayuan.appeals.models import Category
        from jiayuan.appeals.services import appeal_submit
        from jiayuan.places.models import Compound

        compound, _branch, _code = rng.choice(self.fx.compounds)
        return appeal_submit(
            actor=None,
            channel="open311",
            category=Category.objects.get(pk=rng.choice(self.fx.categories)[0]),
            title="基准测试诉求",
            description=BASELINE_DESCRIPTION,
            compound=Compound.objects.select_related("community").get(pk=compound),
            contact_name="王先生",
            contact_phone="13800000000",
        )


BASELINE_DESCRIPTION = (
    "小区地下车库入口处积水严重，已经持续好几天了，多次向物业反映未果，影响居民正常出行，请相关部门尽快处理。"
)


def insert_appeal_row(*, compound_id: int, unit_id: int, category_id: int) -> int:
    """One INSERT of a row shaped like an intake's appeal (same columns and sizes); returns its id."""
    from django.utils import timezone

    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO appeals_appeal (number, channel, category_id, title, description, compound_id, contact_name, "
            "contact_phone, contact_phone_hash, contact_email, status, level, unit_id, first_unit_id, received_at, "
            "deadline, extension_days, resolved_level, via_four_party, resolution, rating, rating_comment, supervision, "
            "version, public, public_summary) VALUES (%s, 'open311', %s, %s, %s, %s, %s, %s, %s, '', 'received', "
            "'compound', %s, %s, %s, %s, 0, '', false, '', '', '', '', 1, false, '') RETURNING id",
            [
                "BX" + uuid.uuid4().hex[:18],
                category_id,
                "基准测试诉求",
                BASELINE_DESCRIPTION,
                compound_id,
                "王先生",
                *phone_token(),
                unit_id,
                unit_id,
                now,
                (now + dt.timedelta(days=7)).date(),
            ],
        )
        return cursor.fetchone()[0]


@functools.cache
def phone_token() -> tuple[str, str]:
    """An encrypted phone number and its lookup hash: the baseline row carries one, as an intake's does."""
    from jiayuan.core.crypto import encrypt, lookup_hash

    return encrypt("13800000000"), lookup_hash("13800000000")


# --- EXPLAIN ------------------------------------------------------------------------------------


@dataclass
class Plan:
    sql: str
    plan: str
    milliseconds: float
    seq_scans: list[str]


def explain(work: Callable[[random.Random], object], *, seed: int = 11) -> list[Plan]:
    """Run one unit of work, then EXPLAIN (ANALYZE, BUFFERS) every SELECT it issued."""
    with CaptureQueriesContext(connection) as captured:
        work(random.Random(seed))
    plans = []
    for query in captured.captured_queries:
        sql = query["sql"]
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            lines = [row[0] for row in cursor.fetchall()]
        text = "\n".join(lines)
        milliseconds = 0.0
        for line in lines:
            if line.startswith("Execution Time:"):
                milliseconds = float(line.split()[2])
        scans = sorted({table for table in BIG_TABLES for line in lines if f"Seq Scan on {table} " in line + " "})
        plans.append(Plan(sql=sql, plan=text, milliseconds=milliseconds, seq_scans=scans))
    return plans


# --- the rollup the benchmark proposes ------------------------------------------------------------

# One row per month and compound with the counts the three rates are made of (the definitions of
# jiayuan.appeals.scores.scoring: the month an order was received, merged duplicates left out), with the
# compound's town and city copied in. Built here as a materialized view to measure the proposal;
# in the product it would be a model kept up to date by the services or the scheduled job.
ROLLUP = "bench_month_tally"
ROLLUP_SQL = f"""
CREATE MATERIALIZED VIEW IF NOT EXISTS {ROLLUP} AS
SELECT (date_trunc('month', a.received_at AT TIME ZONE 'Asia/Shanghai'))::date AS month,
       a.compound_id, cm.town_id, tw.city_id,
       count(*) AS orders,
       count(*) FILTER (WHERE a.rating IN ('satisfied', 'basic', 'dissatisfied')) AS rated,
       count(*) FILTER (WHERE a.rating IN ('satisfied', 'basic', 'dissatisfied') AND a.rated_contacted) AS contacted,
       count(*) FILTER (WHERE a.rating IN ('satisfied', 'basic', 'dissatisfied') AND a.rated_solved) AS solved,
       count(*) FILTER (WHERE a.rating = 'satisfied') AS satisfied,
       count(*) FILTER (WHERE a.rating = 'basic') AS basic
FROM appeals_appeal a
JOIN places_compound c ON c.id = a.compound_id
JOIN places_community cm ON cm.id = c.community_id
JOIN places_town tw ON tw.id = cm.town_id
WHERE a.status <> 'merged'
GROUP BY 1, 2, 3, 4;
CREATE INDEX IF NOT EXISTS {ROLLUP}_month_city ON {ROLLUP} (month, city_id);
"""


def ensure_rollup() -> float:
    """Build the rollup in the current schema if it is missing; the seconds it took (0 if it was there)."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_matviews WHERE matviewname = %s AND schemaname = current_schema()", [ROLLUP])
        if cursor.fetchone():
            return 0.0
        cursor.execute(ROLLUP_SQL)
        cursor.execute(f"ANALYZE {ROLLUP}")
    return time.perf_counter() - started


def rollup_ranking(month: str, city_id: int | None = None) -> list[tuple[int, str, object, int | None]]:
    """(town id, name, rates, rank) of every town (or one city's) for `month`, from the rollup."""
    from jiayuan.appeals.scores import rates, scoring

    weights = scoring.score_weights()
    sql = (
        f"SELECT t.town_id, sum(t.rated), sum(t.contacted), sum(t.solved), sum(t.satisfied), sum(t.basic) "
        f"FROM {ROLLUP} t WHERE t.month = %s" + (" AND t.city_id = %s" if city_id else "") + " GROUP BY t.town_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [f"{month}-01", *([city_id] if city_id else [])])
        tallies = {row[0]: rates.Tally(*(int(value) for value in row[1:])) for row in cursor.fetchall()}
        cursor.execute(
            "SELECT id, name FROM places_town" + (" WHERE city_id = %s" if city_id else "") + " ORDER BY code",
            [city_id] if city_id else [],
        )
        towns = cursor.fetchall()
    scores = {pk: rates.rates(tallies.get(pk, rates.Tally()), weights) for pk, _name in towns}
    ranks = rates.rank({pk: score.composite for pk, score in scores.items() if tallies.get(pk, rates.Tally()).rated})
    return [(pk, name, scores[pk], ranks.get(pk)) for pk, name in towns]
