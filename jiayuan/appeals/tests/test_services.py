"""The appeal services: the whole ladder, the history they write, and every bad input the issue lists."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from jiayuan.appeals import services, workflow
from jiayuan.appeals.models import Appeal, AppealEvent, AppealPhoto, Callback, DispatchRule, Notification
from jiayuan.core.audit import history_for
from jiayuan.organisations.models import Organisation
from jiayuan.organisations.services import organisation_create
from jiayuan.testing import START

from .conftest import LEAK, category, png_bytes, upload

TZ = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in their English source form."""
    with translation.override("en"):
        yield


@contextmanager
def frozen(*args):
    """Freeze django.utils.timezone.now (services, localdate and auto_now all read it) at a Shanghai time."""
    moment = dt.datetime(*args, tzinfo=TZ)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield moment


def actions_of(appeal):
    return list(AppealEvent.objects.filter(appeal=appeal).values_list("action", flat=True))


def refused(error: ValidationError, field: str) -> str:
    assert field in error.message_dict, error.message_dict
    return " ".join(error.message_dict[field])


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


def test_staff_enter_an_appeal_for_a_resident_with_a_masked_contact(world, cast):
    appeal = services.appeal_submit(
        actor=world.users["building_head"],
        channel=Appeal.Channel.BUILDING_HEAD,
        category=category(),
        title="楼道水管漏水",
        description="住户电话反映。",
        compound=world.compound_a,
        building=world.building_a,
        room=world.rooms_a[0],
        reporter=world.people["resident"],
        contact_phone="13912345678",
    )
    assert appeal.entered_by == world.users["building_head"] and appeal.channel == "building_head"
    assert appeal.masked_contact_phone == "139****5678"
    created = history_for(appeal).get(action="create")
    assert created.after["contact_phone"] == "139****5678"  # never in clear in the audit trail
    assert "13912345678" not in str(created.after)


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


def test_the_most_specific_dispatch_rule_wins(world, cast):
    leak = category(LEAK)
    assert services.department_for(category=leak, compound=world.compound_a) == cast.water
    other = organisation_create(
        actor=None, kind=Organisation.Kind.DEPARTMENT, name="晋江市水务集团", city=world.city, established_on=START
    )
    DispatchRule.objects.create(category=leak.parent, town=world.qingyang, department=other)
    assert services.department_for(category=leak, compound=world.compound_a) == other
    assert services.department_for(category=leak, compound=world.compound_b) == cast.water  # another town
    DispatchRule.objects.create(category=leak, department=world.department)
    assert services.department_for(category=leak, compound=world.compound_a) == world.department  # deeper category


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


# --- bad input: intake ---------------------------------------------------------------------------------------


def test_an_inactive_category_is_refused_and_nothing_is_saved(world, cast, file_appeal):
    leak = category(LEAK)
    leak.active = False
    leak.save()
    before = Appeal.objects.count(), AppealEvent.objects.count()
    with pytest.raises(ValidationError) as caught:
        file_appeal()
    assert "no longer used" in refused(caught.value, "category")
    assert (Appeal.objects.count(), AppealEvent.objects.count()) == before


def test_a_category_under_an_inactive_parent_is_refused(world, cast, file_appeal):
    group = category("0102")
    group.active = False
    group.save()
    with pytest.raises(ValidationError) as caught:
        file_appeal()
    assert "category" in caught.value.message_dict


def test_a_resident_cannot_report_in_a_compound_where_they_do_not_live(world, cast, file_appeal):
    before = Appeal.objects.count()
    with pytest.raises(ValidationError) as caught:
        file_appeal(compound=world.compound_b)
    assert "where you live" in refused(caught.value, "compound")
    with pytest.raises(ValidationError) as caught:
        file_appeal(by="neighbour", compound=world.compound_a2)
    assert "compound" in caught.value.message_dict
    assert Appeal.objects.count() == before


