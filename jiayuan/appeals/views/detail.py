"""The detail page, its live part and the actions taken on it."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jiayuan.core.scope import scope_for
from jiayuan.core.web import apply_service_errors

from .. import rules, selectors, services
from ..actions import ACTIONS, event_label
from ..models import Appeal, AppealPhoto
from ._common import _is_htmx, _is_late

# --- Detail and actions ---------------------------------------------------------------------------------


def _event_text(event) -> str:
    if event.days is None:
        return event.reason
    if event.reason:
        return _("%(days)s working days: %(reason)s") % {"days": event.days, "reason": event.reason}
    return _("%(days)s working days") % {"days": event.days}


def _timeline(viewer, appeal) -> list:
    events = list(selectors.appeal_timeline(viewer=viewer, appeal=appeal).select_related("actor__person"))
    for event in events:
        event.label = event_label(event.action)
        event.text = _event_text(event)
        event.to_label = Appeal.Status(event.to_status).label if event.to_status in Appeal.Status.values else ""
        # "accepted → accepted" says nothing; show the new state only where it adds something.
        event.show_state = (
            bool(event.to_label) and event.to_status != event.from_status and (str(event.to_label) != str(event.label))
        )
    return events


def _panel_actions(viewer, appeal) -> list[str]:
    """The actions this viewer may take now: rules.allowed for the viewer, the workflow for the state."""
    actions = set(selectors.available_actions(viewer=viewer, appeal=appeal))
    scope = scope_for(viewer)
    if "supervise" in actions and appeal.supervision and not scope.everything:
        actions.discard("supervise")  # the town has it under supervision already; only the city goes further
    if (
        "reopen" in actions
        and appeal.resolved_at
        and (timezone.now() > appeal.resolved_at + dt.timedelta(days=settings.APPEAL_REOPEN_DAYS))
    ):
        actions.discard("reopen")
    return [name for name in ACTIONS if name in actions]


def _action_form(name, *, viewer, appeal, data=None, files=None):
    """The form of one action; ids are prefixed with the action so many forms fit on one page."""
    form_class = ACTIONS[name].form
    if data is None:
        return form_class(viewer=viewer, appeal=appeal, initial={"version": appeal.version}, auto_id=f"id_{name}_%s")
    return form_class(data, files, viewer=viewer, appeal=appeal, auto_id=f"id_{name}_%s")


def _action_entry(viewer, appeal, name, form=None) -> dict:
    if form is None:
        form = _action_form(name, viewer=viewer, appeal=appeal)
    action = ACTIONS[name]
    return {
        "name": name,
        "label": action.label,
        "form": form,
        "one_click": action.one_click,
        "url": reverse("appeals:appeal_act", args=[appeal.pk, name]),
    }


def _live_context(request, appeal, *, bound=None, alert="", notice="") -> dict:
    """Facts, action panel and timeline: the part of the detail page an action swaps."""
    viewer = request.user
    scope = scope_for(viewer)
    names = _panel_actions(viewer, appeal)
    entries = [
        _action_entry(viewer, appeal, name, bound.form if bound and bound.name == name else None) for name in names
    ]
    return {
        "appeal": appeal,
        "staff_view": scope.is_staff_scope or bool(scope.department_ids),
        "actions": [entry for entry in entries if not entry["one_click"]],
        "one_click": [entry for entry in entries if entry["one_click"]],
        "timeline": _timeline(viewer, appeal),
        "alert": alert,
        "notice": notice,
        "lost_input": bound.lost_input if bound and bound.name not in names else "",
        "late": _is_late(appeal, timezone.localdate()),
        "shows_contact": selectors.shows_contact_data(viewer=viewer, appeal=appeal),
        # The handler's photos of the fixed problem, under the reply: everyone who sees the appeal sees them.
        "after_photos": list(appeal.photos.filter(kind=AppealPhoto.Kind.AFTER).order_by("pk")),
    }


def _render_detail(request, appeal, *, status=200, revealed_phone="", **live):
    context = _live_context(request, appeal, **live)
    if _is_htmx(request):
        return render(request, "appeals/_live.html", context, status=status)
    context.update(
        {
            "photos": list(appeal.photos.filter(kind=AppealPhoto.Kind.BEFORE).order_by("pk")),
            "offers_reveal": selectors.offers_contact_reveal(viewer=request.user, appeal=appeal),
            "revealed_phone": revealed_phone,
            "may_publish": rules.covers_compound(scope_for(request.user), appeal)
            or rules.is_reporter(scope_for(request.user), appeal, request.user),
            "duplicates": list(selectors.appeal_list(viewer=request.user).filter(merged_into=appeal)),
        }
    )
    return render(request, "appeals/appeal_detail.html", context, status=status)


@login_required
@require_GET
def appeal_detail(request, pk):
    appeal = selectors.appeal_get(viewer=request.user, pk=pk)
    services.notifications_mark_read_for_appeal(actor=request.user, appeal=appeal)  # before the unread count is drawn
    return _render_detail(request, appeal)


@login_required
@require_POST
def appeal_public(request, pk):
    """Open the appeal to the public (Open311 without a key) with a summary, or close it again."""
    appeal = selectors.appeal_get(viewer=request.user, pk=pk)
    try:
        services.appeal_set_public(
            actor=request.user,
            appeal=appeal,
            public=request.POST.get("public") == "1",
            summary=request.POST.get("public_summary", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Saved who may read this appeal."))
    return redirect("appeals:appeal_detail", pk=appeal.pk)


@login_required
@require_POST
def appeal_contact(request, pk):
    """Show the reporter's phone in clear to the department handling the order (services.appeal_contact_reveal
    audits it); htmx gets the number in place of the masked one, a plain form post the page with it."""
    appeal = selectors.appeal_get(viewer=request.user, pk=pk)
    try:
        phone = services.appeal_contact_reveal(actor=request.user, appeal=appeal)
    except PermissionDenied as exc:
        status, message = 403, str(exc)
    except ValidationError as exc:
        status, message = 422, " ".join(exc.messages)
    else:
        if _is_htmx(request):
            return render(request, "appeals/_contact_phone.html", {"appeal": appeal, "phone": phone, "shown": True})
        return _render_detail(request, appeal, revealed_phone=phone)
    if _is_htmx(request):
        context = {"appeal": appeal, "phone": appeal.masked_contact_phone, "error": message}
        return render(request, "appeals/_contact_phone.html", context, status=status)
    return _render_detail(request, appeal, status=status, alert=message)


@login_required
@require_GET
def appeal_photo(request, pk, photo_pk):
    """A photo, streamed only after the scope check of its appeal (never a public /media/ address)."""
    appeal = selectors.appeal_get(viewer=request.user, pk=pk)
    try:
        photo = AppealPhoto.objects.get(pk=photo_pk, appeal=appeal)
    except AppealPhoto.DoesNotExist as exc:
        raise Http404 from exc
    response = FileResponse(photo.image.open("rb"), content_type=photo.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Disposition"] = "inline"
    return response


class _Bound:
    """The viewer's submitted form, kept to show it again with its errors or after a conflict."""

    def __init__(self, name, form):
        self.name, self.form = name, form

    @property
    def lost_input(self) -> str:
        data = self.form.data
        return "\n".join(str(data.get(key, "")) for key in ("reason", "resolution", "comment") if data.get(key))


