"""Writes of committee life. Each takes `actor=`, runs in one transaction and leaves audit rows.

`actor=None` is the system (the demo build, the scheduled reminder job): it skips the rules.
Dates default to today; tests and jobs pass `today` explicitly.
"""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jiayuan.core.scope import scope_for
from jiayuan.core.services import create_audited, update_audited
from jiayuan.organisations.models import Organisation, Post
from jiayuan.organisations.services import post_end
from jiayuan.places.models import City

from . import rules
from .models import DutyItem, Evaluation, Filing, InspectionResult, RectificationTask, SelfInspection, TermReminder
from .terms import filing_deadline, needing_a_reminder

__all__ = [
    "default_duty_items",
    "duty_item_create",
    "duty_item_update",
    "evaluation_record",
    "filing_deadline",
    "filing_record",
    "inspection_answer",
    "inspection_close",
    "inspection_start",
    "remind_terms",
    "reminder_recipients",
    "task_complete",
]

Role = Post.Role
DEFAULT_DUTIES = (
    "召集业主大会会议并报告履职情况",
    "执行业主大会决定",
    "代表业主与业主大会选聘的物业服务企业签订物业服务合同",
    "监督物业服务合同履行，及时了解业主意见和建议",
    "监督管理规约实施，督促业主履行义务",
    "监督专项维修资金的筹集和使用",
    "及时公开业委会会议决定和财务情况",
    "接受社区党组织领导，配合做好小区治理和矛盾化解",
)
DEFAULT_NEGATIVES = (
    "不得擅自选聘或解聘物业服务企业",
    "不得收受物业服务企业或其他利害关系人财物",
    "不得挪用侵占业主共有资金",
    "不得擅自使用专项维修资金",
    "不得以业委会名义从事营利活动",
    "不得泄露业主个人信息",
)


# --- helpers ----------------------------------------------------------------------------------


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def _require(actor, rule, *args) -> None:
    """System writes (actor None) skip the rules; a login must be allowed by them."""
    if _user(actor) is not None and not rule(scope_for(actor), *args):
        raise PermissionDenied(_("You may not do this for this owners' committee."))


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _text(value, field: str, message: str, errors: dict, *, limit: int | None = None) -> str:
    value = (value or "").strip()
    if not value:
        errors.setdefault(field, message)
    elif limit is not None and len(value) > limit:
        errors.setdefault(field, _("At most %(limit)s characters.") % {"limit": limit})
    return value


def _not_in_future(day: dt.date | None, field: str, today: dt.date, errors: dict) -> None:
    if day is not None and day > today:
        errors.setdefault(field, _("The date %(date)s is in the future.") % {"date": day.isoformat()})


def _committee(committee: Organisation) -> Organisation:
    if committee.kind != Organisation.Kind.OWNERS_COMMITTEE:
        raise ValidationError({"committee": _("%(name)s is not an owners' committee.") % {"name": committee.name}})
    return committee


def committee_city(committee: Organisation) -> City | None:
    """The city whose duty list applies: that of the committee's (first) compound."""
    compound = committee.compounds.select_related("community__town__city").order_by("pk").first()
    if compound is not None:
        return compound.community.town.city
    if committee.community_id:
        return committee.community.town.city
    return committee.city


# --- Term reminders -----------------------------------------------------------------------------


def reminder_recipients(committee: Organisation, day: dt.date):
    """Accounts with an e-mail address of the committee's director and of the secretary of its community."""
    from jiayuan.core.models import User

    communities = committee.compounds.values("community_id")
    posts = rules.current_posts(day)
    people = posts.filter(
        Q(organisation=committee, role=Role.COMMITTEE_DIRECTOR)
        | Q(role=Role.COMMUNITY_SECRETARY, organisation__community_id__in=communities)
    )
    return (
        User.objects.filter(person_id__in=people.values("person_id"), is_active=True).exclude(email="").order_by("pk")
    )