def test_a_building_or_room_outside_the_compound_is_refused(world, cast, file_appeal):
    with pytest.raises(ValidationError) as caught:
        file_appeal(building=world.building_b)
    assert "building" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        file_appeal(room=world.rooms_a2[0])
    assert "room" in caught.value.message_dict


def test_staff_cannot_enter_appeals_outside_their_area(world, cast):
    with pytest.raises(ValidationError) as caught:
        services.appeal_submit(
            actor=world.users["building_head"],
            channel=Appeal.Channel.BUILDING_HEAD,
            category=category(),
            title="漏水",
            description="漏水",
            compound=world.compound_b,
        )
    assert "outside your area" in refused(caught.value, "compound")


def test_missing_title_description_and_unknown_channel_are_each_named(world, cast, file_appeal):
    with pytest.raises(ValidationError) as caught:
        file_appeal(title=" ", description="", channel="carrier_pigeon")
    assert {"title", "description", "channel"} <= set(caught.value.message_dict)


def test_an_overlong_title_or_description_is_refused_with_its_length_not_cut_short(world, cast, file_appeal):
    before = Appeal.objects.count()
    with pytest.raises(ValidationError) as caught:
        file_appeal(title="漏" * 101, description="水" * 4001)
    assert "101 characters; at most 100" in refused(caught.value, "title")
    assert "4001 characters; at most 4000" in refused(caught.value, "description")
    assert Appeal.objects.count() == before
    appeal = file_appeal(title=" " + "漏" * 100 + " ", description="水" * 4000)  # the limits themselves are fine
    appeal.refresh_from_db()
    assert (len(appeal.title), len(appeal.description)) == (100, 4000)


def test_a_real_photo_is_kept_with_its_type_and_hash(world, cast, file_appeal):
    appeal = file_appeal(photos=[upload("leak.png", png_bytes())])
    photo = AppealPhoto.objects.get(appeal=appeal)
    assert photo.content_type == "image/png" and len(photo.sha256) == 64 and photo.size == len(png_bytes())


def test_a_text_file_named_jpg_is_not_a_photo(world, cast, file_appeal):
    before = Appeal.objects.count(), AppealPhoto.objects.count()
    with pytest.raises(ValidationError) as caught:
        file_appeal(
            photos=[upload("leak.png", png_bytes()), upload("leak.jpg", b"just some text\n" * 20, "image/jpeg")]
        )
    assert "leak.jpg is not a photo" in refused(caught.value, "photos")
    assert (Appeal.objects.count(), AppealPhoto.objects.count()) == before


def test_an_oversize_photo_is_refused(world, cast, file_appeal):
    big = png_bytes() + b"\0" * (services.PHOTO_MAX_BYTES + 1)
    with pytest.raises(ValidationError) as caught:
        file_appeal(photos=[upload("big.png", big)])
    assert "at most 5 MB" in refused(caught.value, "photos")


def test_more_than_six_photos_are_refused(world, cast, file_appeal):
    with pytest.raises(ValidationError) as caught:
        file_appeal(photos=[upload(f"{n}.png", png_bytes()) for n in range(7)])
    assert "photos" in caught.value.message_dict


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


def dispatched_to_water(world, cast, file_appeal, when):
    with frozen(*when):
        appeal = file_appeal()
        return services.appeal_dispatch(actor=world.users["community_secretary"], appeal=appeal, department=cast.water)


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
            services.appeal_reassign(actor=world.users["community_secretary"], appeal=appeal, department=cast.water)
        assert "just returned" in refused(caught.value, "department")
        with pytest.raises(PermissionDenied):
            services.appeal_reassign(actor=cast.water_staff, appeal=appeal, department=world.department)
        appeal = services.appeal_reassign(
            actor=world.users["community_secretary"], appeal=appeal, department=world.department
        )
    assert (appeal.status, appeal.unit, appeal.level) == (
        workflow.REASSIGNED,
        world.department,
        Appeal.Level.DEPARTMENT,
    )
    assert appeal.deadline == dt.date(2026, 10, 13)
    appeal = services.appeal_start(actor=world.users["department_staff"], appeal=appeal)
    assert appeal.status == workflow.IN_PROGRESS


