"""/api/v1/committees: owners' committees' terms, filing, duty lists, self-inspection, tasks and evaluations.

Staff only: department staff and residents get 404, as does a committee outside the viewer's
scope. Reads go through the scoped selectors, writes through the services. Bad input answers
422 naming the field; a write the viewer may see but not do, 403.
"""

from __future__ import annotations

from ninja import Router, Status

from jiayuan.core.api import DbId, paginated, require_staff_scope, service_call, visible_or_422

from . import selectors, services
from .schemas import (
    AnswersIn,
    CloseIn,
    CommitteeDetailOut,
    CommitteeOut,
    DutyItemIn,
    DutyItemOut,
    DutyItemPatch,
    EvaluationIn,
    EvaluationOut,
    FilingIn,
    FilingOut,
    FilingsOut,
    InspectionDetailOut,
    InspectionIn,
    InspectionOut,
    ReminderOut,
    TaskCompleteIn,
    TaskOut,
    TermsOut,
)

router = Router(tags=["committees"])


# --- Lists (static paths first: they must not be taken for a committee id) -----------------------------------


@router.get("", response=list[CommitteeOut], summary="Owners' committees the viewer may see, soonest term end first")
@paginated
def committee_list(request, search: str = ""):
    require_staff_scope(request.user)
    return selectors.committee_list(viewer=request.user, search=search)


@router.get("/terms", response=TermsOut, summary="Terms ending within six months, and terms ended without a successor")
def terms(request):
    require_staff_scope(request.user)
    overview = selectors.term_overview(viewer=request.user)
    return {"horizon": overview["horizon"], "soon": list(overview["soon"]), "expired": list(overview["expired"])}


@router.get("/filings", response=FilingsOut, summary="Filings due, overdue (30 days after the election) and made")
def filings(request):
    require_staff_scope(request.user)
    overview = selectors.filing_overview(viewer=request.user)
    return {key: list(overview[key]) for key in ("due", "overdue", "filed")}


@router.get("/reminders", response=list[ReminderOut], summary="Term reminders sent")
@paginated
def reminder_list(request, committee_id: DbId | None = None):
    require_staff_scope(request.user)
    reminders = selectors.reminder_list(viewer=request.user)
    if committee_id is not None:
        reminders = reminders.filter(committee_id=committee_id)
    return reminders


@router.get("/duty-items", response=list[DutyItemOut], summary="A city's duty list and negative list")
def duty_item_list(request, city_id: DbId | None = None, active: bool = False):
    viewer = request.user
    require_staff_scope(viewer)
    cities = selectors.visible_cities(viewer=viewer)
    city = cities.filter(pk=city_id).first() if city_id is not None else cities.first()
    if city is None:
        return []
    return list(selectors.duty_items(city=city, active_only=active))


@router.post("/duty-items", response={201: DutyItemOut}, summary="Add an item to a city's list (city administrator)")
def duty_item_create(request, payload: DutyItemIn):
    viewer = request.user
    require_staff_scope(viewer)
    city = visible_or_422(selectors.visible_cities(viewer=viewer), payload.city_id, "city_id")
    with service_call(city="city_id"):
        item = services.duty_item_create(
            actor=viewer, city=city, list=payload.list, text=payload.text, position=payload.position
        )
    return Status(201, item)


@router.patch("/duty-items/{id}", response=DutyItemOut, summary="Change an item's wording, position or use")
def duty_item_update(request, id: DbId, payload: DutyItemPatch):
    viewer = request.user
    require_staff_scope(viewer)
    item = selectors.duty_item_get(viewer=viewer, pk=id)
    with service_call():
        return services.duty_item_update(
            actor=viewer,
            item=item,
            text=item.text if payload.text is None else payload.text,
            position=item.position if payload.position is None else payload.position,
            active=item.active if payload.active is None else payload.active,
        )


@router.get("/inspections", response=list[InspectionOut], summary="Self-inspection rounds with their counts")
@paginated
def inspection_list(request, committee_id: DbId | None = None, status: str = ""):
    require_staff_scope(request.user)
    rounds = selectors.inspection_list(viewer=request.user)
    if committee_id is not None:
        rounds = rounds.filter(committee_id=committee_id)
    if status:
        rounds = rounds.filter(status=status)
    return rounds


def _inspection_detail(viewer, pk: int):
    inspection = selectors.inspection_get(viewer=viewer, pk=pk)
    inspection.results_shown = list(selectors.inspection_results(inspection=inspection))
    return inspection


@router.get("/inspections/{id}", response=InspectionDetailOut, summary="A round with its item-by-item results")
def inspection_detail(request, id: DbId):
    require_staff_scope(request.user)
    return _inspection_detail(request.user, id)


