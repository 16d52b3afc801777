"""Tables of the benchmark's figures, as aligned text for the terminal and as Markdown for BENCHMARKS.md."""

from __future__ import annotations

import math
from dataclasses import dataclass, field


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, *cells) -> None:
        self.rows.append([str(cell) for cell in cells])

    def text(self) -> str:
        widths = [max(len(str(row[i])) for row in [self.headers, *self.rows]) for i in range(len(self.headers))]
        lines = [self.title, "  " + "  ".join(h.ljust(w) for h, w in zip(self.headers, widths, strict=True))]
        lines.append("  " + "  ".join("-" * w for w in widths))
        for row in self.rows:
            lines.append(
                "  " + "  ".join(c.rjust(w) if _numeric(c) else c.ljust(w) for c, w in zip(row, widths, strict=True))
            )
        lines.extend(f"  {note}" for note in self.notes)
        return "\n".join(lines)

    def markdown(self) -> str:
        numeric = [
            bool(self.rows) and all(_numeric(row[i]) or row[i] == "–" for row in self.rows)
            for i in range(len(self.headers))
        ]
        lines = [
            f"**{self.title}**",
            "",
            "| " + " | ".join(self.headers) + " |",
            "|" + "|".join("---:" if right else "---" for right in numeric) + "|",
        ]
        lines.extend("| " + " | ".join(row) + " |" for row in self.rows)
        if self.notes:
            lines.append("")
            lines.extend(f"- {note}" for note in self.notes)
        return "\n".join(lines)


def _numeric(cell: str) -> bool:
    return bool(cell) and (cell[0].isdigit() or cell[0] in "-+×") and not cell.startswith("--")


def ms(value: float) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if value >= 100:
        return f"{value:.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def ratio(numerator: float, denominator: float) -> str:
    if not denominator or numerator is None or math.isnan(numerator) or math.isnan(denominator):
        return "–"
    value = numerator / denominator
    return f"{value:.2f}×" if value < 10 else f"{value:.0f}×"


def mb(kb: float) -> str:
    return f"{kb / 1024:.0f} MB"


def verdict(ok: bool | None) -> str:
    return "–" if ok is None else ("met" if ok else "NOT met")
