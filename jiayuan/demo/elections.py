"""The demo city's elections, run through the same services as the pages.

- 宝龙世家 (the reports' public-campaign compound) re-elects its committee: nominations by all three routes,
  the nine-body joint qualification review, interviews, the slate and its public notice with one objection,
  the livestreamed campaign meeting, and a general meeting whose ballots came on paper (entered by the
  community and checked by the branch) and on site. The result is counted and published; the new committee's
  posts start that day and the coverage dashboard shows them. Its first meeting chose the same director.
- 金利花园 (the personas' compound) has a re-election at the review stage: `zhujian` (housing) and `qinghua`
  (the community) still have candidates in their queues, and one candidate's wife works for the compound's
  property company — the review page puts that beside him.
- 金利花园 also has a general meeting in its voting window on using the maintenance fund and on parking: about
  half the owners have voted; the login `resident` has not and can vote online.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiayuan.core.identity import make_id_number
from jiayuan.core.models import User
from jiayuan.elections import facts
from jiayuan.elections.models import (
    Campaign,
    CampaignStep,
    Candidate,
    GeneralMeeting,
    Motion,
    Objection,
    Review,
    ReviewBody,
    VoterMember,
)
from jiayuan.elections.services import assembly
from jiayuan.elections.services import campaign as svc
from jiayuan.elections.services.config import review_bodies_default
from jiayuan.organisations import services as org_services
from jiayuan.organisations.models import Organisation, Post
from jiayuan.people import services as people_services
from jiayuan.people.models import Ownership, Person
from jiayuan.places.models import Compound

ELECTED_COMPOUND = "宝龙世家"
REVIEWING_COMPOUND = "金利花园"
# Reviewer logins the demo adds: (username, department short name, person's name).
REVIEWERS = (
    ("shencha-gongan", "公安局", "郑警官"),
    ("shencha-fayuan", "人民法院", "洪法官"),
    ("shencha-minzheng", "民政局", "黄科长"),
    ("shencha-chengguan", "城管局", "施队长"),
    ("shencha-shichang", "市场监管局", "庄科长"),
)
RUNNERS = (("jinxin", "community_secretary"), ("baolong-secretary", "branch_secretary"))


def demo_logins() -> list[tuple[str, str]]:
    return [
        ("jinxin", _("community secretary (runs 宝龙世家's election)")),
        ("baolong-secretary", _("compound branch secretary (checks paper ballots)")),
    ] + [(username, _("reviewer: %(department)s") % {"department": short}) for username, short, _name in REVIEWERS]


@dataclass
class DemoElections:
    counts: dict[str, int] = field(default_factory=dict)
    logins: list[str] = field(default_factory=list)


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))


def _login(username: str, person, password: str) -> User:
    user = User.objects.filter(person=person).first()
    if user is None:
        user = User.objects.create_user(username=username, password=password, person=person)
    return user


def _current_post(role: str, **lookup) -> Post:
    return (
        Post.objects.filter(role=role, end_date__isnull=True, **lookup)
        .select_related("person")
        .order_by("start_date", "pk")
        .first()
    )


def _owners(compound, exclude=()) -> list:
    """Current individual owners of the compound's rooms, in a stable order."""
    ids = (
        Ownership.objects.filter(room__unit__building__compound=compound, end_date__isnull=True, person__isnull=False)
        .exclude(person__in=list(exclude))
        .values_list("person_id", flat=True)
        .distinct()
    )
    return list(Person.objects.filter(pk__in=list(ids)).order_by("pk"))


