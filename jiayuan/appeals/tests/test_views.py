"""The appeal pages: intake, my appeals, notifications, work lists, the detail page and its action panel.

Categories and the dispatch rule are created here (not taken from the seeded catalogue),
so the tests hold whatever the catalogue becomes.
"""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from jiayuan.appeals import services, workflow
from jiayuan.appeals.models import Appeal, AppealEvent, AppealPhoto, Category, DispatchRule, Notification
from jiayuan.organisations import services as org_services
from jiayuan.organisations.models import Organisation
from jiayuan.testing import START, settle

pytestmark = pytest.mark.django_db
PHONE = "13912345678"


# --- Fixtures and helpers -----------------------------------------------------------------


@pytest.fixture
def en(client):
    """Pages in English, so messages can be asserted on."""
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def cats(world, db):
    """A small catalogue of our own: 设施 › 供水 › 漏水 (active), an inactive leaf, and a dispatch rule."""
    repair = Category.Kind.REPAIR
    top = Category.objects.create(code="T9", name="设施T", kind=repair)
    water = Category.objects.create(code="T901", name="供水T", parent=top, kind=repair)
    leak = Category.objects.create(code="T90101", name="漏水T", parent=water, deadline_days=5, kind=repair)
    retired = Category.objects.create(code="T90102", name="旧分类T", parent=water, active=False)
    water_dept = org_services.organisation_create(
        actor=None, kind=Organisation.Kind.DEPARTMENT, name="测试水务局", city=world.city, established_on=START
    )
    DispatchRule.objects.create(category=water, department=water_dept)
    return type("Cats", (), {"leak": leak, "retired": retired, "water_dept": water_dept})


def report(world, cats, *, by="resident", compound=None, **extra) -> Appeal:
    """An appeal filed through the service (a resident's own, or entered by staff for compound_b)."""
    fields = {
        "category": cats.leak,
        "title": "厨房水管漏水",
        "description": "楼道水管漏水三天了。",
        "compound": compound or world.compound_a,
    }
    if by == "resident":
        fields["channel"] = Appeal.Channel.RESIDENT
    else:
        fields["channel"] = Appeal.Channel.HOTLINE
    fields.update(extra)
    return services.appeal_submit(actor=world.users[by], **fields)


