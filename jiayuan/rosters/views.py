"""Roster pages: templates to download, an upload form with its row report, and .xlsx exports.

Only staff scopes (city, town, community and compound staff) reach these pages;
anyone else gets a 404, as for any object outside their scope.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from jiayuan.core import jobs
from jiayuan.core.scope import scope_for

from . import jobs as roster_jobs
from .definitions import ROSTERS
from .downloads import template_response
from .forms import RosterUploadForm
from .selectors import EXPORT_TITLES, export_filters


def _require_staff(request) -> None:
    if not scope_for(request.user).is_staff_scope:
        raise Http404


def _index_context(form):
    return {
        "rosters": list(ROSTERS.values()),
        "exports": list(EXPORT_TITLES.items()),
        "form": form,
    }


@login_required
@require_GET
def index(request):
    _require_staff(request)
    return render(request, "rosters/index.html", _index_context(RosterUploadForm()))


@login_required
@require_http_methods(["GET", "POST"])
def upload(request):
    _require_staff(request)
    if request.method == "GET":
        return redirect("rosters:index")
    form = RosterUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "rosters/index.html", _index_context(form), status=422)
    kind = form.cleaned_data["kind"]
    upload_file = form.cleaned_data["file"]
    # The file is checked and written in the background; its page shows the progress, then the row report.
    job = jobs.enqueue(
        roster_jobs.IMPORT,
        owner=request.user,
        title=_("Import: %(roster)s (%(file)s)") % {"roster": ROSTERS[kind].title, "file": upload_file.name},
        params={"kind": kind, "filename": upload_file.name},
        payload=upload_file.read(),
    )
    return redirect("job_detail", job.pk)


@login_required
@require_GET
def template(request, kind):
    _require_staff(request)
    return template_response(kind)


@login_required
@require_GET
def export(request, kind):
    """Start the export as a background job (a city-wide one outlasts a request) and go to its page."""
    _require_staff(request)
    export_filters(viewer=request.user, params=request.GET)  # a filter outside the scope is a 404 now, not later
    if kind not in EXPORT_TITLES:
        raise Http404
    job = jobs.enqueue(
        roster_jobs.EXPORT,
        owner=request.user,
        title=_("Export: %(roster)s") % {"roster": EXPORT_TITLES[kind]},
        params={"kind": kind, "query": {key: request.GET[key] for key in request.GET}},
    )
    return redirect("job_detail", job.pk)
