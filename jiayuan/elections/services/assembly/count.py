"""The count through the rule engine, publication, and forming the elected committee."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jiayuan.core.audit import audit_record, snapshot
from jiayuan.core.models import AuditEntry
from jiayuan.core.services import update_audited
from jiayuan.organisations import services as org_services
from jiayuan.organisations.models import Organisation, Post

from ... import rules, tally, workflow
from ...models import (
    Ballot,
    Campaign,
    CandidateChoice,
    ElectorateRoom,
    GeneralMeeting,
    Motion,
    Result,
)
from ..campaign import move
from ..campaign._common import _locked as _locked_campaign
from ..campaign._common import _refuse_unless
from ._common import FIRST_MEETING_DAYS, MIN_COMMITTEE, Channel, Choice, _expect, _locked
from .ballots import slate
from .calling import _decimal

# --- Count and publication ---------------------------------------------------------------------------


def frozen_electorate(meeting: GeneralMeeting) -> tally.Electorate:
    """The rule engine's electorate, rebuilt from the rooms frozen at announcement."""
    return tally.Electorate.from_rooms(
        tally.Room(
            room=str(r.room_id),
            owners=tuple(r.owners.split(";")),
            area=r.area,
            area_source=r.area_source,
            developer_unsold=r.developer_unsold,
        )
        for r in ElectorateRoom.objects.filter(meeting=meeting).order_by("pk")
    )


@dataclass(frozen=True)
class _Counting:
    """The frozen electorate with, per voter key, one owner name the engine knows (any of them casts the
    voter's ballot) and the voter's area: looked up once per count, not once per ballot."""

    electorate: tally.Electorate
    token: dict[str, str]
    area: dict[str, Fraction]

    @classmethod
    def of(cls, electorate: tally.Electorate) -> _Counting:
        return cls(
            electorate, {v.key: min(v.owners) for v in electorate.voters}, {v.key: v.area for v in electorate.voters}
        )


def counted_ballots(motion: Motion):
    """The ballots that count: online and on-site ones, and paper ones a second person has checked."""
    return motion.ballots.filter(Q(channel__in=[Channel.ONLINE, Channel.ON_SITE]) | Q(checked_by__isnull=False))


def _sums(counting: _Counting, keyed_choices: dict[str, str], choice: str) -> tuple[Decimal, int]:
    chosen = [key for key, c in keyed_choices.items() if c == choice]
    return _decimal(sum((counting.area[k] for k in chosen), Fraction(0))), len(chosen)


def _result_row(motion, candidate, counting: _Counting, keyed_choices, matter) -> Result:
    outcome = tally.tally(
        counting.electorate, [tally.Ballot(owner=counting.token[k], choice=c) for k, c in keyed_choices.items()], matter
    )
    against_area, against_heads = _sums(counting, keyed_choices, Choice.AGAINST)
    abstain_area, abstain_heads = _sums(counting, keyed_choices, Choice.ABSTAIN)
    return Result(
        motion=motion,
        candidate=candidate,
        total_area=_decimal(outcome.total_area),
        total_heads=outcome.total_heads,
        participating_area=_decimal(outcome.participating_area),
        participating_heads=outcome.participating_heads,
        agree_area=_decimal(outcome.agree_area),
        agree_heads=outcome.agree_heads,
        against_area=against_area,
        against_heads=against_heads,
        abstain_area=abstain_area,
        abstain_heads=abstain_heads,
        quorum_met=outcome.quorum_met,
        passed=outcome.passed,
        threshold=str(outcome.threshold),
    )


def rank_candidates(results: list[Result], seats: int) -> None:
    """Rank the candidates who passed by agreeing heads, then agreeing area; the first `seats` are elected.

    The stated tie rule: candidates equal in both heads and area share a rank. If such a tie straddles the
    last seat, none of the tied candidates takes it; the remaining seats stay vacant for a run-off.
    """
    passed = sorted((r for r in results if r.passed), key=lambda r: (-r.agree_heads, -r.agree_area))
    rank = 0
    previous = None
    for position, result in enumerate(passed, start=1):
        if (result.agree_heads, result.agree_area) != previous:
            rank = position
            previous = (result.agree_heads, result.agree_area)
        result.rank = rank
    for result in passed:
        tied = [r for r in passed if (r.agree_heads, r.agree_area) == (result.agree_heads, result.agree_area)]
        last_rank = result.rank + len(tied) - 1
        result.elected = last_rank <= seats
        if result.rank <= seats < last_rank:
            result.tied_across_last_seat = len(tied)


