"""The appeals API: the whole handling ladder, and every piece of bad input the issue names.

Bad input answers 422 (naming the field), 409 (stale version) or 403 (visible, not yours),
and changes nothing: the counts of appeals and events, and every appeal's state, stay put.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from jiayuan.appeals import services
from jiayuan.appeals.models import Appeal, AppealEvent, AppealPhoto, Category, DispatchRule, Notification
from jiayuan.core.identity import make_id_number
from jiayuan.core.models import User
from jiayuan.organisations import services as org_services
from jiayuan.organisations.models import Organisation, Post
from jiayuan.people import services as people_services
from jiayuan.testing import START

pytestmark = pytest.mark.django_db

API = "/api/v1/appeals"
PHONE = "13905951234"


@pytest.fixture(scope="module")
def crew(world, django_db_blocker):
    """A category branch, the water department with one member of staff, and the dispatch rule to it."""
    with django_db_blocker.unblock():
        facilities = Category.objects.create(code="T9", name="设施设备", kind=Category.Kind.REPAIR)
        water = Category.objects.create(code="T901", name="供水与排水", parent=facilities, kind=Category.Kind.REPAIR)
        leak = Category.objects.create(
            code="T90101", name="管道漏水", parent=water, deadline_days=5, kind=Category.Kind.REPAIR
        )
        retired = Category.objects.create(code="T90102", name="旧分类", parent=water, active=False)
        department = org_services.organisation_create(
            actor=None, kind=Organisation.Kind.DEPARTMENT, name="晋江市水务局", city=world.city, established_on=START
        )
        person = people_services.person_create(
            actor=None, name="许水务", id_number=make_id_number("350582", dt.date(1985, 1, 1), 501)
        )
        org_services.post_assign(
            actor=None, person=person, organisation=department, role=Post.Role.DEPARTMENT_STAFF, start_date=START
        )
        staff = User.objects.create_user(username="water_staff", password="x", person=person)
        DispatchRule.objects.create(category=water, department=department)
        return SimpleNamespace(leak=leak, retired=retired, water=department, water_staff=staff)


@pytest.fixture
def login(world, crew, client):
    def as_user(who):
        client.force_login(crew.water_staff if who == "water_staff" else world.users[who])
        return client

    return as_user


# --- helpers -----------------------------------------------------------------------------


def png(size=(40, 30), colour=(30, 120, 200), kind="PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, kind)
    return buffer.getvalue()


def photo(name="leak.png", content=None, content_type="image/png"):
    return SimpleUploadedFile(name, png() if content is None else content, content_type=content_type)


def report(world, crew, **overrides):
    data = {
        "category": crew.leak.code,
        "title": "厨房水管漏水",
        "description": "楼上渗水到厨房顶棚",
        "compound": world.compound_a.pk,
        "room": world.rooms_a[0].pk,
        "contact_phone": PHONE,
    }
    return {key: value for key, value in {**data, **overrides}.items() if value is not None}


def act(client, appeal_id, action, **body):
    return client.post(f"{API}/{appeal_id}/actions/{action}", json.dumps(body), content_type="application/json")


def errors_of(response) -> dict[str, str]:
    return {error["field"]: error["message"] for error in response.json()["detail"]}


def submitted(world, crew) -> Appeal:
    """A resident's appeal in C0001, received."""
    return services.appeal_submit(
        actor=world.users["resident"],
        channel=Appeal.Channel.RESIDENT,
        category=crew.leak,
        title="楼道灯不亮",
        description="三楼楼道灯坏了",
        compound=world.compound_a,
        room=world.rooms_a[0],
        contact_phone=PHONE,
    )


def at_department(world, crew) -> Appeal:
    """A resident's appeal the compound escalated and the community whistled to the water department."""
    appeal = submitted(world, crew)
    appeal = services.appeal_accept(actor=world.users["property_manager"], appeal=appeal)
    appeal = services.appeal_dispatch(actor=world.users["property_manager"], appeal=appeal)
    return services.appeal_dispatch(actor=world.users["community_secretary"], appeal=appeal, department=crew.water)


