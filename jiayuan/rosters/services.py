"""Importing a roster: every row is checked before anything is written; then all rows or none.

result = roster_import(actor=user, kind="rooms", data=upload.read(), filename=upload.name)
if result.ok: result.counts        # {"buildings": 2, "units": 4, "rooms": 120}
else: result.errors                # [RowError(row, column, value, reason), ...]; nothing written
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from jiayuan.core.audit import audit_record
from jiayuan.core.models import AuditEntry
from jiayuan.core.scope import scope_for

from .definitions import ROSTERS
from .importers import IMPORTERS
from .reading import ParsedRow, read_roster
from .report import ImportResult, RowError


class ImportBatch:
    """Stands in for a model in the audit trail: one entry per import batch."""

    class _meta:  # noqa: N801 - mimics Model._meta for core.audit.audit_record
        label_lower = "rosters.import"

    def __init__(self, *, kind: str, filename: str):
        self.pk = uuid.uuid4().hex
        self.kind = kind
        self.filename = filename

    def __str__(self) -> str:
        return f"{ROSTERS[self.kind].title}: {self.filename}"


class _RowFailed(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__()
        self.errors = errors


def _no_progress(phase: str = "", done: int | None = None, total: int | None = None) -> None:
    return None


def roster_import(*, actor, kind: str, data: bytes, filename: str = "", progress=_no_progress) -> ImportResult:
    """Import an .xlsx roster as `actor`, inside what the actor's scope may write into. `progress(step, done,
    total)` hears each step (a background job shows it); the rows are written in one transaction."""
    if kind not in ROSTERS:
        raise ValueError(f"unknown roster {kind!r}")
    scope = scope_for(actor)
    if not scope.is_staff_scope:
        raise PermissionDenied
    result = ImportResult(kind=kind, filename=filename)
    progress(str(_("reading the file")))
    read = read_roster(ROSTERS[kind], data, max_rows=settings.ROSTER_MAX_ROWS, filename=filename)
    if read.errors:
        result.errors = read.errors
        return result
    rows = read.rows
    result.rows = len(rows)
    importer = IMPORTERS[kind](actor=actor, scope=scope, result=result)
    progress(str(_("checking every row")), 0, len(rows))
    importer.check(rows)
    errors = [error for row in rows for error in row.errors]
    if errors:
        result.errors = errors
        return result
    progress(str(_("writing the rows")), len(rows) // 2, len(rows))
    try:
        with transaction.atomic():
            for row in rows:
                _write_row(importer, row)
            audit_record(
                actor=actor,
                action=AuditEntry.Action.IMPORT,
                obj=ImportBatch(kind=kind, filename=filename),
                after={"roster": kind, "file": filename, "rows": len(rows), "counts": dict(result.counts)},
                note=filename,
            )
    except _RowFailed as failed:
        result.counts = {}
        result.errors = failed.errors
    return result


def _write_row(importer, row: ParsedRow) -> None:
    """Write one row through the services; a rule they enforce stops the import with this row's report."""
    try:
        importer.write(row)
    except ValidationError as exc:
        raise _RowFailed(_validation_errors(importer.roster, row, exc)) from exc
    except PermissionDenied as exc:
        raise _RowFailed([RowError(row.number, "", "", str(exc) or _("You may not write this row."))]) from exc
    except IntegrityError as exc:
        raise _RowFailed(
            [
                RowError(
                    row.number,
                    "",
                    "",
                    _("This row conflicts with data saved at the same time or already present; nothing was written."),
                )
            ]
        ) from exc


def _validation_errors(roster, row: ParsedRow, exc: ValidationError) -> list[RowError]:
    errors = []
    items = exc.message_dict.items() if hasattr(exc, "error_dict") else [("", exc.messages)]
    for field, messages in items:
        header = roster.header_for_field(field) if field and field != "__all__" else ""
        key = next((c.key for c in roster.columns if c.header == header), "")
        for message in messages:
            errors.append(RowError(row.number, header, row.raw.get(key, "")[:100], message))
    return errors
