"""The outreach services: their rules, the database constraints behind them, and the audit rows they leave."""

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from jiayuan.appeals import services as appeal_services
from jiayuan.appeals.models import Appeal
from jiayuan.core.audit import history_for
from jiayuan.core.crypto import lookup_hash
from jiayuan.organisations.models import DepartmentLink
from jiayuan.outreach import selectors, services
from jiayuan.outreach.models import Dispute, ReceptionIssue, ReceptionSession, ServiceRecord, Visitor
from jiayuan.testing import START

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


def fields_of(exc_info) -> set[str]:
    return set(exc_info.value.message_dict)


# --- reception sessions ------------------------------------------------------------------------


def test_a_leader_cannot_hold_two_overlapping_sessions(world, schedule):
    schedule(starts=9, ends=11)
    with pytest.raises(ValidationError) as exc:
        schedule(compound=world.compound_a2, starts=10, ends=12)
    assert fields_of(exc) == {"starts_at"}
    assert "金利花园" in exc.value.message_dict["starts_at"][0]
    assert ReceptionSession.objects.count() == 1


def test_a_sessions_note_is_saved_on_the_session_not_only_in_the_audit_row(world, last_week, db):
    session = services.reception_session_schedule(
        actor=world.users["city_admin"],
        leader=world.people["town_clerk"],
        compound=world.compound_a,
        organiser=world.town_office,
        held_on=last_week,
        starts_at=dt.time(9),
        ends_at=dt.time(11),
        place="服务中心",
        note="带上维修基金账目",
    )
    session.refresh_from_db()
    assert session.note == "带上维修基金账目"


def test_a_leader_may_hold_back_to_back_sessions_and_other_leaders_the_same_hours(world, schedule):
    schedule(starts=9, ends=11)
    schedule(compound=world.compound_a2, starts=11, ends=12)
    schedule(leader=world.people["community_secretary"], starts=9, ends=11)
    assert ReceptionSession.objects.count() == 3


def test_the_database_refuses_two_sessions_of_one_leader_starting_at_the_same_time(world, schedule, last_week):
    first = schedule()
    with pytest.raises(IntegrityError), transaction.atomic():
        ReceptionSession.objects.create(
            leader=first.leader,
            compound=world.compound_a2,
            organiser=world.town_office,
            held_on=last_week,
            starts_at=dt.time(9),
            ends_at=dt.time(10),
            place="x",
        )


def test_a_session_must_end_after_it_starts(world, schedule, last_week):
    with pytest.raises(ValidationError) as exc:
        schedule(starts=11, ends=9)
    assert fields_of(exc) == {"ends_at"}
    with pytest.raises(IntegrityError), transaction.atomic():
        ReceptionSession.objects.create(
            leader=world.people["town_clerk"],
            compound=world.compound_a,
            organiser=world.town_office,
            held_on=last_week,
            starts_at=dt.time(11),
            ends_at=dt.time(9),
            place="x",
        )


def test_a_session_is_led_by_someone_holding_a_post_that_day(world, schedule):
    with pytest.raises(ValidationError) as exc:
        schedule(leader=world.people["resident"])
    assert fields_of(exc) == {"leader"}
    with pytest.raises(ValidationError) as exc:
        schedule(held_on=START - DAY)
    assert fields_of(exc) == {"leader"}


def test_compound_staff_cannot_schedule_a_reception_in_another_compound(world, schedule):
    with pytest.raises(PermissionDenied):
        schedule(actor=world.users["branch_secretary"], compound=world.compound_b)
    assert not ReceptionSession.objects.exists()


def test_scheduling_a_session_writes_an_audit_row(world, schedule):
    session = schedule(actor=world.users["town_clerk"])
    entry = history_for(session).get()
    assert (entry.action, entry.actor, entry.after["place"]) == (
        "create",
        world.users["town_clerk"],
        "小区党群服务中心",
    )