def build_demo_elections(*, seed: int, today: dt.date, password: str) -> DemoElections:
    rng = random.Random(seed + 4)
    result = DemoElections()
    admin = User.objects.get(username="admin")
    city = Compound.objects.get(name=ELECTED_COMPOUND).community.town.city
    bodies = review_bodies_default(actor=admin, city=city, on=today - dt.timedelta(days=400))
    reviewers = _reviewers(bodies, password, today)
    baolong = Compound.objects.select_related("community__town").get(name=ELECTED_COMPOUND)
    runner = _login(
        "jinxin", _current_post("community_secretary", organisation__community=baolong.community).person, password
    )
    checker = _login(
        "baolong-secretary", _current_post("branch_secretary", organisation__compounds=baolong).person, password
    )
    result.logins = ["jinxin", "baolong-secretary", *[u for u, _s, _n in REVIEWERS]]
    _elect(rng, baolong, runner, checker, reviewers, today)
    jinli = Compound.objects.select_related("community__town").get(name=REVIEWING_COMPOUND)
    _reviewing(rng, jinli, reviewers, today)
    _open_vote(rng, jinli, today)
    result.counts = {
        "elections.campaign": Campaign.objects.count(),
        "elections.review": Review.objects.count(),
        "elections.generalmeeting": GeneralMeeting.objects.count(),
    }
    return result


def _reviewers(bodies, password: str, today: dt.date) -> dict[str, User]:
    """{department short name: reviewer user}; the organisation department's reviewer is the city administrator."""
    users = {"委组织部": User.objects.get(username="admin"), "住建局": User.objects.get(username="zhujian")}
    for n, (username, short, name) in enumerate(REVIEWERS):
        department = next(
            b.department for b in bodies if b.kind == ReviewBody.Kind.DEPARTMENT and b.name.endswith(short)
        )
        id_number = next(
            number
            for serial in range(n * 37 + 1, 999)
            if people_services.person_find_by_id_number(
                number := make_id_number("350582", dt.date(1983, 6, 1 + n), serial)
            )
            is None
        )
        person = people_services.person_create(actor=None, name=name, id_number=id_number, phone=f"1595952{n:04d}")
        org_services.post_assign(
            actor=None,
            person=person,
            organisation=department,
            role=Post.Role.DEPARTMENT_STAFF,
            start_date=today - dt.timedelta(days=400),
        )
        users[short] = _login(username, person, password)
    return users


def _reviewer_for(body: ReviewBody, compound, reviewers: dict[str, User]) -> User:
    if body.kind == ReviewBody.Kind.DEPARTMENT:
        return next(user for short, user in reviewers.items() if body.name.endswith(short))
    if body.kind == ReviewBody.Kind.COMMUNITY:
        post = _current_post("community_secretary", organisation__community=compound.community)
    else:
        post = _current_post("branch_secretary", organisation__compounds=compound)
    return User.objects.get(person=post.person)


def _nominate(rng, campaign, runner, compound, incumbents, extra: int, day: dt.date) -> list[Candidate]:
    """The incumbents by community recommendation or party-member example, plus `extra` jointly nominated owners."""
    candidates = []
    for person in incumbents:
        route = Candidate.Route.PARTY_EXAMPLE if hasattr(person, "party_membership") else Candidate.Route.COMMUNITY
        candidates.append(
            svc.candidate_nominate(
                actor=runner,
                campaign=campaign,
                person=person,
                route=route,
                on=day,
                statement="现任业委会成员，履职期间表现良好",
            )
        )
    pool = _owners(compound, exclude=incumbents)
    rng.shuffle(pool)
    for person in pool[:extra]:
        backers = [p for p in pool[extra:] if p != person][: campaign.co_nominators_required]
        pool = [p for p in pool if p not in backers]
        candidates.append(
            svc.candidate_nominate(
                actor=runner,
                campaign=campaign,
                person=person,
                route=Candidate.Route.JOINT_OWNERS,
                co_nominators=backers,
                on=day,
                statement="热心小区公共事务，业主联名推荐",
            )
        )
    return candidates


