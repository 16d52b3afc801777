"""/api/v1/rosters: import a roster (all rows or none), download its template, export a list."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile

from jiayuan.core.api import require_staff_scope

from .definitions import ROSTERS
from .downloads import export_response, template_response
from .forms import max_upload_bytes
from .services import roster_import

router = Router(tags=["rosters"])


class ImportedOut(Schema):
    imported: dict[str, int]


class RowErrorOut(Schema):
    """The API's error entry (field and message), with where in the file it is."""

    field: str = Field(..., description="The column's header, or empty for a problem with the whole file.")
    message: str
    row: int | None = Field(None, description="The file's row; none for the whole file or the request.")
    column: str = ""
    value: str = ""


class ErrorsOut(Schema):
    detail: list[RowErrorOut]


@router.post("/{kind}/import", response={200: ImportedOut, 422: ErrorsOut})
def import_roster(request, kind: str, file: File[UploadedFile]):
    """Import an .xlsx roster. Any problem in any row: 422 with every problem, and nothing written."""
    require_staff_scope(request.auth)
    if kind not in ROSTERS:
        raise Http404
    if file.size > max_upload_bytes():  # before reading a byte of it into memory
        raise ValidationError(
            {
                "file": _("The file is larger than %(max)s; split it into several files.")
                % {"max": filesizeformat(max_upload_bytes())}
            }
        )
    result = roster_import(actor=request.auth, kind=kind, data=file.read(), filename=file.name or "")
    if not result.ok:
        # A cell's problem names its column; a problem with the whole file names the upload's field.
        return Status(
            422,
            {
                "detail": [
                    {"field": error.column or "file", "message": str(error.reason), **error.as_dict()}
                    for error in result.sorted_errors()
                ]
            },
        )
    return Status(200, {"imported": result.counts})


@router.get("/{kind}/template")
def roster_template(request, kind: str):
    """The roster's .xlsx template: header row, example row, instructions sheet."""
    require_staff_scope(request.auth)
    return template_response(kind)


@router.get("/{kind}/export")
def roster_export(request, kind: str):
    """A list as .xlsx (filters: town, community, compound, q), holding only what the caller may see."""
    require_staff_scope(request.auth)
    return export_response(viewer=request.auth, kind=kind, params=request.GET)