def resolved(world, crew) -> Appeal:
    appeal = at_department(world, crew)
    appeal = services.appeal_start(actor=crew.water_staff, appeal=appeal)
    return services.appeal_resolve(actor=crew.water_staff, appeal=appeal, resolution="更换了漏水管段")


def state():
    return (
        Appeal.objects.count(),
        AppealEvent.objects.count(),
        AppealPhoto.objects.count(),
        sorted(Appeal.objects.values_list("pk", "status", "version", "unit_id", "rating", "extension_days")),
    )


@contextmanager
def nothing_changes():
    before = state()
    yield
    assert state() == before


# --- the ladder ------------------------------------------------------------------------------


def test_a_leak_climbs_the_whole_ladder_through_the_api_and_the_resident_closes_it_with_a_rating(world, crew, login):
    response = login("resident").post(API, {**report(world, crew), "photos": [photo()]})
    assert response.status_code == 201, response.content
    body = response.json()
    appeal_id = body["id"]
    assert (body["status"], body["version"], body["channel"], body["level"]) == ("received", 1, "resident", "compound")
    assert (body["unit"]["id"], body["first_unit"]["id"]) == (world.branch_a.pk, world.branch_a.pk)
    assert (body["contact_phone"], body["contact_shown"]) == (PHONE, True)
    assert [p["url"] for p in body["photos"]] == [f"/appeals/{appeal_id}/photos/{AppealPhoto.objects.get().pk}/"]

    steps = [
        ("property_manager", "accept", {}, ("accepted", 2, "compound", world.branch_a.pk)),
        ("property_manager", "dispatch", {}, ("dispatched", 3, "community", world.community_party.pk)),
        ("community_secretary", "dispatch", {}, ("dispatched", 4, "department", crew.water.pk)),  # the catalogue
        ("water_staff", "start", {}, ("in_progress", 5, "department", crew.water.pk)),
        ("water_staff", "resolve", {"resolution": "更换了漏水管段"}, ("resolved", 6, "department", crew.water.pk)),
        (
            "resident",
            "rate",
            {"contacted": True, "solved": True, "rating": "satisfied", "comment": "很快"},
            ("closed", 8, "department", crew.water.pk),
        ),
    ]
    version = 1
    for who, action, extra, expected in steps:
        response = act(login(who), appeal_id, action, version=version, **extra)
        assert response.status_code == 200, (action, response.content)
        body = response.json()
        assert (body["status"], body["version"], body["level"], body["unit"]["id"]) == expected, action
        version = body["version"]

    appeal = Appeal.objects.get(pk=appeal_id)
    assert (appeal.rating, appeal.resolved_level) == ("satisfied", "department")
    assert (appeal.rated_contacted, appeal.rated_solved) == (True, True)
    assert (body["rated_contacted"], body["rated_solved"]) == (True, True)
    assert appeal.first_unit_id == world.branch_a.pk  # the first unit to receive it stays responsible
    timeline = login("resident").get(f"{API}/{appeal_id}").json()["timeline"]
    assert [event["action"] for event in timeline] == [
        "submit",
        "accept",
        "dispatch",
        "dispatch",
        "start",
        "resolve",
        "rate",
        "close",
    ]


def test_the_department_sees_a_whistled_order_in_its_open_work_until_it_has_resolved_it(world, crew, login):
    appeal = at_department(world, crew)
    client = login("water_staff")
    assert [item["id"] for item in client.get(f"{API}/work").json()["items"]] == [appeal.pk]
    act(client, appeal.pk, "start", version=appeal.version)
    assert [item["id"] for item in client.get(f"{API}/work").json()["items"]] == [appeal.pk]
    resolved_ = act(client, appeal.pk, "resolve", version=appeal.version + 1, resolution="已修复").json()
    assert resolved_["status"] == "resolved"
    assert login("water_staff").get(f"{API}/work").json()["count"] == 0  # nothing left to do for the department
    act(
        login("resident"),
        appeal.pk,
        "rate",
        version=resolved_["version"],
        contacted=True,
        solved=True,
        rating="satisfied",
    )
    assert login("water_staff").get(f"{API}/work").json()["count"] == 0


