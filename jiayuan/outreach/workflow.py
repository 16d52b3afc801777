"""The dispute register's states and moves (矛盾纠纷), declared as a core `Machine`. Pure: no model import.

    open ─mediate→ mediating
    open, mediating ─resolve→ resolved        open, mediating ─escalate→ escalated (an appeal, exactly one)

Each move's label is the word the refusal uses: "A dispute that is resolved cannot be mediated."
A department link (挂钩联系) has no status of its own: it is current until its end date.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jiayuan.core.workflow import Machine, Move

OPEN = "open"
MEDIATING = "mediating"
RESOLVED = "resolved"
ESCALATED = "escalated"

DISPUTE = Machine(
    "dispute",
    states=(OPEN, MEDIATING, RESOLVED, ESCALATED),
    initial=OPEN,
    moves=(
        Move("mediate", {OPEN}, MEDIATING, _("mediated")),
        Move("resolve", {OPEN, MEDIATING}, RESOLVED, _("resolved")),
        Move("escalate", {OPEN, MEDIATING}, ESCALATED, _("escalated")),
    ),
)
