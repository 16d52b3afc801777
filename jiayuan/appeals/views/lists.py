"""Staff work lists: the filtered list, its export, a department's work."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from jiayuan.core.identity import mask_free_text
from jiayuan.core.web import paginate
from jiayuan.core.xlsx import xlsx_response
from jiayuan.organisations import selectors as org_selectors

from .. import selectors
from ..forms import AppealFilterForm
from ..models import Appeal
from ..scores import scoring
from ._common import _mark_late, _works_on_appeals

# --- Staff work lists -------------------------------------------------------------------------------------


def _filtered_appeals(viewer, form):
    """The scoped list with the toolbar's filters and those of the scores page's links; none if the form has errors."""
    if form.is_bound and not form.is_valid():
        return Appeal.objects.none()
    return scoring.filter_appeals(selectors.appeal_list(viewer=viewer, **form.filters()), **form.figure_filters())


def _chips(request, form) -> list[dict]:
    """The active filters of the scores page's links, each with a link that drops it."""
    chips = []
    for name, label, shown in form.active_chips():
        query = request.GET.copy()
        query.pop(name, None)
        query.pop("page", None)
        remove = f"{request.path}?{query.urlencode()}" if query else request.path
        chips.append({"name": name, "label": label, "value": shown, "remove": remove, "raw": request.GET.get(name, "")})
    return chips


@login_required
@require_GET
def appeal_list(request):
    viewer = request.user
    if not _works_on_appeals(viewer):
        raise Http404
    form = AppealFilterForm(request.GET or None, viewer=viewer)
    page_obj = paginate(request, _filtered_appeals(viewer, form))
    page_obj.object_list = _mark_late(page_obj.object_list, timezone.localdate())
    chips = _chips(request, form)
    context = {
        "form": form,
        "page_obj": page_obj,
        "chips": chips,
        "hidden_chips": [chip for chip in chips if chip["name"] in AppealFilterForm.FIGURE_FIELDS],
    }
    return render(request, "appeals/appeal_list.html", context, status=422 if form.errors else 200)


@login_required
@require_GET
def appeal_export(request):
    viewer = request.user
    if not _works_on_appeals(viewer):
        raise Http404
    form = AppealFilterForm(request.GET or None, viewer=viewer)
    if form.is_bound and not form.is_valid():
        return render(
            request,
            "appeals/appeal_list.html",
            {"form": form, "page_obj": paginate(request, Appeal.objects.none()), "chips": [], "hidden_chips": []},
            status=422,
        )
    appeals = _filtered_appeals(viewer, form).select_related("category__parent__parent", "building", "room__unit")
    headers = [
        _("Number"),
        _("Received at"),
        _("Channel"),
        _("Category"),
        _("Title"),
        _("Compound"),
        _("Building"),
        _("Room"),
        _("Status"),
        _("Handling level"),
        _("Handling unit"),
        _("Deadline"),
        _("Overdue since"),
        _("Resolved at"),
        _("Rating"),
        _("Contacted (resident's answer)"),
        _("Solved (resident's answer)"),
        _("Contact name"),
        _("Contact phone"),
    ]

    def rows():
        for a in appeals.iterator(chunk_size=500):
            yield [
                a.number,
                timezone.localtime(a.received_at).strftime("%Y-%m-%d %H:%M"),
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
                timezone.localtime(a.resolved_at).strftime("%Y-%m-%d %H:%M") if a.resolved_at else "",
                a.get_rating_display(),
                _yes_no(a.rated_contacted),
                _yes_no(a.rated_solved),
                a.contact_name,
                a.masked_contact_phone,
            ]

    stamp = timezone.localdate().strftime("%Y%m%d")
    return xlsx_response(
        _("appeals") + f"-{stamp}.xlsx", headers, rows(), title=_("Appeals"), ascii_filename=f"appeals-{stamp}.xlsx"
    )


def _yes_no(value: bool | None) -> str:
    return "" if value is None else (_("yes") if value else _("no"))


@login_required
@require_GET
def department_work(request):
    viewer = request.user
    departments = list(org_selectors.departments_of(viewer=viewer))
    if not departments:
        raise Http404
    today = timezone.localdate()
    sections = []
    for department in departments:
        work = selectors.department_open_work(viewer=viewer, department=department).select_related("category")
        page_obj = paginate(request, work)
        page_obj.object_list = _mark_late(page_obj.object_list, today)
        sections.append(
            {
                "department": department,
                "page_obj": page_obj,
                "late": work.filter(Q(overdue_since__isnull=False) | Q(deadline__lt=today)).count(),
            }
        )
    return render(request, "appeals/department_work.html", {"sections": sections})
