"""The detail page's parts for the handling: photos after the fix on the resolve form and under their own heading,
the photos and the masked phone (with its "show" button) for the department handling the order."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jiayuan.appeals import services, workflow
from jiayuan.appeals.models import Appeal, AppealPhoto
from jiayuan.core.audit import history_for
from jiayuan.core.models import AuditEntry

from .conftest import png_bytes, upload

pytestmark = pytest.mark.django_db
PHONE = "13912345678"
MASKED = "139****5678"


def url(name, *args):
    return reverse(f"appeals:{name}", args=args)


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


def login(client, world, cast, who):
    client.force_login(cast.water_staff if who == "water_staff" else world.users[who])
    return client


def at_water(world, cast, file_appeal, **extra) -> Appeal:
    appeal = file_appeal(contact_phone=PHONE, **extra)
    return services.appeal_dispatch(actor=world.users["community_secretary"], appeal=appeal, department=cast.water)


def resolve(client, appeal, *, htmx=True, **data):
    data = {"version": Appeal.objects.get(pk=appeal.pk).version, "resolution": "已更换漏水管段。", **data}
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(url("appeal_act", appeal.pk, "resolve"), data, headers=headers)


# --- photos after the fix -------------------------------------------------------------------------------


def test_the_resolve_form_is_multipart_and_asks_for_photos_after_the_fix(client, en, world, cast, file_appeal):
    appeal = services.appeal_accept(actor=world.users["branch_secretary"], appeal=file_appeal())
    page = login(client, world, cast, "branch_secretary").get(url("appeal_detail", appeal.pk)).content.decode()
    form = page[page.index('data-action="resolve" novalidate') - 400 : page.index('data-action="resolve" novalidate')]
    assert 'enctype="multipart/form-data"' in form and 'hx-encoding="multipart/form-data"' in form
    assert 'id="id_resolve_photos"' in page and "Photos after the fix" in page


def test_photos_after_the_fix_are_kept_and_shown_under_their_own_heading_to_the_reporter(
    client, en, world, cast, file_appeal
):
    appeal = services.appeal_accept(
        actor=world.users["branch_secretary"], appeal=file_appeal(photos=[upload("before.png", png_bytes())])
    )
    client = login(client, world, cast, "branch_secretary")
    response = resolve(client, appeal, photos=[upload("after.png", png_bytes((12, 12)))])
    assert response.status_code == 200, response.content
    assert 'data-testid="after-photos"' in response.content.decode()  # the swapped part shows them at once
    after = AppealPhoto.objects.get(appeal=appeal, kind=AppealPhoto.Kind.AFTER)
    assert Appeal.objects.get(pk=appeal.pk).status == workflow.RESOLVED

    reporter = login(client, world, cast, "resident")
    page = reporter.get(url("appeal_detail", appeal.pk))
    body = page.content.decode()
    assert [p.pk for p in page.context["after_photos"]] == [after.pk]
    assert [p.kind for p in page.context["photos"]] == ["before"]  # the report's photos stay apart
    heading = body.index("Photos after the fix")
    assert body.index(url("appeal_photo", appeal.pk, after.pk)) > heading
    assert body.index("Photos of the problem") < body.index(
        url("appeal_photo", appeal.pk, page.context["photos"][0].pk)
    )
    streamed = reporter.get(url("appeal_photo", appeal.pk, after.pk))
    assert streamed.status_code == 200 and b"".join(streamed.streaming_content) == png_bytes((12, 12))
    api = reporter.get(f"/api/v1/appeals/{appeal.pk}").json()
    assert [photo["kind"] for photo in api["photos"]] == ["before", "after"]


# Who may resolve a taken-on repair order at the compound, with photos after the fix, on the page.
RESOLVE_WITH_PHOTOS = {
    "branch_secretary": 200,
    "committee_director": 200,
    "property_manager": 200,  # a repair order: the company's to fix
    "community_secretary": 200,
    "town_clerk": 200,
    "city_admin": 200,
    "building_head": 403,  # reports and follows
    "resident": 403,
    "department_staff": 404,  # not theirs to see
}


@pytest.mark.parametrize("who", list(RESOLVE_WITH_PHOTOS))
def test_resolving_with_photos_answers_by_role_and_stores_them_only_when_done(client, world, cast, file_appeal, who):
    appeal = services.appeal_accept(actor=world.users["branch_secretary"], appeal=file_appeal())
    response = resolve(login(client, world, cast, who), appeal, photos=[upload("after.png", png_bytes())])
    status = RESOLVE_WITH_PHOTOS[who]
    assert response.status_code == status
    stored = AppealPhoto.objects.filter(appeal=appeal, kind=AppealPhoto.Kind.AFTER).count()
    state = Appeal.objects.get(pk=appeal.pk).status
    assert (state, stored) == ((workflow.RESOLVED, 1) if status == 200 else (workflow.ACCEPTED, 0))


def test_photos_cannot_ride_on_a_resolve_at_the_wrong_stage(client, world, cast, file_appeal):
    appeal = file_appeal()  # received: to be taken on first
    response = resolve(login(client, world, cast, "branch_secretary"), appeal, photos=[upload("a.png", png_bytes())])
    assert response.status_code == 422
    assert not AppealPhoto.objects.filter(appeal=appeal).exists()


def test_a_bad_after_photo_answers_422_beside_the_field_and_resolves_nothing(client, en, world, cast, file_appeal):
    appeal = services.appeal_accept(actor=world.users["branch_secretary"], appeal=file_appeal())
    client = login(client, world, cast, "branch_secretary")
    response = resolve(client, appeal, htmx=False, photos=[upload("notes.jpg", b"not a picture\n" * 20, "image/jpeg")])
    assert response.status_code == 422
    form = next(entry["form"] for entry in response.context["actions"] if entry["name"] == "resolve")
    assert any("notes.jpg" in error for error in form.errors["photos"])
    assert (Appeal.objects.get(pk=appeal.pk).status, AppealPhoto.objects.filter(appeal=appeal).count()) == (
        workflow.ACCEPTED,
        0,
    )


def test_department_staff_see_the_photos_of_the_order_they_handle(client, en, world, cast, file_appeal):
    appeal = at_water(world, cast, file_appeal, photos=[upload("before.png", png_bytes())])
    appeal = services.appeal_start(actor=cast.water_staff, appeal=appeal)
    appeal = services.appeal_resolve(
        actor=cast.water_staff, appeal=appeal, resolution="已修复。", photos=[upload("after.png", png_bytes((11, 11)))]
    )
    client = login(client, world, cast, "water_staff")
    page = client.get(url("appeal_detail", appeal.pk))
    assert len(page.context["photos"]) == 1 and len(page.context["after_photos"]) == 1
    for photo in AppealPhoto.objects.filter(appeal=appeal):
        assert client.get(url("appeal_photo", appeal.pk, photo.pk)).status_code == 200
    other = login(client, world, cast, "department_staff")  # another department: the order is not theirs
    assert other.get(url("appeal_detail", appeal.pk)).status_code == 404
    assert other.get(url("appeal_photo", appeal.pk, AppealPhoto.objects.filter(appeal=appeal)[0].pk)).status_code == 404


# --- the reporter's phone for the handling department ----------------------------------------------------


def test_the_department_sees_the_phone_masked_with_a_show_button_that_reveals_it_with_htmx(
    client, en, world, cast, file_appeal
):
    appeal = at_water(world, cast, file_appeal)
    client = login(client, world, cast, "water_staff")
    page = client.get(url("appeal_detail", appeal.pk)).content.decode()
    assert MASKED in page and PHONE not in page
    assert f'hx-post="{url("appeal_contact", appeal.pk)}"' in page and 'hx-target="#contact-phone"' in page
    response = client.post(url("appeal_contact", appeal.pk), headers={"HX-Request": "true"})
    assert response.status_code == 200
    body = response.content.decode()
    assert body.startswith('<span id="contact-phone"') and PHONE in body and "<html" not in body
    [entry] = history_for(appeal).filter(action=AuditEntry.Action.VIEW)
    assert (entry.actor, entry.after["contact_phone"]) == (cast.water_staff, MASKED)
    assert PHONE not in client.get(url("appeal_detail", appeal.pk)).content.decode()  # shown once, not kept


def test_without_js_the_show_button_posts_and_the_page_comes_back_with_the_number(client, en, world, cast, file_appeal):
    appeal = at_water(world, cast, file_appeal)
    response = login(client, world, cast, "water_staff").post(url("appeal_contact", appeal.pk))
    assert response.status_code == 200
    assert PHONE in response.content.decode() and response.context["revealed_phone"] == PHONE
    assert history_for(appeal).filter(action=AuditEntry.Action.VIEW).count() == 1


def test_the_show_button_only_answers_a_post(client, world, cast, file_appeal):
    appeal = at_water(world, cast, file_appeal)
    client = login(client, world, cast, "water_staff")
    assert client.get(url("appeal_contact", appeal.pk)).status_code == 405
    assert not history_for(appeal).filter(action=AuditEntry.Action.VIEW).exists()


def test_after_the_answer_the_department_is_told_the_stage_and_nothing_is_shown(client, en, world, cast, file_appeal):
    appeal = services.appeal_start(actor=cast.water_staff, appeal=at_water(world, cast, file_appeal))
    services.appeal_resolve(actor=cast.water_staff, appeal=appeal, resolution="已修复。")
    client = login(client, world, cast, "water_staff")
    response = client.post(url("appeal_contact", appeal.pk), headers={"HX-Request": "true"})
    assert response.status_code == 422
    body = response.content.decode()
    assert "it is resolved" in body and PHONE not in body and MASKED in body
    response = client.post(url("appeal_contact", appeal.pk))
    assert response.status_code == 422 and "it is resolved" in response.context["alert"]
    assert not history_for(appeal).filter(action=AuditEntry.Action.VIEW).exists()


@pytest.mark.parametrize("who", ["community_secretary", "branch_secretary", "town_clerk", "building_head"])
def test_everyone_else_keeps_todays_masking_and_gets_no_button(client, world, cast, file_appeal, who):
    appeal = at_water(world, cast, file_appeal)
    page = login(client, world, cast, who).get(url("appeal_detail", appeal.pk)).content.decode()
    assert MASKED in page and PHONE not in page and url("appeal_contact", appeal.pk) not in page


def test_the_city_administrator_still_reads_it_in_clear_and_the_reporter_is_not_offered_their_own(
    client, world, cast, file_appeal
):
    appeal = at_water(world, cast, file_appeal)
    page = login(client, world, cast, "city_admin").get(url("appeal_detail", appeal.pk)).content.decode()
    assert PHONE in page and url("appeal_contact", appeal.pk) not in page
    page = login(client, world, cast, "resident").get(url("appeal_detail", appeal.pk)).content.decode()
    assert MASKED not in page and url("appeal_contact", appeal.pk) not in page
