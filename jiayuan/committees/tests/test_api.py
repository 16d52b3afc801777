"""/api/v1/committees: status codes per persona, exact rows, 422 naming the field, 403 and 404."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from jiayuan.committees import services
from jiayuan.committees.models import DutyItem, Evaluation, Filing, RectificationTask, SelfInspection
from jiayuan.testing import PERSONAS

from .conftest import EVALUATORS, INSPECTORS, OVERSEERS, STAFF, answer_all

pytestmark = pytest.mark.django_db
API = "/api/v1/committees"
DAY = dt.timedelta(days=1)


def send(client, path, data, method="post"):
    return getattr(client, method)(API + path, json.dumps(data), content_type="application/json")


def errors_of(response) -> dict[str, str]:
    return {error["field"]: error["message"] for error in response.json()["detail"]}


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def round_with_task(world, items, today):
    inspection = services.inspection_start(actor=None, committee=world.committee_a, held_on=today)
    answer_all(inspection, not_met={items[4].pk})
    services.inspection_close(actor=None, inspection=inspection, due_on=today + 15 * DAY)
    return inspection


# --- who may read what ------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    "path", ["", "/terms", "/filings", "/reminders", "/duty-items", "/inspections", "/tasks", "/evaluations"]
)
def test_the_lists_answer_staff_and_404_to_everyone_else(as_role, world, persona, path):
    assert as_role(persona).get(API + path).status_code == (200 if persona in STAFF else 404)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_committee_list_holds_exactly_the_committees_in_scope(as_role, world, chidian_committee, persona):
    response = as_role(persona).get(API)
    if persona not in STAFF:
        assert response.status_code == 404
        return
    ids = {row["id"] for row in response.json()["items"]}
    expected = {world.committee_a.pk, chidian_committee.pk} if persona == "city_admin" else {world.committee_a.pk}
    assert ids == expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_committee_detail_is_404_outside_the_scope(as_role, world, chidian_committee, persona):
    client = as_role(persona)
    assert client.get(f"{API}/{world.committee_a.pk}").status_code == (200 if persona in STAFF else 404)
    assert client.get(f"{API}/{chidian_committee.pk}").status_code == (200 if persona == "city_admin" else 404)


def test_anonymous_callers_are_refused(client, world):
    assert client.get(API).status_code == 401
    assert send(client, f"/{world.committee_a.pk}/filing", {"filed_on": "2024-01-20"}).status_code == 401


def test_the_detail_shows_term_members_filing_status_and_reminders(as_role, world):
    services.remind_terms(dt.date(2028, 7, 1))
    body = as_role("town_clerk").get(f"{API}/{world.committee_a.pk}").json()
    assert (body["name"], body["term_end"], body["seats"], body["filing_deadline"]) == (
        "金利花园业委会",
        "2028-12-31",
        5,
        "2024-01-31",
    )
    assert body["filing_status"] == "overdue" and body["filing"] is None
    assert [m["person_name"] for m in body["members"]] == ["蔡主任"]
    assert [r["term_end"] for r in body["reminders"]] == ["2028-12-31"]
    assert body["compounds"] == [{"id": world.compound_a.pk, "name": "金利花园"}]


# --- filing -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", STAFF)
def test_only_the_community_town_and_city_record_a_filing(as_role, world, persona):
    response = send(
        as_role(persona),
        f"/{world.committee_a.pk}/filing",
        {"filed_on": "2024-01-25", "filed_with_housing": True, "filed_with_town": True},
    )
    if persona in OVERSEERS:
        assert response.status_code == 200, response.content
        assert response.json()["late"] is False
    else:
        assert response.status_code == 403
    assert Filing.objects.exists() == (persona in OVERSEERS)


def test_a_filing_without_a_place_answers_422_naming_the_field(as_role, world):
    response = send(as_role("town_clerk"), f"/{world.committee_a.pk}/filing", {"filed_on": "2024-01-25"})
    assert response.status_code == 422 and "filed_with_housing" in errors_of(response)


def test_a_late_filing_moves_the_committee_from_overdue_to_filed(as_role, world):
    client = as_role("community_secretary")
    assert [c["id"] for c in client.get(API + "/filings").json()["overdue"]] == [world.committee_a.pk]
    response = send(client, f"/{world.committee_a.pk}/filing", {"filed_on": "2024-04-01", "filed_with_town": True})
    assert response.json()["late"] is True
    body = client.get(API + "/filings").json()
    assert (body["overdue"], [c["filing_status"] for c in body["filed"]]) == ([], ["filed_late"])


# --- duty lists ---------------------------------------------------------------------------------------------


def test_the_city_administrator_adds_and_changes_items(as_role, world, items):
    client = as_role("city_admin")
    response = send(client, "/duty-items", {"city_id": world.city.pk, "list": "duty", "text": "建立业委会工作档案"})
    assert response.status_code == 201 and response.json()["position"] == 9
    item_id = response.json()["id"]
    response = send(client, f"/duty-items/{item_id}", {"active": False}, method="patch")
    assert response.status_code == 200 and response.json()["active"] is False
    assert len(client.get(API + "/duty-items", {"active": True}).json()) == 14
    assert len(client.get(API + "/duty-items").json()) == 15


@pytest.mark.parametrize("persona", ["town_clerk", "community_secretary", "committee_director"])
def test_other_staff_cannot_change_the_lists(as_role, world, items, persona):
    client = as_role(persona)
    assert send(client, "/duty-items", {"city_id": world.city.pk, "list": "duty", "text": "新"}).status_code == 403
    assert send(client, f"/duty-items/{items[0].pk}", {"text": "改"}, method="patch").status_code == 403
    assert DutyItem.objects.filter(text="新").count() == 0


def test_an_unknown_list_answers_422(as_role, world):
    response = send(as_role("city_admin"), "/duty-items", {"city_id": world.city.pk, "list": "other", "text": "x"})
    assert response.status_code == 422 and "list" in errors_of(response)


# --- self-inspection ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", STAFF)
def test_who_may_start_a_round(as_role, world, items, today, persona):
    response = send(as_role(persona), f"/{world.committee_a.pk}/inspections", {"held_on": today.isoformat()})
    assert response.status_code == (201 if persona in INSPECTORS else 403)


def test_a_round_is_answered_and_closed_through_the_api(as_role, world, items, today):
    client = as_role("committee_director")
    body = send(client, f"/{world.committee_a.pk}/inspections", {"held_on": today.isoformat()}).json()
    assert (body["status"], len(body["results"]), body["open_count"]) == ("open", 14, 14)
    answers = [{"item_id": r["item_id"], "result": "met"} for r in body["results"]]
    answers[2] = {"item_id": answers[2]["item_id"], "result": "not_met", "note": ""}
    response = send(client, f"/inspections/{body['id']}/answers", {"answers": answers})
    assert response.status_code == 422 and set(errors_of(response)) == {"answers.2.note"}
    answers[2]["note"] = "未监督合同履行"
    response = send(client, f"/inspections/{body['id']}/answers", {"answers": answers})
    assert response.status_code == 200 and response.json()["open_count"] == 0
    response = send(client, f"/inspections/{body['id']}/close", {})
    assert response.status_code == 422 and set(errors_of(response)) == {"due_on"}
    response = send(client, f"/inspections/{body['id']}/close", {"due_on": (today + 30 * DAY).isoformat()})
    assert response.status_code == 200 and response.json()["status"] == "closed"
    not_met = [r for r in response.json()["results"] if r["result"] == "not_met"]
    assert len(not_met) == 1 and not_met[0]["task_id"] == RectificationTask.objects.get().pk


def test_a_round_outside_the_scope_is_a_404(as_role, world, items, chidian_committee, today):
    inspection = services.inspection_start(actor=None, committee=chidian_committee, held_on=today)
    assert as_role("town_clerk").get(f"{API}/inspections/{inspection.pk}").status_code == 404
    assert send(as_role("town_clerk"), f"/inspections/{inspection.pk}/answers", {"answers": []}).status_code == 404
    assert as_role("city_admin").get(f"{API}/inspections/{inspection.pk}").status_code == 200


# --- tasks --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", STAFF)
def test_who_may_complete_a_task(as_role, world, round_with_task, today, persona):
    task = RectificationTask.objects.get()
    response = send(
        as_role(persona), f"/tasks/{task.pk}/complete", {"done_on": today.isoformat(), "done_note": "已督促物业整改"}
    )
    assert response.status_code == (200 if persona in INSPECTORS else 403)
    task.refresh_from_db()
    assert task.is_open == (persona not in INSPECTORS)


def test_open_tasks_are_listed_and_a_completed_one_leaves_the_open_list(as_role, world, round_with_task, today):
    client = as_role("branch_secretary")
    rows = client.get(API + "/tasks", {"open": True}).json()["items"]
    assert [(r["source"], r["due_on"]) for r in rows] == [("self_inspection", (today + 15 * DAY).isoformat())]
    response = send(client, f"/tasks/{rows[0]['id']}/complete", {"done_on": today.isoformat(), "done_note": " "})
    assert response.status_code == 422 and set(errors_of(response)) == {"done_note"}
    send(client, f"/tasks/{rows[0]['id']}/complete", {"done_on": today.isoformat(), "done_note": "已完成"})
    assert client.get(API + "/tasks", {"open": True}).json()["count"] == 0
    assert client.get(API + "/tasks").json()["items"][0]["done_note"] == "已完成"


# --- evaluations --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", STAFF)
def test_who_may_record_an_evaluation(as_role, world, member_post, today, persona):
    response = send(
        as_role(persona),
        f"/{world.committee_a.pk}/evaluations",
        {
            "post_id": member_post.pk,
            "outcome": "removal",
            "reason": "不履行职责",
            "decided_on": today.isoformat(),
            "led_by": "市委组织部、市住建局",
        },
    )
    allowed = persona in EVALUATORS
    assert response.status_code == (201 if allowed else 403)
    member_post.refresh_from_db()
    assert member_post.end_date == (today if allowed else None)
    if allowed:
        assert response.json()["post_end_date"] == today.isoformat()


def test_an_ordered_rectification_returns_its_task(as_role, world, member_post, today):
    response = send(
        as_role("town_clerk"),
        f"/{world.committee_a.pk}/evaluations",
        {
            "post_id": member_post.pk,
            "outcome": "ordered_rectification",
            "reason": "未及时公开财务",
            "decided_on": today.isoformat(),
            "led_by": "市住建局",
            "due_on": (today + 30 * DAY).isoformat(),
        },
    )
    assert response.status_code == 201
    assert response.json()["task_id"] == RectificationTask.objects.get(evaluation__isnull=False).pk


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"post_id": 999999}, "post_id"),
        ({"outcome": "warning"}, "outcome"),
        ({"reason": ""}, "reason"),
    ],
)
def test_a_bad_evaluation_answers_422_naming_the_field(as_role, world, member_post, today, changes, field):
    data = {
        "post_id": member_post.pk,
        "outcome": "urged_improvement",
        "reason": "会议记录不全",
        "decided_on": today.isoformat(),
        "led_by": "市住建局",
        **changes,
    }
    response = send(as_role("city_admin"), f"/{world.committee_a.pk}/evaluations", data)
    assert response.status_code == 422 and field in errors_of(response)
    assert not Evaluation.objects.exists()


def test_a_post_of_another_organisation_cannot_be_evaluated(as_role, world, today):
    from jiayuan.organisations.models import Post

    branch_post = Post.objects.get(organisation=world.branch_a, role="branch_secretary")
    response = send(
        as_role("city_admin"),
        f"/{world.committee_a.pk}/evaluations",
        {
            "post_id": branch_post.pk,
            "outcome": "removal",
            "reason": "x",
            "decided_on": today.isoformat(),
            "led_by": "x",
        },
    )
    assert response.status_code == 422 and "post_id" in errors_of(response)
    assert SelfInspection.objects.count() == 0 and not Evaluation.objects.exists()


def test_the_api_says_the_outgoing_committee_was_superseded(as_role, world, re_elected):
    rows = {row["name"]: row["term_status"] for row in as_role("town_clerk").get(API).json()["items"]}
    assert rows["宝龙世家第一届业主委员会"] == "superseded"
    assert rows["宝龙世家第二届业主委员会"] == "in_office"
    detail = as_role("town_clerk").get(f"{API}/{re_elected.old.pk}")
    assert detail.json()["term_status"] == "superseded"