def _elect(rng, compound, runner, checker, reviewers, today: dt.date) -> None:
    old = Organisation.objects.active_on(today).get(kind=Organisation.Kind.OWNERS_COMMITTEE, compounds=compound)
    incumbents = [
        p.person for p in old.posts.filter(end_date__isnull=True).select_related("person").order_by("role", "pk")
    ]
    director = old.posts.get(end_date__isnull=True, role=Post.Role.COMMITTEE_DIRECTOR).person
    deputies = [p.person for p in old.posts.filter(end_date__isnull=True, role=Post.Role.COMMITTEE_DEPUTY)]
    opened = today - dt.timedelta(days=80)
    campaign = svc.campaign_open(
        actor=runner,
        compound=compound,
        kind=Campaign.Kind.RE_ELECTION,
        seats=old.seats,
        opened_on=opened,
        co_nominators_required=5,
    )
    for n, post in enumerate(
        [
            _current_post("community_secretary", organisation__community=compound.community),
            _current_post("branch_secretary", organisation__compounds=compound),
        ]
    ):
        svc.preparatory_member_add(
            actor=runner,
            campaign=campaign,
            person=post.person,
            role="leader" if n == 0 else "member",
            represents="社区" if n == 0 else "小区党支部",
        )
    candidates = _nominate(rng, campaign, runner, compound, incumbents, extra=3, day=opened + dt.timedelta(days=3))
    svc.review_start(actor=runner, campaign=campaign)
    weak = candidates[-1]  # a jointly nominated owner found on the list of dishonest judgment debtors
    for review in Review.objects.filter(candidate__campaign=campaign).select_related("body", "candidate"):
        fail = review.candidate_id == weak.pk and review.body.name.endswith("人民法院")
        svc.review_record(
            actor=_reviewer_for(review.body, compound, reviewers),
            review=review,
            outcome="fail" if fail else "pass",
            reason="列入失信被执行人名单" if fail else "",
        )
    svc.interviews_start(actor=runner, campaign=campaign)
    qualified = list(campaign.candidates.filter(status=Candidate.Status.QUALIFIED).order_by("pk"))
    for candidate in qualified:
        svc.interview_record(
            actor=runner,
            candidate=candidate,
            held_on=opened + dt.timedelta(days=20),
            panel="新塘街道、晋新社区、小区党支部",
            notes="熟悉小区情况，表达清楚，愿意公开承诺",
            passed=True,
        )
    notice = opened + dt.timedelta(days=22)
    svc.slate_publish(actor=runner, campaign=campaign, candidates=qualified, seats=old.seats, notice_starts=notice)
    objector = _owners(compound, exclude=[c.person for c in candidates])[0]
    objection = svc.objection_lodge(
        actor=runner,
        candidate=qualified[-1],
        person=objector,
        text="听说该候选人与物业公司有亲属关系，请核实。",
        on=notice + dt.timedelta(days=2),
    )
    svc.objection_answer(
        actor=runner,
        objection=objection,
        upheld=False,
        answer="经住建局和社区核查，候选人及其近亲属与本小区物业服务企业无任职或利害关系，异议不成立。",
    )
    svc.campaigning_start(actor=runner, campaign=campaign, on=notice + dt.timedelta(days=campaign.notice_days + 1))
    speech_day = notice + dt.timedelta(days=campaign.notice_days + 3)
    svc.campaign_meeting_record(
        actor=runner,
        campaign=campaign,
        held_at=_at(speech_day, 19),
        place="宝龙世家中心广场",
        livestream_url="https://live.jinjiang.gov.cn/baolong-2026",
        attendance=312,
    )
    for candidate in campaign.candidates.filter(status=Candidate.Status.ON_SLATE):
        svc.speech_record(
            actor=runner,
            candidate=candidate,
            summary="介绍个人经历和对小区停车、绿化、维修资金使用的打算。",
            pledge="公开履职、按月公示业委会会议决定和收支；不收受物业服务企业任何好处。",
            pledge_signed_on=speech_day,
        )
    opens = today - dt.timedelta(days=25)
    meeting = assembly.meeting_create(
        actor=runner,
        compound=compound,
        title="宝龙世家业主大会：选举第二届业主委员会",
        voting_opens=_at(opens, 8),
        voting_closes=_at(opens + dt.timedelta(days=7), 20),
        place="宝龙世家物业服务中心一楼",
        campaign=campaign,
    )
    assembly.motion_add(
        actor=runner,
        meeting=meeting,
        matter=Motion.Matter.COVENANT,
        title="修订《宝龙世家管理规约》",
        text="增加电动车集中充电、禁止高空抛物条款。",
    )
    assembly.meeting_announce(actor=runner, meeting=meeting, on=opens - dt.timedelta(days=16))
    on_slate = list(campaign.candidates.filter(status=Candidate.Status.ON_SLATE).order_by("pk"))
    favoured = [c for c in on_slate if c.person in incumbents]
    members = list(VoterMember.objects.filter(meeting=meeting).select_related("voter", "person").order_by("voter_id"))
    seen, number = set(), 0
    for member in members:
        if member.voter_id in seen or rng.random() > 0.86:
            continue
        seen.add(member.voter_id)
        votes = {
            1: {
                c.pk: "agree" if (c in favoured) == (rng.random() < 0.9) else rng.choice(["against", "abstain"])
                for c in on_slate
            },
            2: rng.choices(["agree", "against", "abstain"], weights=[80, 12, 8])[0],
        }
        agreed = [pk for pk, choice in votes[1].items() if choice == "agree"]
        for pk in agreed[old.seats :]:
            votes[1][pk] = "abstain"
        when = _at(opens + dt.timedelta(days=rng.randint(0, 6)), rng.randint(9, 19))
        if rng.random() < 0.5:
            assembly.onsite_ballot_record(actor=runner, meeting=meeting, person=member.person, votes=votes, at=when)
        else:
            number += 1
            room = member.voter.rooms.order_by("label").first().label
            assembly.paper_ballot_enter(
                actor=runner, meeting=meeting, room=room, paper_number=f"BL{number:04d}", votes=votes, received_at=when
            )
            assembly.paper_ballot_check(actor=checker, meeting=meeting, paper_number=f"BL{number:04d}")
    closes = opens + dt.timedelta(days=8)
    assembly.meeting_count(actor=runner, meeting=meeting, now=_at(closes, 10))
    assembly.meeting_publish(actor=runner, meeting=meeting, on=closes)
    _backdate(
        rng,
        campaign,
        {
            "nominating": opened,
            "reviewing": opened + dt.timedelta(days=10),
            "interviewing": opened + dt.timedelta(days=18),
            "notice": notice,
            "campaigning": notice + dt.timedelta(days=campaign.notice_days + 1),
            "voting": opens - dt.timedelta(days=16),
            "elected": closes,
        },
    )
    Objection.objects.filter(pk=objection.pk).update(
        lodged_at=_at(notice + dt.timedelta(days=2), 20), answered_at=_at(notice + dt.timedelta(days=4), 16)
    )
    GeneralMeeting.objects.filter(pk=meeting.pk).update(counted_at=_at(closes, 10), published_at=_at(closes, 15))
    campaign.refresh_from_db()
    if campaign.committee is not None:
        elected = set(campaign.committee.posts.values_list("person_id", flat=True))
        assembly.committee_officers_choose(
            actor=runner,
            campaign=campaign,
            director=director if director.pk in elected else campaign.committee.posts.order_by("pk").first().person,
            deputies=[p for p in deputies if p.pk in elected],
            held_on=closes + dt.timedelta(days=3),
        )


