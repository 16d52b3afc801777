"""/api/v1/outreach: reception sessions, linked departments, the service log and the dispute register.

Reads go through the scoped selectors (outside the viewer's scope: 404); writes through the
services. Bad input answers 422 naming the field; a write the viewer may see but not do, 403.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Status

from jiayuan.appeals.selectors import category_tree
from jiayuan.core.api import DbId, paginated, require_staff_scope, service_call, visible_or_422
from jiayuan.core.scope import scope_for
from jiayuan.people.selectors import person_list
from jiayuan.places.selectors import compound_list

from . import selectors, services
from .schemas import (
    ActionOut,
    DisputeEscalateIn,
    DisputeIn,
    DisputeOut,
    DisputeResolveIn,
    IssueIn,
    IssueOut,
    LinkActionIn,
    LinkDetailOut,
    LinkEndIn,
    LinkIn,
    LinkOut,
    ServiceRecordIn,
    ServiceRecordOut,
    ServiceSummaryOut,
    SessionDetailOut,
    SessionIn,
    SessionOut,
    TownReceptionOut,
    VisitorIn,
    VisitorOut,
)

router = Router(tags=["outreach"])


def _require_staff_or_department(viewer) -> None:
    scope = scope_for(viewer)
    if not (scope.is_staff_scope or scope.department_ids):
        raise Http404


# --- Reception sessions -----------------------------------------------------------------


def _session_detail(viewer, session):
    sees_phones = scope_for(viewer).sees_personal_data
    session.visitors_shown = []
    for visitor in selectors.session_visitors(session=session):
        visitor.shown_phone = visitor.phone if sees_phones else visitor.masked_phone
        session.visitors_shown.append(visitor)
    session.issues_shown = list(selectors.session_issues(session=session))
    return session


@router.get(
    "/sessions", response=list[SessionOut], summary="Reception sessions, with visitors, accepted and resolved issues"
)
@paginated
def session_list(request, town_id: DbId | None = None, compound_id: DbId | None = None):
    require_staff_scope(request.user)
    sessions = selectors.session_list(viewer=request.user)
    if town_id is not None:
        sessions = sessions.filter(compound__community__town_id=town_id)
    if compound_id is not None:
        sessions = sessions.filter(compound_id=compound_id)
    return sessions


@router.get("/sessions/towns", response=list[TownReceptionOut], summary="Reception totals per town")
def session_towns(request):
    require_staff_scope(request.user)
    return selectors.reception_totals_by_town(viewer=request.user)


@router.post("/sessions", response={201: SessionOut}, summary="Schedule a leader's reception session")
def session_create(request, payload: SessionIn):
    viewer = request.user
    require_staff_scope(viewer)
    leader = visible_or_422(
        selectors.leader_candidates(viewer=viewer, day=payload.held_on), payload.leader_id, "leader_id"
    )
    compound = visible_or_422(compound_list(viewer=viewer), payload.compound_id, "compound_id")
    organiser = visible_or_422(selectors.organiser_candidates(viewer=viewer), payload.organiser_id, "organiser_id")
    with service_call(leader="leader_id", compound="compound_id", organiser="organiser_id"):
        session = services.reception_session_schedule(
            actor=viewer,
            leader=leader,
            compound=compound,
            organiser=organiser,
            held_on=payload.held_on,
            starts_at=payload.starts_at,
            ends_at=payload.ends_at,
            place=payload.place,
            note=payload.note,
        )
    return Status(201, selectors.session_get(viewer=viewer, pk=session.pk))


@router.get("/sessions/{id}", response=SessionDetailOut, summary="A reception session with its visitors and issues")
def session_detail(request, id: DbId):
    require_staff_scope(request.user)
    return _session_detail(request.user, selectors.session_get(viewer=request.user, pk=id))


@router.post("/sessions/{id}/visitors", response={201: VisitorOut}, summary="Log a visitor at a reception")
def visitor_add(request, id: DbId, payload: VisitorIn):
    viewer = request.user
    require_staff_scope(viewer)
    session = selectors.session_get(viewer=viewer, pk=id)
    person = visible_or_422(person_list(viewer=viewer), payload.person_id, "person_id")
    with service_call(person="person_id"):
        visitor = services.visitor_log(
            actor=viewer,
            session=session,
            name=payload.name,
            phone=payload.phone,
            people_count=payload.people_count,
            issues=payload.issues,
            person=person,
        )
    visitor.shown_phone = visitor.phone if scope_for(viewer).sees_personal_data else visitor.masked_phone
    return Status(201, visitor)


@router.post(
    "/sessions/{id}/issues", response={201: IssueOut}, summary="Record an issue raised at a reception as an appeal"
)
def issue_add(request, id: DbId, payload: IssueIn):
    viewer = request.user
    require_staff_scope(viewer)
    session = selectors.session_get(viewer=viewer, pk=id)
    category = visible_or_422(category_tree(), payload.category_id, "category_id")
    visitor = visible_or_422(selectors.session_visitors(session=session), payload.visitor_id, "visitor_id")
    compound = visible_or_422(compound_list(viewer=viewer), payload.compound_id, "compound_id")
    with service_call(category="category_id", visitor="visitor_id", compound="compound_id"):
        issue = services.reception_issue_raise(
            actor=viewer,
            session=session,
            category=category,
            title=payload.title,
            description=payload.description,
            visitor=visitor,
            compound=compound,
        )
    return Status(201, issue)


# --- Linked departments ----------------------------------------------------------------------


@router.get("/links", response=list[LinkOut], summary="Department ↔ compound links, with actions and open appeals")
@paginated
def link_list(request, current: bool = False, department_id: DbId | None = None):
    _require_staff_or_department(request.user)
    links = selectors.link_list(viewer=request.user, current_only=current)
    if department_id is not None:
        links = links.filter(department_id=department_id)
    return links


@router.post("/links", response={201: LinkOut}, summary="Link a city department to a compound")
def link_create(request, payload: LinkIn):
    viewer = request.user
    require_staff_scope(viewer)
    department = visible_or_422(selectors.department_choices(), payload.department_id, "department_id")
    compound = visible_or_422(compound_list(viewer=viewer), payload.compound_id, "compound_id")
    with service_call(department="department_id", compound="compound_id"):
        link = services.department_link_create(
            actor=viewer,
            department=department,
            compound=compound,
            start_date=payload.start_date,
            reason=payload.reason,
            note=payload.note,
        )
    return Status(201, selectors.link_get(viewer=viewer, pk=link.pk))


@router.get("/links/{id}", response=LinkDetailOut, summary="A link with the department's actions")
def link_detail(request, id: DbId):
    _require_staff_or_department(request.user)
    link = selectors.link_get(viewer=request.user, pk=id)
    link.actions_list = list(selectors.link_actions(link=link))
    return link


@router.post("/links/{id}/actions", response={201: ActionOut}, summary="Record what the department did")
def action_add(request, id: DbId, payload: LinkActionIn):
    viewer = request.user
    _require_staff_or_department(viewer)
    link = selectors.link_get(viewer=viewer, pk=id)
    with service_call():
        action = services.department_action_record(
            actor=viewer, link=link, done_on=payload.done_on, description=payload.description, done_by=payload.done_by
        )
    return Status(201, action)


@router.post("/links/{id}/end", response=LinkOut, summary="End a link")
def link_end(request, id: DbId, payload: LinkEndIn):
    viewer = request.user
    _require_staff_or_department(viewer)
    link = selectors.link_get(viewer=viewer, pk=id)
    with service_call():
        services.department_link_end(actor=viewer, link=link, end_date=payload.end_date)
    return selectors.link_get(viewer=viewer, pk=id)


# --- Service log ---------------------------------------------------------------------------------


@router.get("/service-records", response=list[ServiceRecordOut], summary="In-service party members' service records")
@paginated
def service_record_list(request, compound_id: DbId | None = None, kind: str = ""):
    require_staff_scope(request.user)
    records = selectors.service_record_list(viewer=request.user, kind=kind)
    if compound_id is not None:
        records = records.filter(compound_id=compound_id)
    return records


@router.get(
    "/service-records/summary",
    response=list[ServiceSummaryOut],
    summary="Service per compound or per workplace (by=compound|workplace)",
)
def service_summary(request, by: str = "compound"):
    viewer = request.user
    require_staff_scope(viewer)
    if by == "workplace":
        rows = selectors.service_summary_by_workplace(viewer=viewer)
        return [
            {
                "key": row["member__workplace"],
                "records": row["records"],
                "members": row["members"],
                "hours": row["hours"],
            }
            for row in rows
        ]
    if by == "compound":
        rows = selectors.service_summary_by_compound(viewer=viewer)
        return [
            {"key": row["compound__name"], "records": row["records"], "members": row["members"], "hours": row["hours"]}
            for row in rows
        ]
    raise ValidationError({"by": _("Summaries are by compound or by workplace.")})


@router.post("/service-records", response={201: ServiceRecordOut}, summary="Log service by an in-service party member")
def service_record_create(request, payload: ServiceRecordIn):
    viewer = request.user
    require_staff_scope(viewer)
    member = visible_or_422(selectors.in_service_members(viewer=viewer), payload.member_id, "member_id")
    with service_call(member="member_id"):
        record = services.service_record_create(
            actor=viewer,
            member=member,
            served_on=payload.served_on,
            hours=payload.hours,
            kind=payload.kind,
            description=payload.description,
        )
    return Status(201, selectors.service_record_get(viewer=viewer, pk=record.pk))


@router.get("/service-records/{id}", response=ServiceRecordOut, summary="One service record")
def service_record_detail(request, id: DbId):
    require_staff_scope(request.user)
    return selectors.service_record_get(viewer=request.user, pk=id)


# --- Dispute register --------------------------------------------------------------------------------


@router.get("/disputes", response=list[DisputeOut], summary="The dispute register, high risk first")
@paginated
def dispute_list(request, risk: str = "", status: str = "", compound_id: DbId | None = None):
    require_staff_scope(request.user)
    disputes = selectors.dispute_list(viewer=request.user, risk=risk, status=status)
    if compound_id is not None:
        disputes = disputes.filter(compound_id=compound_id)
    return disputes


@router.post("/disputes", response={201: DisputeOut}, summary="Register a dispute found by screening")
def dispute_create(request, payload: DisputeIn):
    viewer = request.user
    require_staff_scope(viewer)
    compound = visible_or_422(compound_list(viewer=viewer), payload.compound_id, "compound_id")
    with service_call(compound="compound_id"):
        dispute = services.dispute_record(
            actor=viewer,
            compound=compound,
            found_on=payload.found_on,
            found_by=payload.found_by,
            parties=payload.parties,
            category=payload.category,
            description=payload.description,
            risk=payload.risk,
        )
    return Status(201, dispute)


@router.get("/disputes/{id}", response=DisputeOut, summary="One dispute")
def dispute_detail(request, id: DbId):
    require_staff_scope(request.user)
    return selectors.dispute_get(viewer=request.user, pk=id)


@router.post("/disputes/{id}/mediate", response=DisputeOut, summary="Start mediating a dispute")
def dispute_mediate(request, id: DbId):
    viewer = request.user
    require_staff_scope(viewer)
    dispute = selectors.dispute_get(viewer=viewer, pk=id)
    with service_call():
        return services.dispute_mediate(actor=viewer, dispute=dispute)


@router.post("/disputes/{id}/resolve", response=DisputeOut, summary="Record how a dispute was settled")
def dispute_resolve(request, id: DbId, payload: DisputeResolveIn):
    viewer = request.user
    require_staff_scope(viewer)
    dispute = selectors.dispute_get(viewer=viewer, pk=id)
    with service_call():
        return services.dispute_resolve(
            actor=viewer, dispute=dispute, outcome=payload.outcome, handled_on=payload.handled_on
        )


@router.post("/disputes/{id}/escalate", response=DisputeOut, summary="Escalate a dispute as an appeal")
def dispute_escalate(request, id: DbId, payload: DisputeEscalateIn):
    viewer = request.user
    require_staff_scope(viewer)
    dispute = selectors.dispute_get(viewer=viewer, pk=id)
    category = visible_or_422(category_tree(), payload.category_id, "category_id")
    with service_call(category="category_id"):
        return services.dispute_escalate(
            actor=viewer, dispute=dispute, category=category, channel=payload.channel, title=payload.title
        )