# --- extensions ---------------------------------------------------------------------------------------------


def in_progress_at_water(world, cast, file_appeal):
    with frozen(2026, 11, 2, 9):  # Monday
        appeal = file_appeal()
        appeal = services.appeal_dispatch(
            actor=world.users["community_secretary"], appeal=appeal, department=cast.water
        )
        return services.appeal_start(actor=cast.water_staff, appeal=appeal)


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


# --- rating, callback, reopening ---------------------------------------------------------------------------------


def resolved_by_compound(world, file_appeal, by="resident"):
    secretary = world.users["branch_secretary"]
    appeal = services.appeal_accept(actor=secretary, appeal=file_appeal(by=by))
    return services.appeal_resolve(actor=secretary, appeal=appeal, resolution="物业已维修。")


def test_only_the_reporter_may_rate(world, cast, file_appeal):
    appeal = resolved_by_compound(world, file_appeal)
    for user in (cast.neighbour, world.users["branch_secretary"], world.users["city_admin"]):
        with pytest.raises(PermissionDenied):
            services.appeal_rate(actor=user, appeal=appeal, contacted=True, solved=True, rating=Appeal.Rating.SATISFIED)
    appeal.refresh_from_db()
    assert (appeal.rating, appeal.status) == ("", workflow.RESOLVED)


def test_a_rating_must_be_one_of_the_three_and_given_once_the_appeal_is_resolved(world, cast, file_appeal):
    resident = world.users["resident"]
    appeal = file_appeal()
    with pytest.raises(ValidationError):
        services.appeal_rate(actor=resident, appeal=appeal, contacted=True, solved=True, rating=Appeal.Rating.SATISFIED)
    appeal = resolved_by_compound(world, file_appeal)
    with pytest.raises(ValidationError) as caught:
        services.appeal_rate(actor=resident, appeal=appeal, contacted=True, solved=True, rating="meh")
    assert list(caught.value.message_dict) == ["rating"]
    appeal = services.appeal_rate(
        actor=resident, appeal=appeal, contacted=True, solved=False, rating=Appeal.Rating.BASIC
    )
    with pytest.raises(ValidationError):
        services.appeal_rate(actor=resident, appeal=appeal, contacted=True, solved=True, rating=Appeal.Rating.SATISFIED)


def test_the_resident_answers_the_three_questions_and_each_missing_one_is_named(world, cast, file_appeal):
    resident = world.users["resident"]
    appeal = resolved_by_compound(world, file_appeal)
    with pytest.raises(ValidationError) as caught:
        services.appeal_rate(actor=resident, appeal=appeal, contacted=None, solved="yes", rating="")
    assert set(caught.value.message_dict) == {"contacted", "solved", "rating"}
    appeal.refresh_from_db()
    assert (appeal.status, appeal.rating, appeal.rated_contacted, appeal.rated_solved) == (
        workflow.RESOLVED,
        "",
        None,
        None,
    )
    appeal = services.appeal_rate(
        actor=resident,
        appeal=appeal,
        contacted=False,
        solved=False,
        rating=Appeal.Rating.DISSATISFIED,
        comment="没人联系我，问题还在",
    )
    assert (appeal.status, appeal.rating, appeal.rated_contacted, appeal.rated_solved) == (
        workflow.CLOSED,
        "dissatisfied",
        False,
        False,
    )
    rate = appeal.events.get(action="rate")
    assert (rate.actor, rate.reason) == (resident, "dissatisfied · contacted: no · solved: no")
    assert history_for(appeal).get(note="rate").after["rated_solved"] is False