def png(size=(8, 8)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 60, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


def photo(name="leak.png", content=None, content_type="image/png"):
    return SimpleUploadedFile(name, png() if content is None else content, content_type=content_type)


def url(name, *args):
    return reverse(f"appeals:{name}", args=args)


def act(client, appeal, action, htmx=False, **data):
    data.setdefault("version", Appeal.objects.get(pk=appeal.pk).version)
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(url("appeal_act", appeal.pk, action), data, headers=headers)


def counts():
    return Appeal.objects.count(), AppealEvent.objects.count(), AppealPhoto.objects.count()


def panel(response) -> list[str]:
    entries = response.context["one_click"] + response.context["actions"]
    return sorted(entry["name"] for entry in entries)


def numbers(response) -> set[str]:
    return {appeal.number for appeal in response.context["page_obj"].object_list}


# --- Who reaches which page ----------------------------------------------------------------------

ALL = (
    "resident",
    "building_head",
    "branch_secretary",
    "property_manager",
    "community_secretary",
    "town_clerk",
    "department_staff",
    "city_admin",
)
PAGE_STATUS = {
    "appeal_list": {"resident": 404},
    "appeal_export": {"resident": 404},
    "department_work": {role: 404 for role in ALL if role != "department_staff"},
    "intake": {"department_staff": 404},
    "my_appeals": {},
    "notifications": {},
}


@pytest.mark.parametrize("role", ALL)
@pytest.mark.parametrize("page", list(PAGE_STATUS))
def test_each_page_answers_each_persona_with_the_exact_status(as_role, world, cats, page, role):
    client = as_role(role)
    response = settle(client, client.get(url(page)))  # the export runs as a job: its file
    assert response.status_code == PAGE_STATUS[page].get(role, 200)


@pytest.mark.parametrize("page", list(PAGE_STATUS))
def test_anonymous_visitors_are_sent_to_login(client, world, page):
    response = client.get(url(page))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


DETAIL_IN_QINGYANG = {"department_staff": 404}
DETAIL_IN_CHIDIAN = {role: 404 for role in ALL if role != "city_admin"}


@pytest.mark.parametrize("role", ALL)
def test_appeal_detail_is_404_outside_the_viewers_scope(as_role, world, cats, role):
    mine = report(world, cats)
    elsewhere = report(world, cats, by="city_admin", compound=world.compound_b)
    client = as_role(role)
    assert client.get(url("appeal_detail", mine.pk)).status_code == DETAIL_IN_QINGYANG.get(role, 200)
    assert client.get(url("appeal_detail", elsewhere.pk)).status_code == DETAIL_IN_CHIDIAN.get(role, 200)


LIST_ROWS = {
    # role: (sees the Qingyang appeal, sees the Chidian appeal, sees the one dispatched to its department)
    "building_head": (True, False, True),
    "branch_secretary": (True, False, True),
    "property_manager": (True, False, True),
    "community_secretary": (True, False, True),
    "town_clerk": (True, False, True),
    "department_staff": (False, False, True),
    "city_admin": (True, True, True),
}


@pytest.mark.parametrize("role", list(LIST_ROWS))
def test_the_work_list_holds_only_appeals_in_the_viewers_scope(as_role, world, cats, role):
    in_a = report(world, cats)
    in_b = report(world, cats, by="city_admin", compound=world.compound_b)
    sent = report(world, cats, title="电梯停运")
    services.appeal_dispatch(actor=world.users["community_secretary"], appeal=sent, department=world.department)
    response = as_role(role).get(url("appeal_list"))
    expected = {a.number for a, seen in zip((in_a, in_b, sent), LIST_ROWS[role], strict=True) if seen}
    assert numbers(response) == expected


def test_my_appeals_holds_only_the_residents_own_appeals(as_role, world, cats):
    own = report(world, cats)
    report(world, cats, by="building_head", title="别人的诉求")
    response = as_role("resident").get(url("my_appeals"))
    assert [item["appeal"].pk for item in response.context["items"]] == [own.pk]


def test_department_open_work_lists_its_orders_nearest_deadline_first_and_highlights_overdue(as_role, world, cats):
    later = report(world, cats, title="晚的")
    sooner = report(world, cats, title="早的")
    not_ours = report(world, cats, title="别的部门")
    for appeal in (later, sooner):
        services.appeal_dispatch(actor=world.users["community_secretary"], appeal=appeal, department=world.department)
    services.appeal_dispatch(actor=world.users["community_secretary"], appeal=not_ours, department=cats.water_dept)
    today = timezone.localdate()
    Appeal.objects.filter(pk=sooner.pk).update(deadline=today - timezone.timedelta(days=2))
    response = as_role("department_staff").get(url("department_work"))
    section = response.context["sections"][0]
    rows = list(section["page_obj"].object_list)
    assert [a.pk for a in rows] == [sooner.pk, later.pk]
    assert [a.late for a in rows] == [True, False]
    assert section["late"] == 1
    assert 'class="overdue"' in response.content.decode()


# --- Work list filters and export -------------------------------------------------------------------


def test_work_list_filters_by_status_search_compound_and_open_only(as_role, world, cats):
    first = report(world, cats, title="水管漏水")
    second = report(world, cats, title="路灯不亮")
    services.appeal_accept(actor=world.users["property_manager"], appeal=second)
    client = as_role("town_clerk")
    assert numbers(client.get(url("appeal_list"), {"status": "accepted"})) == {second.number}
    assert numbers(client.get(url("appeal_list"), {"q": "路灯"})) == {second.number}
    assert numbers(client.get(url("appeal_list"), {"q": first.number})) == {first.number}
    assert numbers(client.get(url("appeal_list"), {"compound": world.compound_a2.pk})) == set()
    assert numbers(client.get(url("appeal_list"), {"open_only": "on"})) == {first.number, second.number}


def test_work_list_answers_htmx_with_the_results(as_role, world, cats):
    report(world, cats)
    response = as_role("town_clerk").get(url("appeal_list"), {"q": "漏水"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert 'id="results"' in response.content.decode()


def test_export_is_an_xlsx_of_the_visible_rows_with_the_contact_phone_masked(as_role, world, cats):
    report(world, cats, contact_phone=PHONE)
    report(world, cats, by="city_admin", compound=world.compound_b, title="池店的")
    client = as_role("town_clerk")
    response = settle(client, client.get(url("appeal_export")))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert len(values) == 2  # header and the one Qingyang appeal
    assert "139****5678" in values[1]
    assert PHONE not in str(values)
    assert "池店的" not in str(values)


# --- Intake ------------------------------------------------------------------------------------


def intake_data(world, cats, **extra):
    data = {
        "category": cats.leak.pk,
        "title": "楼道水管漏水",
        "description": "三楼楼道水管一直在滴水。",
        "compound": world.compound_a.pk,
        "building": world.building_a.pk,
        "room": world.rooms_a[0].pk,
    }
    data.update(extra)
    return data


def test_resident_intake_preselects_their_compound_and_offers_only_their_rooms(as_role, world, cats):
    response = as_role("resident").get(url("intake"))
    form = response.context["form"]
    assert form["compound"].value() == world.compound_a.pk
    assert list(form.fields["compound"].queryset) == [world.compound_a]
    assert list(form.fields["room"].queryset) == [world.rooms_a[0]]
    assert "channel" not in form.fields
    body = response.content.decode()
    assert "漏水T" in body and "旧分类T" not in body  # inactive categories are not offered


def test_resident_reports_a_problem_with_a_photo_and_a_protected_phone(as_role, world, cats):
    client = as_role("resident")
    response = client.post(url("intake"), intake_data(world, cats, contact_phone=PHONE, photos=[photo()]))
    appeal = Appeal.objects.get(title="楼道水管漏水")
    assert response.status_code == 302
    assert response.url == url("appeal_detail", appeal.pk)
    assert appeal.channel == Appeal.Channel.RESIDENT
    assert appeal.reporter_account == world.users["resident"]
    assert appeal.room == world.rooms_a[0]
    assert appeal.photos.get().content_type == "image/png"
    assert appeal.contact_phone == PHONE and appeal.contact_phone_hash
    staff_page = as_role("property_manager").get(url("appeal_detail", appeal.pk)).content.decode()
    assert "139****5678" in staff_page and PHONE not in staff_page


@pytest.mark.parametrize(
    "change, field",
    [
        ({"category": 999999}, "category"),
        ("retired", "category"),
        ("room_b", "room"),
        ("compound_b", "compound"),
        ({"title": ""}, "title"),
        ({"contact_phone": "12345"}, "contact_phone"),
    ],
)
def test_bad_intake_names_the_field_and_saves_nothing(as_role, world, cats, change, field):
    extra = (
        {
            "retired": {"category": cats.retired.pk},
            "room_b": {"room": world.rooms_b[0].pk},
            "compound_b": {"compound": world.compound_b.pk, "building": "", "room": ""},
        }.get(change, change)
        if isinstance(change, str)
        else change
    )
    before = counts()
    response = as_role("resident").post(url("intake"), intake_data(world, cats, photos=[photo()], **extra))
    assert response.status_code == 422
    assert field in response.context["form"].errors
    assert counts() == before


@pytest.mark.parametrize(
    "upload, message",
    [
        (photo("big.png", png() + b"\0" * services.PHOTO_MAX_BYTES), "5 MB"),
        (photo("notes.jpg", b"this is not a picture", "image/jpeg"), "notes.jpg"),
    ],
)
def test_oversize_or_non_image_photo_is_refused_and_nothing_is_saved(as_role, en, world, cats, upload, message):
    before = counts()
    response = as_role("resident").post(url("intake"), intake_data(world, cats, photos=[photo(), upload]))
    assert response.status_code == 422
    assert any(message in error for error in response.context["form"].errors["photos"])
    assert counts() == before


def test_more_than_six_photos_are_refused(as_role, world, cats):
    before = counts()
    photos = [photo(f"p{n}.png") for n in range(7)]
    response = as_role("resident").post(url("intake"), intake_data(world, cats, photos=photos))
    assert response.status_code == 422
    assert "photos" in response.context["form"].errors
    assert counts() == before


def test_staff_enter_an_appeal_for_a_resident_with_its_channel(as_role, world, cats):
    client = as_role("building_head")
    form = client.get(url("intake")).context["form"]
    assert {value for value, _ in form.fields["channel"].choices} == {
        "building_head",
        "grid_worker",
        "reception",
        "hotline",
        "four_party",
        "wechat",
    }
    response = client.post(
        url("intake"),
        intake_data(world, cats, room="", channel="building_head", contact_name="吴阿姨", contact_phone=PHONE),
    )
    assert response.status_code == 302
    appeal = Appeal.objects.get(title="楼道水管漏水")
    assert (appeal.channel, appeal.contact_name, appeal.entered_by) == (
        "building_head",
        "吴阿姨",
        world.users["building_head"],
    )
    assert appeal.reporter_account is None


def test_staff_cannot_enter_an_appeal_outside_their_compounds(as_role, world, cats):
    before = counts()
    response = as_role("building_head").post(
        url("intake"), intake_data(world, cats, compound=world.compound_b.pk, building="", room="", channel="hotline")
    )
    assert response.status_code == 422
    assert "compound" in response.context["form"].errors
    assert counts() == before


def test_the_place_choices_follow_the_chosen_compound(as_role, world, cats):
    client = as_role("town_clerk")
    response = client.get(url("intake_places"), {"compound": world.compound_a.pk}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith('<div id="intake-places"')
    assert list(response.context["form"].fields["building"].queryset) == [world.building_a]
    response = client.get(url("intake_places"), {"compound": world.compound_a2.pk, "building": world.building_a2.pk})
    assert list(response.context["form"].fields["building"].queryset) == [world.building_a2]
    assert set(response.context["form"].fields["room"].queryset) == set(world.rooms_a2)


def test_without_js_the_refresh_button_offers_the_new_compounds_places_and_keeps_the_text(as_role, world, cats):
    before = counts()
    response = as_role("town_clerk").post(
        url("intake"),
        intake_data(
            world, cats, compound=world.compound_a2.pk, building=world.building_a.pk, channel="hotline", _refresh="1"
        ),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert not form.is_bound and not form.errors
    assert list(form.fields["building"].queryset) == [world.building_a2]
    assert form["title"].value() == "楼道水管漏水"
    assert counts() == before


# --- Photos ------------------------------------------------------------------------------------


def test_photos_are_streamed_only_to_viewers_who_may_see_the_appeal(as_role, world, cats):
    appeal = report(world, cats, photos=[photo()])
    picture = appeal.photos.get()
    address = url("appeal_photo", appeal.pk, picture.pk)
    response = as_role("resident").get(address)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == png()
    assert as_role("town_clerk").get(address).status_code == 200
    assert as_role("department_staff").get(address).status_code == 404
    other = report(world, cats, by="city_admin", compound=world.compound_b)
    assert as_role("city_admin").get(url("appeal_photo", other.pk, picture.pk)).status_code == 404
    assert "/media/" not in as_role("resident").get(url("appeal_detail", appeal.pk)).content.decode()


# --- The action panel ------------------------------------------------------------------------------------

PANEL_ON_RECEIPT = {
    "resident": [],
    "building_head": [],  # reports and follows; handling is for the branch, the committee or the company
    "branch_secretary": ["accept", "dispatch", "merge"],
    "property_manager": ["accept", "dispatch", "merge"],
    "community_secretary": ["accept", "dispatch", "merge"],
    "town_clerk": ["accept", "dispatch", "merge", "supervise"],
    "city_admin": ["accept", "dispatch", "merge", "supervise"],
}


@pytest.mark.parametrize("role", list(PANEL_ON_RECEIPT))
def test_the_action_panel_lists_only_permitted_actions(as_role, world, cats, role):
    appeal = report(world, cats)
    response = as_role(role).get(url("appeal_detail", appeal.pk))
    assert panel(response) == PANEL_ON_RECEIPT[role]
    body = response.content.decode()
    for action in set(workflow.MOVES) - set(PANEL_ON_RECEIPT[role]):
        assert url("appeal_act", appeal.pk, action) not in body


def test_department_staff_see_start_and_return_once_the_order_is_theirs(as_role, world, cats):
    appeal = report(world, cats)
    services.appeal_dispatch(actor=world.users["community_secretary"], appeal=appeal, department=world.department)
    response = as_role("department_staff").get(url("appeal_detail", appeal.pk))
    assert panel(response) == ["merge", "return", "start"]


def test_the_dispatch_form_preselects_the_catalogues_department_at_community_level(as_role, world, cats):
    appeal = report(world, cats)
    services.appeal_dispatch(actor=world.users["property_manager"], appeal=appeal)  # up to the community
    response = as_role("community_secretary").get(url("appeal_detail", appeal.pk))
    form = next(entry["form"] for entry in response.context["actions"] if entry["name"] == "dispatch")
    assert form["department"].value() == cats.water_dept.pk


def test_an_action_the_viewer_may_not_take_is_403_with_a_message(as_role, en, world, cats):
    appeal = report(world, cats)
    response = act(as_role("resident"), appeal, "accept")
    assert response.status_code == 403
    assert "may not" in response.context["alert"]
    response = act(as_role("building_head"), appeal, "supervise", level="town")
    assert response.status_code == 403
    assert Appeal.objects.get(pk=appeal.pk).supervision == ""
    assert Appeal.objects.get(pk=appeal.pk).status == workflow.RECEIVED


def test_an_action_on_an_appeal_outside_scope_is_404(as_role, world, cats):
    appeal = report(world, cats)
    assert act(as_role("department_staff"), appeal, "accept").status_code == 404
    assert act(as_role("town_clerk"), appeal, "fly").status_code == 404
    assert as_role("town_clerk").get(url("appeal_act", appeal.pk, "accept")).status_code == 405


def test_an_action_posts_with_htmx_and_gets_the_panel_and_timeline_back(as_role, en, world, cats):
    appeal = report(world, cats)
    response = act(as_role("property_manager"), appeal, "accept", htmx=True)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="appeal-live"')
    assert "Accepted." in body and "<html" not in body
    assert Appeal.objects.get(pk=appeal.pk).status == workflow.ACCEPTED


def test_an_action_without_js_redirects_back_to_the_appeal(as_role, world, cats):
    appeal = report(world, cats)
    response = act(as_role("property_manager"), appeal, "accept")
    assert response.status_code == 302
    assert response.url == url("appeal_detail", appeal.pk)


def test_a_missing_reason_is_shown_next_to_the_field_and_changes_nothing(as_role, world, cats):
    appeal = report(world, cats)
    services.appeal_dispatch(actor=world.users["community_secretary"], appeal=appeal, department=world.department)
    version = Appeal.objects.get(pk=appeal.pk).version
    response = act(as_role("department_staff"), appeal, "return", reason="  ")
    assert response.status_code == 422
    form = next(entry["form"] for entry in response.context["actions"] if entry["name"] == "return")
    assert "reason" in form.errors
    current = Appeal.objects.get(pk=appeal.pk)
    assert (current.status, current.version) == (workflow.DISPATCHED, version)


def test_a_return_after_two_working_days_is_refused_with_the_reason_field_marked(as_role, world, cats):
    appeal = report(world, cats)
    services.appeal_dispatch(actor=world.users["community_secretary"], appeal=appeal, department=world.department)
    Appeal.objects.filter(pk=appeal.pk).update(dispatched_at=timezone.now() - timezone.timedelta(days=10))
    response = act(as_role("department_staff"), appeal, "return", reason="不归我们管")
    assert response.status_code == 422
    form = next(entry["form"] for entry in response.context["actions"] if entry["name"] == "return")
    assert form.errors["reason"]
    assert Appeal.objects.get(pk=appeal.pk).status == workflow.DISPATCHED


# --- Two staff at once ----------------------------------------------------------------------------


def test_a_stale_version_gets_409_and_the_current_state_with_htmx(as_role, en, world, cats):
    appeal = report(world, cats)
    seen = appeal.version
    services.appeal_accept(actor=world.users["branch_secretary"], appeal=appeal, version=seen)
    response = act(as_role("property_manager"), appeal, "accept", htmx=True, version=seen)
    assert response.status_code == 409
    assert "Someone else changed this appeal" in response.content.decode()
    assert response.context["appeal"].status == workflow.ACCEPTED
    assert AppealEvent.objects.filter(appeal=appeal, action="accept").count() == 1


def test_a_stale_reply_is_not_lost_after_a_conflict(as_role, en, world, cats):
    appeal = report(world, cats)
    services.appeal_accept(actor=world.users["branch_secretary"], appeal=appeal)
    seen = Appeal.objects.get(pk=appeal.pk).version
    services.appeal_resolve(actor=world.users["branch_secretary"], appeal=appeal, resolution="已修好", version=seen)
    response = act(as_role("property_manager"), appeal, "resolve", version=seen, resolution="物业已更换水管")
    assert response.status_code == 409
    body = response.content.decode()
    assert "Someone else changed this appeal" in body
    assert "物业已更换水管" in body  # the second reply is shown back, not thrown away
    assert Appeal.objects.get(pk=appeal.pk).resolution == "已修好"


def test_after_a_conflict_the_form_carries_the_new_version(as_role, world, cats):
    appeal = report(world, cats)
    seen = appeal.version
    services.appeal_supervise(actor=world.users["town_clerk"], appeal=appeal, level="town")
    response = act(as_role("property_manager"), appeal, "dispatch", htmx=True, version=seen, reason="小区处理不了")
    assert response.status_code == 409
    form = next(entry["form"] for entry in response.context["actions"] if entry["name"] == "dispatch")
    assert form["version"].value() == str(Appeal.objects.get(pk=appeal.pk).version)
    assert form["reason"].value() == "小区处理不了"


# --- The whole loop through the pages --------------------------------------------------------------


def test_the_loop_from_report_to_rating_through_the_pages(as_role, en, world, cats, django_capture_on_commit_callbacks):
    client = as_role("resident")
    client.post(url("intake"), intake_data(world, cats))
    appeal = Appeal.objects.get(title="楼道水管漏水")

    with django_capture_on_commit_callbacks(execute=True):  # notifications are sent after commit
        assert act(as_role("property_manager"), appeal, "accept").status_code == 302
        assert act(as_role("property_manager"), appeal, "dispatch", department="").status_code == 302
        assert Appeal.objects.get(pk=appeal.pk).level == Appeal.Level.COMMUNITY
        assert (
            act(as_role("community_secretary"), appeal, "dispatch", department=world.department.pk).status_code == 302
        )
        assert act(as_role("department_staff"), appeal, "start").status_code == 302
        response = act(as_role("department_staff"), appeal, "resolve", resolution="已更换老化水管", via_four_party="on")
        assert response.status_code == 302
    appeal.refresh_from_db()
    assert (appeal.status, appeal.resolved_level, appeal.via_four_party) == (
        workflow.RESOLVED,
        Appeal.Level.DEPARTMENT,
        True,
    )

    client = as_role("resident")
    page = client.get(url("my_appeals"))
    item = page.context["items"][0]
    assert [entry["name"] for entry in item["forms"]] == ["rate", "reopen"]
    body = page.content.decode()
    assert "已更换老化水管" in body
    assert 'data-testid="unread-count"' in body
    form = item["forms"][0]["form"]
    assert list(form.fields) == ["version", "contacted", "solved", "rating", "comment"]
    assert 'name="contacted" value="yes"' in body and 'name="solved" value="no"' in body
    response = act(
        client, appeal, "rate", contacted="yes", solved="yes", rating="satisfied", comment="很快", next="mine"
    )
    assert response.status_code == 302
    assert response.url == url("my_appeals") + f"#appeal-{appeal.pk}"
    appeal.refresh_from_db()
    assert (appeal.rating, appeal.status, appeal.rated_contacted, appeal.rated_solved) == (
        "satisfied",
        workflow.CLOSED,
        True,
        True,
    )
    assert 'data-testid="my-rating"' in client.get(url("my_appeals")).content.decode()
    assert (
        act(as_role("department_staff"), appeal, "rate", contacted="no", solved="no", rating="dissatisfied").status_code
        == 403
    )


def test_a_resident_sees_only_public_steps(as_role, world, cats):
    appeal = report(world, cats)
    services.appeal_supervise(actor=world.users["town_clerk"], appeal=appeal, level="town")
    resident = as_role("resident").get(url("appeal_detail", appeal.pk))
    assert [event.action for event in resident.context["timeline"]] == ["submit"]
    staff = as_role("town_clerk").get(url("appeal_detail", appeal.pk))
    assert [event.action for event in staff.context["timeline"]] == ["submit", "supervise"]


def test_the_reopen_form_is_offered_only_within_the_period(as_role, world, cats, settings):
    appeal = report(world, cats)
    services.appeal_accept(actor=world.users["branch_secretary"], appeal=appeal)
    services.appeal_resolve(actor=world.users["branch_secretary"], appeal=appeal, resolution="已处理")
    client = as_role("resident")
    names = [entry["name"] for entry in client.get(url("my_appeals")).context["items"][0]["forms"]]
    assert "reopen" in names
    Appeal.objects.filter(pk=appeal.pk).update(
        resolved_at=timezone.now() - timezone.timedelta(days=settings.APPEAL_REOPEN_DAYS + 1)
    )
    names = [entry["name"] for entry in client.get(url("my_appeals")).context["items"][0]["forms"]]
    assert names == ["rate"]


# --- Notifications --------------------------------------------------------------------------------


def test_notifications_list_only_the_viewers_own_and_can_be_marked_read(as_role, world, cats):
    appeal = report(world, cats)
    mine = Notification.objects.create(user=world.users["resident"], appeal=appeal, message="您的诉求已受理")
    other = Notification.objects.create(user=world.users["town_clerk"], appeal=appeal, message="新诉求")
    client = as_role("resident")
    response = client.get(url("notifications"))
    assert list(response.context["page_obj"].object_list) == [mine]
    assert '<span class="count" data-testid="unread-count"' in response.content.decode()
    assert client.post(url("notifications_read"), {"id": other.pk}).status_code == 404
    assert client.post(url("notifications_read"), {"id": mine.pk}).status_code == 302
    mine.refresh_from_db()
    other.refresh_from_db()
    assert mine.read_at is not None and other.read_at is None
    assert 'data-testid="unread-count"' not in client.get(url("notifications")).content.decode()


def test_mark_all_read_with_htmx_returns_the_list(as_role, world, cats):
    appeal = report(world, cats)
    for n in range(3):
        Notification.objects.create(user=world.users["resident"], appeal=appeal, message=f"消息{n}")
    response = as_role("resident").post(url("notifications_read"), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert 'id="notification-list"' in response.content.decode()
    assert not Notification.objects.filter(user=world.users["resident"], read_at__isnull=True).exists()


# --- Rating: the resident's three answers ----------------------------------------------------------


def resolved_appeal(world, cats, **extra):
    appeal = report(world, cats, **extra)
    services.appeal_accept(actor=world.users["branch_secretary"], appeal=appeal)
    return services.appeal_resolve(actor=world.users["branch_secretary"], appeal=appeal, resolution="物业已维修")


@pytest.mark.parametrize("missing", ["contacted", "solved", "rating"])
def test_a_rating_without_one_of_the_answers_is_shown_again_with_that_field_marked(as_role, world, cats, missing):
    appeal = resolved_appeal(world, cats)
    data = {"contacted": "yes", "solved": "no", "rating": "basic"}
    del data[missing]
    response = act(as_role("resident"), appeal, "rate", **data)
    assert response.status_code == 422
    form = next(entry["form"] for entry in response.context["actions"] if entry["name"] == "rate")
    assert list(form.errors) == [missing]
    appeal.refresh_from_db()
    assert (appeal.rating, appeal.status) == ("", workflow.RESOLVED)


def test_the_detail_page_shows_the_residents_answers(as_role, en, world, cats):
    appeal = resolved_appeal(world, cats)
    services.appeal_rate(
        actor=world.users["resident"], appeal=appeal, contacted=True, solved=False, rating="dissatisfied"
    )
    response = as_role("town_clerk").get(url("appeal_detail", appeal.pk))
    body = response.content.decode()
    assert "Contacted by the handling unit: yes" in body and "Problem solved: no" in body


def test_the_callback_form_asks_the_three_questions_only_for_a_resident_without_an_account(as_role, world, cats):
    own = resolved_appeal(world, cats)
    hotline = resolved_appeal(world, cats, by="building_head", contact_name="郑阿姨")
    client = as_role("community_secretary")

    def callback_fields(appeal):
        response = client.get(url("appeal_detail", appeal.pk))
        form = next(entry["form"] for entry in response.context["actions"] if entry["name"] == "callback")
        return list(form.fields)

    assert callback_fields(own) == ["version", "reached", "reason"]
    assert callback_fields(hotline) == ["version", "reached", "reason", "contacted", "solved", "rating"]
    response = act(
        client, hotline, "callback", reached="yes", reason="电话回访", contacted="yes", solved="yes", rating="satisfied"
    )
    assert response.status_code == 302
    hotline.refresh_from_db()
    assert (hotline.status, hotline.rating, hotline.rated_contacted, hotline.rated_solved) == (
        workflow.CLOSED,
        "satisfied",
        True,
        True,
    )
    # for a resident with an account the page has no such questions: only the call is recorded, they rate themselves
    response = act(client, own, "callback", reached="yes", contacted="yes", solved="yes", rating="satisfied")
    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.status, own.rating, own.rated_contacted) == (workflow.CALLED_BACK, "", None)


# --- The list behind the scores page's numbers ---------------------------------------------------------


def test_the_work_list_applies_the_scores_filters_and_shows_them_as_chips(as_role, en, world, cats):
    rated = resolved_appeal(world, cats, title="已评价")
    services.appeal_rate(actor=world.users["resident"], appeal=rated, contacted=True, solved=False, rating="basic")
    open_one = report(world, cats, title="未办结")
    month = timezone.localdate().strftime("%Y-%m")
    client = as_role("town_clerk")
    response = client.get(
        url("appeal_list"),
        {"month": month, "town": world.qingyang.pk, "rated": "1", "solved": "0", "rating": "basic,satisfied"},
    )
    assert response.status_code == 200
    assert numbers(response) == {rated.number}
    chips = {chip["name"]: (chip["label"], chip["value"]) for chip in response.context["chips"]}
    assert chips == {
        "month": ("Received in", month),
        "town": ("Town", "青阳街道"),
        "rated": ("Rated", "yes"),
        "solved": ("Resident says the problem was solved", "no"),
        "rating": ("rating", "basically satisfied、satisfied"),
    }
    body = response.content.decode()
    assert 'data-testid="filter-chips"' in body and 'data-testid="clear-filters"' in body
    assert f'href="{url("appeal_list")}"' in body  # "clear" goes back to the whole list
    # each chip drops only itself, and the toolbar keeps the others as hidden fields
    remove_solved = next(chip["remove"] for chip in response.context["chips"] if chip["name"] == "solved")
    assert "solved" not in remove_solved and f"town={world.qingyang.pk}" in remove_solved
    assert numbers(client.get(remove_solved)) == {rated.number}
    assert '<input type="hidden" name="month" value="' + month + '">' in body
    assert numbers(client.get(url("appeal_list"), {"month": month, "rated": "0"})) == {open_one.number}
    assert numbers(client.get(url("appeal_list"))) == {rated.number, open_one.number}
    assert client.get(url("appeal_list")).context["chips"] == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"month": "2025-13"}, "month"),
        ({"town": "999999"}, "town"),
        ({"rating": "great"}, "rating"),
        ({"contacted": "maybe"}, "contacted"),
        ({"level": "galaxy"}, "level"),
        ({"returned_by": "x"}, "returned_by"),
    ],
)
def test_a_bad_filter_is_named_and_lists_nothing_rather_than_everything(as_role, en, world, cats, params, field):
    report(world, cats)
    response = as_role("town_clerk").get(url("appeal_list"), params)
    assert response.status_code == 422
    assert list(response.context["form"].errors) == [field]
    assert numbers(response) == set()
    assert f'data-field="{field}"' in response.content.decode()
    assert as_role("town_clerk").get(url("appeal_export"), params).status_code == 422


def test_a_town_outside_the_viewers_area_is_refused_not_listed(as_role, world, cats):
    report(world, cats, by="city_admin", compound=world.compound_b)
    chidian = world.compound_b.community.town
    response = as_role("town_clerk").get(url("appeal_list"), {"town": chidian.pk})
    assert response.status_code == 422 and numbers(response) == set()


def test_the_export_holds_the_filtered_rows_with_the_residents_answers(as_role, en, world, cats):
    rated = resolved_appeal(world, cats, title="已评价")
    services.appeal_rate(actor=world.users["resident"], appeal=rated, contacted=False, solved=True, rating="basic")
    report(world, cats, title="未评价")
    client = as_role("town_clerk")
    response = settle(client, client.get(url("appeal_export"), {"rated": "1"}))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert len(values) == 2 and values[1][0] == rated.number
    assert values[0][15:17] == ["Contacted (resident's answer)", "Solved (resident's answer)"]
    assert values[1][15:17] == ["no", "yes"]


# --- Department work, notifications, linked compounds ----------------------------------------------


def test_department_open_work_leaves_out_orders_it_has_resolved(as_role, world, cats):
    waiting = report(world, cats, title="待办")
    done = report(world, cats, title="已办")
    for appeal in (waiting, done):
        services.appeal_dispatch(actor=world.users["community_secretary"], appeal=appeal, department=world.department)
    services.appeal_start(actor=world.users["department_staff"], appeal=done)
    services.appeal_resolve(actor=world.users["department_staff"], appeal=done, resolution="已处理")
    section = as_role("department_staff").get(url("department_work")).context["sections"][0]
    assert [a.pk for a in section["page_obj"].object_list] == [waiting.pk]


def test_opening_an_appeal_marks_the_viewers_notifications_about_it_read(as_role, world, cats):
    appeal = report(world, cats)
    other = report(world, cats, title="另一件")
    mine = Notification.objects.create(user=world.users["resident"], appeal=appeal, message="已受理")
    elsewhere = Notification.objects.create(user=world.users["resident"], appeal=other, message="已受理")
    staff = Notification.objects.create(user=world.users["town_clerk"], appeal=appeal, message="新诉求")
    client = as_role("resident")
    assert re.search(r'data-testid="unread-count"[^>]*>2<', client.get(url("my_appeals")).content.decode())
    body = client.get(url("appeal_detail", appeal.pk)).content.decode()
    for note in (mine, elsewhere, staff):
        note.refresh_from_db()
    assert mine.read_at is not None
    assert elsewhere.read_at is None and staff.read_at is None
    assert re.search(r'data-testid="unread-count"[^>]*>1<', body)  # drawn after marking: one left, the other appeal
    assert Notification.objects.filter(user=world.users["resident"], read_at__isnull=True).get() == elsewhere


def test_a_linked_department_reads_the_compounds_appeals_but_may_not_act_on_them(as_role, world, cats):
    from jiayuan.organisations.models import DepartmentLink

    appeal = report(world, cats)
    client = as_role("department_staff")
    assert client.get(url("appeal_detail", appeal.pk)).status_code == 404
    DepartmentLink.objects.create(
        department=world.department,
        compound=world.compound_a,
        start_date=timezone.localdate() - timezone.timedelta(days=10),
    )
    response = client.get(url("appeal_detail", appeal.pk))
    assert response.status_code == 200
    assert panel(response) == []
    assert 'data-testid="no-actions"' in response.content.decode()
    listing = client.get(url("appeal_list"))
    assert appeal.number in numbers(listing)
    assert '<select name="compound"' not in listing.content.decode()  # a department filters by unit, not compound
    assert '<select name="compound"' in as_role("town_clerk").get(url("appeal_list")).content.decode()
    client = as_role("department_staff")
    assert act(client, appeal, "accept").status_code == 403
    assert Appeal.objects.get(pk=appeal.pk).status == workflow.RECEIVED


# --- The department selects and the reassignment's reason -------------------------------------------------------


def returned_order(world, cats) -> Appeal:
    """Dispatched to 住建局 by the community, returned (退单) by its staff: the community reassigns it."""
    appeal = report(world, cats)
    services.appeal_dispatch(actor=world.users["community_secretary"], appeal=appeal, department=world.department)
    return services.appeal_return(
        actor=world.users["department_staff"], appeal=Appeal.objects.get(pk=appeal.pk), reason="供水管道不归住建"
    )


def test_the_dispatch_select_offers_the_catalogues_department_first_and_marked(as_role, en, world, cats):
    bank = org_services.organisation_create(
        actor=None, kind=Organisation.Kind.DEPARTMENT, name="A银行", city=world.city, established_on=START
    )
    DispatchRule.objects.create(category=cats.retired, department=world.department)  # in the catalogue, elsewhere
    appeal = report(world, cats)
    services.appeal_dispatch(actor=world.users["property_manager"], appeal=appeal)  # up to the community
    response = as_role("community_secretary").get(url("appeal_detail", appeal.pk))
    form = next(entry["form"] for entry in response.context["actions"] if entry["name"] == "dispatch")
    with translation.override("en"):  # the labels are drawn as the choices are read, here after the request
        choices = [(value, label) for value, label in form.fields["department"].choices]
    assert choices[0] == (cats.water_dept.pk, f"{cats.water_dept.name} (suggested by the catalogue)")
    values = [value for value, _ in choices]
    assert values.index(world.department.pk) < values.index(bank.pk)  # the catalogue ranks before the alphabet
    body = response.content.decode()
    assert body.index(f"{cats.water_dept.name} (suggested by the catalogue)") < body.index("A银行")


def test_a_reassignment_without_a_reason_is_refused_beside_the_field_and_changes_nothing(as_role, en, world, cats):
    appeal = returned_order(world, cats)
    before = counts(), Appeal.objects.get(pk=appeal.pk).version
    response = act(as_role("community_secretary"), appeal, "reassign", department=cats.water_dept.pk, reason="  ")
    assert response.status_code == 422
    form = next(entry["form"] for entry in response.context["actions"] if entry["name"] == "reassign")
    assert list(form.errors) == ["reason"]
    assert 'id="id_reassign_reason_errors"' in response.content.decode()
    current = Appeal.objects.get(pk=appeal.pk)
    assert (counts(), current.version) == before
    assert (current.status, current.unit) == (workflow.RETURNED, world.community_party)


def test_the_reassignments_reason_is_shown_in_the_appeals_history(as_role, en, world, cats):
    appeal = returned_order(world, cats)
    client = as_role("community_secretary")
    response = act(client, appeal, "reassign", department=cats.water_dept.pk, reason="供水管道属水务部门")
    assert response.status_code == 302
    current = Appeal.objects.get(pk=appeal.pk)
    assert (current.status, current.unit) == (workflow.REASSIGNED, cats.water_dept)
    timeline = client.get(url("appeal_detail", appeal.pk)).content.decode().split('data-testid="timeline"')[1]
    assert "Reassigned" in timeline and "供水管道属水务部门" in timeline