def test_the_resident_is_told_of_each_step_and_can_mark_a_message_read(
    world, crew, login, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        appeal = resolved(world, crew)
    client = login("resident")
    messages = client.get(f"{API}/notifications").json()["items"]
    assert {m["appeal_id"] for m in messages} == {appeal.pk} and len(messages) == 3  # two dispatches, the resolution
    assert all(m["read_at"] is None for m in messages)
    response = client.post(f"{API}/notifications/{messages[0]['id']}/read")
    assert response.status_code == 200 and response.json()["read_at"] is not None
    assert client.get(f"{API}/notifications", {"unread": True}).json()["count"] == 2


def test_a_notification_of_someone_else_is_not_found(world, crew, login):
    note = Notification.objects.create(user=world.users["resident"], appeal=submitted(world, crew), message="x")
    response = login("property_manager").post(f"{API}/notifications/{note.pk}/read")
    assert response.status_code == 404
    assert Notification.objects.get(pk=note.pk).read_at is None


def test_staff_enter_an_appeal_for_a_resident_naming_the_channel(world, crew, login):
    response = login("building_head").post(
        API, report(world, crew, channel="hotline", room=world.rooms_a[1].pk, contact_name="郑阿姨")
    )
    assert response.status_code == 201, response.content
    appeal = Appeal.objects.get(pk=response.json()["id"])
    assert (appeal.channel, appeal.entered_by, appeal.reporter, appeal.contact_name) == (
        "hotline",
        world.users["building_head"],
        None,
        "郑阿姨",
    )


def test_staff_without_a_channel_and_residents_with_a_staff_channel_get_422_naming_channel(world, crew, login):
    with nothing_changes():
        staff = login("building_head").post(API, report(world, crew))
        resident = login("resident").post(API, report(world, crew, channel="hotline"))
        open311 = login("town_clerk").post(API, report(world, crew, channel="open311"))
    assert [(r.status_code, list(errors_of(r))) for r in (staff, resident, open311)] == [(422, ["channel"])] * 3


def test_the_contact_phone_is_masked_for_staff_and_shown_to_the_reporter_and_the_city_admin(world, crew, login):
    appeal = submitted(world, crew)
    phones = {
        who: login(who).get(f"{API}/{appeal.pk}").json()["contact_phone"]
        for who in ("resident", "city_admin", "property_manager", "town_clerk")
    }
    assert phones == {
        "resident": PHONE,
        "city_admin": PHONE,
        "property_manager": "139****1234",
        "town_clerk": "139****1234",
    }


def test_the_resident_does_not_see_internal_steps_or_who_took_them_but_staff_do(world, crew, login):
    appeal = submitted(world, crew)
    services.appeal_supervise(actor=world.users["town_clerk"], appeal=appeal, level="town", note="请加快")
    resident = login("resident").get(f"{API}/{appeal.pk}").json()["timeline"]
    staff = login("community_secretary").get(f"{API}/{appeal.pk}").json()["timeline"]
    assert [(e["action"], e["by"]) for e in resident] == [("submit", "吴业主")]
    assert [(e["action"], e["by"]) for e in staff] == [("submit", "吴业主"), ("supervise", "陈镇员")]


def test_the_list_filters_by_status_openness_compound_and_search(world, crew, login):
    received = submitted(world, crew)
    closed = services.appeal_rate(
        actor=world.users["resident"], appeal=resolved(world, crew), contacted=True, solved=True, rating="basic"
    )
    client = login("town_clerk")

    def ids(**query):
        response = client.get(API, query)
        assert response.status_code == 200, response.content
        return {item["id"] for item in response.json()["items"]}

    assert ids() == {received.pk, closed.pk}
    assert ids(status="closed") == {closed.pk}
    assert ids(open=True) == {received.pk}
    assert ids(compound=world.compound_a2.pk) == set()
    assert ids(unit=crew.water.pk) == {closed.pk}
    assert ids(q=received.number) == {received.pk}
    assert ids(q="楼道") == {received.pk, closed.pk}
    assert ids(overdue=True) == set()
    assert client.get(API, {"status": "lost"}).status_code == 422


def test_the_category_tree_holds_active_categories_under_their_parents(world, crew, login):
    roots = login("resident").get(f"{API}/categories").json()
    ours = next(root for root in roots if root["code"] == "T9")
    assert [(c["code"], [g["code"] for g in c["children"]]) for c in ours["children"]] == [("T901", ["T90101"])]
    assert ours["children"][0]["children"][0]["deadline_days"] == 5


def test_the_detail_offers_the_viewer_only_the_actions_that_are_theirs(world, crew, login):
    appeal = resolved(world, crew)
    assert "rate" in login("resident").get(f"{API}/{appeal.pk}").json()["actions"]
    assert set(login("community_secretary").get(f"{API}/{appeal.pk}").json()["actions"]) >= {"callback", "close"}
    assert "rate" not in login("community_secretary").get(f"{API}/{appeal.pk}").json()["actions"]


def test_an_extension_is_requested_by_the_department_and_granted_by_the_town(world, crew, login):
    appeal = services.appeal_start(actor=crew.water_staff, appeal=at_department(world, crew))
    asked = act(
        login("water_staff"), appeal.pk, "request_extension", version=appeal.version, days=3, reason="需采购配件"
    )
    assert asked.status_code == 200 and asked.json()["status"] == "extension_requested"
    assert asked.json()["timeline"][-1]["reason"] == "需采购配件"
    granted = act(login("town_clerk"), appeal.pk, "grant_extension", version=asked.json()["version"])
    assert granted.status_code == 200, granted.content
    assert (granted.json()["status"], granted.json()["extension_days"]) == ("extension_granted", 3)


def test_a_returned_order_is_reassigned_to_another_department(world, crew, login):
    appeal = at_department(world, crew)
    returned = act(login("water_staff"), appeal.pk, "return", version=appeal.version, reason="不属于供水管网")
    assert returned.status_code == 200, returned.content
    assert (returned.json()["status"], returned.json()["unit"]["id"]) == ("returned", world.community_party.pk)
    reassigned = act(
        login("community_secretary"),
        appeal.pk,
        "reassign",
        version=returned.json()["version"],
        department=world.department.pk,
        reason="墙内管道属住建部门监管",
    )
    assert reassigned.status_code == 200, reassigned.content
    assert (reassigned.json()["status"], reassigned.json()["unit"]["id"]) == ("reassigned", world.department.pk)
    assert reassigned.json()["timeline"][-1]["reason"] == "墙内管道属住建部门监管"


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_a_reassignment_without_a_reason_answers_422_naming_reason_and_changes_nothing(world, crew, login, reason):
    appeal = at_department(world, crew)
    returned = act(login("water_staff"), appeal.pk, "return", version=appeal.version, reason="不属于供水管网")
    assert returned.status_code == 200, returned.content
    body = {"version": returned.json()["version"], "department": world.department.pk}
    if reason is not None:
        body["reason"] = reason
    with nothing_changes():
        response = act(login("community_secretary"), appeal.pk, "reassign", **body)
    assert (response.status_code, list(errors_of(response))) == (422, ["reason"])
    current = Appeal.objects.get(pk=appeal.pk)
    assert (current.status, current.unit) == ("returned", world.community_party)


def test_a_duplicate_is_merged_into_the_appeal_being_handled(world, crew, login):
    first, duplicate = submitted(world, crew), submitted(world, crew)
    response = act(login("community_secretary"), duplicate.pk, "merge", version=1, into=first.pk)
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["merged_into_id"]) == ("merged", first.pk)