def _next_url(request, appeal) -> str:
    if request.POST.get("next") == "mine":
        return reverse("appeals:my_appeals") + f"#appeal-{appeal.pk}"
    return reverse("appeals:appeal_detail", args=[appeal.pk])


@login_required
@require_POST
def appeal_act(request, pk, action):
    viewer = request.user
    appeal = selectors.appeal_get(viewer=viewer, pk=pk)
    declared = ACTIONS.get(action)
    if declared is None:
        raise Http404
    label = declared.label
    if not rules.allowed(action, scope=scope_for(viewer), appeal=appeal, user=viewer):
        return _render_detail(
            request,
            appeal,
            status=403,
            alert=_("You may not take the action “%(action)s” on this appeal.") % {"action": label},
        )
    form = _action_form(action, viewer=viewer, appeal=appeal, data=request.POST, files=request.FILES)
    bound = _Bound(action, form)
    if not form.is_valid():
        return _render_detail(
            request,
            appeal,
            status=422,
            bound=bound,
            alert=_("Please correct the form “%(action)s”.") % {"action": label},
        )
    try:
        appeal = declared.run(
            actor=viewer, appeal=appeal, version=form.cleaned_data["version"], **declared.arguments(form.cleaned_data)
        )
    except services.ConflictError:
        current = selectors.appeal_get(viewer=viewer, pk=pk)
        data = request.POST.copy()
        data["version"] = str(current.version)
        kept = _Bound(action, _action_form(action, viewer=viewer, appeal=current, data=data))
        kept.form.is_valid()
        alert = _("Someone else changed this appeal while you were looking at it. Here is its current state.")
        if kept.lost_input:
            alert += " " + _("Your input is kept below: check it and submit again if it still applies.")
        return _render_detail(request, current, status=409, bound=kept, alert=alert)
    except PermissionDenied as exc:
        return _render_detail(request, appeal, status=403, alert=str(exc) or _("You may not do this."))
    except ValidationError as exc:
        apply_service_errors(form, exc)
        appeal.refresh_from_db()
        return _render_detail(
            request,
            appeal,
            status=422,
            bound=bound,
            alert=" ".join(form.non_field_errors()) or _("Please correct the form “%(action)s”.") % {"action": label},
        )
    notice = declared.done
    if _is_htmx(request) and request.POST.get("next") != "mine":
        appeal = selectors.appeal_get(viewer=viewer, pk=pk)
        return _render_detail(request, appeal, notice=notice)
    messages.success(request, notice)
    return redirect(_next_url(request, appeal))
