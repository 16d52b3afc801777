"""What an import answers: counts of what was written, or the problems that stopped it."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

# Labels of the counts an import reports, by key.
COUNT_LABELS = {
    "compounds": _("compounds"),
    "buildings": _("buildings"),
    "units": _("units"),
    "rooms": _("rooms"),
    "people_created": _("people registered"),
    "people_reused": _("people already registered"),
    "ownerships": _("ownerships"),
    "party_memberships_created": _("party memberships added"),
    "party_memberships_updated": _("party memberships updated"),
    "posts": _("posts"),
}


@dataclass(frozen=True)
class RowError:
    """One problem: the Excel row number (None for the file as a whole), column header, cell value, reason."""

    row: int | None
    column: str
    value: str
    reason: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "value": self.value, "reason": str(self.reason)}

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row is not None else "file"
        column = f", {self.column}" if self.column else ""
        value = f" = {self.value!r}" if self.value else ""
        return f"{where}{column}{value}: {self.reason}"


@dataclass
class ImportResult:
    kind: str
    filename: str = ""
    rows: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n

    @property
    def labelled_counts(self) -> list[tuple[str, int]]:
        return [(str(COUNT_LABELS.get(key, key)), n) for key, n in self.counts.items() if n]

    def sorted_errors(self) -> list[RowError]:
        return sorted(self.errors, key=lambda e: (e.row is not None, e.row or 0))

    def as_dict(self) -> dict:
        """The result as a background job keeps it (`core.Job.report`)."""
        return {
            "kind": self.kind,
            "filename": self.filename,
            "rows": self.rows,
            "counts": dict(self.counts),
            "errors": [error.as_dict() for error in self.errors],
        }

    @classmethod
    def from_dict(cls, data: dict) -> ImportResult:
        return cls(
            kind=data["kind"],
            filename=data.get("filename", ""),
            rows=data.get("rows", 0),
            counts=dict(data.get("counts", {})),
            errors=[RowError(**error) for error in data.get("errors", [])],
        )
