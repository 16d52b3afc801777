"""Committee life pages: terms, filing, the duty lists, self-inspection rounds, rectification tasks, evaluations.

Staff pages: department staff and residents get 404. Every committee comes through a scoped
selector, so one outside the viewer's scope is a 404. A write the viewer may see but not do
is refused by the service (403).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiayuan.core.scope import scope_for
from jiayuan.core.web import apply_service_errors, paginate, save_form, staff_required

from . import rules, selectors, services
from .forms import (
    CityForm,
    DutyItemEditForm,
    DutyItemForm,
    EvaluationForm,
    FilingForm,
    InspectionAnswerForm,
    InspectionCloseForm,
    InspectionStartForm,
    TaskCompleteForm,
)
from .terms import filing_deadline, term_state


def _is_htmx(request) -> bool:
    return bool(getattr(request, "htmx", False))


def _with_deadline(committees) -> list:
    committees = list(committees)
    for committee in committees:
        committee.deadline = filing_deadline(committee)
    return committees


# --- Index ---------------------------------------------------------------------------------------


@staff_required
def index(request):
    viewer = request.user
    today = timezone.localdate()
    search = request.GET.get("q", "").strip()[:80]
    history = request.GET.get("history", "") in {"1", "true", "yes", "on"}
    page_obj = paginate(request, selectors.committee_list(viewer=viewer, search=search, history=history, today=today))
    for committee in page_obj:
        committee.filing_state = selectors.filing_state(committee, today)
        committee.term_state = term_state(committee, today)
    terms = selectors.term_overview(viewer=viewer, today=today)
    filings = selectors.filing_overview(viewer=viewer, today=today)
    context = {
        "overview": selectors.committee_overview(viewer=viewer, today=today),
        "today": today,
        "terms_soon": terms["soon"][:50],
        "terms_expired": terms["expired"][:50],
        "horizon": terms["horizon"],
        "filings_due": _with_deadline(filings["due"][:50]),
        "filings_overdue": _with_deadline(filings["overdue"][:50]),
        "filings_filed": filings["filed"][:20],
        "open_tasks": selectors.task_list(viewer=viewer, open_only=True)[:20],
        "evaluations": selectors.evaluation_list(viewer=viewer)[:10],
        "page_obj": page_obj,
        "search": search,
        "history": history,
    }
    return render(request, "committees/index.html", context)


# --- One committee ---------------------------------------------------------------------------------


def _committee_page(
    request, committee, *, status=200, filing_form=None, start_form=None, evaluation_form=None, task_form=None
):
    viewer = request.user
    scope = scope_for(viewer)
    today = timezone.localdate()
    may_inspect = rules.may_self_inspect(scope, committee)
    filing = selectors.committee_filing(committee)
    if filing_form is None:
        initial = {}
        if filing is not None:
            initial = {
                "filed_on": filing.filed_on,
                "filed_with_housing": filing.filed_with_housing,
                "filed_with_town": filing.filed_with_town,
                "reference": filing.reference,
                "note": filing.note,
            }
        filing_form = FilingForm(initial=initial or None)
    tasks = list(selectors.task_list(viewer=viewer, committee=committee))
    for task in tasks:
        if task.is_open and may_inspect:
            task.complete_form = (
                task_form
                if task_form is not None and task_form.prefix == f"task{task.pk}"
                else TaskCompleteForm(task=task)
            )
    inspections = selectors.inspection_list(viewer=viewer, committee=committee)
    return render(
        request,
        "committees/committee_detail.html",
        {
            "committee": committee,
            "today": today,
            "term_state": term_state(committee, today),
            "days_left": (committee.term_end - today).days,
            "compounds": committee.compounds.all(),
            "members": selectors.member_posts(committee=committee),
            "past_members": selectors.past_member_posts(committee=committee),
            "reminders": selectors.reminder_list(viewer=viewer, committee=committee),
            "filing": filing,
            "filing_state": selectors.filing_state(committee, today),
            "inspections": inspections,
            "has_open_round": any(inspection.is_open for inspection in inspections),
            "tasks": tasks,
            "evaluations": selectors.evaluation_list(viewer=viewer, committee=committee),
            "may_file": rules.may_record_filing(scope, committee),
            "may_inspect": may_inspect,
            "may_evaluate": rules.may_evaluate(scope, committee),
            "filing_form": filing_form,
            "start_form": start_form or InspectionStartForm(),
            "evaluation_form": evaluation_form or EvaluationForm(committee=committee),
        },
        status=status,
    )


@staff_required
def committee_detail(request, pk):
    return _committee_page(request, selectors.committee_get(viewer=request.user, pk=pk))


@staff_required
@require_POST
def filing_save(request, pk):
    viewer = request.user
    committee = selectors.committee_get(viewer=viewer, pk=pk)
    form = FilingForm(request.POST)
    filing = save_form(
        request,
        form,
        lambda data: services.filing_record(actor=viewer, committee=committee, **data),
        _("The filing was recorded."),
    )
    if filing is not None:
        if filing.late:
            messages.warning(request, _("The filing was made after the 30-day deadline and is marked late."))
        return redirect("committees:committee_detail", pk=committee.pk)
    return _committee_page(request, committee, filing_form=form, status=422)


@staff_required
@require_POST
def evaluation_add(request, pk):
    viewer = request.user
    committee = selectors.committee_get(viewer=viewer, pk=pk)
    form = EvaluationForm(request.POST, committee=committee)
    if save_form(
        request,
        form,
        lambda data: services.evaluation_record(actor=viewer, committee=committee, **data),
        _("The evaluation was recorded."),
    ):
        return redirect("committees:committee_detail", pk=committee.pk)
    return _committee_page(request, committee, evaluation_form=form, status=422)


# --- Self-inspection rounds ----------------------------------------------------------------------------


@staff_required
@require_POST
def inspection_start(request, pk):
    viewer = request.user
    committee = selectors.committee_get(viewer=viewer, pk=pk)
    form = InspectionStartForm(request.POST)
    inspection = save_form(
        request,
        form,
        lambda data: services.inspection_start(actor=viewer, committee=committee, **data),
        _("The self-inspection round was opened. Answer every item below."),
    )
    if inspection is not None:
        return redirect("committees:inspection_detail", pk=inspection.pk)
    return _committee_page(request, committee, start_form=form, status=422)


def _inspection_page(request, inspection, *, answer_form=None, close_form=None, status=200, saved=False):
    scope = scope_for(request.user)
    results = list(selectors.inspection_results(inspection=inspection))
    may_answer = inspection.is_open and rules.may_self_inspect(scope, inspection.committee)
    if may_answer and answer_form is None:
        answer_form = InspectionAnswerForm(results=results)
    return render(
        request,
        "committees/inspection_detail.html",
        {
            "inspection": inspection,
            "committee": inspection.committee,
            "results": results,
            "duty_results": [r for r in results if r.item.list == "duty"],
            "negative_results": [r for r in results if r.item.list == "negative"],
            "may_answer": may_answer,
            "answer_form": answer_form,
            "close_form": close_form or InspectionCloseForm(),
            "saved": saved,
        },
        status=status,
    )


@staff_required
def inspection_detail(request, pk):
    """The item-by-item form of a round. Posting saves the answers; with htmx only the form is swapped."""
    viewer = request.user
    inspection = selectors.inspection_get(viewer=viewer, pk=pk)
    if request.method != "POST":
        return _inspection_page(request, inspection)
    results = list(selectors.inspection_results(inspection=inspection))
    form = InspectionAnswerForm(request.POST, results=results)
    if form.is_valid():
        try:
            services.inspection_answer(actor=viewer, inspection=inspection, answers=form.answers())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            inspection = selectors.inspection_get(viewer=viewer, pk=pk)
            if _is_htmx(request):
                return _inspection_page(request, inspection, saved=True)
            messages.success(request, _("The answers were saved."))
            return redirect("committees:inspection_detail", pk=inspection.pk)
    # htmx does not swap error responses: answer 200 so the errors appear beside the items.
    return _inspection_page(request, inspection, answer_form=form, status=200 if _is_htmx(request) else 422)


@staff_required
@require_POST
def inspection_close(request, pk):
    viewer = request.user
    inspection = selectors.inspection_get(viewer=viewer, pk=pk)
    form = InspectionCloseForm(request.POST)
    closed = save_form(
        request,
        form,
        lambda data: services.inspection_close(actor=viewer, inspection=inspection, **data),
        _("The round was closed."),
    )
    if closed is not None:
        tasks = closed.results.filter(task__isnull=False).count()
        if tasks:
            messages.info(
                request, _("%(count)s rectification task(s) were set for the items not met.") % {"count": tasks}
            )
        return redirect("committees:committee_detail", pk=inspection.committee_id)
    inspection = selectors.inspection_get(viewer=viewer, pk=pk)
    return _inspection_page(request, inspection, close_form=form, status=422)


# --- Rectification tasks --------------------------------------------------------------------------------------


def _task_list_page(request, *, task_form=None, status=200):
    viewer = request.user
    scope = scope_for(viewer)
    show_all = request.GET.get("all") == "1"
    page_obj = paginate(request, selectors.task_list(viewer=viewer, open_only=not show_all))
    allowed = {}
    for task in page_obj:
        if task.committee_id not in allowed:
            allowed[task.committee_id] = rules.may_self_inspect(scope, task.committee)
        if task.is_open and allowed[task.committee_id]:
            task.complete_form = (
                task_form
                if task_form is not None and task_form.prefix == f"task{task.pk}"
                else TaskCompleteForm(task=task)
            )
    return render(
        request,
        "committees/task_list.html",
        {
            "page_obj": page_obj,
            "show_all": show_all,
            "today": timezone.localdate(),
        },
        status=status,
    )


@staff_required
def task_list(request):
    return _task_list_page(request)


@staff_required
@require_POST
def task_complete(request, pk):
    viewer = request.user
    task = selectors.task_get(viewer=viewer, pk=pk)
    form = TaskCompleteForm(request.POST, task=task)
    back_to_list = request.POST.get("next") == "tasks"
    if save_form(
        request,
        form,
        lambda data: services.task_complete(actor=viewer, task=task, **data),
        _("The task was completed."),
    ):
        if back_to_list:
            return redirect("committees:task_list")
        return redirect("committees:committee_detail", pk=task.committee_id)
    if back_to_list:
        return _task_list_page(request, task_form=form, status=422)
    committee = selectors.committee_get(viewer=viewer, pk=task.committee_id)
    return _committee_page(request, committee, task_form=form, status=422)


# --- Duty list and negative list ---------------------------------------------------------------------------------


def _duty_page(request, city, *, add_form=None, edit_form=None, edit_pk=None, status=200):
    viewer = request.user
    may_edit = city is not None and rules.may_edit_duty_list(scope_for(viewer), city)
    items = list(selectors.duty_items(city=city)) if city is not None else []
    if may_edit:
        for item in items:
            item.edit_form = (
                edit_form
                if item.pk == edit_pk
                else DutyItemEditForm(
                    initial={"text": item.text, "position": item.position, "active": item.active},
                    prefix=f"item{item.pk}",
                )
            )
    return render(
        request,
        "committees/duty_list.html",
        {
            "city": city,
            "city_form": CityForm(initial={"city": city}, viewer=viewer),
            "duties": [item for item in items if item.list == "duty"],
            "negatives": [item for item in items if item.list == "negative"],
            "may_edit": may_edit,
            "add_form": add_form or DutyItemForm(),
        },
        status=status,
    )


def _city(request, source, *, required: bool = False):
    """The city chosen (or the first the viewer may see); a write needs one (else 404)."""
    cities = selectors.visible_cities(viewer=request.user)
    city_id = source.get("city")
    city = None
    if city_id and str(city_id).isdigit():
        city = cities.filter(pk=int(city_id)).first()
    city = city or cities.first()
    if required and city is None:
        raise Http404
    return city


@staff_required
def duty_list(request):
    return _duty_page(request, _city(request, request.GET))


def _duty_url(city) -> str:
    return f"{reverse('committees:duty_list')}?city={city.pk}"


@staff_required
@require_POST
def duty_item_add(request):
    viewer = request.user
    city = _city(request, request.POST, required=True)
    form = DutyItemForm(request.POST)
    if save_form(
        request, form, lambda data: services.duty_item_create(actor=viewer, city=city, **data), _("The item was added.")
    ):
        return redirect(_duty_url(city))
    return _duty_page(request, city, add_form=form, status=422)


@staff_required
@require_POST
def duty_item_edit(request, pk):
    viewer = request.user
    item = selectors.duty_item_get(viewer=viewer, pk=pk)
    form = DutyItemEditForm(request.POST, prefix=f"item{item.pk}")
    if save_form(
        request, form, lambda data: services.duty_item_update(actor=viewer, item=item, **data), _("The item was saved.")
    ):
        return redirect(_duty_url(item.city))
    return _duty_page(request, item.city, edit_form=form, edit_pk=item.pk, status=422)


@staff_required
@require_POST
def duty_defaults(request):
    city = _city(request, request.POST, required=True)
    created = services.default_duty_items(city, actor=request.user)
    if created:
        messages.success(request, _("%(count)s default items were added.") % {"count": len(created)})
    else:
        messages.info(request, _("The city already has its lists; nothing was added."))
    return redirect(_duty_url(city))