def test_a_callback_is_recorded_before_closing(world, cast, file_appeal):
    appeal = resolved_by_compound(world, file_appeal)
    appeal = services.appeal_callback(
        actor=world.users["community_secretary"], appeal=appeal, reached=True, note="住户确认已修好"
    )
    assert appeal.status == workflow.CALLED_BACK
    assert Callback.objects.get(appeal=appeal).reached
    appeal = services.appeal_close(actor=world.users["community_secretary"], appeal=appeal)
    assert appeal.status == workflow.CLOSED and appeal.closed_at
    appeal = services.appeal_rate(
        actor=world.users["resident"], appeal=appeal, contacted=True, solved=True, rating=Appeal.Rating.SATISFIED
    )
    assert appeal.status == workflow.CLOSED and appeal.rating == "satisfied"


def hotline_appeal_resolved(world, *, reporter=None):
    """A hotline operator's appeal for a caller (no account unless `reporter` has one), resolved by the compound."""
    secretary = world.users["branch_secretary"]
    appeal = services.appeal_submit(
        actor=world.users["building_head"],
        channel=Appeal.Channel.HOTLINE,
        category=category(),
        title="水表井冒水",
        description="来电反映水表井冒水。",
        compound=world.compound_a,
        reporter=reporter,
        contact_name="郑阿姨",
    )
    appeal = services.appeal_accept(actor=secretary, appeal=appeal)
    return services.appeal_resolve(actor=secretary, appeal=appeal, resolution="已更换水表接头。")


def test_a_callback_that_reaches_a_resident_without_an_account_records_their_answers_and_closes(world, cast):
    secretary = world.users["community_secretary"]
    appeal = services.appeal_callback(
        actor=secretary,
        appeal=hotline_appeal_resolved(world),
        reached=True,
        note="电话回访",
        contacted=True,
        solved=False,
        rating=Appeal.Rating.BASIC,
    )
    assert (appeal.status, appeal.rating, appeal.rated_contacted, appeal.rated_solved) == (
        workflow.CLOSED,
        "basic",
        True,
        False,
    )
    assert appeal.rated_at is not None and appeal.closed_at is not None
    assert actions_of(appeal)[-3:] == ["callback", "rate", "close"]
    rate = appeal.events.get(action="rate")
    assert rate.actor == secretary and "recorded at the callback" in rate.reason
    assert Callback.objects.get(appeal=appeal).reached


def test_a_callback_without_answers_leaves_the_rating_open(world, cast):
    appeal = services.appeal_callback(
        actor=world.users["community_secretary"], appeal=hotline_appeal_resolved(world), reached=False, note="无人接听"
    )
    assert (appeal.status, appeal.rating, appeal.rated_contacted) == (workflow.CALLED_BACK, "", None)


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({"reached": True, "contacted": True, "solved": True}, "rating"),
        ({"reached": True, "contacted": True, "rating": "satisfied"}, "solved"),
        ({"reached": True, "solved": False, "rating": "dissatisfied"}, "contacted"),
        ({"reached": False, "contacted": True, "solved": True, "rating": "satisfied"}, "reached"),
    ],
)
def test_a_callback_records_all_three_answers_or_none_and_only_when_the_resident_was_reached(
    world, cast, answers, field
):
    appeal = hotline_appeal_resolved(world)
    with pytest.raises(ValidationError) as caught:
        services.appeal_callback(actor=world.users["community_secretary"], appeal=appeal, **answers)
    assert list(caught.value.message_dict) == [field]
    appeal.refresh_from_db()
    assert (appeal.status, appeal.rating) == (workflow.RESOLVED, "")
    assert not Callback.objects.filter(appeal=appeal).exists()