def test_a_visitors_phone_is_stored_encrypted_hashed_and_masked_in_the_audit_trail(world, schedule):
    session = schedule()
    visitor = services.visitor_log(
        actor=world.users["town_clerk"],
        session=session,
        name="蔡阿姨",
        phone="139 1234 5678",
        people_count=3,
        issues="电梯经常停运",
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM outreach_visitor WHERE id = %s", [visitor.pk])
        stored = cursor.fetchone()[0]
    assert "13912345678" not in stored
    assert Visitor.objects.get(pk=visitor.pk).phone == "13912345678"
    assert visitor.phone_hash == lookup_hash("13912345678")
    assert visitor.masked_phone != "13912345678" and visitor.masked_phone.startswith("139")
    assert history_for(visitor).get().after["phone"] == visitor.masked_phone


def test_a_bad_phone_or_head_count_is_refused_and_nothing_is_saved(world, schedule):
    session = schedule()
    with pytest.raises(ValidationError) as exc:
        services.visitor_log(actor=None, session=session, name="蔡阿姨", phone="12345")
    assert fields_of(exc) == {"phone"}
    with pytest.raises(ValidationError) as exc:
        services.visitor_log(actor=None, session=session, name="", people_count=0)
    assert fields_of(exc) == {"name", "people_count"}
    assert not Visitor.objects.exists()


def test_visitors_are_not_logged_before_the_day_of_the_session(world, schedule):
    session = schedule(held_on=timezone.localdate() + 3 * DAY)
    with pytest.raises(ValidationError) as exc:
        services.visitor_log(actor=None, session=session, name="蔡阿姨")
    assert fields_of(exc) == {"session"}


def test_an_issue_raised_becomes_a_reception_appeal_linked_to_the_session(world, schedule, category):
    session = schedule()
    visitor = services.visitor_log(
        actor=None, session=session, name="吴业主", phone="13912345678", person=world.people["resident"]
    )
    issue = services.reception_issue_raise(
        actor=world.users["town_clerk"],
        session=session,
        visitor=visitor,
        category=category,
        title="楼上漏水",
        description="卫生间天花板漏水",
    )
    appeal = issue.appeal
    assert (appeal.channel, appeal.status, appeal.compound) == ("reception", "received", world.compound_a)
    assert (appeal.contact_name, appeal.contact_phone, appeal.reporter) == (
        "吴业主",
        "13912345678",
        world.people["resident"],
    )
    assert appeal.entered_by == world.users["town_clerk"]
    assert list(session.issues.all()) == [issue]
    assert history_for(issue).filter(action="create").exists()


def test_an_issue_names_a_visitor_of_the_same_session(world, schedule, category):
    first, second = schedule(), schedule(starts=14, ends=16)
    stranger = services.visitor_log(actor=None, session=second, name="外来人")
    with pytest.raises(ValidationError) as exc:
        services.reception_issue_raise(
            actor=None, session=first, visitor=stranger, category=category, title="t", description="d"
        )
    assert fields_of(exc) == {"visitor"}
    assert not Appeal.objects.exists()


def test_an_appeal_belongs_to_one_reception_session_at_most(world, schedule, category):
    first, second = schedule(), schedule(starts=14, ends=16)
    issue = services.reception_issue_raise(actor=None, session=first, category=category, title="t", description="d")
    with pytest.raises(IntegrityError), transaction.atomic():
        ReceptionIssue.objects.create(session=second, appeal=issue.appeal)


def test_session_counts_follow_the_states_of_the_appeals(world, schedule, category):
    session = schedule()
    services.visitor_log(actor=None, session=session, name="一家人", people_count=3)
    services.visitor_log(actor=None, session=session, name="蔡阿姨")
    branch, community = world.users["branch_secretary"], world.users["community_secretary"]

    def raise_issue(title):
        return services.reception_issue_raise(
            actor=branch, session=session, category=category, title=title, description="d"
        ).appeal

    def resolved_issue(title):
        appeal = appeal_services.appeal_accept(actor=branch, appeal=raise_issue(title))
        return appeal_services.appeal_resolve(actor=branch, appeal=appeal, resolution="修好了")

    raise_issue("still received")
    accepted = appeal_services.appeal_accept(actor=branch, appeal=raise_issue("accepted"))
    assert accepted.status == "accepted"
    resolved = resolved_issue("resolved")
    closed = resolved_issue("closed")
    appeal_services.appeal_close(actor=community, appeal=closed)
    appeal_services.appeal_merge(actor=community, duplicate=raise_issue("duplicate"), into=resolved)

    counted = selectors.session_get(viewer=world.users["town_clerk"], pk=session.pk)
    assert counted.visitor_count == 4
    assert counted.issue_count == 5
    # accepted, resolved, closed, and the duplicate merged into a resolved appeal
    assert counted.accepted_count == 4
    # resolved, closed, and the duplicate
    assert counted.resolved_count == 3


def test_reception_totals_are_per_town_within_the_viewers_scope(world, schedule, category):
    resident = world.users["resident"]
    qingyang_1, qingyang_2 = schedule(), schedule(starts=14, ends=16)
    chidian = schedule(compound=world.compound_b, leader=world.people["city_admin"])
    for session, people in ((qingyang_1, 2), (qingyang_2, 5), (chidian, 1)):
        services.visitor_log(
            actor=None, session=session, name="来访者", people_count=people, person=world.people["resident"]
        )
    branch = world.users["branch_secretary"]
    for rating in ("satisfied", "basic"):
        visitor = qingyang_1.visitors.get()
        appeal = services.reception_issue_raise(
            actor=branch, session=qingyang_1, visitor=visitor, category=category, title=rating, description="d"
        ).appeal
        appeal = appeal_services.appeal_accept(actor=branch, appeal=appeal)
        appeal = appeal_services.appeal_resolve(actor=branch, appeal=appeal, resolution="done")
        appeal_services.appeal_rate(actor=resident, appeal=appeal, contacted=True, solved=True, rating=rating)
    services.reception_issue_raise(actor=None, session=chidian, category=category, title="t", description="d")

    rows = {row.town.name: row for row in selectors.reception_totals_by_town(viewer=world.users["city_admin"])}
    qingyang = rows["青阳街道"]
    assert (qingyang.sessions, qingyang.visitors, qingyang.issues, qingyang.accepted, qingyang.resolved) == (
        2,
        7,
        2,
        2,
        2,
    )
    assert qingyang.satisfaction == Fraction(19, 20) and qingyang.satisfaction_percent == "95.0%"
    assert (rows["池店镇"].sessions, rows["池店镇"].visitors, rows["池店镇"].issues, rows["池店镇"].resolved) == (
        1,
        1,
        1,
        0,
    )
    assert rows["池店镇"].satisfaction is None
    clerk = selectors.reception_totals_by_town(viewer=world.users["town_clerk"])
    assert [row.town.name for row in clerk] == ["青阳街道"]


# --- linked departments -----------------------------------------------------------------------------


def test_a_compound_has_one_current_linked_department(world, other_department):
    admin = world.users["city_admin"]
    services.department_link_create(
        actor=admin, department=world.department, compound=world.compound_a, start_date=START
    )
    with pytest.raises(ValidationError) as exc:
        services.department_link_create(
            actor=admin, department=other_department, compound=world.compound_a, start_date=START
        )
    assert fields_of(exc) == {"compound"}
    assert "晋江市住建局" in exc.value.message_dict["compound"][0]
    with pytest.raises(IntegrityError), transaction.atomic():
        DepartmentLink.objects.create(department=other_department, compound=world.compound_a, start_date=START)


def test_a_department_is_linked_to_one_compound_at_a_time(world):
    admin = world.users["city_admin"]
    services.department_link_create(
        actor=admin, department=world.department, compound=world.compound_a, start_date=START
    )
    with pytest.raises(ValidationError) as exc:
        services.department_link_create(
            actor=admin, department=world.department, compound=world.compound_b, start_date=START
        )
    assert fields_of(exc) == {"department"}
    with pytest.raises(IntegrityError), transaction.atomic():
        DepartmentLink.objects.create(department=world.department, compound=world.compound_b, start_date=START)


def test_once_a_link_ends_the_compound_can_be_linked_again(world, other_department):
    admin = world.users["city_admin"]
    link = services.department_link_create(
        actor=admin, department=world.department, compound=world.compound_a, start_date=START
    )
    ended = services.department_link_end(actor=admin, link=link, end_date=dt.date(2025, 6, 30))
    assert history_for(ended).filter(action="update").get().after["end_date"] == "2025-06-30"
    again = services.department_link_create(
        actor=admin, department=other_department, compound=world.compound_a, start_date=dt.date(2025, 7, 1)
    )
    assert DepartmentLink.objects.filter(compound=world.compound_a, end_date__isnull=True).get() == again
    with pytest.raises(ValidationError) as exc:
        services.department_link_end(actor=admin, link=link, end_date=dt.date(2025, 12, 31))
    assert fields_of(exc) == {"end_date"}


def test_only_a_city_department_can_be_linked_and_only_by_the_town_or_city(world):
    with pytest.raises(ValidationError) as exc:
        services.department_link_create(
            actor=None, department=world.company, compound=world.compound_a, start_date=START
        )
    assert fields_of(exc) == {"department"}
    for persona in ("community_secretary", "branch_secretary", "department_staff"):
        with pytest.raises(PermissionDenied):
            services.department_link_create(
                actor=world.users[persona], department=world.department, compound=world.compound_a, start_date=START
            )
    with pytest.raises(PermissionDenied):
        services.department_link_create(
            actor=world.users["town_clerk"], department=world.department, compound=world.compound_b, start_date=START
        )
    assert not DepartmentLink.objects.exists()


def test_department_staff_record_what_their_department_did(world, last_week):
    link = services.department_link_create(
        actor=None, department=world.department, compound=world.compound_a, start_date=START
    )
    action = services.department_action_record(
        actor=world.users["department_staff"],
        link=link,
        done_on=last_week,
        description="现场查看外墙脱落，安排维修",
        done_by="张科员",
    )
    assert list(selectors.link_actions(link=link)) == [action]
    assert history_for(action).get().actor == world.users["department_staff"]
    with pytest.raises(PermissionDenied):
        services.department_action_record(
            actor=world.users["branch_secretary"], link=link, done_on=last_week, description="x", done_by="y"
        )


def test_an_action_lies_within_the_link_and_not_in_the_future(world):
    link = services.department_link_create(
        actor=None, department=world.department, compound=world.compound_a, start_date=dt.date(2025, 1, 1)
    )
    for day in (dt.date(2024, 12, 31), timezone.localdate() + DAY):
        with pytest.raises(ValidationError) as exc:
            services.department_action_record(actor=None, link=link, done_on=day, description="x", done_by="y")
        assert fields_of(exc) == {"done_on"}
    with pytest.raises(ValidationError) as exc:
        services.department_action_record(
            actor=None, link=link, done_on=dt.date(2025, 2, 1), description=" ", done_by=""
        )
    assert fields_of(exc) == {"description", "done_by"}


# --- service log ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("hours", [0, "-1.5", "0.0", "25", "many"])
def test_service_hours_must_be_a_positive_number_within_a_day(world, in_service_member, last_week, hours):
    with pytest.raises(ValidationError) as exc:
        services.service_record_create(
            actor=world.users["branch_secretary"],
            member=in_service_member,
            served_on=last_week,
            hours=hours,
            kind="health_talk",
        )
    assert fields_of(exc) == {"hours"}
    assert not ServiceRecord.objects.exists()


@pytest.mark.parametrize("hours", ["0", "-2"])
def test_the_database_refuses_zero_or_negative_hours(world, in_service_member, last_week, hours):
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceRecord.objects.create(
            member=in_service_member,
            compound=world.compound_a,
            served_on=last_week,
            hours=Decimal(hours),
            kind="tutoring",
        )


def test_service_is_logged_in_the_compound_the_member_reports_to(world, in_service_member, last_week):
    record = services.service_record_create(
        actor=world.users["branch_secretary"],
        member=in_service_member,
        served_on=last_week,
        hours="1.5",
        kind="health_talk",
        description="高血压防治讲座",
    )
    assert (record.compound, record.hours) == (world.compound_a, Decimal("1.5"))
    assert history_for(record).get().after["hours"] == "1.5"


def test_only_in_service_members_log_service_and_only_staff_over_their_compound_record_it(
    world, in_service_member, last_week
):
    in_service_member.in_service, in_service_member.reports_to = False, None
    in_service_member.save()
    with pytest.raises(ValidationError) as exc:
        services.service_record_create(
            actor=None, member=in_service_member, served_on=last_week, hours=1, kind="volunteer"
        )
    assert fields_of(exc) == {"member"}
    in_service_member.in_service, in_service_member.reports_to = True, world.compound_b
    in_service_member.save()
    with pytest.raises(PermissionDenied):
        services.service_record_create(
            actor=world.users["branch_secretary"],
            member=in_service_member,
            served_on=last_week,
            hours=1,
            kind="volunteer",
        )


def test_service_is_summed_per_compound_and_per_workplace(world, in_service_member, last_week):
    from jiayuan.people import services as people_services
    from jiayuan.people.models import PartyMembership

    teacher = PartyMembership.objects.create(
        person=people_services.person_create(actor=None, name="许老师"),
        joined_on=dt.date(2012, 7, 1),
        in_service=True,
        workplace="晋江市第一中学",
        reports_to=world.compound_a2,
    )
    for member, hours, kind in (
        (in_service_member, "2", "health_talk"),
        (in_service_member, "1.5", "volunteer"),
        (teacher, "3", "tutoring"),
    ):
        services.service_record_create(actor=None, member=member, served_on=last_week, hours=hours, kind=kind)
    viewer = world.users["town_clerk"]
    by_compound = {
        row["compound__name"]: (row["records"], row["hours"], row["members"])
        for row in selectors.service_summary_by_compound(viewer=viewer)
    }
    assert by_compound == {"金利花园": (2, Decimal("3.5"), 1), "宝龙世家": (1, Decimal("3"), 1)}
    by_workplace = {
        row["member__workplace"]: row["hours"] for row in selectors.service_summary_by_workplace(viewer=viewer)
    }
    assert by_workplace == {"晋江市医院": Decimal("3.5"), "晋江市第一中学": Decimal("3")}
    branch_view = selectors.service_summary_by_compound(viewer=world.users["branch_secretary"])
    assert [row["compound__name"] for row in branch_view] == ["金利花园"]


# --- dispute register ------------------------------------------------------------------------------------


def record_dispute(world, actor=None, **overrides):
    fields = dict(
        compound=world.compound_a,
        found_on=timezone.localdate() - 2 * DAY,
        found_by="李楼长",
        parties="301室 陈某 与 401室 林某",
        category="neighbours",
        description="楼上装修噪音",
        risk="medium",
    )
    return services.dispute_record(actor=actor, **{**fields, **overrides})


@pytest.mark.parametrize("risk", ["extreme", "", "HIGH"])
def test_a_risk_level_other_than_low_medium_or_high_is_refused(world, risk):
    with pytest.raises(ValidationError) as exc:
        record_dispute(world, risk=risk)
    assert fields_of(exc) == {"risk"}
    assert not Dispute.objects.exists()


def test_the_database_refuses_an_unknown_risk_level(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Dispute.objects.create(
            compound=world.compound_a,
            found_on=dt.date(2025, 1, 1),
            found_by="x",
            parties="y",
            category="neighbours",
            description="z",
            risk="extreme",
        )


def test_an_escalated_dispute_must_name_its_appeal_in_the_database(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Dispute.objects.create(
            compound=world.compound_a,
            found_on=dt.date(2025, 1, 1),
            found_by="x",
            parties="y",
            category="neighbours",
            description="z",
            risk="low",
            status="escalated",
        )


@pytest.mark.parametrize("parties", ["陈某 350582198005170012", "林某 13912345678"])
def test_the_register_holds_no_id_or_phone_numbers(world, parties):
    with pytest.raises(ValidationError) as exc:
        record_dispute(world, parties=parties)
    assert fields_of(exc) == {"parties"}


def test_escalating_a_dispute_creates_exactly_one_appeal(world, category):
    dispute = record_dispute(world, risk="high")
    clerk = world.users["town_clerk"]
    escalated = services.dispute_escalate(actor=clerk, dispute=dispute, category=category)
    appeal = escalated.appeal
    assert (escalated.status, Appeal.objects.count()) == ("escalated", 1)
    assert (appeal.channel, appeal.compound, appeal.category) == ("grid_worker", world.compound_a, category)
    assert "301室 陈某" in appeal.description
    with pytest.raises(ValidationError) as exc:
        services.dispute_escalate(actor=clerk, dispute=dispute, category=category)
    assert fields_of(exc) == {"status"}
    assert Appeal.objects.count() == 1
    assert history_for(escalated).filter(note="escalate").exists()


def test_a_dispute_is_escalated_by_a_grid_worker_or_at_a_reception_only(world, category):
    dispute = record_dispute(world)
    with pytest.raises(ValidationError) as exc:
        services.dispute_escalate(actor=None, dispute=dispute, category=category, channel="hotline")
    assert fields_of(exc) == {"channel"}
    reception = services.dispute_escalate(actor=None, dispute=dispute, category=category, channel="reception")
    assert reception.appeal.channel == "reception"


@pytest.mark.parametrize("persona", ["building_head", "property_manager"])
def test_a_building_head_or_the_property_manager_reports_a_dispute_but_does_not_mediate_it(world, persona):
    dispute = record_dispute(world)
    with pytest.raises(PermissionDenied):
        services.dispute_mediate(actor=world.users[persona], dispute=dispute)
    dispute.refresh_from_db()
    assert dispute.status == "open"


def test_a_settled_dispute_is_neither_mediated_nor_escalated(world, category):
    dispute = services.dispute_mediate(actor=world.users["branch_secretary"], dispute=record_dispute(world))
    assert dispute.status == "mediating"
    with pytest.raises(ValidationError) as exc:
        services.dispute_resolve(actor=None, dispute=dispute, outcome="  ")
    assert fields_of(exc) == {"outcome"}
    settled = services.dispute_resolve(actor=None, dispute=dispute, outcome="双方达成谅解，约定施工时间")
    assert (settled.status, settled.handled_on) == ("resolved", timezone.localdate())
    with pytest.raises(ValidationError):
        services.dispute_escalate(actor=None, dispute=settled, category=category)
    assert not Appeal.objects.exists()


def test_staff_outside_the_compound_cannot_handle_its_disputes(world):
    with pytest.raises(PermissionDenied):
        record_dispute(world, actor=world.users["branch_secretary"], compound=world.compound_b)
    dispute = record_dispute(world, compound=world.compound_b)
    with pytest.raises(PermissionDenied):
        services.dispute_mediate(actor=world.users["town_clerk"], dispute=dispute)


def test_the_register_lists_high_risk_first_and_filters_by_risk_and_status(world, category):
    low = record_dispute(world, risk="low", found_on=timezone.localdate() - DAY)
    high = record_dispute(world, risk="high", found_on=timezone.localdate() - 5 * DAY)
    medium = record_dispute(world, risk="medium")
    viewer = world.users["community_secretary"]
    assert list(selectors.dispute_list(viewer=viewer)) == [high, medium, low]
    services.dispute_mediate(actor=None, dispute=medium)
    assert list(selectors.dispute_list(viewer=viewer, status="mediating")) == [medium]
    assert list(selectors.dispute_list(viewer=viewer, risk="low")) == [low]
    assert list(selectors.dispute_list(viewer=world.users["department_staff"])) == []