@transaction.atomic
def meeting_count(*, actor, meeting: GeneralMeeting, now: dt.datetime | None = None) -> GeneralMeeting:
    """Count every motion once voting has closed and every paper ballot is checked."""
    now = now or timezone.now()
    meeting = _locked(meeting)
    _refuse_unless(rules.may_run_election(actor, meeting.compound))
    counted = _expect(meeting, "count")
    if now < meeting.voting_closes:
        raise ValidationError(
            _("Voting closes at %(closes)s; count after that.")
            % {"closes": f"{timezone.localtime(meeting.voting_closes):%Y-%m-%d %H:%M}"}
        )
    unchecked = Ballot.objects.filter(motion__meeting=meeting, channel=Channel.PAPER, checked_by__isnull=True)
    if unchecked.exists():
        numbers = sorted(set(unchecked.values_list("paper_number", flat=True)))
        raise ValidationError(
            _("Paper ballots not yet checked by a second person: %(numbers)s.")
            % {"numbers": ", ".join(numbers[:20]) + ("…" if len(numbers) > 20 else "")}
        )
    counting = _Counting.of(frozen_electorate(meeting))
    rows = []
    for motion in meeting.motions.order_by("number"):
        ballots = counted_ballots(motion)
        if not motion.is_election:
            rows.append(
                _result_row(motion, None, counting, dict(ballots.values_list("voter__key", "choice")), motion.matter)
            )
            continue
        # Each voter taking part abstains on every candidate they did not mark.
        picked = {key: {} for key in ballots.values_list("voter__key", flat=True)}
        for key, candidate_id, choice in CandidateChoice.objects.filter(ballot__in=ballots).values_list(
            "ballot__voter__key", "candidate_id", "choice"
        ):
            picked[key][candidate_id] = choice
        candidate_rows = []
        for candidate in slate(motion):
            keyed = {key: marks.get(candidate.pk, Choice.ABSTAIN) for key, marks in picked.items()}
            candidate_rows.append(_result_row(motion, candidate, counting, keyed, motion.matter))
        rank_candidates(candidate_rows, meeting.campaign.seats)
        rows.extend(candidate_rows)
    Result.objects.bulk_create(rows)
    return update_audited(meeting, actor=actor, status=counted, counted_at=now)


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def meeting_publish(*, actor, meeting: GeneralMeeting, on: dt.date | None = None) -> GeneralMeeting:
    """Publish the counted results. An election forms the new committee from the elected candidates."""
    day = on or timezone.localdate()
    meeting = _locked(meeting)
    _refuse_unless(rules.may_run_election(actor, meeting.compound))
    published = _expect(meeting, "publish")
    meeting = update_audited(meeting, actor=actor, status=published, published_at=timezone.now())
    if meeting.campaign_id is not None:
        _form_committee(actor=actor, meeting=meeting, day=day)
    return meeting