@pytest.mark.parametrize("reporter_with_a_login", ["account", "person"])
def test_staff_may_not_answer_for_a_resident_who_has_an_account(world, cast, file_appeal, reporter_with_a_login):
    if reporter_with_a_login == "account":  # the resident's own report
        appeal = resolved_by_compound(world, file_appeal)
    else:  # entered by the hotline for a resident who has a login
        appeal = hotline_appeal_resolved(world, reporter=world.people["resident"])
    with pytest.raises(PermissionDenied):
        services.appeal_callback(
            actor=world.users["community_secretary"],
            appeal=appeal,
            reached=True,
            contacted=True,
            solved=True,
            rating=Appeal.Rating.SATISFIED,
        )
    appeal.refresh_from_db()
    assert (appeal.status, appeal.rating) == (workflow.RESOLVED, "")
    # the call itself may be recorded; the resident then rates personally
    appeal = services.appeal_callback(actor=world.users["community_secretary"], appeal=appeal, reached=True)
    appeal = services.appeal_rate(
        actor=world.users["resident"], appeal=appeal, contacted=True, solved=True, rating=Appeal.Rating.SATISFIED
    )
    assert (appeal.status, appeal.rated_solved) == (workflow.CLOSED, True)


def test_the_reporter_may_reopen_within_the_period_and_the_rating_is_withdrawn(world, cast, file_appeal, settings):
    settings.APPEAL_REOPEN_DAYS = 7
    with frozen(2026, 11, 2, 9):
        appeal = resolved_by_compound(world, file_appeal)
        appeal = services.appeal_rate(
            actor=world.users["resident"],
            appeal=appeal,
            contacted=True,
            solved=False,
            rating=Appeal.Rating.DISSATISFIED,
        )
    with frozen(2026, 11, 9, 8), pytest.raises(PermissionDenied):
        services.appeal_reopen(actor=world.users["branch_secretary"], appeal=appeal, reason="没修好")
    with frozen(2026, 11, 9, 8):  # 6 days 23 hours later
        with pytest.raises(ValidationError):
            services.appeal_reopen(actor=world.users["resident"], appeal=appeal, reason="")
        appeal = services.appeal_reopen(actor=world.users["resident"], appeal=appeal, reason="又漏了")
    assert appeal.status == workflow.REOPENED
    assert (appeal.rating, appeal.rated_at, appeal.resolved_at, appeal.closed_at, appeal.resolved_level) == (
        "",
        None,
        None,
        None,
        "",
    )
    assert (appeal.rated_contacted, appeal.rated_solved) == (None, None)  # the answers go with the rating
    assert appeal.deadline == dt.date(2026, 11, 16)
    appeal = services.appeal_start(actor=world.users["branch_secretary"], appeal=appeal)
    assert appeal.status == workflow.IN_PROGRESS


def test_reopening_after_the_period_is_refused(world, cast, file_appeal, settings):
    settings.APPEAL_REOPEN_DAYS = 7
    with frozen(2026, 11, 2, 9):
        appeal = resolved_by_compound(world, file_appeal)
    with frozen(2026, 11, 9, 9, 1), pytest.raises(ValidationError) as caught:
        services.appeal_reopen(actor=world.users["resident"], appeal=appeal, reason="又漏了")
    assert "within 7 days" in refused(caught.value, "reason")
    appeal.refresh_from_db()
    assert appeal.status == workflow.RESOLVED


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


# --- supervision ---------------------------------------------------------------------------------------------


def test_the_town_and_then_the_city_supervise_and_supervision_never_goes_down(world, cast, file_appeal):
    appeal = file_appeal()
    with pytest.raises(PermissionDenied):
        services.appeal_supervise(actor=world.users["community_secretary"], appeal=appeal, level="town")
    with pytest.raises(ValidationError):
        services.appeal_supervise(actor=world.users["town_clerk"], appeal=appeal, level="province")
    appeal = services.appeal_supervise(actor=world.users["town_clerk"], appeal=appeal, level="town", note="请加快")
    assert appeal.supervision == "town"
    appeal = services.appeal_supervise(actor=world.users["city_admin"], appeal=appeal, level="city")
    appeal = services.appeal_supervise(actor=world.users["town_clerk"], appeal=appeal, level="town")
    assert appeal.supervision == "city"
    events = appeal.events.filter(action="supervise")
    assert events.count() == 2 and not any(e.public for e in events)


