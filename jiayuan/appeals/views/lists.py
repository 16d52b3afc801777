"""Staff work lists: the filtered list, its export, a department's work."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from jiayuan.core import jobs
from jiayuan.core.web import paginate, sort_columns
from jiayuan.organisations import selectors as org_selectors

from .. import exports, selectors
from ..forms import AppealFilterForm
from ..models import Appeal
from ._common import _mark_late, _works_on_appeals

# --- Staff work lists -------------------------------------------------------------------------------------


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


def _sorting(form) -> dict:
    """The sortable columns' state: for each, how it sorts the list now ("ascending", "descending" or "") and the
    sort its header asks for (this column; reversed when it already sorts the list)."""
    columns = sort_columns(selectors.APPEAL_SORTS, form.current_sort())
    asked = (getattr(form, "cleaned_data", None) or {}).get("sort") or ""
    return {"columns": columns, "asked": asked}


@login_required
@require_GET
def appeal_list(request):
    viewer = request.user
    if not _works_on_appeals(viewer):
        raise Http404
    form = AppealFilterForm(request.GET or None, viewer=viewer)
    page_obj = paginate(request, exports.filtered_appeals(viewer, form))
    page_obj.object_list = _mark_late(page_obj.object_list, timezone.localdate())
    chips = _chips(request, form)
    context = {
        "form": form,
        "page_obj": page_obj,
        "chips": chips,
        "hidden_chips": [chip for chip in chips if chip["name"] in AppealFilterForm.FIGURE_FIELDS],
        "sorting": _sorting(form),
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
    job = jobs.enqueue(
        exports.EXPORT,
        owner=viewer,
        title=_("Export: %(roster)s") % {"roster": _("Appeals")},
        params={"query": {key: request.GET[key] for key in request.GET if key != "page"}},
    )
    return redirect("job_detail", job.pk)


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
