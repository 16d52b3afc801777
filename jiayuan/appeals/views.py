"""Appeal pages: intake, "my appeals", notifications, staff work lists, the detail page and its actions.

Every appeal comes through a scoped selector, so one outside the viewer's scope answers
404; an action the viewer may not take on a visible appeal answers 403 with a message.
Actions post with the version of the appeal the viewer saw: when someone else changed it
in the meantime the viewer gets 409, the current state and their own input back.
htmx requests get the live part of the page (facts, action panel, timeline) only.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jiayuan.core.identity import mask_free_text
from jiayuan.core.scope import scope_for
from jiayuan.core.web import apply_service_errors, paginate
from jiayuan.core.xlsx import xlsx_response
from jiayuan.organisations import selectors as org_selectors

from . import rules, scoring, selectors, services, workflow
from .actions import ACTIONS, event_label
from .forms import AppealFilterForm, IntakeForm
from .models import Appeal, AppealPhoto

MINE_PAGE_SIZE = 20


# --- Access --------------------------------------------------------------------------------


def _works_on_appeals(user) -> bool:
    scope = scope_for(user)
    return scope.is_staff_scope or bool(scope.department_ids)


def _is_htmx(request) -> bool:
    return bool(getattr(request, "htmx", False))


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
    form = IntakeForm(request.GET, viewer=request.user, staff=staff)
    return render(request, "appeals/_intake_places.html", {"form": form})


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
    page_obj = Paginator(appeals, MINE_PAGE_SIZE).get_page(request.GET.get("page"))
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


# --- Detail and actions ---------------------------------------------------------------------------------


def _event_text(event) -> str:
    if event.days is None:
        return event.reason
    if event.reason:
        return _("%(days)s working days: %(reason)s") % {"days": event.days, "reason": event.reason}
    return _("%(days)s working days") % {"days": event.days}


def _is_late(appeal, today) -> bool:
    """Past its deadline and still waiting for a result (the scheduled job may not have flagged it yet)."""
    waiting = appeal.status in workflow.WAITING_STATES
    return waiting and (appeal.overdue_since is not None or appeal.deadline < today)


def _mark_late(appeals, today) -> list:
    appeals = list(appeals)
    for appeal in appeals:
        appeal.late = _is_late(appeal, today)
    return appeals


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


def _action_form(name, *, viewer, appeal, data=None):
    """The form of one action; ids are prefixed with the action so many forms fit on one page."""
    form_class = ACTIONS[name].form
    if data is None:
        return form_class(viewer=viewer, appeal=appeal, initial={"version": appeal.version}, auto_id=f"id_{name}_%s")
    return form_class(data, viewer=viewer, appeal=appeal, auto_id=f"id_{name}_%s")


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
    }


def _render_detail(request, appeal, *, status=200, **live):
    context = _live_context(request, appeal, **live)
    if _is_htmx(request):
        return render(request, "appeals/_live.html", context, status=status)
    context.update(
        {
            "photos": list(appeal.photos.order_by("pk")),
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
    form = _action_form(action, viewer=viewer, appeal=appeal, data=request.POST)
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
