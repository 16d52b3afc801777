"""The handling ladder end to end, dispatch, returns, reassignment, extensions and merging."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from jiayuan.appeals import services, workflow
from jiayuan.appeals.models import Appeal, AppealPhoto, Notification
from jiayuan.core.audit import history_for

from ..conftest import category, png_bytes, upload
from .common import actions_of, dispatched_to_water, frozen, in_progress_at_water, refused, resolved_by_compound

pytestmark = pytest.mark.django_db


# --- the whole ladder ------------------------------------------------------------------------------------


def test_a_leak_climbs_the_ladder_to_the_water_department_and_is_rated(
    world, cast, file_appeal, django_capture_on_commit_callbacks
):
    users = world.users
    with frozen(2026, 9, 30, 9, 0), django_capture_on_commit_callbacks(execute=True):
        appeal = file_appeal()
        assert (appeal.status, appeal.level, appeal.unit, appeal.first_unit) == (
            workflow.RECEIVED,
            Appeal.Level.COMPOUND,
            world.branch_a,
            world.branch_a,
        )
        assert appeal.reporter == world.people["resident"] and appeal.reporter_account == users["resident"]
        assert appeal.number == f"JY20260930{appeal.pk:07d}"
        # 5 working days from Wednesday 30 September: National Day is skipped, Saturday 10 October is worked
        assert appeal.deadline == dt.date(2026, 10, 13)

        appeal = services.appeal_accept(actor=users["branch_secretary"], appeal=appeal, version=appeal.version)
        assert appeal.status == workflow.ACCEPTED and appeal.contacted_at is not None
        appeal = services.appeal_dispatch(
            actor=users["branch_secretary"], appeal=appeal, version=appeal.version, reason="物业无法修复墙内主管"
        )
        assert (appeal.status, appeal.level, appeal.unit) == (
            workflow.DISPATCHED,
            Appeal.Level.COMMUNITY,
            world.community_party,
        )

    with frozen(2026, 10, 8, 9, 0), django_capture_on_commit_callbacks(execute=True):
        appeal = services.appeal_dispatch(actor=users["community_secretary"], appeal=appeal, version=appeal.version)
        assert (appeal.status, appeal.level, appeal.unit) == (workflow.DISPATCHED, Appeal.Level.DEPARTMENT, cast.water)
        assert appeal.first_unit == world.branch_a  # the first receiving unit stays answerable
        assert appeal.deadline == dt.date(2026, 10, 14)  # restarted: 9, 10 (Sat), 12, 13, 14 → 5 from the 8th
        appeal = services.appeal_start(actor=cast.water_staff, appeal=appeal, version=appeal.version)
        appeal = services.appeal_resolve(
            actor=cast.water_staff, appeal=appeal, version=appeal.version, resolution="已更换漏水主管并试压。"
        )
        assert (appeal.status, appeal.resolved_level) == (workflow.RESOLVED, Appeal.Level.DEPARTMENT)
        appeal = services.appeal_rate(
            actor=users["resident"],
            appeal=appeal,
            contacted=True,
            solved=True,
            rating=Appeal.Rating.SATISFIED,
            version=appeal.version,
        )

    appeal.refresh_from_db()
    assert (appeal.status, appeal.rating) == (workflow.CLOSED, Appeal.Rating.SATISFIED)
    assert (appeal.rated_contacted, appeal.rated_solved) == (True, True)
    assert appeal.closed_at is not None and appeal.rated_at is not None
    assert actions_of(appeal) == ["submit", "accept", "dispatch", "dispatch", "start", "resolve", "rate", "close"]
    events = list(appeal.events.all())
    assert [e.to_status for e in events] == [
        "received",
        "accepted",
        "dispatched",
        "dispatched",
        "in_progress",
        "resolved",
        "resolved",
        "closed",
    ]
    assert [e.unit for e in events[:5]] == [
        world.branch_a,
        world.branch_a,
        world.community_party,
        cast.water,
        cast.water,
    ]
    assert events[-1].actor == users["resident"]  # the rating closed it, in the resident's name
    audit = list(history_for(appeal).order_by("id").values_list("action", "note"))
    assert audit[0] == ("create", "")
    assert [note for _, note in audit[1:]] == ["accept", "dispatch", "dispatch", "start", "resolve", "rate", "close"]
    # the resident was told of each change, in the app and by e-mail
    told = list(
        Notification.objects.filter(user=users["resident"], appeal=appeal)
        .order_by("id")
        .values_list("message", flat=True)
    )
    assert len(told) == 3
    assert "青华社区党委" in told[0] and "晋江市水务局" in told[1] and "已更换漏水主管" in told[2]
    assert [m.to for m in mail.outbox] == []  # this resident's account has no e-mail address
    # and the water department's staff heard of the whistle
    assert Notification.objects.filter(user=cast.water_staff, appeal=appeal).exists()


def test_a_four_party_meeting_appeal_counts_as_solved_that_way(world, cast):
    appeal = services.appeal_submit(
        actor=world.users["branch_secretary"],
        channel=Appeal.Channel.FOUR_PARTY,
        category=category("020201"),
        title="垃圾清运不及时",
        description="四方会议提出。",
        compound=world.compound_a,
    )
    appeal = services.appeal_resolve(
        actor=world.users["branch_secretary"],
        appeal=services.appeal_accept(actor=world.users["branch_secretary"], appeal=appeal),
        resolution="物业增加清运频次。",
    )
    assert appeal.via_four_party and appeal.resolved_level == Appeal.Level.COMPOUND


def test_whistling_with_no_catalogue_entry_asks_for_a_department(world, cast, file_appeal):
    appeal = file_appeal(code="990101")
    appeal = services.appeal_dispatch(actor=world.users["branch_secretary"], appeal=appeal)
    with pytest.raises(ValidationError) as caught:
        services.appeal_dispatch(actor=world.users["community_secretary"], appeal=appeal)
    assert "dispatch catalogue" in refused(caught.value, "department")
    appeal = services.appeal_dispatch(
        actor=world.users["community_secretary"], appeal=appeal, department=world.department
    )
    assert appeal.unit == world.department


def test_dispatch_to_something_that_is_not_a_department_or_to_the_same_unit_is_refused(world, cast, file_appeal):
    appeal = services.appeal_dispatch(actor=world.users["branch_secretary"], appeal=file_appeal())
    with pytest.raises(ValidationError) as caught:
        services.appeal_dispatch(actor=world.users["community_secretary"], appeal=appeal, department=world.company)
    assert "not a city department" in refused(caught.value, "department")
    appeal = services.appeal_dispatch(actor=world.users["community_secretary"], appeal=appeal)
    with pytest.raises(ValidationError) as caught:
        services.appeal_dispatch(actor=world.users["community_secretary"], appeal=appeal, department=cast.water)
    assert "already handling" in refused(caught.value, "department")


# --- bad input: transitions ------------------------------------------------------------------------------


def test_a_transition_not_allowed_from_the_current_state_changes_nothing(world, cast, file_appeal):
    appeal = file_appeal()
    with pytest.raises(ValidationError) as caught:
        services.appeal_close(actor=world.users["community_secretary"], appeal=appeal)
    assert "received" in refused(caught.value, "status")
    appeal.refresh_from_db()
    assert (appeal.status, appeal.version, actions_of(appeal)) == (workflow.RECEIVED, 1, ["submit"])


def test_people_outside_the_handling_unit_may_not_act(world, cast, file_appeal):
    appeal = file_appeal()
    for user in (world.users["resident"], cast.water_staff, world.users["department_staff"]):
        with pytest.raises(PermissionDenied):
            services.appeal_accept(actor=user, appeal=appeal)
    appeal = services.appeal_dispatch(actor=world.users["community_secretary"], appeal=appeal, department=cast.water)
    with pytest.raises(PermissionDenied):
        services.appeal_start(actor=world.users["department_staff"], appeal=appeal)  # another department
    with pytest.raises(PermissionDenied):
        services.appeal_start(actor=world.users["branch_secretary"], appeal=appeal)  # the compound, after the whistle
    assert actions_of(appeal) == ["submit", "dispatch"]


def test_a_return_needs_a_reason(world, cast, file_appeal):
    appeal = dispatched_to_water(world, cast, file_appeal, (2026, 9, 30, 10))
    with frozen(2026, 10, 8, 10), pytest.raises(ValidationError) as caught:
        services.appeal_return(actor=cast.water_staff, appeal=appeal, reason="  ")
    assert "reason" in caught.value.message_dict
    appeal.refresh_from_db()
    assert appeal.status == workflow.DISPATCHED


def test_a_return_within_two_working_days_goes_back_to_the_community(world, cast, file_appeal):
    appeal = dispatched_to_water(world, cast, file_appeal, (2026, 9, 30, 10))
    with frozen(2026, 10, 9, 16):  # Friday after National Day: the second working day
        appeal = services.appeal_return(actor=cast.water_staff, appeal=appeal, reason="属物业维修范围，非市政管网。")
    assert (appeal.status, appeal.level, appeal.unit) == (
        workflow.RETURNED,
        Appeal.Level.COMMUNITY,
        world.community_party,
    )
    last = appeal.events.last()
    assert (last.action, last.unit, last.reason) == ("return", cast.water, "属物业维修范围，非市政管网。")


def test_a_return_after_two_working_days_is_refused(world, cast, file_appeal):
    appeal = dispatched_to_water(world, cast, file_appeal, (2026, 9, 30, 10))
    with frozen(2026, 10, 10, 9), pytest.raises(ValidationError) as caught:  # the working Saturday is the third day
        services.appeal_return(actor=cast.water_staff, appeal=appeal, reason="不属本部门")
    assert "3 working days ago" in refused(caught.value, "reason")
    appeal.refresh_from_db()
    assert (appeal.status, appeal.unit) == (workflow.DISPATCHED, cast.water)


def test_only_the_department_holding_the_order_can_return_it(world, cast, file_appeal):
    appeal = dispatched_to_water(world, cast, file_appeal, (2026, 9, 30, 10))
    with frozen(2026, 9, 30, 11), pytest.raises(PermissionDenied):
        services.appeal_return(actor=world.users["department_staff"], appeal=appeal, reason="不属本部门")


def test_a_returned_order_is_reassigned_to_another_department(world, cast, file_appeal):
    appeal = dispatched_to_water(world, cast, file_appeal, (2026, 9, 30, 10))
    with frozen(2026, 9, 30, 11):
        appeal = services.appeal_return(actor=cast.water_staff, appeal=appeal, reason="属住建部门监管")
        with pytest.raises(ValidationError) as caught:
            services.appeal_reassign(
                actor=world.users["community_secretary"], appeal=appeal, department=cast.water, reason="改派"
            )
        assert "just returned" in refused(caught.value, "department")
        with pytest.raises(PermissionDenied):
            services.appeal_reassign(actor=cast.water_staff, appeal=appeal, department=world.department, reason="改派")
        appeal = services.appeal_reassign(
            actor=world.users["community_secretary"], appeal=appeal, department=world.department, reason="属住建监管"
        )
    assert (appeal.status, appeal.unit, appeal.level) == (
        workflow.REASSIGNED,
        world.department,
        Appeal.Level.DEPARTMENT,
    )
    assert appeal.deadline == dt.date(2026, 10, 13)
    appeal = services.appeal_start(actor=world.users["department_staff"], appeal=appeal)
    assert appeal.status == workflow.IN_PROGRESS


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_a_reassignment_without_a_reason_is_refused_naming_the_reason_and_changes_nothing(
    world, cast, file_appeal, reason
):
    appeal = dispatched_to_water(world, cast, file_appeal, (2026, 9, 30, 10))
    with frozen(2026, 9, 30, 11):
        appeal = services.appeal_return(actor=cast.water_staff, appeal=appeal, reason="属住建部门监管")
        events = appeal.events.count()
        with pytest.raises(ValidationError) as caught:
            services.appeal_reassign(
                actor=world.users["community_secretary"], appeal=appeal, department=world.department, reason=reason
            )
    assert refused(caught.value, "reason")
    appeal.refresh_from_db()
    assert (appeal.status, appeal.unit, appeal.events.count()) == (workflow.RETURNED, world.community_party, events)


def test_a_reassignments_reason_is_kept_on_its_event(world, cast, file_appeal):
    appeal = dispatched_to_water(world, cast, file_appeal, (2026, 9, 30, 10))
    with frozen(2026, 9, 30, 11):
        appeal = services.appeal_return(actor=cast.water_staff, appeal=appeal, reason="属住建部门监管")
        appeal = services.appeal_reassign(
            actor=world.users["community_secretary"],
            appeal=appeal,
            department=world.department,
            reason="  墙体渗水属住建部门监管  ",
        )
    event = appeal.events.get(action="reassign")
    assert (event.reason, event.unit, event.to_status) == (
        "墙体渗水属住建部门监管",
        world.department,
        workflow.REASSIGNED,
    )


# --- extensions ---------------------------------------------------------------------------------------------


def test_extensions_add_working_days_up_to_ten_in_all(world, cast, file_appeal):
    appeal = in_progress_at_water(world, cast, file_appeal)
    assert appeal.deadline == dt.date(2026, 11, 9)
    appeal = services.appeal_request_extension(actor=cast.water_staff, appeal=appeal, days=6, reason="需更换整段管道")
    assert appeal.status == workflow.EXTENSION_REQUESTED
    appeal = services.appeal_grant_extension(actor=world.users["town_clerk"], appeal=appeal)
    assert (appeal.status, appeal.extension_days, appeal.deadline) == (
        workflow.EXTENSION_GRANTED,
        6,
        dt.date(2026, 11, 17),
    )
    appeal = services.appeal_start(actor=cast.water_staff, appeal=appeal)
    with pytest.raises(ValidationError) as caught:
        services.appeal_request_extension(actor=cast.water_staff, appeal=appeal, days=5, reason="材料未到")
    assert "1 to 4 more working days" in refused(caught.value, "days")
    appeal = services.appeal_request_extension(actor=cast.water_staff, appeal=appeal, days=4, reason="材料未到")
    appeal = services.appeal_grant_extension(actor=world.users["city_admin"], appeal=appeal)
    assert (appeal.extension_days, appeal.deadline) == (10, dt.date(2026, 11, 23))
    appeal = services.appeal_start(actor=cast.water_staff, appeal=appeal)
    with pytest.raises(ValidationError):
        services.appeal_request_extension(actor=cast.water_staff, appeal=appeal, days=1, reason="再延")


@pytest.mark.parametrize(
    ("days", "reason", "field"), [(0, "理由", "days"), ("three", "理由", "days"), (2, " ", "reason")]
)
def test_an_extension_needs_a_number_of_days_and_a_reason(world, cast, file_appeal, days, reason, field):
    appeal = in_progress_at_water(world, cast, file_appeal)
    with pytest.raises(ValidationError) as caught:
        services.appeal_request_extension(actor=cast.water_staff, appeal=appeal, days=days, reason=reason)
    assert field in caught.value.message_dict
    appeal.refresh_from_db()
    assert appeal.status == workflow.IN_PROGRESS


def test_only_the_town_or_city_grants_or_refuses_an_extension(world, cast, file_appeal):
    appeal = in_progress_at_water(world, cast, file_appeal)
    appeal = services.appeal_request_extension(actor=cast.water_staff, appeal=appeal, days=3, reason="施工")
    for user in (cast.water_staff, world.users["community_secretary"]):
        with pytest.raises(PermissionDenied):
            services.appeal_grant_extension(actor=user, appeal=appeal)
    with pytest.raises(ValidationError):
        services.appeal_refuse_extension(actor=world.users["town_clerk"], appeal=appeal, reason="")
    appeal = services.appeal_refuse_extension(actor=world.users["town_clerk"], appeal=appeal, reason="可按期完成")
    assert (appeal.status, appeal.extension_days, appeal.deadline) == (workflow.IN_PROGRESS, 0, dt.date(2026, 11, 9))


# --- duplicates ---------------------------------------------------------------------------------------------


def test_a_merged_duplicate_s_reporter_is_answered_when_the_primary_is_resolved(
    world, cast, file_appeal, django_capture_on_commit_callbacks
):
    secretary = world.users["branch_secretary"]
    primary = file_appeal(title="3号楼电梯故障", code="010101", contact_email="resident@example.org")
    duplicate = file_appeal(by="neighbour", title="电梯又坏了", code="010101")
    with django_capture_on_commit_callbacks(execute=True):
        duplicate = services.appeal_merge(actor=secretary, duplicate=duplicate, into=primary, version=duplicate.version)
    assert (duplicate.status, duplicate.merged_into) == (workflow.MERGED, primary)
    assert Notification.objects.filter(user=cast.neighbour, appeal=duplicate).count() == 1
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        primary = services.appeal_accept(actor=secretary, appeal=primary)
        services.appeal_resolve(actor=secretary, appeal=primary, resolution="已更换电梯主板。")
    answered = Notification.objects.filter(user=cast.neighbour, appeal=duplicate).first()
    assert "已更换电梯主板" in answered.message and duplicate.number in answered.message
    assert ["neighbour@example.org"] in [m.to for m in mail.outbox]
    assert ["resident@example.org"] in [m.to for m in mail.outbox]


def test_merging_is_refused_into_itself_another_compound_or_a_merged_appeal(world, cast, file_appeal):
    secretary = world.users["community_secretary"]
    one, two, three = file_appeal(), file_appeal(), file_appeal()
    with pytest.raises(ValidationError):
        services.appeal_merge(actor=secretary, duplicate=one, into=one)
    services.appeal_merge(actor=secretary, duplicate=two, into=one)
    with pytest.raises(ValidationError) as caught:
        services.appeal_merge(actor=secretary, duplicate=three, into=two)
    assert "itself merged" in refused(caught.value, "into")
    elsewhere = services.appeal_submit(
        actor=cast.outsider,
        channel=Appeal.Channel.RESIDENT,
        category=category(),
        title="漏水",
        description="漏水",
        compound=world.compound_b,
    )
    with pytest.raises(ValidationError) as caught:
        services.appeal_merge(actor=world.users["city_admin"], duplicate=elsewhere, into=one)
    assert "same compound" in refused(caught.value, "into")


def test_duplicates_of_a_duplicate_follow_it_into_the_primary(world, cast, file_appeal):
    secretary = world.users["community_secretary"]
    first, second, primary = file_appeal(), file_appeal(by="neighbour"), file_appeal()
    services.appeal_merge(actor=secretary, duplicate=first, into=second)
    services.appeal_merge(actor=secretary, duplicate=second, into=primary)
    assert set(primary.duplicates.all()) == {first, second}


@pytest.mark.parametrize("stage", ["resolved", "called_back", "closed"])
def test_an_order_that_has_had_its_answer_is_not_merged_and_the_refusal_names_its_stage(
    world, cast, file_appeal, stage
):
    secretary = world.users["community_secretary"]
    primary = file_appeal()
    duplicate = resolved_by_compound(world, file_appeal)
    if stage == "called_back":
        duplicate = services.appeal_callback(actor=secretary, appeal=duplicate, reached=True)
    elif stage == "closed":
        duplicate = services.appeal_close(actor=secretary, appeal=duplicate)
    assert duplicate.status == stage
    events = actions_of(duplicate)
    with pytest.raises(ValidationError) as caught:
        services.appeal_merge(actor=secretary, duplicate=duplicate, into=primary, version=duplicate.version)
    assert f"while the appeal is {Appeal.Status(stage).label}" in refused(caught.value, "status")
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into, actions_of(duplicate)) == (stage, None, events)


def test_an_order_still_waiting_for_its_result_is_merged_at_any_of_its_stages(world, cast, file_appeal):
    secretary = world.users["community_secretary"]
    primary = file_appeal()
    waiting = [
        file_appeal(),
        services.appeal_accept(actor=world.users["branch_secretary"], appeal=file_appeal()),
        in_progress_at_water(world, cast, file_appeal),
    ]
    for duplicate in waiting:
        merged = services.appeal_merge(actor=secretary, duplicate=duplicate, into=primary, version=duplicate.version)
        assert (merged.status, merged.merged_into) == (workflow.MERGED, primary)


# --- photos after the fix ---------------------------------------------------------------------------------


def test_the_resolver_attaches_photos_of_the_fixed_problem_kept_apart_from_the_reports(world, cast, file_appeal):
    secretary = world.users["branch_secretary"]
    appeal = file_appeal(photos=[upload("before.png", png_bytes())])
    appeal = services.appeal_accept(actor=secretary, appeal=appeal)
    appeal = services.appeal_resolve(
        actor=secretary,
        appeal=appeal,
        resolution="已更换水管。",
        photos=[upload("after1.png", png_bytes((9, 9))), upload("after2.png", png_bytes((10, 10)))],
    )
    assert appeal.status == workflow.RESOLVED
    kinds = list(appeal.photos.order_by("pk").values_list("kind", "content_type"))
    assert kinds == [("before", "image/png"), ("after", "image/png"), ("after", "image/png")]
    assert all(len(sha) == 64 for sha in appeal.photos.values_list("sha256", flat=True))


@pytest.mark.parametrize(
    ("photos", "message"),
    [
        ([upload("notes.jpg", b"just some text\n" * 20, "image/jpeg")], "notes.jpg is not a photo"),
        ([upload("big.png", png_bytes() + b"\0" * (services.PHOTO_MAX_BYTES + 1))], "at most 5 MB"),
        ([upload(f"{n}.png", png_bytes()) for n in range(7)], "At most 6 photos"),
    ],
    ids=["not-an-image", "too-big", "too-many"],
)
def test_after_photos_are_checked_as_the_reports_are_and_a_bad_one_resolves_nothing(
    world, cast, file_appeal, photos, message
):
    secretary = world.users["branch_secretary"]
    appeal = services.appeal_accept(actor=secretary, appeal=file_appeal())
    before = (AppealPhoto.objects.count(), actions_of(appeal))
    with pytest.raises(ValidationError) as caught:
        services.appeal_resolve(actor=secretary, appeal=appeal, resolution="已修好。", photos=photos)
    assert message in refused(caught.value, "photos")
    appeal.refresh_from_db()
    assert (appeal.status, AppealPhoto.objects.count(), actions_of(appeal)) == (workflow.ACCEPTED, *before)


def test_after_photos_come_only_with_a_resolve_the_actor_may_take_at_that_stage(world, cast, file_appeal):
    appeal = file_appeal()  # received: not yet taken on
    with pytest.raises(ValidationError):
        services.appeal_resolve(
            actor=world.users["branch_secretary"],
            appeal=appeal,
            resolution="修好了",
            photos=[upload("a.png", png_bytes())],
        )
    appeal = services.appeal_accept(actor=world.users["branch_secretary"], appeal=appeal)
    with pytest.raises(PermissionDenied):
        services.appeal_resolve(
            actor=world.users["building_head"],
            appeal=appeal,
            resolution="修好了",
            photos=[upload("a.png", png_bytes())],
        )
    assert not AppealPhoto.objects.filter(appeal=appeal).exists()