@router.post("/inspections/{id}/answers", response=InspectionDetailOut, summary="Answer items of an open round")
def inspection_answer(request, id: DbId, payload: AnswersIn):
    viewer = request.user
    require_staff_scope(viewer)
    inspection = selectors.inspection_get(viewer=viewer, pk=id)
    answers = {answer.item_id: (answer.result, answer.note) for answer in payload.answers}
    names = {}
    for index, answer in enumerate(payload.answers):
        names[f"result_{answer.item_id}"] = f"answers.{index}.result"
        names[f"note_{answer.item_id}"] = f"answers.{index}.note"
    with service_call(**names):
        services.inspection_answer(actor=viewer, inspection=inspection, answers=answers)
    return _inspection_detail(viewer, id)


@router.post(
    "/inspections/{id}/close",
    response=InspectionDetailOut,
    summary="Close a fully answered round; items not met become rectification tasks",
)
def inspection_close(request, id: DbId, payload: CloseIn):
    viewer = request.user
    require_staff_scope(viewer)
    inspection = selectors.inspection_get(viewer=viewer, pk=id)
    with service_call():
        services.inspection_close(actor=viewer, inspection=inspection, due_on=payload.due_on)
    return _inspection_detail(viewer, id)


@router.get("/tasks", response=list[TaskOut], summary="Rectification tasks, open ones first")
@paginated
def task_list(request, open: bool = False, committee_id: DbId | None = None):  # noqa: A002
    require_staff_scope(request.user)
    tasks = selectors.task_list(viewer=request.user, open_only=open)
    if committee_id is not None:
        tasks = tasks.filter(committee_id=committee_id)
    return tasks


@router.post("/tasks/{id}/complete", response=TaskOut, summary="Complete a rectification task with a note")
def task_complete(request, id: DbId, payload: TaskCompleteIn):
    viewer = request.user
    require_staff_scope(viewer)
    task = selectors.task_get(viewer=viewer, pk=id)
    with service_call():
        services.task_complete(actor=viewer, task=task, done_on=payload.done_on, done_note=payload.done_note)
    return selectors.task_get(viewer=viewer, pk=id)


@router.get("/evaluations", response=list[EvaluationOut], summary="Evaluations of committee members")
@paginated
def evaluation_list(request, committee_id: DbId | None = None, outcome: str = ""):
    require_staff_scope(request.user)
    evaluations = selectors.evaluation_list(viewer=request.user, outcome=outcome)
    if committee_id is not None:
        evaluations = evaluations.filter(committee_id=committee_id)
    return evaluations


# --- One committee ---------------------------------------------------------------------------------------------


@router.get("/{id}", response=CommitteeDetailOut, summary="A committee with its members, filing and reminders")
def committee_detail(request, id: DbId):
    viewer = request.user
    require_staff_scope(viewer)
    committee = selectors.committee_get(viewer=viewer, pk=id)
    committee.members_shown = list(selectors.member_posts(committee=committee))
    committee.filing_shown = selectors.committee_filing(committee)
    committee.reminders_shown = list(selectors.reminder_list(viewer=viewer, committee=committee))
    return committee


@router.post("/{id}/filing", response=FilingOut, summary="Record (or correct) the committee's filing")
def filing_record(request, id: DbId, payload: FilingIn):
    viewer = request.user
    require_staff_scope(viewer)
    committee = selectors.committee_get(viewer=viewer, pk=id)
    with service_call():
        return services.filing_record(actor=viewer, committee=committee, **payload.dict())


@router.post("/{id}/inspections", response={201: InspectionDetailOut}, summary="Start a self-inspection round")
def inspection_start(request, id: DbId, payload: InspectionIn):
    viewer = request.user
    require_staff_scope(viewer)
    committee = selectors.committee_get(viewer=viewer, pk=id)
    with service_call():
        inspection = services.inspection_start(
            actor=viewer, committee=committee, held_on=payload.held_on, note=payload.note
        )
    return Status(201, _inspection_detail(viewer, inspection.pk))


@router.post("/{id}/evaluations", response={201: EvaluationOut}, summary="Record an evaluation of a member")
def evaluation_record(request, id: DbId, payload: EvaluationIn):
    viewer = request.user
    require_staff_scope(viewer)
    committee = selectors.committee_get(viewer=viewer, pk=id)
    post = visible_or_422(
        selectors.member_posts(committee=committee, day=payload.decided_on), payload.post_id, "post_id"
    )
    with service_call(post="post_id"):
        evaluation = services.evaluation_record(
            actor=viewer,
            committee=committee,
            post=post,
            outcome=payload.outcome,
            reason=payload.reason,
            decided_on=payload.decided_on,
            led_by=payload.led_by,
            due_on=payload.due_on,
            task_description=payload.task_description,
        )
    return Status(201, selectors.evaluation_get(viewer=viewer, pk=evaluation.pk))
