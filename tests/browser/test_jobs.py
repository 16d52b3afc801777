"""Exports and imports started from the page run as background jobs: the page follows the job's progress without
reloading, then offers the file or shows the row report; the job stays on the person's list to come back to."""

import io
from pathlib import Path

from django.utils import timezone
from openpyxl import load_workbook

from jiayuan.core.models import Job
from jiayuan.places.models import Room
from jiayuan.rosters.tests.helpers import roster_file
from jiayuan.testing import PASSWORD

from .conftest import login, screenshot

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_an_export_started_from_the_list_ends_in_a_download(live_server, live_world, page):
    login(page, live_server, "town_clerk", PASSWORD)
    page.goto(f"{live_server.url}/places/compounds/?q=宝龙")
    page.click("text=导出 Excel")
    page.wait_for_selector("[data-testid=job-file]")
    assert "/jobs/" in page.url and page.locator("[data-testid=job-progress]").get_attribute("data-status") == "done"
    with page.expect_download() as download:
        page.click("[data-testid=job-file]")
    assert download.value.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["C0002"]
    page.goto(f"{live_server.url}/jobs/")
    assert "导出" in page.locator("[data-testid=job-list]").inner_text()


def test_an_import_shows_its_row_report_and_then_its_counts(live_server, live_world, page):
    login(page, live_server, "town_clerk", PASSWORD)
    bad = roster_file("rooms", ["C0001", "2号楼", "1单元", "101", 1, -5, "登记面积"])
    good = roster_file("rooms", ["C0001", "2号楼", "1单元", "101", 1, 90, "登记面积"])
    for content, outcome in ((bad, "import-errors"), (good, "import-ok")):
        page.goto(f"{live_server.url}/rosters/")
        page.select_option("select[name=kind]", "rooms")
        page.set_input_files("input[type=file]", files=[{"name": "房间.xlsx", "mimeType": XLSX, "buffer": content}])
        page.click("[data-testid=upload-form] button[type=submit]")
        page.wait_for_selector(f"[data-testid={outcome}]")
        assert "/jobs/" in page.url
        screenshot(page, f"job-{outcome}")
    assert Room.objects.filter(unit__building__number="2号楼").count() == 1


def test_the_job_page_follows_a_running_job_until_its_file_is_ready(live_server, live_world, page):
    owner = live_world.users["town_clerk"]
    job = Job.objects.create(
        kind="rosters.export",
        owner=owner,
        title="导出：业主",
        status=Job.Status.RUNNING,
        heartbeat_at=timezone.now(),
        phase="正在写表",
        done=1500,
        total=6000,
    )
    login(page, live_server, "town_clerk", PASSWORD)
    page.goto(f"{live_server.url}/jobs/{job.pk}/")
    assert page.locator("[data-testid=job-bar]").get_attribute("value") == "25"
    screenshot(page, "job-running")
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.DONE, done=6000, result=roster_file("rooms"), result_name="业主_20261207.xlsx"
    )
    page.wait_for_selector("[data-testid=job-file]", timeout=5_000)  # the next poll, no reload
    assert "业主_20261207.xlsx" in page.locator("[data-testid=job-file]").inner_text()