def test_a_closed_appeal_is_not_supervised(world, cast, file_appeal):
    appeal = resolved_by_compound(world, file_appeal)
    appeal = services.appeal_rate(
        actor=world.users["resident"], appeal=appeal, contacted=True, solved=True, rating=Appeal.Rating.SATISFIED
    )
    with pytest.raises(ValidationError):
        services.appeal_supervise(actor=world.users["town_clerk"], appeal=appeal, level="town")


def test_the_catalogue_seed_found_the_departments_of_the_world(cast):
    assert cast.rules.created >= 2 and "晋江市水务局" not in cast.rules.missing_departments
    assert DispatchRule.objects.get(category__code="0102", town=None, community=None).department == cast.water


# --- what the services leave for the selectors --------------------------------------------------------------


def test_a_department_s_open_work_holds_only_what_it_still_has_to_act_on_and_only_for_those_who_may_see_it(
    world, cast, file_appeal
):
    from jiayuan.appeals.selectors import appeal_list, department_open_work

    secretary = world.users["community_secretary"]
    later = services.appeal_dispatch(actor=secretary, appeal=file_appeal(code="010201"), department=cast.water)
    sooner = services.appeal_dispatch(actor=secretary, appeal=file_appeal(code="010101"), department=cast.water)
    Appeal.objects.filter(pk=later.pk).update(deadline=sooner.deadline + dt.timedelta(days=3))
    done = services.appeal_dispatch(actor=secretary, appeal=file_appeal(), department=cast.water)
    done = services.appeal_resolve(
        actor=cast.water_staff, resolution="已修复", appeal=services.appeal_start(actor=cast.water_staff, appeal=done)
    )
    services.appeal_close(actor=secretary, appeal=done)
    # resolved (waiting for the resident), called back, merged: nothing left for the department to do
    resolved = services.appeal_dispatch(actor=secretary, appeal=file_appeal(), department=cast.water)
    resolved = services.appeal_resolve(
        actor=cast.water_staff,
        resolution="已修复",
        appeal=services.appeal_start(actor=cast.water_staff, appeal=resolved),
    )
    called = services.appeal_dispatch(actor=secretary, appeal=file_appeal(), department=cast.water)
    called = services.appeal_resolve(
        actor=cast.water_staff, resolution="已修复", appeal=services.appeal_start(actor=cast.water_staff, appeal=called)
    )
    called = services.appeal_callback(actor=secretary, appeal=called, reached=True)
    merged = services.appeal_dispatch(actor=secretary, appeal=file_appeal(), department=cast.water)
    merged = services.appeal_merge(actor=secretary, duplicate=merged, into=sooner)
    assert [a.status for a in (resolved, called, merged)] == [workflow.RESOLVED, workflow.CALLED_BACK, workflow.MERGED]
    assert Appeal.objects.filter(unit=cast.water).count() == 6
    assert list(department_open_work(viewer=cast.water_staff, department=cast.water)) == [sooner, later]
    assert list(department_open_work(viewer=world.users["city_admin"], department=cast.water)) == [sooner, later]
    assert list(department_open_work(viewer=world.users["department_staff"], department=cast.water)) == []
    assert list(department_open_work(viewer=cast.outsider, department=cast.water)) == []
    # a returned order stays visible to the department that returned it, but leaves its open work
    with frozen(2026, 11, 2, 9):
        returned = services.appeal_dispatch(actor=secretary, appeal=file_appeal(), department=cast.water)
        services.appeal_return(actor=cast.water_staff, appeal=returned, reason="非本部门职责")
    assert returned not in department_open_work(viewer=cast.water_staff, department=cast.water)
    assert appeal_list(viewer=cast.water_staff).filter(pk=returned.pk).exists()
    assert not appeal_list(viewer=world.users["department_staff"]).filter(pk=returned.pk).exists()


