"""Outreach pages: reception days, linked departments, the service log and the dispute register.

Staff pages: residents get 404. Department staff see only the links of their department.
Every object comes through a scoped selector, so one outside the viewer's scope is a 404.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiayuan.core.scope import scope_for
from jiayuan.core.web import paginate, save_form, staff_required

from . import rules, selectors, services
from .forms import (
    ActionForm,
    DisputeEscalateForm,
    DisputeFilterForm,
    DisputeForm,
    DisputeResolveForm,
    IssueForm,
    LinkEndForm,
    LinkForm,
    ServiceFilterForm,
    ServiceRecordForm,
    SessionFilterForm,
    SessionForm,
    VisitorForm,
)


def staff_or_department_required(view):
    """Staff with a scope over places, or staff of a city department; anyone else gets 404."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        scope = scope_for(request.user)
        if not (scope.is_staff_scope or scope.department_ids):
            raise Http404
        return view(request, *args, **kwargs)

    return login_required(wrapper)


def _appeal_url(appeal) -> str | None:
    try:
        return reverse("appeals:appeal_detail", args=[appeal.pk])
    except NoReverseMatch:
        return None


@staff_or_department_required
def index(request):
    return render(request, "outreach/index.html", {"overview": selectors.outreach_overview(viewer=request.user)})


# --- Leaders' reception days -----------------------------------------------------------------


@staff_required
def session_list(request):
    viewer = request.user
    form = SessionFilterForm(request.GET or None, viewer=viewer)
    data = form.cleaned_data if form.is_valid() else {}
    sessions = selectors.session_list(viewer=viewer, town=data.get("town"), month=data.get("month"))
    return render(
        request,
        "outreach/session_list.html",
        {
            "form": form,
            "page_obj": paginate(request, sessions),
            "towns": selectors.reception_totals_by_town(viewer=viewer, month=data.get("month")),
        },
    )


@staff_required
def session_create(request):
    viewer = request.user
    form = SessionForm(request.POST or None, viewer=viewer)
    if request.method == "POST":
        session = save_form(
            request,
            form,
            lambda data: services.reception_session_schedule(actor=viewer, **data),
            _("The reception session was scheduled."),
        )
        if session is not None:
            return redirect("outreach:session_detail", pk=session.pk)
    return render(request, "outreach/session_form.html", {"form": form})


def _session_page(request, session, *, visitor_form=None, issue_form=None, status=200):
    viewer = request.user
    sees_phones = scope_for(viewer).sees_personal_data
    visitors = list(selectors.session_visitors(session=session))
    for visitor in visitors:
        visitor.shown_phone = visitor.phone if sees_phones else visitor.masked_phone
    issues = list(selectors.session_issues(session=session))
    for issue in issues:
        issue.url = _appeal_url(issue.appeal)
    return render(
        request,
        "outreach/session_detail.html",
        {
            "session": session,
            "visitors": visitors,
            "issues": issues,
            "phones_masked": not sees_phones,
            "visitor_form": visitor_form or VisitorForm(),
            "issue_form": issue_form or IssueForm(session=session),
        },
        status=status,
    )


@staff_required
def session_detail(request, pk):
    return _session_page(request, selectors.session_get(viewer=request.user, pk=pk))


@staff_required
@require_POST
def visitor_add(request, pk):
    viewer = request.user
    session = selectors.session_get(viewer=viewer, pk=pk)
    form = VisitorForm(request.POST)
    if save_form(
        request,
        form,
        lambda data: services.visitor_log(actor=viewer, session=session, **data),
        _("The visitor was logged."),
    ):
        return redirect("outreach:session_detail", pk=session.pk)
    return _session_page(request, session, visitor_form=form, status=422)


@staff_required
@require_POST
def issue_add(request, pk):
    viewer = request.user
    session = selectors.session_get(viewer=viewer, pk=pk)
    form = IssueForm(request.POST, session=session)
    if save_form(
        request,
        form,
        lambda data: services.reception_issue_raise(actor=viewer, session=session, **data),
        _("The issue was recorded as an appeal."),
    ):
        return redirect("outreach:session_detail", pk=session.pk)
    return _session_page(request, session, issue_form=form, status=422)


# --- Linked departments --------------------------------------------------------------------


def _may_manage_links(viewer) -> bool:
    scope = scope_for(viewer)
    return scope.everything or bool(scope.town_ids)


@staff_or_department_required
def link_list(request):
    viewer = request.user
    search = request.GET.get("q", "").strip()[:80]
    current = request.GET.get("all") != "1"
    links = selectors.link_list(viewer=viewer, current_only=current, search=search)
    return render(
        request,
        "outreach/link_list.html",
        {
            "page_obj": paginate(request, links),
            "search": search,
            "current_only": current,
            "may_create": _may_manage_links(viewer),
        },
    )


@staff_required
def link_create(request):
    viewer = request.user
    if not _may_manage_links(viewer):
        raise Http404
    form = LinkForm(request.POST or None, viewer=viewer)
    if request.method == "POST":
        link = save_form(
            request,
            form,
            lambda data: services.department_link_create(actor=viewer, **data),
            _("The department was linked to the compound."),
        )
        if link is not None:
            return redirect("outreach:link_detail", pk=link.pk)
    return render(request, "outreach/link_form.html", {"form": form})


