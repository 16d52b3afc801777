"""The rosters' background jobs: an export of any size and an import of up to the documented row limit, each run
as the person who started it, with what their scope holds at the time it runs."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from jiayuan.core import jobs
from jiayuan.core.xlsx import xlsx_bytes

from .definitions import ROSTERS
from .report import ImportResult
from .selectors import export_table
from .services import roster_import

EXPORT = "rosters.export"
IMPORT = "rosters.import"


def run_export(job, progress) -> None:
    params = jobs.query_of(job)
    table = export_table(viewer=job.owner, kind=job.params["kind"], params=params)
    progress(str(_("writing the sheet")), 0)
    rows = jobs.Counted(table.rows, progress)
    job.result = xlsx_bytes(table.headers, rows, title=table.title)
    job.result_name = f"{table.title}_{timezone.localdate():%Y%m%d}.xlsx"
    job.done = rows.done
    job.report = {"rows": rows.done}


def run_import(job, progress) -> None:
    result = roster_import(
        actor=job.owner,
        kind=job.params["kind"],
        data=bytes(job.payload),
        filename=job.params.get("filename", ""),
        progress=progress,
    )
    job.report = result.as_dict()


def import_report(job) -> dict:
    """What the job page shows of a finished import: the same row report as a direct import."""
    result = ImportResult.from_dict(job.report)
    return {"result": result, "roster": ROSTERS[result.kind]}