def _reminder_mail(reminder_id: int) -> None:
    reminder = TermReminder.objects.select_related("committee").get(pk=reminder_id)
    committee = reminder.committee
    compounds = "、".join(committee.compounds.order_by("pk").values_list("name", flat=True))
    if reminder.expired:
        subject = _("The term of %(name)s ended on %(date)s") % {
            "name": committee.name,
            "date": reminder.term_end.isoformat(),
        }
        body = _(
            "The term of the owners' committee %(name)s (%(compounds)s) ended on %(date)s and no new committee "
            "has been elected. Please organise the election of a new committee."
        )
    else:
        subject = _("The term of %(name)s ends on %(date)s") % {
            "name": committee.name,
            "date": reminder.term_end.isoformat(),
        }
        body = _(
            "The term of the owners' committee %(name)s (%(compounds)s) ends on %(date)s. Please start "
            "preparing the election of the next committee (换届) in good time."
        )
    body %= {"name": committee.name, "compounds": compounds or "—", "date": reminder.term_end.isoformat()}
    for user in reminder_recipients(committee, reminder.reminded_on):
        send_mail(subject=subject, message=body, from_email=None, recipient_list=[user.email], fail_silently=True)


def remind_terms(today: dt.date | None = None) -> list[TermReminder]:
    """The daily job: one reminder per committee whose term ends within six months (or has ended).

    Idempotent: a committee already reminded of this term end is skipped, and the database
    refuses a second reminder for the same committee and term end. Each reminder is e-mailed
    after its transaction commits. Returns the reminders created.
    """
    today = _today(today)
    created = []
    already = Exists(TermReminder.objects.filter(committee=OuterRef("pk"), term_end=OuterRef("term_end")))
    for committee in needing_a_reminder(today).exclude(already).order_by("term_end", "pk"):
        try:
            with transaction.atomic():
                reminder = create_audited(
                    TermReminder,
                    actor=None,
                    audit_note="term reminder",
                    committee=committee,
                    term_end=committee.term_end,
                    reminded_on=today,
                    expired=committee.term_end < today,
                    recipient_count=reminder_recipients(committee, today).count(),
                )
                transaction.on_commit(partial(_reminder_mail, reminder.pk))
        except (IntegrityError, ValidationError):  # another run got there first
            continue
        created.append(reminder)
    return created


# --- Filing -------------------------------------------------------------------------------------------


@transaction.atomic
def filing_record(
    *,
    actor,
    committee: Organisation,
    filed_on: dt.date,
    filed_with_housing: bool,
    filed_with_town: bool,
    reference: str = "",
    note: str = "",
    today: dt.date | None = None,
) -> Filing:
    """Record (or correct) the committee's filing. After the 30-day deadline it is accepted and marked late."""
    today = _today(today)
    _committee(committee)
    _require(actor, rules.may_record_filing, committee)
    committee = Organisation.objects.select_for_update().get(pk=committee.pk)
    errors: dict = {}
    if not (filed_with_housing or filed_with_town):
        errors["filed_with_housing"] = _(
            "Say where the committee filed: with the housing department, the town, or both."
        )
    if filed_on is None:
        errors["filed_on"] = _("Give the date of the filing.")
    else:
        _not_in_future(filed_on, "filed_on", today, errors)
        if filed_on < committee.established_on:
            errors.setdefault(
                "filed_on",
                _("The committee was elected on %(date)s; it cannot file before.")
                % {"date": committee.established_on.isoformat()},
            )
    reference = (reference or "").strip()
    if len(reference) > 50:
        errors["reference"] = _("At most %(limit)s characters.") % {"limit": 50}
    note = (note or "").strip()
    if len(note) > 300:
        errors["note"] = _("At most %(limit)s characters.") % {"limit": 300}
    if errors:
        raise ValidationError(errors)
    fields = {
        "filed_on": filed_on,
        "filed_with_housing": bool(filed_with_housing),
        "filed_with_town": bool(filed_with_town),
        "reference": reference,
        "note": note,
        "late": filed_on > filing_deadline(committee),
    }
    existing = Filing.objects.filter(committee=committee).first()
    if existing is not None:
        return update_audited(existing, actor=actor, audit_note="filing corrected", **fields)
    return create_audited(Filing, actor=actor, committee=committee, recorded_by=_user(actor), **fields)


# --- Duty list and negative list -------------------------------------------------------------------


