"""Background jobs: long exports and imports run outside the request, with their progress on a page.

    job = jobs.enqueue("rosters.export", owner=user, title="业主名册", params={...})
    # → the job's page (`core:job_detail`) shows the progress bar, then the file or the row report

An app registers what each kind does once, in its `AppConfig.ready()`: `jobs.register(kind, handler)`, where
`handler(job, progress)` does the work as `job.owner` and leaves `job.result`/`result_name` or `job.report`.

The seam is `RUNNER`: by default an in-process thread per job (`make demo` needs no broker); `JIAYUAN_JOBS =
"eager"` runs a job inline (tests); a task queue (Celery) can take its place by calling `run(job_id)`. The job
row is the whole state, so a job survives a restart: a queued job, or a running one whose heartbeat stopped
(its worker was killed), is claimed again by the next runner that looks at it: the job's page asks for it on
every poll, and `jiayuan jobs` runs whatever is waiting.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection, transaction
from django.http import QueryDict
from django.utils import timezone, translation

from .models import Job

log = logging.getLogger(__name__)

# A running job that has not reported for this long lost its worker, and is claimed again.
STALE_AFTER = dt.timedelta(seconds=90)
BEAT = dt.timedelta(seconds=15)
MAX_ATTEMPTS = 3


@dataclass(frozen=True)
class Kind:
    handler: Callable
    # The template that shows a finished job's report, and the context it is drawn with (the file of an export
    # needs neither).
    report_template: str = ""
    report_context: Callable | None = None


KINDS: dict[str, Kind] = {}


def register(
    kind: str, handler: Callable, *, report_template: str = "", report_context: Callable | None = None
) -> None:
    KINDS[kind] = Kind(handler, report_template, report_context)


class Progress:
    """What a handler reports: its step, rows done of the total; each report is also the job's heartbeat. A
    handler reports between its transactions: a report inside one would only show once it commits."""

    def __init__(self, job: Job):
        self.job = job

    def __call__(self, phase: str = "", done: int | None = None, total: int | None = None) -> None:
        fields = {"heartbeat_at": timezone.now()}
        if phase:
            fields["phase"] = phase
        if total is not None:
            fields["total"] = total
        if done is not None:
            fields["done"] = done
        Job.objects.filter(pk=self.job.pk).update(**fields)
        for name, value in fields.items():
            setattr(self.job, name, value)


def query_of(job: Job) -> QueryDict:
    """The query string of the page that started the job (its filters), as the page's own request had it."""
    query = QueryDict(mutable=True)
    for key, value in job.params.get("query", {}).items():
        query[key] = value
    return query


class Counted:
    """Rows passed on one by one, counted, with their count reported every `every` rows (an export's sheet is
    written from them): `job.done = rows.done` once they are written."""

    def __init__(self, rows, progress: Progress, every: int = 500):
        self.rows, self.progress, self.every, self.done = rows, progress, every, 0

    def __iter__(self):
        for row in self.rows:
            self.done += 1
            if self.done % self.every == 0:
                self.progress(done=self.done)
            yield row


def enqueue(kind: str, *, owner, title: str, params: dict | None = None, payload: bytes = b"") -> Job:
    if kind not in KINDS:
        raise ValueError(f"unknown job kind {kind!r}")
    # The job speaks the language of the page that started it (its sheet headers, its row report).
    params = {"language": translation.get_language() or settings.LANGUAGE_CODE, **(params or {})}
    job = Job.objects.create(kind=kind, owner=owner, title=title[:200], params=params, payload=payload)
    if _mode() == "eager":
        run(job.pk)
        job.refresh_from_db()
    else:
        transaction.on_commit(lambda: start(job.pk))
    return job


def _mode() -> str:
    return getattr(settings, "JIAYUAN_JOBS", "thread")


def start(job_id: int) -> None:
    """Hand the job to the runner (a thread of this process by default)."""
    if _mode() == "eager":
        run(job_id)
        return
    threading.Thread(target=_in_thread, args=(job_id,), name=f"job-{job_id}", daemon=True).start()


def _in_thread(job_id: int) -> None:
    close_old_connections()  # this thread's own connection (inline, the request's must be left as it is)
    try:
        run(job_id)
    finally:
        connection.close()


def claim(job_id: int) -> bool:
    """Take the job for this runner: a queued one, or a running one whose worker died. Exactly one runner wins."""
    now = timezone.now()
    queued = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED)
    stale = Job.objects.filter(pk=job_id, status=Job.Status.RUNNING, heartbeat_at__lt=now - STALE_AFTER)
    fields = {"status": Job.Status.RUNNING, "started_at": now, "heartbeat_at": now}
    return bool(queued.update(**fields) or stale.update(**fields))


def run(job_id: int) -> None:
    """Claim and run one job; a failure is kept on the job with its message, never raised to the caller."""
    if not claim(job_id):
        return
    job = Job.objects.get(pk=job_id)
    Job.objects.filter(pk=job_id).update(attempts=job.attempts + 1)
    beating = _Heartbeat(job_id)
    if _mode() != "eager":  # inline, the request that runs it is the heartbeat
        beating.start()
    try:
        with translation.override(job.params.get("language", settings.LANGUAGE_CODE)):
            KINDS[job.kind].handler(job, Progress(job))
    except Exception as exc:  # noqa: BLE001 - any failure of the work is the job's result, shown on its page
        log.exception("job %s (%s) failed", job.pk, job.kind)
        Job.objects.filter(pk=job_id).update(
            status=Job.Status.FAILED, error=str(exc)[:2000] or exc.__class__.__name__, finished_at=timezone.now()
        )
        return
    finally:
        beating.stop()
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.DONE,
        phase="",
        result=job.result,
        result_name=job.result_name,
        report=job.report,
        done=job.done if job.total is None else job.total,
        finished_at=timezone.now(),
    )


class _Heartbeat(threading.Thread):
    """Keeps a running job's heartbeat while its handler works (a long query reports nothing for a while), so only
    a job whose worker died goes stale. Its own connection; a beat that cannot write now is simply skipped."""

    def __init__(self, job_id: int):
        super().__init__(name=f"job-{job_id}-heartbeat", daemon=True)
        self.job_id = job_id
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(BEAT.total_seconds()):
                try:
                    Job.objects.filter(pk=self.job_id, status=Job.Status.RUNNING).update(heartbeat_at=timezone.now())
                except DatabaseError:
                    continue  # the database is busy (SQLite during the job's own write): the next beat will do
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopped.set()


def nudge(job: Job) -> None:
    """Start a job that is waiting, or whose worker died: called from its page on every poll."""
    now = timezone.now()
    stale = job.status == Job.Status.RUNNING and job.heartbeat_at and job.heartbeat_at < now - STALE_AFTER
    if job.status == Job.Status.QUEUED or stale:
        if job.attempts >= MAX_ATTEMPTS:
            Job.objects.filter(pk=job.pk, status=job.status).update(
                status=Job.Status.FAILED, error="The job stopped three times without finishing.", finished_at=now
            )
            return
        start(job.pk)


def waiting_ids() -> list[int]:
    """Jobs a runner should take: queued, or running without a heartbeat for STALE_AFTER."""
    now = timezone.now()
    queued = Job.objects.filter(status=Job.Status.QUEUED)
    stale = Job.objects.filter(status=Job.Status.RUNNING, heartbeat_at__lt=now - STALE_AFTER)
    return sorted(set(queued.values_list("pk", flat=True)) | set(stale.values_list("pk", flat=True)))