def test_supervision_by_the_town_is_recorded_with_the_version(world, crew, login):
    appeal = submitted(world, crew)
    response = act(login("town_clerk"), appeal.pk, "supervise", version=1, level="town")
    assert (response.status_code, response.json()["supervision"], response.json()["version"]) == (200, "town", 2)


# --- bad input: intake ------------------------------------------------------------------------


def test_an_unknown_category_code_answers_422_naming_category(world, crew, login):
    with nothing_changes():
        response = login("resident").post(API, report(world, crew, category="NOPE"))
    assert response.status_code == 422
    assert list(errors_of(response)) == ["category"] and "NOPE" in errors_of(response)["category"]


@pytest.mark.parametrize(
    ("field", "text", "limit"), [("title", "漏" * 101, "100"), ("description", "水" * 4001, "4000")]
)
def test_an_overlong_title_or_description_answers_422_naming_it_instead_of_cutting_it(
    world, crew, login, field, text, limit
):
    with nothing_changes():
        response = login("resident").post(API, report(world, crew, **{field: text}))
    assert (response.status_code, list(errors_of(response))) == (422, [field])
    assert limit in errors_of(response)[field]


def test_a_retired_category_answers_422_naming_category(world, crew, login):
    with nothing_changes():
        response = login("resident").post(API, report(world, crew, category=crew.retired.code))
    assert (response.status_code, list(errors_of(response))) == (422, ["category"])