def _form_committee(*, actor, meeting: GeneralMeeting, day: dt.date) -> None:
    campaign = _locked_campaign(meeting.campaign)
    results = list(
        Result.objects.filter(
            motion__meeting=meeting, motion__is_election=True, candidate__isnull=False
        ).select_related("candidate__person")
    )
    elected = sorted((r for r in results if r.elected), key=lambda r: (r.rank, r.candidate_id))
    for result in results:
        update_audited(
            result.candidate,
            actor=actor,
            status=workflow.CANDIDATE.next(result.candidate.status, "elect" if result.elected else "not_elect"),
        )
    if len(elected) < MIN_COMMITTEE:
        note = _(
            "Only %(count)s candidates were elected; a committee needs at least %(min)s. Hold a further election."
        ) % {"count": len(elected), "min": MIN_COMMITTEE}
        audit_record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=campaign,
            before=snapshot(campaign),
            after=snapshot(campaign),
            note=note,
        )
        return
    compound = meeting.compound
    predecessor = campaign.predecessor
    if predecessor is not None and (predecessor.dissolved_on is None or predecessor.dissolved_on >= day):
        _retire(actor=actor, committee=predecessor, day=day)
    sequence = Organisation.objects.filter(kind=Organisation.Kind.OWNERS_COMMITTEE, compounds=compound).count() + 1
    committee = org_services.committee_create(
        actor=actor,
        compound=compound,
        name=f"{compound.name}第{_chinese_number(sequence)}届业主委员会",
        established_on=day,
        term_end=_add_years(day, campaign.term_years) - dt.timedelta(days=1),
        seats=campaign.seats,
        elected_by=meeting,
    )
    for result in elected:
        org_services.post_assign(
            actor=actor,
            person=result.candidate.person,
            organisation=committee,
            role=Post.Role.COMMITTEE_MEMBER,
            start_date=day,
            elected_by=meeting,
        )
    update_audited(campaign, actor=actor, committee=committee)
    move(
        actor=actor,
        campaign=campaign,
        action="elect",
        note=_("%(count)s members elected; the committee is %(committee)s.")
        % {"count": len(elected), "committee": committee},
    )


def _chinese_number(n: int) -> str:
    """1–99 in Chinese numerals, as committees are named (第二届, 第十二届)."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return f"{digits[tens] if tens > 1 else ''}十{digits[ones] if ones else ''}"


def _retire(*, actor, committee: Organisation, day: dt.date) -> None:
    """The outgoing committee's term ends the day before the new committee takes office."""
    last_day = max(day - dt.timedelta(days=1), committee.established_on)
    for post in committee.posts.filter(Q(end_date__isnull=True) | Q(end_date__gt=last_day)):
        org_services.post_end(
            actor=actor, post=post, end_date=max(last_day, post.start_date), note=_("The new committee took office.")
        )
    update_audited(committee, actor=actor, dissolved_on=last_day, audit_note=_("Succeeded by an elected committee."))


@transaction.atomic
def committee_officers_choose(*, actor, campaign: Campaign, director, deputies=(), held_on: dt.date) -> Organisation:
    """The new committee's first meeting (within 7 days of the election) chooses its director and deputies."""
    campaign = _locked_campaign(campaign)
    _refuse_unless(rules.may_run_election(actor, campaign.compound))
    committee = campaign.committee
    if not workflow.CAMPAIGN.can(campaign.status, "choose_officers") or committee is None:
        raise ValidationError(_("The committee has not been elected yet."))
    if not committee.established_on <= held_on <= committee.established_on + dt.timedelta(days=FIRST_MEETING_DAYS):
        raise ValidationError(
            {
                "held_on": _("The first meeting is held within %(days)s days of the election (%(start)s to %(end)s).")
                % {
                    "days": FIRST_MEETING_DAYS,
                    "start": committee.established_on,
                    "end": committee.established_on + dt.timedelta(days=FIRST_MEETING_DAYS),
                }
            }
        )
    deputies = [p for p in deputies if p != director]
    members = {
        p.person_id: p
        for p in committee.posts.filter(
            end_date__isnull=True,
            role__in=[Post.Role.COMMITTEE_MEMBER, Post.Role.COMMITTEE_DEPUTY, Post.Role.COMMITTEE_DIRECTOR],
        )
    }
    strangers = [p for p in [director, *deputies] if p.pk not in members]
    if strangers:
        raise ValidationError(
            {
                "director": _("Not elected members of the committee: %(names)s.")
                % {"names": "、".join(str(p) for p in strangers)}
            }
        )
    wanted = {director.pk: Post.Role.COMMITTEE_DIRECTOR} | {p.pk: Post.Role.COMMITTEE_DEPUTY for p in deputies}
    # Step down first, so the one-director constraint holds at every write.
    for person_id, post in sorted(members.items(), key=lambda item: item[0] in wanted):
        role = wanted.get(person_id, Post.Role.COMMITTEE_MEMBER)
        if post.role != role:
            update_audited(
                post,
                actor=actor,
                role=role,
                audit_note=_("Chosen at the committee's first meeting on %(day)s.") % {"day": held_on},
            )
    return committee