def _next_position(city: City, list_: str) -> int:
    return (DutyItem.objects.filter(city=city, list=list_).aggregate(n=Max("position"))["n"] or 0) + 1


def _check_item(city: City, list_: str, text: str, errors: dict, *, exclude_pk: int | None = None) -> str:
    if list_ not in DutyItem.List.values:
        errors["list"] = _("The list is the duty list or the negative list, not %(value)s.") % {"value": list_}
    text = _text(text, "text", _("Write the item."), errors, limit=200)
    if text and "list" not in errors:
        clash = DutyItem.objects.filter(city=city, list=list_, text=text)
        if exclude_pk is not None:
            clash = clash.exclude(pk=exclude_pk)
        if clash.exists():
            errors["text"] = _("The list already has this item.")
    return text


@transaction.atomic
def duty_item_create(*, actor, city: City, list: str, text: str, position: int | None = None) -> DutyItem:  # noqa: A002
    _require(actor, rules.may_edit_duty_list, city)
    errors: dict = {}
    text = _check_item(city, list, text, errors)
    if position is not None and not 0 <= position <= 32767:
        errors["position"] = _("The position is a number from 0 to 32767.")
    if errors:
        raise ValidationError(errors)
    return create_audited(
        DutyItem,
        actor=actor,
        city=city,
        list=list,
        text=text,
        position=_next_position(city, list) if position is None else position,
    )


@transaction.atomic
def duty_item_update(*, actor, item: DutyItem, text: str, position: int, active: bool) -> DutyItem:
    """Change an item's wording, place or use. An item no longer in use stays in past rounds' results."""
    _require(actor, rules.may_edit_duty_list, item.city)
    item = DutyItem.objects.select_for_update().get(pk=item.pk)
    errors: dict = {}
    text = _check_item(item.city, item.list, text, errors, exclude_pk=item.pk)
    if position is None or not 0 <= position <= 32767:
        errors["position"] = _("The position is a number from 0 to 32767.")
    if errors:
        raise ValidationError(errors)
    return update_audited(item, actor=actor, text=text, position=position, active=bool(active))


@transaction.atomic
def default_duty_items(city: City, actor=None) -> list[DutyItem]:
    """Give a city without any list a sensible default duty list and negative list. Returns the items created."""
    _require(actor, rules.may_edit_duty_list, city)
    City.objects.select_for_update().filter(pk=city.pk).first()
    if DutyItem.objects.filter(city=city).exists():
        return []
    created = []
    for list_, texts in ((DutyItem.List.DUTY, DEFAULT_DUTIES), (DutyItem.List.NEGATIVE, DEFAULT_NEGATIVES)):
        for position, text in enumerate(texts, start=1):
            created.append(
                create_audited(
                    DutyItem,
                    actor=actor,
                    audit_note="default list",
                    city=city,
                    list=list_,
                    text=text,
                    position=position,
                )
            )
    return created


# --- Self-inspection rounds -----------------------------------------------------------------------------


@transaction.atomic
def inspection_start(
    *, actor, committee: Organisation, held_on: dt.date, note: str = "", today: dt.date | None = None
) -> SelfInspection:
    """Open a round with one empty result per item of the city's lists in use today. One open round at a time."""
    today = _today(today)
    _committee(committee)
    _require(actor, rules.may_self_inspect, committee)
    committee = Organisation.objects.select_for_update().get(pk=committee.pk)
    errors: dict = {}
    if held_on is None:
        errors["held_on"] = _("Give the date of the round.")
    else:
        _not_in_future(held_on, "held_on", today, errors)
        if held_on < committee.established_on:
            errors.setdefault(
                "held_on", _("The committee was elected on %(date)s.") % {"date": committee.established_on.isoformat()}
            )
    note = (note or "").strip()[:300]
    if SelfInspection.objects.filter(committee=committee, status=SelfInspection.Status.OPEN).exists():
        errors["committee"] = _("The committee already has an open self-inspection round; close it first.")
    city = committee_city(committee)
    items = list(DutyItem.objects.filter(city=city, active=True).order_by("list", "position", "pk")) if city else []
    if not items:
        errors.setdefault(
            "committee", _("The city has no duty list or negative list yet; the city administrator sets them first.")
        )
    if errors:
        raise ValidationError(errors)
    inspection = create_audited(
        SelfInspection, actor=actor, committee=committee, held_on=held_on, note=note, conducted_by=_user(actor)
    )
    for item in items:
        create_audited(InspectionResult, actor=actor, inspection=inspection, item=item)
    return inspection