def _backdate(rng, campaign: Campaign, days: dict[str, dt.date]) -> None:
    """The demo runs a season's campaign in a second: give its history and reviews the days they stand for."""
    for step in CampaignStep.objects.filter(campaign=campaign, target__in=list(days)):
        CampaignStep.objects.filter(pk=step.pk).update(at=_at(days[step.target], 10))
    start = days.get("reviewing")
    if start:
        span = max(((days.get("interviewing") or start + dt.timedelta(days=4)) - start).days - 1, 1)
        for review in Review.objects.filter(candidate__campaign=campaign, reviewed_at__isnull=False):
            Review.objects.filter(pk=review.pk).update(
                reviewed_at=_at(start + dt.timedelta(days=rng.randint(0, span)), rng.randint(9, 17))
            )


def _reviewing(rng, compound, reviewers, today: dt.date) -> None:
    """A re-election at the review stage: some bodies have decided, housing and the community have not."""
    runner = User.objects.get(username="qinghua")
    old = Organisation.objects.active_on(today).get(kind=Organisation.Kind.OWNERS_COMMITTEE, compounds=compound)
    incumbents = [p.person for p in old.posts.filter(end_date__isnull=True).select_related("person").order_by("pk")]
    opened = today - dt.timedelta(days=12)
    campaign = svc.campaign_open(
        actor=runner,
        compound=compound,
        kind=Campaign.Kind.RE_ELECTION,
        seats=old.seats,
        opened_on=opened,
        co_nominators_required=5,
    )
    candidates = _nominate(rng, campaign, runner, compound, incumbents[:5], extra=4, day=opened + dt.timedelta(days=2))
    manager = _current_post("property_manager", compound=compound)
    if manager is not None:  # the newcomer's wife manages the compound for the property company
        people_services.kinship_add(
            actor=None, person=candidates[-1].person, relative=manager.person, relation="spouse"
        )
    svc.review_start(actor=runner, campaign=campaign)
    waiting = ("住建局",)
    reviews = list(Review.objects.filter(candidate__campaign=campaign).select_related("body", "candidate__campaign"))
    found = facts.facts_for_many(review.candidate for review in reviews)
    # The bodies that have decided pass the flagged candidate within what they check, and say so; the housing
    # department, which checks the property-company tie, and the community have not decided yet.
    flagged = {pk for pk, listed in found.items() if any(fact.concern for fact in listed)}
    for review in reviews:
        if review.body.kind == ReviewBody.Kind.COMMUNITY or review.body.name.endswith(waiting):
            continue
        svc.review_record(
            actor=_reviewer_for(review.body, compound, reviewers),
            review=review,
            outcome="pass",
            reason="本单位核查范围内无异常；物业任职情况由住建局核实" if review.candidate_id in flagged else "",
        )
    _backdate(rng, campaign, {"nominating": opened, "reviewing": opened + dt.timedelta(days=8)})


