"""Background jobs: run once by whoever claims them, their progress and result on the starter's page only, a
failure kept with its message, and a job whose worker died taken up again when its page is polled."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from jiayuan.core import jobs
from jiayuan.core.models import Job

pytestmark = pytest.mark.django_db
RUNS = []


def count_to_three(job, progress):
    RUNS.append(job.pk)
    for n in range(1, 4):
        progress("counting", n, 3)
    job.report = {"counted": 3}


def breaks(job, progress):
    raise RuntimeError("the sheet could not be read")


@pytest.fixture(autouse=True)
def kinds():
    jobs.register("test.count", count_to_three)
    jobs.register("test.break", breaks)
    RUNS.clear()
    yield
    jobs.KINDS.pop("test.count"), jobs.KINDS.pop("test.break")


def test_a_job_runs_once_reports_its_progress_and_keeps_its_result(world):
    job = jobs.enqueue("test.count", owner=world.users["town_clerk"], title="数一数")
    assert job.status == Job.Status.DONE and job.report == {"counted": 3} and (job.done, job.total) == (3, 3)
    assert job.percent == 100 and job.attempts == 1 and job.finished_at is not None
    jobs.run(job.pk)  # a second runner finds nothing to claim
    assert RUNS == [job.pk]


def test_a_failure_is_the_jobs_result_with_its_message(world):
    job = jobs.enqueue("test.break", owner=world.users["town_clerk"], title="坏文件")
    assert job.status == Job.Status.FAILED and "could not be read" in job.error


def test_only_one_runner_claims_a_job(world):
    job = Job.objects.create(kind="test.count", owner=world.users["town_clerk"], title="x")
    assert jobs.claim(job.pk) is True
    assert jobs.claim(job.pk) is False  # running, with a fresh heartbeat


def test_a_job_whose_worker_died_is_taken_up_again_when_its_page_is_polled(world, client):
    owner = world.users["town_clerk"]
    old = timezone.now() - jobs.STALE_AFTER - dt.timedelta(seconds=5)
    job = Job.objects.create(
        kind="test.count", owner=owner, title="重启前的任务", status=Job.Status.RUNNING, heartbeat_at=old, attempts=1
    )
    assert jobs.waiting_ids() == [job.pk]
    client.force_login(owner)
    panel = client.get(reverse("job_progress", args=[job.pk]))
    assert panel.status_code == 200 and 'data-status="done"' in panel.content.decode()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.attempts == 2 and RUNS == [job.pk]


def test_a_job_that_keeps_dying_fails_instead_of_running_for_ever(world, client):
    owner = world.users["town_clerk"]
    old = timezone.now() - jobs.STALE_AFTER - dt.timedelta(seconds=5)
    job = Job.objects.create(
        kind="test.count", owner=owner, title="x", status=Job.Status.RUNNING, heartbeat_at=old, attempts=3
    )
    client.force_login(owner)
    client.get(reverse("job_detail", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and RUNS == []


@pytest.mark.parametrize("persona", ["community_secretary", "city_admin", "resident"])
def test_a_job_and_its_file_are_its_starters_alone(world, client, persona):
    job = jobs.enqueue("test.count", owner=world.users["town_clerk"], title="x")
    client.force_login(world.users[persona])
    for name in ("job_detail", "job_progress", "job_file"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404, name


def test_the_job_page_polls_until_the_job_finishes(world, client):
    owner = world.users["town_clerk"]
    job = Job.objects.create(
        kind="test.count",
        owner=owner,
        title="x",
        status=Job.Status.RUNNING,
        heartbeat_at=timezone.now(),
        phase="counting",
        done=1,
        total=4,
    )
    client.force_login(owner)
    html = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in html and 'value="25"' in html
    Job.objects.filter(pk=job.pk).update(status=Job.Status.DONE)
    assert "hx-trigger" not in client.get(reverse("job_progress", args=[job.pk])).content.decode()


def says_hello(job, progress):
    from django.utils.translation import gettext

    job.report = {"said": gettext("Download")}


def test_a_job_speaks_the_language_of_the_page_that_started_it(world):
    from django.utils import translation

    jobs.register("test.hello", says_hello)
    try:
        with translation.override("en"):
            english = jobs.enqueue("test.hello", owner=world.users["town_clerk"], title="x")
        with translation.override("zh-hans"):
            chinese = jobs.enqueue("test.hello", owner=world.users["town_clerk"], title="x")
    finally:
        jobs.KINDS.pop("test.hello")
    assert (english.report, chinese.report) == ({"said": "Download"}, {"said": "下载"})


def test_my_jobs_list_holds_my_jobs_only_newest_first(world, client):
    clerk, secretary = world.users["town_clerk"], world.users["community_secretary"]
    older = jobs.enqueue("test.count", owner=clerk, title="较早的导出")
    newer = jobs.enqueue("test.break", owner=clerk, title="较新的导入")
    jobs.enqueue("test.count", owner=secretary, title="别人的导出")
    client.force_login(clerk)
    response = client.get(reverse("job_list"))
    assert [job.pk for job in response.context["page_obj"]] == [newer.pk, older.pk]
    html = response.content.decode()
    assert "别人的导出" not in html and reverse("job_detail", args=[older.pk]) in html


def test_the_jobs_command_runs_what_is_waiting_and_lists_the_latest(world):
    import io

    from django.core.management import call_command

    waiting = Job.objects.create(kind="test.count", owner=world.users["town_clerk"], title="重启前排队的导出")
    out = io.StringIO()
    call_command("jobs", stdout=out)
    waiting.refresh_from_db()
    assert waiting.status == Job.Status.DONE and RUNS == [waiting.pk]
    lines = out.getvalue().splitlines()
    assert lines[0] == "ran 1 waiting job(s)" and lines[1].startswith(f"#{waiting.pk}\tdone\ttown_clerk\t")


def test_the_jobs_command_purges_finished_jobs_older_than_the_days_given(world):
    import datetime as dt
    import io

    from django.core.management import CommandError, call_command

    owner = world.users["town_clerk"]
    now = timezone.now()
    old = Job.objects.create(
        kind="test.count", owner=owner, title="旧", status=Job.Status.DONE, finished_at=now - dt.timedelta(days=40)
    )
    recent = Job.objects.create(
        kind="test.count", owner=owner, title="新", status=Job.Status.DONE, finished_at=now - dt.timedelta(days=2)
    )
    running = Job.objects.create(
        kind="test.count", owner=owner, title="进行中", status=Job.Status.RUNNING, heartbeat_at=now
    )
    out = io.StringIO()
    call_command("jobs", purge=30, stdout=out)
    assert set(Job.objects.values_list("pk", flat=True)) == {recent.pk, running.pk}
    assert "deleted 1 finished job(s) older than 30 day(s)" in out.getvalue() and old.pk not in set(
        Job.objects.values_list("pk", flat=True)
    )
    with pytest.raises(CommandError, match="--purge"):
        call_command("jobs", purge=0, stdout=io.StringIO())
