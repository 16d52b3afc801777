"""By default a job runs in a thread of the server once the request that started it has committed (its own module:
it needs committed rows, which the module-wide test world of test_jobs.py would hold open)."""

import time

import pytest

from jiayuan.core import jobs
from jiayuan.core.models import Job
from jiayuan.testing import build_world

from .test_jobs import RUNS, count_to_three


@pytest.mark.django_db(transaction=True)
def test_by_default_a_job_runs_in_a_thread_after_the_request_commits(settings):
    settings.JIAYUAN_JOBS = "thread"
    RUNS.clear()
    jobs.register("test.thread", count_to_three)
    try:
        owner = build_world().users["town_clerk"]
        job = jobs.enqueue("test.thread", owner=owner, title="后台数数")
        for _ in range(200):
            job.refresh_from_db()
            if job.status == Job.Status.DONE:
                break
            time.sleep(0.05)
    finally:
        jobs.KINDS.pop("test.thread")
    assert job.status == Job.Status.DONE and job.report == {"counted": 3} and RUNS == [job.pk]