@pytest.mark.parametrize(
    ("where", "field"),
    [
        (lambda w: {"compound": w.compound_a2.pk, "room": None}, "compound"),  # the resident does not live there
        (lambda w: {"compound": w.compound_b.pk, "room": w.rooms_b[0].pk}, "compound"),
        (lambda w: {"room": w.rooms_b[0].pk}, "room"),  # own compound, somebody else's room elsewhere
        (lambda w: {"building": w.building_a2.pk}, "building"),
        (lambda w: {"room": 999999}, "room"),
        (lambda w: {"compound": 999999, "room": None}, "compound"),
    ],
)
def test_a_location_outside_the_reporters_compound_answers_422_naming_the_field(world, crew, login, where, field):
    with nothing_changes():
        response = login("resident").post(API, report(world, crew, **where(world)))
    assert response.status_code == 422, response.content
    assert list(errors_of(response)) == [field]


def test_staff_cannot_enter_an_appeal_for_a_compound_outside_their_area(world, crew, login):
    with nothing_changes():
        response = login("property_manager").post(
            API, report(world, crew, channel="reception", compound=world.compound_b.pk, room=None)
        )
    assert (response.status_code, list(errors_of(response))) == (422, ["compound"])


def noise_png(megabytes: float) -> bytes:
    """An incompressible PNG of about `megabytes` MB: random pixels."""
    side = int((megabytes * 1024 * 1024 / 3) ** 0.5) + 1
    buffer = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(buffer, "PNG", compress_level=0)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "upload",
    [
        lambda: photo("big.png", noise_png(5.5)),
        lambda: photo("notes.jpg", b"this is not a photo at all", "image/jpeg"),
        lambda: photo("cut.png", png()[:60]),  # a truncated image
        lambda: photo("anim.gif", png(kind="GIF"), "image/gif"),  # an image, but not a kind we take
    ],
    ids=["oversize", "text", "truncated", "gif"],
)
def test_an_oversize_or_non_image_photo_answers_422_naming_photos(world, crew, login, upload):
    with nothing_changes():
        response = login("resident").post(API, {**report(world, crew), "photos": [photo(), upload()]})
    assert response.status_code == 422, response.content
    assert list(errors_of(response)) == ["photos"]


def test_a_photo_just_under_the_limit_is_accepted(world, crew, login):
    content = noise_png(4.5)
    assert len(content) < services.PHOTO_MAX_BYTES
    response = login("resident").post(API, {**report(world, crew), "photos": [photo("ok.png", content)]})
    assert response.status_code == 201, response.content
    assert response.json()["photos"][0]["size"] == len(content)


# --- bad input: actions -----------------------------------------------------------------------


def test_a_return_without_a_reason_answers_422_naming_reason(world, crew, login):
    appeal = at_department(world, crew)
    with nothing_changes():
        response = act(login("water_staff"), appeal.pk, "return", version=appeal.version, reason="  ")
    assert (response.status_code, list(errors_of(response))) == (422, ["reason"])


