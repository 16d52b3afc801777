"""/api/v1/appeals: residents' appeals as work orders — intake, the handling ladder, notifications.

Reads go through selectors (outside the viewer's scope: 404), writes through services.
A write that the viewer may see but not do answers 403; a stale `version` answers 409,
so two staff acting on the same appeal at once get a clear conflict instead of a lost update.
"""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import File, Form, Query, Router, Status, UploadedFile

from jiayuan.core.api import DbId, paginated, service_call
from jiayuan.core.identity import mask_free_text
from jiayuan.core.scope import scope_for
from jiayuan.organisations.models import Organisation
from jiayuan.organisations.selectors import organisation_list
from jiayuan.places.models import Building, Compound, Room

from . import rules, selectors, services, workflow
from .actions import ACTIONS, Action
from .models import Appeal, Category
from .schemas import (
    ActionIn,
    AppealDetailOut,
    AppealIn,
    AppealOut,
    CategoryNode,
    ErrorOut,
    NotificationOut,
    PublicIn,
)

router = Router(tags=["appeals"])

STAFF_CHANNELS = tuple(c for c in Appeal.Channel.values if c not in {Appeal.Channel.RESIDENT, Appeal.Channel.OPEN311})


def photo_url(appeal: Appeal, photo) -> str:
    """The pages' scoped photo view; it checks the viewer again before it sends a byte."""
    return f"/appeals/{appeal.pk}/photos/{photo.pk}/"


def _error(field: str, message: str) -> dict:
    return {"detail": [{"field": field, "message": str(message)}]}


def _with_viewer_fields(viewer, appeal: Appeal) -> Appeal:
    """Set what depends on the viewer: the contact phone in clear or masked, photos, timeline, actions."""
    scope = scope_for(viewer)
    sees_actors = scope.is_staff_scope or bool(scope.department_ids)
    appeal.contact_shown = selectors.shows_contact_data(viewer=viewer, appeal=appeal)
    appeal.visible_contact_phone = appeal.contact_phone if appeal.contact_shown else appeal.masked_contact_phone
    # Personal numbers typed into free text are masked for everyone who sees the contact masked.
    shown = appeal.contact_shown
    for name in ("description", "resolution", "rating_comment"):
        setattr(appeal, f"visible_{name}", getattr(appeal, name) if shown else mask_free_text(getattr(appeal, name)))
    appeal.visible_photos = [
        {
            "id": photo.pk,
            "kind": photo.kind,
            "url": photo_url(appeal, photo),
            "content_type": photo.content_type,
            "size": photo.size,
        }
        for photo in appeal.photos.order_by("pk")
    ]
    appeal.timeline = [
        {
            "id": event.pk,
            "at": event.at,
            "action": event.action,
            "from_status": event.from_status,
            "to_status": event.to_status,
            "unit": event.unit,
            "by": _actor_name(event.actor) if event.actor_id and (sees_actors or event.actor_id == viewer.pk) else None,
            "reason": _shown(event.reason, shown),
            "days": event.days,
        }
        for event in selectors.appeal_timeline(viewer=viewer, appeal=appeal)
    ]
    appeal.actions = selectors.available_actions(viewer=viewer, appeal=appeal)
    return appeal


def _shown(text: str, shown: bool) -> str:
    return text if shown else mask_free_text(text)


def _actor_name(user) -> str:
    return user.person.name if user.person_id else user.get_username()


# --- reads -----------------------------------------------------------------------------


@router.get("", response=list[AppealOut], summary="Appeals the viewer may see")
@paginated
def appeal_list(
    request,
    status: str = "",
    open_only: bool = Query(False, alias="open"),
    overdue: bool = False,
    compound: DbId | None = None,
    unit: DbId | None = None,
    q: str = "",
):
    """`status` is one state; `open=true` leaves out closed and merged ones; `overdue=true` those past
    their deadline and still open; `compound` and `unit` are ids; `q` is a whole number or part of a title."""
    if status and status not in Appeal.Status.values:
        raise ValidationError({"status": _("Unknown status %(value)s.") % {"value": status}})
    return selectors.appeal_list(
        viewer=request.user, status=status, open_only=open_only, overdue=overdue, compound=compound, unit=unit, search=q
    )


