"""Roster pages: templates to download, an upload form with its row report, and .xlsx exports.

Only staff scopes (city, town, community and compound staff) reach these pages;
anyone else gets a 404, as for any object outside their scope.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from jiayuan.core.scope import scope_for

from .definitions import ROSTERS
from .downloads import export_response, template_response
from .forms import RosterUploadForm
from .selectors import EXPORT_TITLES
from .services import roster_import


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
    result = roster_import(actor=request.user, kind=kind, data=upload_file.read(), filename=upload_file.name)
    return render(request, "rosters/result.html", {"result": result, "roster": ROSTERS[kind]})


@login_required
@require_GET
def template(request, kind):
    _require_staff(request)
    return template_response(kind)


@login_required
@require_GET
def export(request, kind):
    _require_staff(request)
    return export_response(viewer=request.user, kind=kind, params=request.GET)
