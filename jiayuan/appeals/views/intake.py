"""Reporting a problem: the resident's page, and staff entering one for a resident."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from jiayuan.core.scope import scope_for
from jiayuan.core.web import apply_service_errors

from .. import services
from ..forms import IntakeForm

# --- Intake ---------------------------------------------------------------------------------


def _intake_mode(user) -> bool:
    """True for staff entering for a resident, False for a resident's own report; 404 for anyone else."""
    scope = scope_for(user)
    if scope.is_staff_scope:
        return True
    if scope.room_ids:
        return False
    raise Http404


@login_required
def intake(request):
    staff = _intake_mode(request.user)
    if request.method == "POST" and "_refresh" in request.POST:
        # Without JS: the compound was changed; offer its buildings and rooms, keep what was typed.
        initial = {key: value for key, value in request.POST.items() if key not in {"_refresh", "csrfmiddlewaretoken"}}
        form = IntakeForm(initial=initial, viewer=request.user, staff=staff)
        return render(request, "appeals/intake.html", {"form": form, "staff": staff})
    if request.method == "POST":
        form = IntakeForm(request.POST, request.FILES, viewer=request.user, staff=staff)
        if form.is_valid():
            try:
                appeal = services.appeal_submit(actor=request.user, **form.submit_arguments())
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Appeal %(number)s has been received. You can follow every step here.")
                    % {"number": appeal.number},
                )
                return redirect("appeals:appeal_detail", pk=appeal.pk)
        status = 422
    else:
        form, status = IntakeForm(viewer=request.user, staff=staff), 200
    return render(request, "appeals/intake.html", {"form": form, "staff": staff}, status=status)


@login_required
@require_GET
def intake_places(request):
    """htmx: the building and room choices for the compound (and building) chosen so far."""
    staff = _intake_mode(request.user)
    form = IntakeForm(request.GET, viewer=request.user, staff=staff, choosing_place=True)
    return render(request, "appeals/_intake_places.html", {"form": form})