@router.get("/work", response=list[AppealOut], summary="A department's open work, nearest deadline first")
@paginated
def department_work(request, department: DbId | None = None):
    """Department staff see their department's open orders; the city administrator names a `department`."""
    viewer = request.user
    scope = scope_for(viewer)
    if department is None:
        wanted = scope.department_ids
    elif department in scope.department_ids or scope.everything:
        wanted = {department}
    else:
        raise Http404
    departments = list(Organisation.objects.filter(pk__in=wanted, kind=Organisation.Kind.DEPARTMENT))
    if department is not None and not departments:
        raise Http404
    work = [selectors.department_open_work(viewer=viewer, department=unit) for unit in departments]
    return reduce(or_, work).order_by("deadline", "id") if work else Appeal.objects.none()


@router.get("/categories", response=list[CategoryNode], summary="The active three-level category catalogue")
def category_tree(request):
    """A tree: level-1 categories with their children. A child of a retired category is left out with it."""
    nodes = {
        c.pk: {
            "id": c.pk,
            "code": c.code,
            "name": c.name,
            "level": c.level,
            "deadline_days": c.deadline_days,
            "parent_id": c.parent_id,
            "children": [],
        }
        for c in selectors.category_tree()
    }
    roots = []
    for node in nodes.values():
        if node["parent_id"] is None:
            roots.append(node)
        elif node["parent_id"] in nodes:
            nodes[node["parent_id"]]["children"].append(node)
    return roots


@router.get("/notifications", response=list[NotificationOut], summary="The viewer's notifications, newest first")
@paginated
def notification_list(request, unread: bool = False):
    return selectors.notification_list(viewer=request.user, unread_only=unread)


@router.post("/notifications/{id}/read", response=NotificationOut, summary="Mark a notification read")
def notification_read(request, id: DbId):
    notification = selectors.notification_get(viewer=request.user, pk=id)
    return services.notification_mark_read(actor=request.user, notification=notification)


@router.get("/{id}", response=AppealDetailOut, summary="An appeal with its timeline and photos")
def appeal_detail(request, id: DbId):
    viewer = request.user
    return _with_viewer_fields(viewer, selectors.appeal_get(viewer=viewer, pk=id))


@router.post("/{id}/public", response=AppealDetailOut, summary="Open an appeal to the public, or close it")
def appeal_public(request, id: DbId, payload: PublicIn):
    """Staff over the compound or the reporter; the public Open311 record then shows the category, the
    compound and the summary, never the resident's own text."""
    viewer = request.user
    appeal = selectors.appeal_get(viewer=viewer, pk=id)
    with service_call(public_summary="summary"):
        appeal = services.appeal_set_public(actor=viewer, appeal=appeal, public=payload.public, summary=payload.summary)
    return _with_viewer_fields(viewer, selectors.appeal_get(viewer=viewer, pk=id))


# --- intake ------------------------------------------------------------------------------


def _found(model, pk: int | None, field: str, message: str):
    """The row `pk` names, or a 422 on `field`. Whether it may be used there is the service's call."""
    if pk is None:
        return None
    found = model.objects.filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: message})
    return found


def _channel(viewer, given: str | None) -> str:
    """Residents report for themselves; staff say which channel they heard the appeal on."""
    staff = scope_for(viewer).is_staff_scope
    choices = ", ".join(STAFF_CHANNELS)
    if not given:
        if staff:
            raise ValidationError(
                {"channel": _("Say where the appeal was heard: one of %(choices)s.") % {"choices": choices}}
            )
        return Appeal.Channel.RESIDENT
    if given == Appeal.Channel.RESIDENT:
        return given
    if not staff:
        raise ValidationError({"channel": _("You can only report a problem yourself; leave the channel out.")})
    if given not in STAFF_CHANNELS:
        raise ValidationError(
            {"channel": _("Unknown channel %(value)s; use one of %(choices)s.") % {"value": given, "choices": choices}}
        )
    return given