def _link_page(request, link, *, action_form=None, end_form=None, status=200):
    viewer = request.user
    scope = scope_for(viewer)
    appeals = list(selectors.link_open_appeals(viewer=viewer, link=link)[:100])
    for appeal in appeals:
        appeal.url = _appeal_url(appeal)
    return render(
        request,
        "outreach/link_detail.html",
        {
            "link": link,
            "actions": selectors.link_actions(link=link),
            "appeals": appeals,
            "may_log": link.is_current and rules.may_log_department_action(scope, link),
            "may_end": link.is_current and rules.may_manage_links(scope, link.compound),
            "action_form": action_form or ActionForm(),
            "end_form": end_form or LinkEndForm(),
        },
        status=status,
    )


@staff_or_department_required
def link_detail(request, pk):
    return _link_page(request, selectors.link_get(viewer=request.user, pk=pk))


@staff_or_department_required
@require_POST
def action_add(request, pk):
    viewer = request.user
    link = selectors.link_get(viewer=viewer, pk=pk)
    form = ActionForm(request.POST)
    if save_form(
        request,
        form,
        lambda data: services.department_action_record(actor=viewer, link=link, **data),
        _("The department's action was recorded."),
    ):
        return redirect("outreach:link_detail", pk=link.pk)
    return _link_page(request, link, action_form=form, status=422)


@staff_required
@require_POST
def link_end(request, pk):
    viewer = request.user
    link = selectors.link_get(viewer=viewer, pk=pk)
    form = LinkEndForm(request.POST)
    if save_form(
        request,
        form,
        lambda data: services.department_link_end(actor=viewer, link=link, **data),
        _("The link was ended."),
    ):
        return redirect("outreach:link_detail", pk=link.pk)
    return _link_page(request, link, end_form=form, status=422)


# --- Service log ---------------------------------------------------------------------------


@staff_required
def service_list(request):
    viewer = request.user
    form = ServiceFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    filters = {"kind": data.get("kind") or "", "month": data.get("month")}
    return render(
        request,
        "outreach/service_list.html",
        {
            "form": form,
            "page_obj": paginate(request, selectors.service_record_list(viewer=viewer, **filters)),
            "by_compound": selectors.service_summary_by_compound(viewer=viewer, **filters)[:50],
            "by_workplace": selectors.service_summary_by_workplace(viewer=viewer, **filters)[:50],
        },
    )


@staff_required
def service_create(request):
    viewer = request.user
    form = ServiceRecordForm(request.POST or None, viewer=viewer)
    if request.method == "POST":
        record = save_form(
            request,
            form,
            lambda data: services.service_record_create(actor=viewer, **data),
            _("The service was logged."),
        )
        if record is not None:
            return redirect("outreach:service_list")
    return render(request, "outreach/service_form.html", {"form": form})


# --- Dispute register ----------------------------------------------------------------------


@staff_required
def dispute_list(request):
    viewer = request.user
    form = DisputeFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    disputes = selectors.dispute_list(viewer=viewer, risk=data.get("risk") or "", status=data.get("status") or "")
    return render(request, "outreach/dispute_list.html", {"form": form, "page_obj": paginate(request, disputes)})


@staff_required
def dispute_create(request):
    viewer = request.user
    form = DisputeForm(request.POST or None, viewer=viewer)
    if request.method == "POST":
        dispute = save_form(
            request, form, lambda data: services.dispute_record(actor=viewer, **data), _("The dispute was registered.")
        )
        if dispute is not None:
            return redirect("outreach:dispute_detail", pk=dispute.pk)
    return render(request, "outreach/dispute_form.html", {"form": form})


def _dispute_page(request, dispute, *, resolve_form=None, escalate_form=None, status=200):
    return render(
        request,
        "outreach/dispute_detail.html",
        {
            "dispute": dispute,
            "appeal_url": _appeal_url(dispute.appeal) if dispute.appeal_id else None,
            "resolve_form": resolve_form or DisputeResolveForm(),
            "escalate_form": escalate_form or DisputeEscalateForm(),
        },
        status=status,
    )


@staff_required
def dispute_detail(request, pk):
    return _dispute_page(request, selectors.dispute_get(viewer=request.user, pk=pk))


@staff_required
@require_POST
def dispute_act(request, pk, action):
    viewer = request.user
    dispute = selectors.dispute_get(viewer=viewer, pk=pk)
    if action == "mediate":
        try:
            services.dispute_mediate(actor=viewer, dispute=dispute)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Mediation has started."))
        return redirect("outreach:dispute_detail", pk=dispute.pk)
    if action == "resolve":
        form = DisputeResolveForm(request.POST)
        if save_form(
            request,
            form,
            lambda data: services.dispute_resolve(actor=viewer, dispute=dispute, **data),
            _("The dispute was settled."),
        ):
            return redirect("outreach:dispute_detail", pk=dispute.pk)
        return _dispute_page(request, dispute, resolve_form=form, status=422)
    if action == "escalate":
        form = DisputeEscalateForm(request.POST)
        if save_form(
            request,
            form,
            lambda data: services.dispute_escalate(actor=viewer, dispute=dispute, **data),
            _("The dispute was escalated as an appeal."),
        ):
            return redirect("outreach:dispute_detail", pk=dispute.pk)
        return _dispute_page(request, dispute, escalate_form=form, status=422)
    raise Http404
