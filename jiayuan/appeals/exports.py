"""The appeals export: the staff list with its filters, as a sheet, written by a background job (a town's year of
appeals outgrows a request). The job runs as the person who started it, with their scope at the time it runs."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiayuan.core import jobs
from jiayuan.core.identity import mask_free_text
from jiayuan.core.xlsx import xlsx_bytes

from . import selectors
from .forms import AppealFilterForm
from .models import Appeal
from .scores import scoring

EXPORT = "appeals.export"


def filtered_appeals(viewer, form):
    """The scoped list with the toolbar's filters and those of the scores page's links; none if the form has errors."""
    if form.is_bound and not form.is_valid():
        return Appeal.objects.none()
    return scoring.filter_appeals(selectors.appeal_list(viewer=viewer, **form.filters()), **form.figure_filters())


HEADERS = (
    gettext_lazy("Number"),
    gettext_lazy("Received at"),
    gettext_lazy("Channel"),
    gettext_lazy("Category"),
    gettext_lazy("Title"),
    gettext_lazy("Compound"),
    gettext_lazy("Building"),
    gettext_lazy("Room"),
    gettext_lazy("Status"),
    gettext_lazy("Handling level"),
    gettext_lazy("Handling unit"),
    gettext_lazy("Deadline"),
    gettext_lazy("Overdue since"),
    gettext_lazy("Resolved at"),
    gettext_lazy("Rating"),
    gettext_lazy("Contacted (resident's answer)"),
    gettext_lazy("Solved (resident's answer)"),
    gettext_lazy("Contact name"),
    gettext_lazy("Contact phone"),
)


def _when(moment):
    """A moment as the local date and time a spreadsheet can sort and filter (no time zone: Excel has none)."""
    return timezone.localtime(moment).replace(tzinfo=None, second=0, microsecond=0) if moment else None


def _yes_no(value: bool | None) -> str:
    return "" if value is None else (_("yes") if value else _("no"))


def appeal_rows(appeals):
    for a in appeals.iterator(chunk_size=500):
        yield [
            a.number,
            _when(a.received_at),
            a.get_channel_display(),
            a.category.path,
            mask_free_text(a.title),
            a.compound.name,
            a.building.number if a.building else "",
            f"{a.room.unit.number} {a.room.number}" if a.room else "",
            a.get_status_display(),
            a.get_level_display(),
            a.unit.name,
            a.deadline,
            a.overdue_since,
            _when(a.resolved_at),
            a.get_rating_display(),
            _yes_no(a.rated_contacted),
            _yes_no(a.rated_solved),
            a.contact_name,
            a.masked_contact_phone,
        ]


def run_export(job, progress) -> None:
    query = jobs.query_of(job)
    form = AppealFilterForm(query or None, viewer=job.owner)
    if form.is_bound and not form.is_valid():
        raise ValueError("; ".join(f"{field}: {' '.join(errors)}" for field, errors in form.errors.items()))
    appeals = filtered_appeals(job.owner, form).select_related(
        "category__parent__parent", "building", "room__unit", "compound", "unit"
    )
    progress(str(_("writing the sheet")), 0, appeals.count())
    rows = jobs.Counted(appeal_rows(appeals), progress)
    job.result = xlsx_bytes([str(h) for h in HEADERS], rows, title=_("Appeals"))
    job.result_name = f"{_('appeals')}-{timezone.localdate():%Y%m%d}.xlsx"
    job.done = rows.done