@router.post("", response={201: AppealDetailOut}, summary="Report a problem (multipart form with photos)")
def appeal_create(request, payload: Form[AppealIn], photos: File[list[UploadedFile]] = None):
    """`category` is a category code; `compound`, `building` and `room` are ids; up to 6 photos
    (JPEG, PNG or WebP, at most 5 MB each) in the `photos` field."""
    viewer = request.user
    channel = _channel(viewer, payload.channel)
    category = Category.objects.filter(code=payload.category.strip()).first()
    if category is None:
        raise ValidationError({"category": _("Unknown category code %(code)s.") % {"code": payload.category}})
    compound = _found(Compound, payload.compound, "compound", _("There is no such compound."))
    building = _found(Building, payload.building, "building", _("The building is not in the compound."))
    room = _found(Room, payload.room, "room", _("The room is not in the compound."))
    appeal = services.appeal_submit(
        actor=viewer,
        channel=channel,
        category=category,
        title=payload.title,
        description=payload.description,
        compound=compound,
        building=building,
        room=room,
        contact_name=payload.contact_name,
        contact_phone=payload.contact_phone,
        contact_email=payload.contact_email,
        photos=list(photos or []),
        latitude=payload.latitude,
        longitude=payload.longitude,
    )
    return Status(201, _with_viewer_fields(viewer, appeal))


# --- actions ---------------------------------------------------------------------------------


def _department(viewer, pk: int | None, *, required: bool) -> Organisation | None:
    if pk is None:
        if required:
            raise ValidationError({"department": _("Choose a city department.")})
        return None
    found = organisation_list(viewer=viewer, kind=Organisation.Kind.DEPARTMENT).filter(pk=pk).first()
    if found is None:
        raise ValidationError({"department": _("There is no city department with id %(id)s.") % {"id": pk}})
    return found


# What the API answers when the body lacks an argument the action cannot do without.
REQUIRED = {
    "days": gettext_lazy("Say how many working days more are needed."),
    "reached": gettext_lazy("Say whether the resident was reached."),
    "into": gettext_lazy("Name the appeal to merge into."),
}
# A reassignment needs a department; a dispatch without one escalates to the community. A reassignment's reason
# is required by the service (after the stage check, so a wrong stage is named first).
NEEDS_DEPARTMENT = {"reassign"}


def _into(viewer, pk: int) -> Appeal:
    into = selectors.appeal_list(viewer=viewer).filter(pk=pk).first()
    if into is None:
        raise ValidationError({"into": _("There is no appeal %(id)s that you may see.") % {"id": pk}})
    return into


def _arguments(viewer, action: Action, payload: ActionIn) -> dict:
    """The service's arguments from the body: ids become the objects the viewer may name."""
    arguments = {}
    for name in action.takes:
        value = getattr(payload, name)
        if name == "department":
            value = _department(viewer, value, required=action.name in NEEDS_DEPARTMENT)
        elif value is None and name in REQUIRED:
            raise ValidationError({name: str(REQUIRED[name])})
        elif name == "into":
            value = _into(viewer, value)
        arguments[name] = value
    return arguments


@router.post(
    "/{id}/actions/{action}",
    response={200: AppealDetailOut, 403: ErrorOut, 409: ErrorOut},
    summary="Take an action on an appeal",
)
def appeal_act(request, id: DbId, action: str, payload: ActionIn):
    """`action` is one of accept, start, dispatch, return, reassign, request_extension, grant_extension,
    refuse_extension, resolve, callback, close, rate, reopen, merge, supervise. `rate` takes the reporter's
    three answers: `contacted` and `solved` (true/false) and `rating` (satisfied, basic, dissatisfied), with an
    optional `comment`; `callback` takes `reached` and, for a reporter without an account, optionally the
    same three answers on their behalf; `reassign` takes the `department` and a `reason` (both required: 422
    naming the field without it). `version` is the
    version the caller last saw: if someone changed the appeal since, the answer is 409 and nothing changes."""
    viewer = request.user
    declared = ACTIONS.get(action)
    if declared is None:
        raise Http404
    appeal = selectors.appeal_get(viewer=viewer, pk=id)
    not_yours = _("You may not %(action)s this appeal.") % {"action": workflow.action_name(action)}
    if not rules.allowed(action, scope=scope_for(viewer), appeal=appeal, user=viewer):
        return Status(403, _error("__all__", not_yours))
    try:
        appeal = declared.run(
            actor=viewer, appeal=appeal, version=payload.version, **_arguments(viewer, declared, payload)
        )
    except services.ConflictError as exc:
        return Status(409, _error("version", str(exc)))
    except PermissionDenied as exc:
        return Status(403, _error("__all__", str(exc) or not_yours))
    return _with_viewer_fields(viewer, appeal)