def _open_round(actor, inspection: SelfInspection) -> SelfInspection:
    inspection = SelfInspection.objects.select_for_update().select_related("committee").get(pk=inspection.pk)
    _require(actor, rules.may_self_inspect, inspection.committee)
    if not inspection.is_open:
        raise ValidationError(
            {
                "status": _("The round was closed on %(date)s; its results can no longer change.")
                % {"date": inspection.closed_on.isoformat()}
            }
        )
    return inspection


@transaction.atomic
def inspection_answer(*, actor, inspection: SelfInspection, answers: dict[int, tuple[str, str]]) -> SelfInspection:
    """Answer items of an open round: {item id: (result, note)}, result "met", "not_met" or "" (not yet).

    A note is required for an item not met. Errors name the field `result_<item id>` or `note_<item id>`.
    """
    inspection = _open_round(actor, inspection)
    results = {result.item_id: result for result in inspection.results.select_related("item")}
    errors: dict = {}
    cleaned = {}
    for item_id, (result, note) in answers.items():
        result, note = (result or "").strip(), (note or "").strip()
        if item_id not in results:
            errors[f"result_{item_id}"] = _("Item %(id)s is not part of this round.") % {"id": item_id}
            continue
        if result not in ("", *InspectionResult.Result.values):
            errors[f"result_{item_id}"] = _("The result is met or not met, not %(value)s.") % {"value": result}
        elif result == InspectionResult.Result.NOT_MET and not note:
            errors[f"note_{item_id}"] = _("Say what is not met for “%(item)s”.") % {"item": results[item_id].item.text}
        if len(note) > 500:
            errors[f"note_{item_id}"] = _("At most %(limit)s characters.") % {"limit": 500}
        cleaned[item_id] = (result, note)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    for item_id, (result, note) in cleaned.items():
        row = results[item_id]
        if (row.result, row.note) != (result, note):
            update_audited(
                row,
                actor=actor,
                result=result,
                note=note,
                answered_by=_user(actor),
                answered_at=now if result else None,
            )
    return inspection


@transaction.atomic
def inspection_close(
    *, actor, inspection: SelfInspection, due_on: dt.date | None = None, today: dt.date | None = None
) -> SelfInspection:
    """Close a round whose every item is answered; each item not met becomes a rectification task due `due_on`."""
    today = _today(today)
    inspection = _open_round(actor, inspection)
    results = list(inspection.results.select_related("item").order_by("item__list", "item__position", "item_id"))
    errors: dict = {}
    unanswered = [result.item.text for result in results if not result.result]
    if unanswered:
        errors["results"] = _(
            "Every item must be answered before the round is closed; %(count)s not yet: %(items)s"
        ) % {"count": len(unanswered), "items": "；".join(unanswered[:5])}
    not_met = [result for result in results if result.result == InspectionResult.Result.NOT_MET]
    if not_met and due_on is None:
        errors["due_on"] = _("Items are not met: give the date by which they must be put right.")
    elif due_on is not None and due_on < today:
        errors["due_on"] = _("The due date cannot be in the past.")
    if today < inspection.held_on:
        errors["status"] = _("The round is held on %(date)s; it cannot be closed before.") % {
            "date": inspection.held_on.isoformat()
        }
    if errors:
        raise ValidationError(errors)
    for result in not_met:
        create_audited(
            RectificationTask,
            actor=actor,
            committee=inspection.committee,
            result=result,
            description=f"{result.item.text}：{result.note}",
            due_on=due_on,
            created_on=today,
            created_by=_user(actor),
        )
    return update_audited(
        inspection, actor=actor, audit_note="close", status=SelfInspection.Status.CLOSED, closed_on=today
    )


