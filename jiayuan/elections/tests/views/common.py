"""Helpers shared by the page tests: the campaign pages' URLs, personas and set-up through the services, and
the meeting pages' clock, ballots and paper forms."""

import datetime as dt
import re

from django.urls import reverse
from django.utils import timezone

from jiayuan.elections.models import Review
from jiayuan.elections.services import assembly
from jiayuan.elections.services import campaign as svc
from jiayuan.elections.testing import CAMPAIGN_DAY as DAY

# --- The campaign pages --------------------------------------------------------------------------------

RUNNERS = ("city_admin", "town_clerk", "community_secretary", "branch_secretary")
COMPOUND_A_VIEWERS = (*RUNNERS, "committee_director", "property_manager", "building_head", "resident")
HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name, *args):
    return reverse(f"elections:{name}", args=args)


def expected(persona, allowed):
    return 200 if persona in allowed else 404


def today():
    return timezone.localdate()


def campaign_ids(html: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'data-campaign="(\d+)"', html)}


def review_ids(html: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'data-review="(\d+)"', html)}


def open_a(ew, **extra):
    return svc.campaign_open(
        actor=ew.world.users["community_secretary"],
        compound=ew.world.compound_a,
        kind="re_election",
        seats=5,
        opened_on=today(),
        co_nominators_required=3,
        **extra,
    )


def nominate(ew, campaign, count=5):
    clerk = ew.world.users["community_secretary"]
    return [
        svc.candidate_nominate(actor=clerk, campaign=campaign, person=p, route="community") for p in ew.owners[:count]
    ]


def pass_all(ew, campaign):
    for review in Review.objects.filter(candidate__campaign=campaign):
        svc.review_record(actor=ew.reviewers[review.body_id], review=review, outcome="pass")


def shift_today(monkeypatch, days: int):
    """Move the platform's today (services, scopes and pages read timezone.localdate())."""
    original = timezone.localdate
    later = original() + dt.timedelta(days=days)

    def localdate(value=None, timezone=None):
        return original(value, timezone) if value is not None else later

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    return later


# --- The meeting pages ---------------------------------------------------------------------------------

OPENS = DAY + dt.timedelta(days=30)


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, minute))


def local(moment: dt.datetime) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%dT%H:%M}"


def detail(meeting) -> str:
    return reverse("elections:meeting_detail", args=[meeting.pk])


def cast(meeting, owner, agree, lift="agree", hour=9):
    """An owner votes online through the service."""
    return assembly.ballots_cast_online(
        actor=owner.account, meeting=meeting, votes={1: {c.pk: "agree" for c in agree}, 2: lift}, at=at(OPENS, hour)
    )


def vote_plainly(ew, voting):
    """Owners 1–11 vote: the first five candidates agreed by all; the lift agreed by 1–9, against by 10–11."""
    for n, owner in enumerate(ew.owners[:11], start=1):
        cast(voting, owner, agree=voting.slate[:5], lift="agree" if n <= 9 else "against")


def paper_data(meeting, number="P-001", room="1号楼 1单元 101", agree=(), lift="agree", received=None):
    data = {"room": room, "paper_number": number, "received_at": received or local(at(OPENS, 11))}
    for candidate in meeting.slate:
        data[f"motion_1_c{candidate.pk}"] = "agree" if candidate in agree else ""
    data["motion_2"] = lift
    return data