def _open_vote(rng, compound, today: dt.date) -> None:
    """A general meeting in its voting window; the persona `resident` has not voted yet."""
    runner = User.objects.get(username="qinghua")
    opens = today - dt.timedelta(days=3)
    meeting = assembly.meeting_create(
        actor=runner,
        compound=compound,
        title="金利花园业主大会：维修资金与停车改造",
        voting_opens=_at(opens, 8),
        voting_closes=_at(today + dt.timedelta(days=4), 20),
        place="金利花园党群服务站",
    )
    assembly.motion_add(
        actor=runner,
        meeting=meeting,
        matter=Motion.Matter.FUND_USE,
        title="使用专项维修资金更换3号楼电梯",
        text="预算 38.6 万元，从 3 号楼分户账中列支。",
    )
    assembly.motion_add(
        actor=runner,
        meeting=meeting,
        matter=Motion.Matter.COMMON_USE,
        title="地面公共区域改造为临时停车位并收费",
        text="收益归全体业主共有，纳入公共收益账户。",
    )
    assembly.meeting_announce(actor=runner, meeting=meeting, on=opens - dt.timedelta(days=16))
    resident = User.objects.get(username="resident").person
    members = (
        VoterMember.objects.filter(meeting=meeting)
        .exclude(voter__members__person=resident)
        .select_related("voter", "person")
        .order_by("voter_id")
    )
    seen = set()
    for member in members:
        if member.voter_id in seen or rng.random() > 0.5:
            continue
        seen.add(member.voter_id)
        votes = {
            1: rng.choices(["agree", "against", "abstain"], weights=[75, 15, 10])[0],
            2: rng.choices(["agree", "against", "abstain"], weights=[55, 35, 10])[0],
        }
        assembly.onsite_ballot_record(
            actor=runner,
            meeting=meeting,
            person=member.person,
            votes=votes,
            at=_at(opens + dt.timedelta(days=rng.randint(0, 2)), rng.randint(9, 19)),
        )
