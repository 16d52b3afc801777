"""Helpers shared by the /api/v1/elections tests: the day and clock, reading answers, and the campaign and
meeting set up through the services."""

import datetime as dt

from django.utils import timezone

from jiayuan.elections.models import Review
from jiayuan.elections.services import assembly
from jiayuan.elections.services import campaign as svc

API = "/api/v1/elections"
DAY = dt.date(2026, 3, 2)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def errors_of(response) -> dict[str, str]:
    assert response.status_code == 422, (response.status_code, response.content)
    return {error["field"]: error["message"] for error in response.json()["detail"]}


def ok(response, status=200):
    assert response.status_code == status, response.content
    return response.json()


# --- Set-up through the services ----------------------------------------------------------------------


def open_campaign(ew, **extra):
    w = ew.world
    return svc.campaign_open(
        actor=w.users["community_secretary"],
        compound=w.compound_a,
        kind="re_election",
        seats=5,
        opened_on=DAY,
        co_nominators_required=3,
        **extra,
    )


def review_all(ew, campaign, *, skip_users=()):
    for review in Review.objects.filter(candidate__campaign=campaign, outcome="pending").select_related("body"):
        reviewer = ew.reviewers[review.body_id]
        if reviewer not in skip_users:
            svc.review_record(actor=reviewer, review=review, outcome="pass")


def to_interviewing(ew, count):
    clerk = ew.world.users["community_secretary"]
    campaign = open_campaign(ew)
    candidates = [
        svc.candidate_nominate(actor=clerk, campaign=campaign, person=p, route="community", on=DAY)
        for p in ew.owners[:count]
    ]
    svc.review_start(actor=clerk, campaign=campaign)
    review_all(ew, campaign)
    svc.interviews_start(actor=clerk, campaign=campaign)
    for candidate in candidates:
        svc.interview_record(
            actor=clerk, candidate=candidate, held_on=DAY, panel="街道、社区", notes="表达清楚", passed=True
        )
    return campaign, candidates


def plain_meeting(ew, *, announce=True):
    """A meeting on renewing the property company: voting DAY+30 10:00 to DAY+32 10:00."""
    clerk = ew.world.users["community_secretary"]
    meeting = assembly.meeting_create(
        actor=clerk,
        compound=ew.world.compound_a,
        title="续聘物业",
        voting_opens=at(DAY + days(30)),
        voting_closes=at(DAY + days(32)),
    )
    assembly.motion_add(actor=clerk, meeting=meeting, matter=4, title="续聘物业服务企业")
    if announce:
        assembly.meeting_announce(actor=clerk, meeting=meeting, on=DAY)
    return meeting