@transaction.atomic
def task_complete(
    *, actor, task: RectificationTask, done_on: dt.date, done_note: str, today: dt.date | None = None
) -> RectificationTask:
    """The committee reports how a task was put right."""
    today = _today(today)
    task = RectificationTask.objects.select_for_update().select_related("committee").get(pk=task.pk)
    _require(actor, rules.may_self_inspect, task.committee)
    if not task.is_open:
        raise ValidationError(
            {"done_on": _("The task was already completed on %(date)s.") % {"date": task.done_on.isoformat()}}
        )
    errors: dict = {}
    done_note = _text(done_note, "done_note", _("Say how it was put right."), errors, limit=2000)
    if done_on is None:
        errors["done_on"] = _("Give the date it was put right.")
    else:
        _not_in_future(done_on, "done_on", today, errors)
        if done_on < task.created_on:
            errors.setdefault(
                "done_on",
                _("The task was set on %(date)s; it cannot be done before.") % {"date": task.created_on.isoformat()},
            )
    if errors:
        raise ValidationError(errors)
    return update_audited(
        task, actor=actor, audit_note="complete", done_on=done_on, done_note=done_note, done_by=_user(actor)
    )


# --- Evaluation -----------------------------------------------------------------------------------------


@transaction.atomic
def evaluation_record(
    *,
    actor,
    committee: Organisation,
    post: Post,
    outcome: str,
    reason: str,
    decided_on: dt.date,
    led_by: str,
    due_on: dt.date | None = None,
    task_description: str = "",
    today: dt.date | None = None,
) -> Evaluation:
    """Record an evaluation of a committee member (履职评价).

    Removal (终止清退) ends the member's post on the day decided, in the same transaction.
    Ordered rectification (责令整改) sets the committee a task due `due_on`.
    Urged improvement (督促改进) is recorded only.
    """
    today = _today(today)
    _committee(committee)
    _require(actor, rules.may_evaluate, committee)
    errors: dict = {}
    post = Post.objects.select_for_update().select_related("person").get(pk=post.pk)
    if outcome not in Evaluation.Outcome.values:
        errors["outcome"] = _("The outcome is removal, ordered rectification or urged improvement, not %(value)s.") % {
            "value": outcome
        }
    reason = _text(reason, "reason", _("Give the reason for the evaluation."), errors, limit=2000)
    led_by = _text(led_by, "led_by", _("Say which departments led the evaluation."), errors, limit=100)
    if decided_on is None:
        errors["decided_on"] = _("Give the date of the decision.")
    else:
        _not_in_future(decided_on, "decided_on", today, errors)
    if post.organisation_id != committee.pk or post.role not in rules.COMMITTEE_ROLES:
        errors["post"] = _("%(person)s holds no post on this committee.") % {"person": post.person.name}
    elif decided_on is not None and not (
        post.start_date <= decided_on and (post.end_date is None or post.end_date > decided_on)
    ):
        errors["post"] = _("%(person)s was not a member of the committee on %(date)s.") % {
            "person": post.person.name,
            "date": decided_on.isoformat(),
        }
    if outcome == Evaluation.Outcome.ORDERED_RECTIFICATION:
        if due_on is None:
            errors["due_on"] = _("An ordered rectification needs the date by which it must be done.")
        elif decided_on is not None and due_on < decided_on:
            errors["due_on"] = _("The due date cannot be before the decision.")
    if errors:
        raise ValidationError(errors)
    evaluation = create_audited(
        Evaluation,
        actor=actor,
        committee=committee,
        post=post,
        outcome=outcome,
        reason=reason,
        decided_on=decided_on,
        led_by=led_by,
        recorded_by=_user(actor),
    )
    if outcome == Evaluation.Outcome.REMOVAL:
        post_end(actor=actor, post=post, end_date=decided_on, note=f"evaluation {evaluation.pk}: removal")
    elif outcome == Evaluation.Outcome.ORDERED_RECTIFICATION:
        description = (task_description or "").strip() or f"{post.person.name}：{reason}"
        create_audited(
            RectificationTask,
            actor=actor,
            committee=committee,
            evaluation=evaluation,
            description=description[:2000],
            due_on=due_on,
            created_on=decided_on,
            created_by=_user(actor),
        )
    return evaluation