# --- linked departments (挂钩联系): read the linked compound's appeals, act only on their own orders ----------------


def link(world, cast, *, start: dt.date, end: dt.date | None = None):
    from jiayuan.outreach.models import DepartmentLink

    return DepartmentLink.objects.create(
        department=cast.water, compound=world.compound_a, start_date=start, end_date=end
    )


def test_department_staff_see_the_appeals_of_the_compound_currently_linked_to_their_department(
    world, cast, file_appeal
):
    from jiayuan.appeals.selectors import appeal_get, appeal_list
    from jiayuan.outreach.services import department_link_create

    linked = file_appeal(title="小区路灯不亮", code="010301")
    elsewhere = services.appeal_submit(
        actor=world.users["city_admin"],
        channel=Appeal.Channel.HOTLINE,
        category=category(),
        title="池店漏水",
        description="池店的。",
        compound=world.compound_b,
    )
    assert not appeal_list(viewer=cast.water_staff).filter(pk=linked.pk).exists()
    department_link_create(
        actor=world.users["city_admin"],
        department=cast.water,
        compound=world.compound_a,
        start_date=timezone.localdate() - dt.timedelta(days=30),
    )
    visible = set(appeal_list(viewer=cast.water_staff, open_only=True))
    assert linked in visible and elsewhere not in visible
    assert appeal_get(viewer=cast.water_staff, pk=linked.pk) == linked
    # another department (not linked) still sees nothing of it
    assert not appeal_list(viewer=world.users["department_staff"]).filter(pk=linked.pk).exists()


@pytest.mark.parametrize(("start_days", "end_days"), [(-60, -1), (5, None)])
def test_a_link_that_has_ended_or_not_yet_begun_shows_nothing(world, cast, file_appeal, start_days, end_days):
    from jiayuan.appeals.selectors import appeal_list

    today = timezone.localdate()
    link(
        world,
        cast,
        start=today + dt.timedelta(days=start_days),
        end=today + dt.timedelta(days=end_days) if end_days is not None else None,
    )
    appeal = file_appeal()
    assert not appeal_list(viewer=cast.water_staff).filter(pk=appeal.pk).exists()


def test_a_linked_department_may_read_but_not_act_on_appeals_that_are_not_at_the_department(world, cast, file_appeal):
    from jiayuan.appeals import rules
    from jiayuan.appeals.selectors import available_actions
    from jiayuan.core.scope import scope_for

    link(world, cast, start=timezone.localdate() - dt.timedelta(days=30))
    staff = cast.water_staff
    received = file_appeal()
    at_community = services.appeal_dispatch(actor=world.users["branch_secretary"], appeal=file_appeal())
    resolved = resolved_by_compound(world, file_appeal)
    for appeal in (received, at_community, resolved):
        assert available_actions(viewer=staff, appeal=appeal) == []
        for action in [*workflow.MOVES, "rate", "supervise"]:
            assert not rules.allowed(action, scope=scope_for(staff), appeal=appeal, user=staff), (appeal.status, action)
    with pytest.raises(PermissionDenied):
        services.appeal_accept(actor=staff, appeal=received)
    with pytest.raises(PermissionDenied):
        services.appeal_dispatch(actor=staff, appeal=at_community, department=cast.water)
    with pytest.raises(PermissionDenied):
        services.appeal_callback(actor=staff, appeal=resolved, reached=True)
    assert [Appeal.objects.get(pk=a.pk).status for a in (received, at_community, resolved)] == [
        workflow.RECEIVED,
        workflow.DISPATCHED,
        workflow.RESOLVED,
    ]
    # once the community whistles to the department, the order is theirs to act on
    whistled = services.appeal_dispatch(
        actor=world.users["community_secretary"], appeal=at_community, department=cast.water
    )
    assert "start" in available_actions(viewer=staff, appeal=whistled)
