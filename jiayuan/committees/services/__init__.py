"""Writes of committee life. Each takes actor=, runs in one transaction and leaves audit rows; every public
name is importable from here."""

from ..terms import filing_deadline
from ._common import DEFAULT_DUTIES, DEFAULT_NEGATIVES, Role, committee_city
from .duties import default_duty_items, duty_item_create, duty_item_update
from .evaluation import evaluation_record
from .filing import filing_record
from .inspections import inspection_answer, inspection_close, inspection_start, task_complete
from .reminders import remind_terms, reminder_recipients

__all__ = [
    "filing_deadline",
    "DEFAULT_DUTIES",
    "DEFAULT_NEGATIVES",
    "Role",
    "committee_city",
    "default_duty_items",
    "duty_item_create",
    "duty_item_update",
    "evaluation_record",
    "filing_record",
    "inspection_answer",
    "inspection_close",
    "inspection_start",
    "remind_terms",
    "reminder_recipients",
    "task_complete",
]
