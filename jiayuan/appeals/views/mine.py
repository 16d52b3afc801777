"""The resident's pages: my appeals and notifications."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from jiayuan.core.scope import scope_for
from jiayuan.core.web import paginate

from .. import selectors, services
from ._common import MINE_PAGE_SIZE, _is_htmx
from .detail import _action_entry, _panel_actions, _timeline

# --- Residents: my appeals, notifications ---------------------------------------------------------------


def _reporter_q(user) -> Q:
    q = Q(reporter_account_id=user.pk)
    person_id = scope_for(user).person_id
    if person_id:
        q |= Q(reporter_id=person_id)
    return q


def _resident_actions(viewer, appeal) -> list[str]:
    actions = _panel_actions(viewer, appeal)
    return [action for action in ("rate", "reopen") if action in actions]


@login_required
@require_GET
def my_appeals(request):
    viewer = request.user
    appeals = (
        selectors.appeal_list(viewer=viewer)
        .filter(_reporter_q(viewer))
        .select_related("building", "room__unit", "category__parent__parent")
    )
    page_obj = paginate(request, appeals, MINE_PAGE_SIZE)
    items = []
    for appeal in page_obj.object_list:
        actions = _resident_actions(viewer, appeal)
        items.append(
            {
                "appeal": appeal,
                "timeline": _timeline(viewer, appeal),
                "forms": [_action_entry(viewer, appeal, name) for name in actions],
            }
        )
    return render(request, "appeals/mine.html", {"page_obj": page_obj, "items": items})


@login_required
@require_GET
def notifications(request):
    page_obj = paginate(request, selectors.notification_list(viewer=request.user))
    return render(request, "appeals/notifications.html", {"page_obj": page_obj})


@login_required
@require_POST
def notifications_read(request):
    """Mark one message (`id`) or all unread messages as read."""
    raw = request.POST.get("id", "")
    if raw:
        if not raw.isdigit():
            raise Http404
        notes = [selectors.notification_get(viewer=request.user, pk=int(raw))]
    else:
        notes = list(selectors.notification_list(viewer=request.user, unread_only=True))
    for note in notes:
        services.notification_mark_read(actor=request.user, notification=note)
    if _is_htmx(request):
        page_obj = paginate(request, selectors.notification_list(viewer=request.user))
        return render(request, "appeals/_notification_list.html", {"page_obj": page_obj})
    return redirect("appeals:notifications")
