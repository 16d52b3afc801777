"""The two .xlsx downloads the pages and the API share: a roster's template, and an export."""

from django.http import Http404, HttpResponse
from django.utils import timezone

from jiayuan.core.xlsx import xlsx_file_response, xlsx_response

from .definitions import roster_for
from .selectors import export_table
from .workbooks import template_bytes


def template_response(kind: str) -> HttpResponse:
    roster = roster_for(kind)
    if roster is None:
        raise Http404
    return xlsx_file_response(
        f"{roster.title}_template.xlsx", template_bytes(roster), ascii_filename=f"{kind}_template.xlsx"
    )


def export_response(*, viewer, kind: str, params) -> HttpResponse:
    table = export_table(viewer=viewer, kind=kind, params=params)
    day = f"{timezone.localdate():%Y%m%d}"
    return xlsx_response(
        f"{table.title}_{day}.xlsx", table.headers, table.rows, title=table.title, ascii_filename=f"{kind}_{day}.xlsx"
    )
