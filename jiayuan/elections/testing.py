"""An election-ready compound on top of the persona world (jiayuan.testing), for the elections tests.

ew = election_world(world)   # compound_a with 12 owned rooms, the nine reviewing bodies and a reviewer each
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from django.utils import timezone

from jiayuan.core.identity import make_id_number
from jiayuan.core.models import User
from jiayuan.organisations import services as org_services
from jiayuan.organisations.models import Organisation, Post
from jiayuan.people import services as people_services
from jiayuan.places import services as place_services
from jiayuan.testing import PASSWORD, START

from .models import Review, ReviewBody
from .services import campaign as campaign_services
from .services.config import review_bodies_default


def election_world(world, *, owners: int = 12) -> SimpleNamespace:
    """Owners 业主1…业主N of new rooms in world.compound_a (building 2号楼), reviewers for the nine bodies."""
    ew = SimpleNamespace(world=world, owners=[], rooms=[], reviewers={})
    building = place_services.building_create(actor=None, compound=world.compound_a, number="2号楼", floors=6)
    unit = place_services.unit_create(actor=None, building=building, number="1单元")
    for n in range(1, owners + 1):
        room = place_services.room_create(
            actor=None,
            unit=unit,
            number=f"{(n + 1) // 2}0{2 - n % 2}",
            floor=(n + 1) // 2,
            area=Decimal("100.00") + n,
            area_source="registered",
        )
        person = people_services.person_create(
            actor=None,
            name=f"业主{n}",
            id_number=make_id_number("350582", dt.date(1975, 3, 1), 500 + n),
            phone=f"1370000{n:04d}",
        )
        people_services.ownership_add(actor=None, room=room, person=person, start_date=START)
        ew.rooms.append(room)
        ew.owners.append(person)
        User.objects.create_user(username=f"owner{n}", password=PASSWORD, person=person)
    ew.bodies = review_bodies_default(actor=None, city=world.city, on=START)
    for body in ew.bodies:
        if body.kind == ReviewBody.Kind.COMMUNITY:
            ew.reviewers[body.pk] = world.users["community_secretary"]
        elif body.kind == ReviewBody.Kind.BRANCH:
            ew.reviewers[body.pk] = world.users["branch_secretary"]
        elif body.department_id == world.department.pk:
            ew.reviewers[body.pk] = world.users["department_staff"]
        elif body.department.kind == Organisation.Kind.CITY_OFFICE:
            ew.reviewers[body.pk] = world.users["city_admin"]
        else:
            ew.reviewers[body.pk] = _reviewer(body.department, f"reviewer{body.pk}")
    return ew


def _reviewer(department: Organisation, username: str) -> User:
    person = people_services.person_create(actor=None, name=f"审查员{department.name[-3:]}")
    org_services.post_assign(
        actor=None, person=person, organisation=department, role=Post.Role.DEPARTMENT_STAFF, start_date=START
    )
    return User.objects.create_user(username=username, password=PASSWORD, person=person)


# --- A campaign driven through the services, for tests that need one at a given stage --------------------

CAMPAIGN_DAY = dt.date(2026, 3, 2)


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, minute))


def open_campaign(ew, **extra):
    """A re-election of world.compound_a, five seats, three co-nominators, opened on CAMPAIGN_DAY by the community."""
    w = ew.world
    return campaign_services.campaign_open(
        actor=w.users["community_secretary"],
        compound=w.compound_a,
        kind="re_election",
        seats=5,
        opened_on=CAMPAIGN_DAY,
        co_nominators_required=3,
        **extra,
    )


def nominate_all(ew, campaign, count: int = 7) -> list:
    clerk = ew.world.users["community_secretary"]
    return [
        campaign_services.candidate_nominate(
            actor=clerk, campaign=campaign, person=p, route="community", on=CAMPAIGN_DAY
        )
        for p in ew.owners[:count]
    ]


def review_all(ew, campaign, fail=()) -> None:
    """Every body decides every review: pass, except the city departments fail the people in `fail`."""
    for review in Review.objects.filter(candidate__campaign=campaign).select_related("candidate", "body"):
        failed = review.candidate.person in fail and review.body.kind == "department"
        campaign_services.review_record(
            actor=ew.reviewers[review.body_id],
            review=review,
            outcome="fail" if failed else "pass",
            reason="失信被执行人" if failed else "",
        )


def through_campaign_meeting(ew, campaign, candidates) -> None:
    """Review, interviews, a slate of `candidates` for five seats, the notice, the campaign meeting and speeches."""
    svc, day = campaign_services, CAMPAIGN_DAY
    clerk = ew.world.users["community_secretary"]
    svc.review_start(actor=clerk, campaign=campaign)
    review_all(ew, campaign)
    svc.interviews_start(actor=clerk, campaign=campaign)
    for candidate in candidates:
        svc.interview_record(
            actor=clerk, candidate=candidate, held_on=day, panel="街道、社区", notes="表达清楚", passed=True
        )
    svc.slate_publish(actor=clerk, campaign=campaign, candidates=candidates, seats=5, notice_starts=day)
    svc.campaigning_start(actor=clerk, campaign=campaign, on=day + dt.timedelta(days=8))
    svc.campaign_meeting_record(
        actor=clerk,
        campaign=campaign,
        held_at=at(day + dt.timedelta(days=9)),
        place="小区广场",
        livestream_url="https://live.example.cn/1",
    )
    for candidate in candidates:
        svc.speech_record(
            actor=clerk, candidate=candidate, summary="讲话", pledge="承诺", pledge_signed_on=day + dt.timedelta(days=9)
        )


def campaign_ready_to_vote(ew, count: int = 6):
    """(campaign, candidates): past its campaign meeting, `count` candidates on the slate for five seats."""
    campaign = open_campaign(ew)
    candidates = nominate_all(ew, campaign, count=count)
    through_campaign_meeting(ew, campaign, candidates)
    return campaign, candidates