def test_a_return_after_two_working_days_answers_422_and_the_order_stays_with_the_department(world, crew, login):
    appeal = at_department(world, crew)
    Appeal.objects.filter(pk=appeal.pk).update(dispatched_at=timezone.now() - dt.timedelta(days=30))
    with nothing_changes():
        response = act(login("water_staff"), appeal.pk, "return", version=appeal.version, reason="不属于我局")
    assert response.status_code == 422
    assert list(errors_of(response)) == ["reason"] and "2" in errors_of(response)["reason"]
    assert Appeal.objects.get(pk=appeal.pk).unit == crew.water


@pytest.mark.parametrize(
    ("who", "action", "extra"),
    [
        ("property_manager", "start", {}),  # received: accept or dispatch it first
        ("community_secretary", "close", {}),
        ("property_manager", "resolve", {"resolution": "修好了"}),
        ("community_secretary", "reassign", {"department": "water"}),
    ],
)
def test_a_transition_not_allowed_from_the_current_state_answers_422_naming_status(
    world, crew, login, who, action, extra
):
    appeal = submitted(world, crew)
    extra = {key: crew.water.pk if value == "water" else value for key, value in extra.items()}
    with nothing_changes():
        response = act(login(who), appeal.pk, action, version=appeal.version, **extra)
    assert (response.status_code, list(errors_of(response))) == (422, ["status"])


def test_two_staff_acting_at_once_one_wins_and_the_other_gets_409_naming_version(world, crew, login):
    appeal = submitted(world, crew)
    first = act(login("property_manager"), appeal.pk, "accept", version=1)
    assert (first.status_code, first.json()["version"]) == (200, 2)
    with nothing_changes():
        second = act(login("branch_secretary"), appeal.pk, "dispatch", version=1)
    assert second.status_code == 409
    assert list(errors_of(second)) == ["version"] and appeal.number in errors_of(second)["version"]
    assert Appeal.objects.get(pk=appeal.pk).status == "accepted"  # the winner's change is kept


def test_an_action_without_a_version_answers_422_naming_version(world, crew, login):
    appeal = submitted(world, crew)
    with nothing_changes():
        response = act(login("property_manager"), appeal.pk, "accept")
    assert (response.status_code, list(errors_of(response))) == (422, ["version"])


@pytest.mark.parametrize("who", ["property_manager", "community_secretary", "city_admin", "water_staff"])
def test_a_rating_by_someone_who_is_not_the_reporter_answers_403(world, crew, login, who):
    appeal = resolved(world, crew)
    with nothing_changes():
        response = act(
            login(who), appeal.pk, "rate", version=appeal.version, contacted=False, solved=False, rating="dissatisfied"
        )
    assert response.status_code == 403
    assert Appeal.objects.get(pk=appeal.pk).rating == ""


def test_the_reporter_may_not_take_the_staffs_actions(world, crew, login):
    appeal = submitted(world, crew)
    with nothing_changes():
        response = act(login("resident"), appeal.pk, "accept", version=1)
    assert response.status_code == 403


def test_an_unknown_rating_answers_422_naming_rating(world, crew, login):
    appeal = resolved(world, crew)
    with nothing_changes():
        response = act(
            login("resident"), appeal.pk, "rate", version=appeal.version, contacted=True, solved=True, rating="great"
        )
    assert (response.status_code, list(errors_of(response))) == (422, ["rating"])


@pytest.mark.parametrize("missing", ["contacted", "solved", "rating"])
def test_a_rating_without_one_of_the_three_answers_answers_422_naming_it(world, crew, login, missing):
    appeal = resolved(world, crew)
    body = {"contacted": True, "solved": False, "rating": "basic"}
    del body[missing]
    with nothing_changes():
        response = act(login("resident"), appeal.pk, "rate", version=appeal.version, **body)
    assert (response.status_code, list(errors_of(response))) == (422, [missing])


def test_the_resident_who_says_it_was_not_solved_is_counted_so(world, crew, login):
    appeal = resolved(world, crew)
    response = act(
        login("resident"),
        appeal.pk,
        "rate",
        version=appeal.version,
        contacted=True,
        solved=False,
        rating="dissatisfied",
        comment="只是临时堵了一下",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["rating"], body["rated_contacted"], body["rated_solved"]) == (
        "closed",
        "dissatisfied",
        True,
        False,
    )


