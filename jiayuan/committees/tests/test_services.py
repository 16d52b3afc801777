"""The committee-life services: their rules, the database constraints behind them, and the audit rows they leave."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from jiayuan.committees import services
from jiayuan.committees.models import (
    DutyItem,
    Evaluation,
    Filing,
    InspectionResult,
    RectificationTask,
    SelfInspection,
    TermReminder,
)
from jiayuan.committees.services import evaluation as evaluation_services
from jiayuan.committees.terms import add_months, filing_deadline
from jiayuan.core.audit import history_for
from jiayuan.core.models import AuditEntry
from jiayuan.organisations import services as org_services
from jiayuan.organisations.models import Organisation, Post
from jiayuan.testing import START

from .conftest import EVALUATORS, INSPECTORS, OVERSEERS, answer_all

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)
TODAY = dt.date(2026, 3, 10)


def fields_of(exc_info) -> set[str]:
    return set(exc_info.value.message_dict)


def new_committee(world, *, established_on, term_end, compound=None, name="宝龙世家业委会"):
    return org_services.committee_create(
        actor=None,
        compound=compound or world.compound_a2,
        name=name,
        established_on=established_on,
        term_end=term_end,
        seats=5,
    )


# --- dates ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2024, 8, 31), 6, dt.date(2025, 2, 28)),
        (dt.date(2023, 8, 29), 6, dt.date(2024, 2, 29)),
        (dt.date(2026, 7, 15), 6, dt.date(2027, 1, 15)),
        (dt.date(2026, 3, 31), -1, dt.date(2026, 2, 28)),
    ],
)
def test_adding_months_clamps_to_the_end_of_a_shorter_month(day, months, expected):
    assert add_months(day, months) == expected


def test_the_filing_deadline_is_thirty_days_after_the_election(world):
    assert filing_deadline(world.committee_a) == dt.date(2024, 1, 31)
    assert services.filing_deadline is filing_deadline


# --- term reminders -------------------------------------------------------------------------------------


def test_a_committee_is_reminded_once_when_its_term_ends_within_six_months(world):
    assert services.remind_terms(dt.date(2028, 6, 30)) == []  # 2028-12-31 is more than six months away
    created = services.remind_terms(dt.date(2028, 7, 1))
    assert [(r.committee, r.term_end, r.reminded_on, r.expired) for r in created] == [
        (world.committee_a, dt.date(2028, 12, 31), dt.date(2028, 7, 1), False)
    ]
    assert services.remind_terms(dt.date(2028, 7, 2)) == []
    assert services.remind_terms(dt.date(2029, 1, 5)) == []  # already reminded of this term end
    assert TermReminder.objects.count() == 1
    entry = history_for(created[0]).get()
    assert (entry.action, entry.actor_name) == (AuditEntry.Action.CREATE, "system")


def test_a_term_extended_after_the_reminder_gets_a_new_reminder(world):
    services.remind_terms(dt.date(2028, 7, 1))
    committee = Organisation.objects.get(pk=world.committee_a.pk)  # not the world's shared instance
    committee.term_end = dt.date(2028, 12, 1)
    committee.save(update_fields=["term_end"])
    created = services.remind_terms(dt.date(2028, 7, 2))
    assert [(r.committee, r.term_end) for r in created] == [(committee, dt.date(2028, 12, 1))]
    assert TermReminder.objects.filter(committee=committee).count() == 2


def test_an_expired_committee_without_a_successor_is_reminded_as_expired(world):
    old = new_committee(world, established_on=dt.date(2019, 5, 1), term_end=dt.date(2024, 4, 30))
    created = services.remind_terms(TODAY)
    assert [(r.committee, r.expired) for r in created] == [(old, True)]


def test_a_committee_with_a_newer_committee_for_its_compound_is_not_reminded(world):
    new_committee(world, established_on=dt.date(2019, 5, 1), term_end=dt.date(2024, 4, 30), name="宝龙世家第一届业委会")
    new_committee(world, established_on=dt.date(2024, 5, 10), term_end=dt.date(2029, 5, 9), name="宝龙世家第二届业委会")
    assert services.remind_terms(TODAY) == []


def test_a_dissolved_committee_is_not_reminded(world):
    old = new_committee(world, established_on=dt.date(2019, 5, 1), term_end=dt.date(2024, 4, 30))
    old.dissolved_on = dt.date(2024, 6, 1)
    old.save(update_fields=["dissolved_on"])
    assert services.remind_terms(TODAY) == []


def test_the_database_refuses_a_second_reminder_for_the_same_term_end(world):
    TermReminder.objects.create(
        committee=world.committee_a, term_end=world.committee_a.term_end, reminded_on=dt.date(2028, 7, 1)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        TermReminder.objects.create(
            committee=world.committee_a, term_end=world.committee_a.term_end, reminded_on=dt.date(2028, 8, 1)
        )


def test_the_reminder_is_mailed_after_commit_to_the_director_and_the_community_secretary(
    world, django_capture_on_commit_callbacks
):
    for persona in ("committee_director", "community_secretary", "branch_secretary", "town_clerk"):
        world.users[persona].email = f"{persona}@example.cn"
        world.users[persona].save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        reminder = services.remind_terms(dt.date(2028, 7, 1))[0]
    assert mail.outbox == []  # nothing is sent before the transaction commits
    for callback in callbacks:
        callback()
    assert reminder.recipient_count == 2
    assert sorted(address for message in mail.outbox for address in message.to) == [
        "committee_director@example.cn",
        "community_secretary@example.cn",
    ]
    assert all("2028-12-31" in message.subject and "金利花园业委会" in message.subject for message in mail.outbox)


def test_accounts_without_an_e_mail_address_are_not_mailed(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        reminder = services.remind_terms(dt.date(2028, 7, 1))[0]
    assert (reminder.recipient_count, len(mail.outbox)) == (0, 0)


# --- filing ----------------------------------------------------------------------------------------------


def test_a_filing_within_thirty_days_is_on_time_and_audited(world):
    committee = new_committee(world, established_on=dt.date(2026, 2, 1), term_end=dt.date(2031, 1, 31))
    filing = services.filing_record(
        actor=world.users["town_clerk"],
        committee=committee,
        filed_on=dt.date(2026, 3, 3),
        filed_with_housing=True,
        filed_with_town=True,
        reference="晋住备〔2026〕12号",
        today=TODAY,
    )
    assert (filing.late, filing.recorded_by) == (False, world.users["town_clerk"])
    assert history_for(filing).get().actor == world.users["town_clerk"]


def test_a_filing_after_the_deadline_is_accepted_and_marked_late(world):
    committee = new_committee(world, established_on=dt.date(2026, 2, 1), term_end=dt.date(2031, 1, 31))
    filing = services.filing_record(
        actor=None,
        committee=committee,
        filed_on=dt.date(2026, 3, 4),
        filed_with_housing=True,
        filed_with_town=False,
        today=TODAY,
    )
    assert filing.late is True


def test_recording_the_filing_again_corrects_it_in_place(world):
    committee = new_committee(world, established_on=dt.date(2026, 2, 1), term_end=dt.date(2031, 1, 31))
    first = services.filing_record(
        actor=None,
        committee=committee,
        filed_on=dt.date(2026, 3, 4),
        filed_with_housing=True,
        filed_with_town=False,
        today=TODAY,
    )
    second = services.filing_record(
        actor=world.users["city_admin"],
        committee=committee,
        filed_on=dt.date(2026, 2, 20),
        filed_with_housing=True,
        filed_with_town=True,
        today=TODAY,
    )
    assert second.pk == first.pk and Filing.objects.filter(committee=committee).count() == 1
    assert (second.late, second.filed_with_town) == (False, True)
    assert list(history_for(second).values_list("action", flat=True)) == ["update", "create"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"filed_with_housing": False, "filed_with_town": False}, "filed_with_housing"),
        ({"filed_on": dt.date(2026, 3, 11)}, "filed_on"),
        ({"filed_on": dt.date(2026, 1, 31)}, "filed_on"),
        ({"reference": "号" * 51}, "reference"),
    ],
)
def test_a_bad_filing_names_the_field_and_saves_nothing(world, changes, field):
    committee = new_committee(world, established_on=dt.date(2026, 2, 1), term_end=dt.date(2031, 1, 31))
    data = {"filed_on": dt.date(2026, 2, 20), "filed_with_housing": True, "filed_with_town": True, **changes}
    with pytest.raises(ValidationError) as exc:
        services.filing_record(actor=None, committee=committee, today=TODAY, **data)
    assert field in fields_of(exc)
    assert not Filing.objects.filter(committee=committee).exists()


def test_the_database_requires_a_filing_with_the_housing_department_or_the_town(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Filing.objects.create(committee=world.committee_a, filed_on=START)


@pytest.mark.parametrize("persona", ["branch_secretary", "committee_director", "property_manager", "building_head"])
def test_only_the_community_town_or_city_records_a_filing(world, persona):
    assert persona not in OVERSEERS
    with pytest.raises(PermissionDenied):
        services.filing_record(
            actor=world.users[persona],
            committee=world.committee_a,
            filed_on=dt.date(2024, 1, 20),
            filed_with_housing=True,
            filed_with_town=True,
            today=TODAY,
        )


def test_only_an_owners_committee_can_file(world):
    with pytest.raises(ValidationError) as exc:
        services.filing_record(
            actor=None,
            committee=world.branch_a,
            filed_on=dt.date(2024, 1, 20),
            filed_with_housing=True,
            filed_with_town=True,
            today=TODAY,
        )
    assert fields_of(exc) == {"committee"}


# --- duty list and negative list ---------------------------------------------------------------------------


def test_a_city_without_lists_gets_the_default_lists_once(world):
    created = services.default_duty_items(world.city, actor=world.users["city_admin"])
    duties = [item.text for item in created if item.list == DutyItem.List.DUTY]
    negatives = [item.text for item in created if item.list == DutyItem.List.NEGATIVE]
    assert len(duties) == 8 and len(negatives) == 6
    assert "召集业主大会会议并报告履职情况" in duties and "不得泄露业主个人信息" in negatives
    assert [item.position for item in created if item.list == "duty"] == list(range(1, 9))
    assert services.default_duty_items(world.city, actor=None) == []
    assert DutyItem.objects.filter(city=world.city).count() == 14
    assert AuditEntry.objects.filter(object_type="committees.dutyitem").count() == 14


def test_only_the_city_administrator_edits_the_lists(world, items):
    with pytest.raises(PermissionDenied):
        services.default_duty_items(world.city, actor=world.users["town_clerk"])
    with pytest.raises(PermissionDenied):
        services.duty_item_create(actor=world.users["community_secretary"], city=world.city, list="duty", text="新增")
    with pytest.raises(PermissionDenied):
        services.duty_item_update(
            actor=world.users["committee_director"], item=items[0], text="改", position=1, active=True
        )


def test_an_item_is_added_at_the_end_of_its_list(world, items):
    item = services.duty_item_create(
        actor=world.users["city_admin"], city=world.city, list="negative", text="不得拒绝业主查阅资料"
    )
    assert item.position == 7
    assert history_for(item).get().actor == world.users["city_admin"]


def test_an_item_cannot_appear_twice_in_one_list(world, items):
    with pytest.raises(ValidationError) as exc:
        services.duty_item_create(actor=None, city=world.city, list="duty", text="执行业主大会决定")
    assert fields_of(exc) == {"text"}
    with pytest.raises(IntegrityError), transaction.atomic():
        DutyItem.objects.create(city=world.city, list="duty", text="执行业主大会决定")


def test_an_item_is_reworded_and_switched_off_with_an_audit_row(world, items):
    item = services.duty_item_update(
        actor=world.users["city_admin"], item=items[1], text="执行业主大会作出的决定", position=9, active=False
    )
    item.refresh_from_db()
    assert (item.text, item.position, item.active) == ("执行业主大会作出的决定", 9, False)
    entry = history_for(item).filter(action="update").get()
    assert entry.before["active"] is True and entry.after["active"] is False


# --- self-inspection rounds -------------------------------------------------------------------------------


def start(world, persona="committee_director", **kwargs):
    return services.inspection_start(
        actor=world.users[persona] if persona else None,
        committee=world.committee_a,
        held_on=kwargs.pop("held_on", TODAY),
        today=TODAY,
        **kwargs,
    )


def test_a_round_holds_one_empty_result_per_item_in_use(world, items):
    services.duty_item_update(actor=None, item=items[0], text=items[0].text, position=1, active=False)
    inspection = start(world)
    assert inspection.status == "open" and inspection.conducted_by == world.users["committee_director"]
    results = list(inspection.results.all())
    assert len(results) == 13 and {r.result for r in results} == {""}
    assert items[0].pk not in {r.item_id for r in results}


def test_a_round_needs_the_city_lists(world):
    with pytest.raises(ValidationError) as exc:
        start(world)
    assert fields_of(exc) == {"committee"}
    assert not SelfInspection.objects.exists()


def test_a_committee_has_one_open_round_at_a_time(world, items):
    start(world)
    with pytest.raises(ValidationError) as exc:
        start(world, held_on=TODAY - DAY)
    assert fields_of(exc) == {"committee"}
    with pytest.raises(IntegrityError), transaction.atomic():
        SelfInspection.objects.create(committee=world.committee_a, held_on=TODAY)


def test_a_round_cannot_be_held_in_the_future(world, items):
    with pytest.raises(ValidationError) as exc:
        start(world, held_on=TODAY + DAY)
    assert fields_of(exc) == {"held_on"}


@pytest.mark.parametrize("persona", INSPECTORS)
def test_committee_members_branch_leaders_and_overseers_run_rounds(world, items, persona):
    assert start(world, persona).pk


@pytest.mark.parametrize("persona", ["property_manager", "building_head"])
def test_the_property_manager_and_building_heads_do_not_run_rounds(world, items, persona):
    with pytest.raises(PermissionDenied):
        start(world, persona)


def test_a_member_of_another_committee_may_not_inspect_this_one(world, items, chidian_committee):
    with pytest.raises(PermissionDenied):
        services.inspection_start(
            actor=world.users["committee_director"], committee=chidian_committee, held_on=TODAY, today=TODAY
        )


def test_an_item_not_met_needs_a_note(world, items):
    inspection = start(world)
    with pytest.raises(ValidationError) as exc:
        services.inspection_answer(
            actor=world.users["committee_director"],
            inspection=inspection,
            answers={items[0].pk: ("not_met", " "), items[1].pk: ("met", "")},
        )
    assert fields_of(exc) == {f"note_{items[0].pk}"}
    assert set(inspection.results.values_list("result", flat=True)) == {""}  # nothing half-saved
    result = inspection.results.get(item=items[0])
    with pytest.raises(IntegrityError), transaction.atomic():
        InspectionResult.objects.filter(pk=result.pk).update(result="not_met", note="")


def test_answers_are_saved_with_who_answered_and_audited(world, items):
    inspection = start(world)
    services.inspection_answer(
        actor=world.users["committee_director"],
        inspection=inspection,
        answers={items[0].pk: ("met", ""), items[6].pk: ("not_met", "财务收支未公开")},
    )
    met, not_met = inspection.results.get(item=items[0]), inspection.results.get(item=items[6])
    assert (met.result, not_met.result, not_met.note) == ("met", "not_met", "财务收支未公开")
    assert not_met.answered_by == world.users["committee_director"] and not_met.answered_at is not None
    assert history_for(not_met).filter(action="update").get().actor == world.users["committee_director"]


def test_an_unknown_item_or_result_is_refused(world, items):
    inspection = start(world)
    with pytest.raises(ValidationError) as exc:
        services.inspection_answer(
            actor=None, inspection=inspection, answers={999999: ("met", ""), items[0].pk: ("maybe", "")}
        )
    assert fields_of(exc) == {"result_999999", f"result_{items[0].pk}"}


def test_a_round_closes_only_when_every_item_is_answered(world, items):
    inspection = start(world)
    services.inspection_answer(actor=None, inspection=inspection, answers={items[0].pk: ("met", "")})
    with pytest.raises(ValidationError) as exc:
        services.inspection_close(actor=world.users["committee_director"], inspection=inspection, today=TODAY)
    assert fields_of(exc) == {"results"}
    assert "13" in exc.value.message_dict["results"][0]
    inspection.refresh_from_db()
    assert inspection.status == "open"


def test_closing_turns_each_item_not_met_into_a_rectification_task(world, items):
    inspection = start(world)
    answer_all(inspection, not_met={items[6].pk, items[9].pk})
    with pytest.raises(ValidationError) as exc:
        services.inspection_close(actor=None, inspection=inspection, today=TODAY)
    assert fields_of(exc) == {"due_on"}
    closed = services.inspection_close(
        actor=world.users["committee_director"], inspection=inspection, due_on=TODAY + 30 * DAY, today=TODAY
    )
    assert (closed.status, closed.closed_on) == ("closed", TODAY)
    tasks = RectificationTask.objects.filter(committee=world.committee_a).order_by("result__item__list", "pk")
    assert [(t.result.item_id, t.due_on, t.created_on) for t in tasks] == [
        (items[6].pk, TODAY + 30 * DAY, TODAY),
        (items[9].pk, TODAY + 30 * DAY, TODAY),
    ]
    assert tasks[0].description.startswith(items[6].text) and "未按期公开" in tasks[0].description
    assert history_for(closed).filter(note="close").exists()
    with pytest.raises(ValidationError) as exc:
        services.inspection_answer(actor=None, inspection=closed, answers={items[0].pk: ("not_met", "改")})
    assert fields_of(exc) == {"status"}


def test_a_round_with_every_item_met_closes_without_tasks(world, items):
    inspection = start(world)
    answer_all(inspection)
    services.inspection_close(actor=None, inspection=inspection, today=TODAY)
    assert not RectificationTask.objects.exists()


# --- rectification tasks ----------------------------------------------------------------------------------


@pytest.fixture
def task(world, items):
    inspection = start(world)
    answer_all(inspection, not_met={items[6].pk})
    services.inspection_close(actor=None, inspection=inspection, due_on=TODAY + 30 * DAY, today=TODAY)
    return RectificationTask.objects.get()


def test_a_task_is_completed_with_a_note(world, task):
    done = services.task_complete(
        actor=world.users["committee_director"],
        task=task,
        done_on=TODAY + 5 * DAY,
        done_note="已在公告栏公开2025年度收支",
        today=TODAY + 6 * DAY,
    )
    assert (done.done_on, done.done_by, done.is_open) == (TODAY + 5 * DAY, world.users["committee_director"], False)
    assert history_for(done).filter(note="complete").get().actor == world.users["committee_director"]
    with pytest.raises(ValidationError) as exc:
        services.task_complete(actor=None, task=task, done_on=TODAY + 6 * DAY, done_note="再次", today=TODAY + 6 * DAY)
    assert fields_of(exc) == {"done_on"}


@pytest.mark.parametrize(
    ("done_on", "note", "field"),
    [
        (TODAY, "", "done_note"),
        (TODAY + DAY, "已公开", "done_on"),  # in the future
        (TODAY - DAY, "已公开", "done_on"),  # before the task was set
    ],
)
def test_a_bad_completion_names_the_field(world, task, done_on, note, field):
    with pytest.raises(ValidationError) as exc:
        services.task_complete(actor=None, task=task, done_on=done_on, done_note=note, today=TODAY)
    assert fields_of(exc) == {field}
    task.refresh_from_db()
    assert task.is_open


def test_the_database_refuses_a_task_done_without_a_note(world, task):
    with pytest.raises(IntegrityError), transaction.atomic():
        RectificationTask.objects.filter(pk=task.pk).update(done_on=TODAY)


@pytest.mark.parametrize("persona", ["property_manager", "building_head"])
def test_the_property_manager_cannot_complete_the_committees_tasks(world, task, persona):
    with pytest.raises(PermissionDenied):
        services.task_complete(actor=world.users[persona], task=task, done_on=TODAY, done_note="x", today=TODAY)


# --- evaluations ---------------------------------------------------------------------------------------


def evaluate(world, post, outcome, persona="town_clerk", **kwargs):
    data = {"reason": "收受物业服务企业财物", "decided_on": TODAY, "led_by": "市委组织部、市住建局", "today": TODAY}
    data.update(kwargs)
    return services.evaluation_record(
        actor=world.users[persona] if persona else None, committee=world.committee_a, post=post, outcome=outcome, **data
    )


def test_removal_ends_the_members_post_on_the_day_decided_in_the_same_transaction(world, member_post):
    evaluation = evaluate(world, member_post, "removal")
    member_post.refresh_from_db()
    assert member_post.end_date == TODAY
    assert evaluation.recorded_by == world.users["town_clerk"]
    ended = history_for(member_post).filter(action=AuditEntry.Action.END).get()
    assert ended.actor == world.users["town_clerk"] and f"evaluation {evaluation.pk}" in ended.note
    assert history_for(evaluation).get().action == "create"
    assert not RectificationTask.objects.exists()


def test_removing_the_director_frees_the_directors_seat(world):
    director = Post.objects.get(organisation=world.committee_a, role="committee_director")
    evaluate(world, director, "removal", persona="city_admin")
    director.refresh_from_db()
    assert director.end_date == TODAY


def test_when_ending_the_post_fails_nothing_is_saved(world, member_post, monkeypatch):
    def broken(**kwargs):
        raise IntegrityError("boom")

    monkeypatch.setattr(evaluation_services, "post_end", broken)  # where the evaluation looks it up
    with pytest.raises(IntegrityError):
        evaluate(world, member_post, "removal")
    assert not Evaluation.objects.exists()
    member_post.refresh_from_db()
    assert member_post.end_date is None


def test_an_ordered_rectification_sets_a_task_with_its_due_date(world, member_post):
    with pytest.raises(ValidationError) as exc:
        evaluate(world, member_post, "ordered_rectification")
    assert fields_of(exc) == {"due_on"}
    evaluation = evaluate(
        world, member_post, "ordered_rectification", due_on=TODAY + 60 * DAY, task_description="退还所收财物并书面检讨"
    )
    task = evaluation.task
    assert (task.committee, task.due_on, task.description, task.created_on) == (
        world.committee_a,
        TODAY + 60 * DAY,
        "退还所收财物并书面检讨",
        TODAY,
    )
    member_post.refresh_from_db()
    assert member_post.end_date is None


def test_an_urged_improvement_is_recorded_only(world, member_post):
    evaluation = evaluate(world, member_post, "urged_improvement")
    assert evaluation.outcome == "urged_improvement"
    assert not RectificationTask.objects.exists()
    member_post.refresh_from_db()
    assert member_post.end_date is None


def test_the_post_must_be_a_current_post_on_this_committee(world, member_post):
    branch_post = Post.objects.get(organisation=world.branch_a, role="branch_secretary")
    with pytest.raises(ValidationError) as exc:
        evaluate(world, branch_post, "urged_improvement")
    assert fields_of(exc) == {"post"}
    org_services.post_end(actor=None, post=member_post, end_date=TODAY - 10 * DAY)
    with pytest.raises(ValidationError) as exc:
        evaluate(world, member_post, "removal")
    assert fields_of(exc) == {"post"}
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"reason": "  "}, "reason"),
        ({"led_by": ""}, "led_by"),
        ({"decided_on": TODAY + DAY}, "decided_on"),
        ({"outcome": "warning"}, "outcome"),
    ],
)
def test_a_bad_evaluation_names_the_field(world, member_post, changes, field):
    outcome = changes.pop("outcome", "urged_improvement")
    with pytest.raises(ValidationError) as exc:
        evaluate(world, member_post, outcome, **changes)
    assert field in fields_of(exc)


@pytest.mark.parametrize("persona", EVALUATORS)
def test_the_city_the_town_clerk_and_the_community_secretary_evaluate(world, member_post, persona):
    assert evaluate(world, member_post, "urged_improvement", persona=persona).pk


@pytest.mark.parametrize("persona", ["branch_secretary", "committee_director", "property_manager", "building_head"])
def test_compound_staff_do_not_evaluate(world, member_post, persona):
    with pytest.raises(PermissionDenied):
        evaluate(world, member_post, "removal", persona=persona)
    member_post.refresh_from_db()
    assert member_post.end_date is None


def test_the_database_requires_a_reason_and_a_known_outcome(world, member_post):
    base = {"committee": world.committee_a, "post": member_post, "decided_on": TODAY, "led_by": "市住建局"}
    with pytest.raises(IntegrityError), transaction.atomic():
        Evaluation.objects.create(outcome="removal", reason="", **base)
    with pytest.raises(IntegrityError), transaction.atomic():
        Evaluation.objects.create(outcome="warning", reason="x", **base)
