"""/api/v1/outreach: status codes per persona, 422 naming the field, 404 outside the scope."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from jiayuan.appeals.models import Appeal
from jiayuan.organisations.models import DepartmentLink
from jiayuan.outreach import services
from jiayuan.outreach.models import Dispute, ReceptionSession, ServiceRecord
from jiayuan.testing import PERSONAS, START

pytestmark = pytest.mark.django_db
API = "/api/v1/outreach"
STAFF = (
    "city_admin",
    "town_clerk",
    "community_secretary",
    "branch_secretary",
    "committee_director",
    "property_manager",
    "building_head",
)


def send(client, path, data):
    return client.post(API + path, json.dumps(data), content_type="application/json")


def errors_of(response) -> dict[str, str]:
    return {error["field"]: error["message"] for error in response.json()["detail"]}


def session_payload(world, day, **overrides):
    return {
        "leader_id": world.people["town_clerk"].pk,
        "compound_id": world.compound_a.pk,
        "organiser_id": world.town_office.pk,
        "held_on": day.isoformat(),
        "starts_at": "09:00",
        "ends_at": "11:00",
        "place": "金利花园党群服务站",
        **overrides,
    }


# --- who may read what --------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    "path", ["/sessions", "/sessions/towns", "/service-records", "/service-records/summary", "/disputes"]
)
def test_staff_registers_answer_staff_and_404_to_everyone_else(as_role, world, persona, path):
    expected = 200 if persona in STAFF else 404
    assert as_role(persona).get(API + path).status_code == expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_links_answer_staff_and_department_staff(as_role, world, persona):
    expected = 200 if persona in (*STAFF, "department_staff") else 404
    assert as_role(persona).get(API + "/links").status_code == expected


def test_anonymous_callers_are_refused(client, world):
    assert client.get(API + "/sessions").status_code == 401


# --- reception sessions -------------------------------------------------------------------------------


def test_a_session_is_scheduled_and_read_back_with_its_counts(as_role, world, last_week, category):
    client = as_role("town_clerk")
    response = send(client, "/sessions", session_payload(world, last_week))
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["leader_name"], body["compound_name"], body["visitor_count"], body["issue_count"]) == (
        "陈镇员",
        "金利花园",
        0,
        0,
    )
    session_id = body["id"]
    visitor = send(
        client, f"/sessions/{session_id}/visitors", {"name": "蔡阿姨", "phone": "13912345678", "people_count": 3}
    )
    assert visitor.status_code == 201 and visitor.json()["phone"] != "13912345678"
    issue = send(
        client,
        f"/sessions/{session_id}/issues",
        {
            "category_id": category.pk,
            "title": "路灯不亮",
            "description": "小区北门路灯坏了",
            "visitor_id": visitor.json()["id"],
        },
    )
    assert issue.status_code == 201, issue.content
    assert Appeal.objects.get(pk=issue.json()["appeal_id"]).channel == "reception"
    detail = client.get(f"{API}/sessions/{session_id}").json()
    assert (detail["visitor_count"], detail["issue_count"], detail["accepted_count"], detail["resolved_count"]) == (
        3,
        1,
        0,
        0,
    )
    assert [i["status"] for i in detail["issues"]] == ["received"]


def test_an_overlapping_session_is_refused_naming_the_field(as_role, world, last_week):
    client = as_role("town_clerk")
    assert send(client, "/sessions", session_payload(world, last_week)).status_code == 201
    response = send(
        client,
        "/sessions",
        session_payload(world, last_week, compound_id=world.compound_a2.pk, starts_at="10:00", ends_at="12:00"),
    )
    assert response.status_code == 422
    assert list(errors_of(response)) == ["starts_at"]
    assert ReceptionSession.objects.count() == 1


@pytest.mark.parametrize(
    "field, value",
    [
        ("leader_id", "resident"),
        ("compound_id", "chidian"),
        ("organiser_id", "company"),
        ("ends_at", "08:00"),
        ("held_on", "soon"),
    ],
)
def test_bad_session_input_is_refused_naming_the_field(as_role, world, last_week, field, value):
    values = {"resident": world.people["resident"].pk, "chidian": world.compound_b.pk, "company": world.company.pk}
    response = send(
        as_role("town_clerk"), "/sessions", session_payload(world, last_week, **{field: values.get(value, value)})
    )
    assert response.status_code == 422
    assert field in errors_of(response)
    assert not ReceptionSession.objects.exists()


def test_visitor_phones_are_masked_in_the_api_except_for_the_city_administrator(as_role, world, schedule):
    session = schedule()
    services.visitor_log(actor=None, session=session, name="蔡阿姨", phone="13912345678")
    clerk = as_role("branch_secretary").get(f"{API}/sessions/{session.pk}").json()
    assert clerk["visitors"][0]["phone"] != "13912345678" and clerk["visitors"][0]["phone"].startswith("139")
    admin = as_role("city_admin").get(f"{API}/sessions/{session.pk}").json()
    assert admin["visitors"][0]["phone"] == "13912345678"


def test_a_session_outside_the_scope_is_404(as_role, world, schedule):
    chidian = schedule(compound=world.compound_b)
    assert as_role("town_clerk").get(f"{API}/sessions/{chidian.pk}").status_code == 404
    assert send(as_role("town_clerk"), f"/sessions/{chidian.pk}/visitors", {"name": "x"}).status_code == 404
    assert as_role("department_staff").get(f"{API}/sessions/{chidian.pk}").status_code == 404
    assert as_role("city_admin").get(f"{API}/sessions/{chidian.pk}").status_code == 200


def test_reception_totals_per_town(as_role, world, schedule):
    session = schedule()
    services.visitor_log(actor=None, session=session, name="一家人", people_count=4)
    rows = as_role("town_clerk").get(f"{API}/sessions/towns").json()
    assert [(r["town_name"], r["sessions"], r["visitors"], r["satisfaction"]) for r in rows] == [
        ("青阳街道", 1, 4, None)
    ]


# --- linked departments --------------------------------------------------------------------------------


def test_links_carry_their_actions_and_the_open_appeals_count(as_role, world, other_department, category, last_week):
    from jiayuan.appeals.services import appeal_submit

    admin = as_role("city_admin")
    created = send(
        admin,
        "/links",
        {"department_id": world.department.pk, "compound_id": world.compound_a.pk, "start_date": "2024-03-01"},
    )
    assert created.status_code == 201, created.content
    link_id = created.json()["id"]
    send(
        admin,
        "/links",
        {"department_id": other_department.pk, "compound_id": world.compound_b.pk, "start_date": "2024-03-01"},
    )
    appeal_submit(
        actor=None, channel="hotline", category=category, title="下水道堵塞", description="d", compound=world.compound_a
    )
    staff = as_role("department_staff")
    action = send(
        staff,
        f"/links/{link_id}/actions",
        {"done_on": last_week.isoformat(), "description": "疏通管道", "done_by": "张科员"},
    )
    assert action.status_code == 201, action.content
    assert [(link["compound_name"], link["action_count"]) for link in staff.get(API + "/links").json()["items"]] == [
        ("金利花园", 1)
    ]
    detail = as_role("town_clerk").get(f"{API}/links/{link_id}").json()
    assert detail["open_appeal_count"] == 1
    assert [a["description"] for a in detail["actions"]] == ["疏通管道"]


def test_a_second_current_link_for_a_compound_is_422_naming_the_compound(as_role, world, other_department):
    admin = as_role("city_admin")
    send(
        admin,
        "/links",
        {"department_id": world.department.pk, "compound_id": world.compound_a.pk, "start_date": "2024-03-01"},
    )
    response = send(
        admin,
        "/links",
        {"department_id": other_department.pk, "compound_id": world.compound_a.pk, "start_date": "2024-03-01"},
    )
    assert response.status_code == 422
    assert list(errors_of(response)) == ["compound_id"]
    assert DepartmentLink.objects.count() == 1


def test_a_link_outside_the_scope_is_404_and_a_write_beyond_the_role_403(as_role, world, other_department):
    theirs = services.department_link_create(
        actor=None, department=other_department, compound=world.compound_b, start_date=START
    )
    mine = services.department_link_create(
        actor=None, department=world.department, compound=world.compound_a, start_date=START
    )
    for persona in ("department_staff", "town_clerk", "branch_secretary"):
        assert as_role(persona).get(f"{API}/links/{theirs.pk}").status_code == 404
    assert send(as_role("branch_secretary"), f"/links/{mine.pk}/end", {"end_date": "2025-01-01"}).status_code == 403
    assert (
        send(
            as_role("branch_secretary"),
            "/links",
            {"department_id": other_department.pk, "compound_id": world.compound_a.pk, "start_date": "2025-01-01"},
        ).status_code
        == 403
    )


# --- service log ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("hours", ["0", "-1", "abc"])
def test_zero_negative_or_non_numeric_hours_are_422_naming_hours(as_role, world, in_service_member, last_week, hours):
    response = send(
        as_role("branch_secretary"),
        "/service-records",
        {"member_id": in_service_member.pk, "served_on": last_week.isoformat(), "hours": hours, "kind": "tutoring"},
    )
    assert response.status_code == 422
    assert "hours" in errors_of(response)
    assert not ServiceRecord.objects.exists()


def test_service_records_are_created_listed_and_summed(as_role, world, in_service_member, last_week):
    client = as_role("branch_secretary")
    created = send(
        client,
        "/service-records",
        {
            "member_id": in_service_member.pk,
            "served_on": last_week.isoformat(),
            "hours": "2",
            "kind": "legal_advice",
            "description": "法律咨询",
        },
    )
    assert created.status_code == 201, created.content
    assert (created.json()["member_name"], created.json()["compound_name"]) == ("郑护士", "金利花园")
    assert client.get(f"{API}/service-records/{created.json()['id']}").status_code == 200
    summary = client.get(f"{API}/service-records/summary", {"by": "workplace"}).json()
    assert [(r["key"], r["records"], r["members"]) for r in summary] == [("晋江市医院", 1, 1)]
    assert client.get(f"{API}/service-records/summary", {"by": "month"}).status_code == 422
    assert as_role("resident").get(f"{API}/service-records/{created.json()['id']}").status_code == 404


def test_a_member_reporting_elsewhere_is_422_naming_the_member(as_role, world, in_service_member, last_week):
    in_service_member.reports_to = world.compound_b
    in_service_member.save()
    response = send(
        as_role("town_clerk"),
        "/service-records",
        {"member_id": in_service_member.pk, "served_on": last_week.isoformat(), "hours": "1", "kind": "volunteer"},
    )
    assert response.status_code == 422 and list(errors_of(response)) == ["member_id"]


# --- dispute register ---------------------------------------------------------------------------------------


def dispute_payload(world, **overrides):
    return {
        "compound_id": world.compound_a.pk,
        "found_on": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
        "found_by": "李楼长",
        "parties": "陈某 与 林某",
        "category": "renovation",
        "description": "装修噪音扰民",
        "risk": "high",
        **overrides,
    }


def test_a_dispute_with_a_bad_risk_level_is_422_naming_the_risk(as_role, world):
    response = send(as_role("building_head"), "/disputes", dispute_payload(world, risk="extreme"))
    assert response.status_code == 422 and list(errors_of(response)) == ["risk"]
    assert not Dispute.objects.exists()


def test_disputes_are_listed_high_risk_first_and_escalated_once(as_role, world, category):
    client = as_role("community_secretary")
    low = send(client, "/disputes", dispute_payload(world, risk="low")).json()
    high = send(client, "/disputes", dispute_payload(world, risk="high")).json()
    assert [d["id"] for d in client.get(API + "/disputes").json()["items"]] == [high["id"], low["id"]]
    assert [d["id"] for d in client.get(API + "/disputes", {"risk": "low"}).json()["items"]] == [low["id"]]
    escalated = send(client, f"/disputes/{high['id']}/escalate", {"category_id": category.pk})
    assert escalated.status_code == 200, escalated.content
    assert escalated.json()["status"] == "escalated" and escalated.json()["appeal_number"]
    again = send(client, f"/disputes/{high['id']}/escalate", {"category_id": category.pk})
    assert again.status_code == 422 and list(errors_of(again)) == ["status"]
    assert Appeal.objects.count() == 1
    bad = send(client, f"/disputes/{low['id']}/escalate", {"category_id": 999999})
    assert bad.status_code == 422 and list(errors_of(bad)) == ["category_id"]


def test_a_dispute_outside_the_scope_is_404(as_role, world):
    dispute = services.dispute_record(
        actor=None,
        compound=world.compound_b,
        found_on=dt.date(2025, 5, 1),
        found_by="网格员",
        parties="甲 与 乙",
        category="neighbours",
        description="x",
        risk="low",
    )
    assert as_role("town_clerk").get(f"{API}/disputes/{dispute.pk}").status_code == 404
    assert send(as_role("town_clerk"), f"/disputes/{dispute.pk}/mediate", {}).status_code == 404
    assert as_role("city_admin").get(f"{API}/disputes/{dispute.pk}").status_code == 200


@pytest.mark.parametrize(
    ("given", "stored"), [("10:00:00+08:00", dt.time(10)), ("02:00:00+00:00", dt.time(10)), ("10:00", dt.time(10))]
)
def test_session_times_with_an_offset_are_read_in_the_platform_zone_and_answer_with_it(as_role, world, given, stored):
    """The fuzzer's 500: a start time with an offset; times also came back without one."""
    day = timezone.localdate() - dt.timedelta(days=7)
    response = send(as_role("town_clerk"), "/sessions", session_payload(world, day, starts_at=given, ends_at="11:30"))
    assert response.status_code == 201, response.content
    assert (response.json()["starts_at"], response.json()["ends_at"]) == ("10:00:00+08:00", "11:30:00+08:00")
    assert ReceptionSession.objects.get(pk=response.json()["id"]).starts_at == stored