def hotline_resolved(world, crew) -> Appeal:
    """An appeal a hotline operator entered for a resident without an account, resolved by the compound."""
    appeal = services.appeal_submit(
        actor=world.users["building_head"],
        channel=Appeal.Channel.HOTLINE,
        category=crew.leak,
        title="水表漏水",
        description="水表井一直在冒水",
        compound=world.compound_a,
        contact_name="郑阿姨",
        contact_phone=PHONE,
    )
    appeal = services.appeal_accept(actor=world.users["branch_secretary"], appeal=appeal)
    return services.appeal_resolve(actor=world.users["branch_secretary"], appeal=appeal, resolution="已更换水表接头")


def test_a_callback_records_the_answers_of_a_resident_without_an_account_and_closes_the_order(world, crew, login):
    appeal = hotline_resolved(world, crew)
    response = act(
        login("community_secretary"),
        appeal.pk,
        "callback",
        version=appeal.version,
        reached=True,
        note="电话回访",
        contacted=True,
        solved=True,
        rating="basic",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["rating"], body["rated_contacted"], body["rated_solved"]) == (
        "closed",
        "basic",
        True,
        True,
    )
    assert [event["action"] for event in body["timeline"]][-3:] == ["callback", "rate", "close"]


def test_a_callback_may_not_answer_for_a_resident_with_an_account(world, crew, login):
    appeal = resolved(world, crew)
    with nothing_changes():
        response = act(
            login("community_secretary"),
            appeal.pk,
            "callback",
            version=appeal.version,
            reached=True,
            contacted=True,
            solved=True,
            rating="satisfied",
        )
    assert response.status_code == 403
    response = act(login("community_secretary"), appeal.pk, "callback", version=appeal.version, reached=True)
    assert (response.status_code, response.json()["status"], response.json()["rating"]) == (200, "called_back", "")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"reached": True, "contacted": True, "rating": "satisfied"}, "solved"),
        ({"reached": True, "solved": True, "rating": "satisfied"}, "contacted"),
        ({"reached": True, "contacted": True, "solved": True}, "rating"),
        ({"reached": False, "contacted": True, "solved": True, "rating": "satisfied"}, "reached"),
    ],
)
def test_a_callback_with_incomplete_answers_answers_422_naming_the_field(world, crew, login, body, field):
    appeal = hotline_resolved(world, crew)
    with nothing_changes():
        response = act(login("community_secretary"), appeal.pk, "callback", version=appeal.version, **body)
    assert (response.status_code, list(errors_of(response))) == (422, [field])


@pytest.mark.parametrize(
    ("who", "action", "body", "field"),
    [
        ("water_staff", "request_extension", {"reason": "等配件"}, "days"),
        ("water_staff", "request_extension", {"reason": "等配件", "days": 11}, "days"),
        ("community_secretary", "callback", {}, "reached"),
        ("community_secretary", "merge", {}, "into"),
        ("community_secretary", "dispatch", {"department": 999999}, "department"),
        ("water_staff", "resolve", {"resolution": ""}, "resolution"),
        ("town_clerk", "supervise", {"level": "province"}, "level"),
    ],
)
def test_an_action_missing_what_it_needs_answers_422_naming_the_field(world, crew, login, who, action, body, field):
    appeal = services.appeal_start(actor=crew.water_staff, appeal=at_department(world, crew))
    with nothing_changes():
        response = act(login(who), appeal.pk, action, version=appeal.version, **body)
    assert response.status_code == 422, response.content
    assert list(errors_of(response)) == [field]


def test_an_unknown_action_answers_404(world, crew, login):
    appeal = submitted(world, crew)
    with nothing_changes():
        response = act(login("city_admin"), appeal.pk, "teleport", version=1)
    assert response.status_code == 404


def test_an_action_on_an_appeal_outside_the_scope_answers_404(world, crew, login):
    appeal = submitted(world, crew)
    with nothing_changes():
        response = act(login("water_staff"), appeal.pk, "accept", version=1)
    assert response.status_code == 404
