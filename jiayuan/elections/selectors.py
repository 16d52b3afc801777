"""Reads of elections and general meetings, scoped to the viewer in the query.

- Staff with a scope over places see the campaigns and meetings of compounds in their scope.
- Owners and residents see those of compounds where they own or live in a room, once past the draft.
- Reviewers (department staff) see their own review queue, and the candidates in it, nothing else.
Anything else is not in the list, and a detail lookup is a 404.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import Count, Prefetch, Q, Sum

from jiayuan.core.scope import get_visible_or_404, scope_for
from jiayuan.places.models import Compound

from . import rules
from .models import (
    Ballot,
    Campaign,
    Candidate,
    ElectorateRoom,
    GeneralMeeting,
    Motion,
    Result,
    Review,
    ReviewBody,
    VoterMember,
)
from .tally import QUORUM_THRESHOLD, Threshold, decimal_string, threshold_for


def _household_compound_ids(scope) -> list[int]:
    return list(
        Compound.objects.filter(buildings__units__rooms__in=list(scope.room_ids))
        .values_list("pk", flat=True)
        .distinct()
    )


def _compounds_q(viewer, prefix: str) -> Q:
    """Compounds (through `prefix`) the viewer sees elections of: staff scope, or the household's compounds."""
    scope = scope_for(viewer)
    if scope.everything:
        return Q()
    q = Q(pk__in=[])
    if scope.is_staff_scope:
        q |= scope.compounds_q(prefix)
    if scope.room_ids:
        q |= Q(**{f"{prefix}pk__in": _household_compound_ids(scope)})
    return q


def is_staff_viewer(viewer, compound) -> bool:
    """Those who run the compound's elections see every candidate and review; everyone else sees the slate."""
    return rules.may_run_election(viewer, compound)


# --- Campaigns -------------------------------------------------------------------------------------


def _reviewed_campaigns(viewer):
    """Campaigns with a review in the viewer's queue: a reviewer reaches the campaign of each review they see."""
    return Review.objects.filter(rules.review_queue_q(viewer)).values("candidate__campaign_id")


def campaign_list(*, viewer, status: str = "", compound=None):
    in_scope = _compounds_q(viewer, "compound__")
    if in_scope:  # (an empty Q is every campaign: OR-ing it with anything would narrow it)
        in_scope |= Q(pk__in=_reviewed_campaigns(viewer))
    queryset = Campaign.objects.filter(in_scope)
    if status:
        queryset = queryset.filter(status=status)
    if compound is not None:
        queryset = queryset.filter(compound=compound)
    return (
        queryset.select_related("compound__community__town", "committee", "predecessor")
        .annotate(candidate_count=Count("candidates", distinct=True))
        .order_by("-opened_on", "-id")
    )


def campaign_get(*, viewer, pk: int) -> Campaign:
    return get_visible_or_404(campaign_list(viewer=viewer), pk=pk)


PUBLIC_CANDIDATE_STATES = (
    Candidate.Status.ON_SLATE,
    Candidate.Status.STRUCK_OFF,
    Candidate.Status.ELECTED,
    Candidate.Status.NOT_ELECTED,
)


def candidates_of(*, viewer, campaign: Campaign):
    """The campaign's candidates: all of them for staff, the slate for owners and residents."""
    queryset = (
        campaign.candidates.select_related("person")
        .prefetch_related(
            Prefetch("reviews", queryset=Review.objects.select_related("body").order_by("body__position", "id")),
            "co_nominations__person",
            "rooms__unit__building",
        )
        .select_related("interview", "speech")
    )
    if not is_staff_viewer(viewer, campaign.compound):
        # The slate, and for a reviewer the candidates their body reviews.
        reviewed = Review.objects.filter(rules.review_queue_q(viewer)).values("candidate_id")
        queryset = queryset.filter(Q(status__in=PUBLIC_CANDIDATE_STATES) | Q(pk__in=reviewed))
    return queryset.order_by("id")


def candidate_get(*, viewer, campaign: Campaign, pk: int) -> Candidate:
    return get_visible_or_404(candidates_of(viewer=viewer, campaign=campaign), pk=pk)


# --- Review queues ----------------------------------------------------------------------------------


def review_queue(*, viewer, pending_only: bool = False):
    """The reviews of the bodies the viewer acts for, in campaigns under review; nobody sees another body's queue."""
    queryset = Review.objects.filter(rules.review_queue_q(viewer))
    if pending_only:
        queryset = queryset.filter(
            outcome=Review.Outcome.PENDING,
            candidate__campaign__status="reviewing",
            candidate__status=Candidate.Status.UNDER_REVIEW,
        )
    return queryset.select_related(
        "body", "candidate__person", "candidate__campaign__compound__community", "reviewer"
    ).order_by(
        "outcome" if pending_only else "-candidate__campaign__opened_on",
        "candidate__campaign_id",
        "candidate_id",
        "body__position",
    )


def review_get(*, viewer, pk: int) -> Review:
    return get_visible_or_404(review_queue(viewer=viewer), pk=pk)


@dataclass
class BodyCount:
    body: str
    decided: int
    passed: int
    failed: int
    pending: int


def review_counts(*, viewer, since: dt.date | None = None, until: dt.date | None = None) -> list[BodyCount]:
    """Person-reviews per reviewing body for the campaigns the viewer sees (the reports' 2036)."""
    reviews = Review.objects.filter(_compounds_q(viewer, "candidate__campaign__compound__"))
    if since:
        reviews = reviews.filter(candidate__campaign__opened_on__gte=since)
    if until:
        reviews = reviews.filter(candidate__campaign__opened_on__lte=until)
    rows = (
        reviews.values("body__name", "body__position")
        .order_by("body__position", "body__name")
        .annotate(
            decided=Count("pk", filter=~Q(outcome="pending")),
            passed=Count("pk", filter=Q(outcome="pass")),
            failed=Count("pk", filter=Q(outcome="fail")),
            pending=Count("pk", filter=Q(outcome="pending")),
        )
    )
    return [BodyCount(r["body__name"], r["decided"], r["passed"], r["failed"], r["pending"]) for r in rows]


def bodies_for(city) -> list[ReviewBody]:
    return list(ReviewBody.objects.filter(city=city, active=True).select_related("department"))


# --- General meetings -------------------------------------------------------------------------------


def meeting_list(*, viewer, status: str = "", compound=None):
    scope = scope_for(viewer)
    queryset = GeneralMeeting.objects.filter(_compounds_q(viewer, "compound__"))
    if not scope.is_staff_scope:
        queryset = queryset.exclude(status=GeneralMeeting.Status.DRAFT)
    if status:
        queryset = queryset.filter(status=status)
    if compound is not None:
        queryset = queryset.filter(compound=compound)
    return queryset.select_related("compound__community__town", "campaign").order_by("-voting_opens", "-id")


def meeting_get(*, viewer, pk: int) -> GeneralMeeting:
    return get_visible_or_404(meeting_list(viewer=viewer), pk=pk)


def open_votes(*, viewer):
    """Meetings whose voting window is open now and in whose frozen electorate the viewer's person is."""
    from django.utils import timezone

    if viewer.person_id is None:
        return GeneralMeeting.objects.none()
    now = timezone.now()
    return (
        GeneralMeeting.objects.filter(
            status=GeneralMeeting.Status.ANNOUNCED,
            voting_opens__lte=now,
            voting_closes__gt=now,
            voters__members__person_id=viewer.person_id,
        )
        .select_related("compound")
        .order_by("voting_closes")
    )


def motions_of(meeting: GeneralMeeting):
    return meeting.motions.order_by("number")


def membership(meeting: GeneralMeeting, viewer) -> VoterMember | None:
    """The viewer's place in the frozen electorate, if any."""
    if viewer.person_id is None:
        return None
    return VoterMember.objects.filter(meeting=meeting, person_id=viewer.person_id).select_related("voter").first()


def ballots_of_voter(meeting: GeneralMeeting, voter) -> dict[int, Ballot]:
    """{motion number: ballot} of one voter."""
    return {
        b.motion.number: b
        for b in Ballot.objects.filter(motion__meeting=meeting, voter=voter)
        .select_related("motion", "cast_by")
        .prefetch_related("candidate_choices__candidate__person")
    }


def ballot_list(*, meeting: GeneralMeeting, channel: str = ""):
    queryset = Ballot.objects.filter(motion__meeting=meeting).select_related(
        "motion", "voter", "entered_by", "checked_by", "cast_by"
    )
    if channel:
        queryset = queryset.filter(channel=channel)
    return queryset.order_by("-cast_at", "-id")


def turnout(meeting: GeneralMeeting) -> dict[int, dict]:
    """Per motion: ballots cast, those awaiting a second person's check, and the area of the counted ones."""
    awaiting = Q(channel="paper", checked_by__isnull=True)
    rows = (
        Ballot.objects.filter(motion__meeting=meeting)
        .values("motion__number")
        .order_by("motion__number")
        .annotate(
            cast=Count("pk"), unchecked=Count("pk", filter=awaiting), counted_area=Sum("voter__area", filter=~awaiting)
        )
    )
    return {r["motion__number"]: r for r in rows}


@dataclass
class Share:
    """part / whole as an exact fraction, shown both as the fraction and as a percentage."""

    part: Fraction
    whole: Fraction

    @property
    def value(self) -> Fraction | None:
        return Fraction(self.part) / Fraction(self.whole) if self.whole else None

    @property
    def fraction(self) -> str:
        value = self.value
        return (
            "—" if value is None else f"{value.numerator}/{value.denominator}" if value.denominator != 1 else str(value)
        )

    @property
    def percent(self) -> str:
        value = self.value
        return "—" if value is None else f"{float(value) * 100:.2f}%"

    @property
    def part_text(self) -> str:
        return decimal_string(Fraction(self.part))

    @property
    def whole_text(self) -> str:
        return decimal_string(Fraction(self.whole))


@dataclass
class Verdict:
    """Every number behind one verdict, for the result page and the API."""

    result: Result
    threshold: Threshold

    @property
    def area_turnout(self) -> Share:
        return Share(Fraction(self.result.participating_area), Fraction(self.result.total_area))

    @property
    def heads_turnout(self) -> Share:
        return Share(Fraction(self.result.participating_heads), Fraction(self.result.total_heads))

    @property
    def agree_area(self) -> Share:
        return Share(Fraction(self.result.agree_area), Fraction(self.result.participating_area))

    @property
    def agree_heads(self) -> Share:
        return Share(Fraction(self.result.agree_heads), Fraction(self.result.participating_heads))

    quorum = QUORUM_THRESHOLD

    def as_dict(self) -> dict:
        r = self.result
        return {
            "candidate": r.candidate_id,
            "total_area": str(r.total_area),
            "total_heads": r.total_heads,
            "participating_area": str(r.participating_area),
            "participating_heads": r.participating_heads,
            "quorum_met": r.quorum_met,
            "agree_area": str(r.agree_area),
            "agree_heads": r.agree_heads,
            "against_area": str(r.against_area),
            "against_heads": r.against_heads,
            "abstain_area": str(r.abstain_area),
            "abstain_heads": r.abstain_heads,
            "agree_area_share": self.agree_area.fraction,
            "agree_heads_share": self.agree_heads.fraction,
            "threshold": r.threshold,
            "passed": r.passed,
            "rank": r.rank,
            "elected": r.elected,
            "tie_note": r.tie_note,
        }


def results_of(meeting: GeneralMeeting) -> list[tuple[Motion, list[Verdict]]]:
    """[(motion, verdicts)] once counted: one verdict for a motion, one per candidate on an election motion."""
    results = Result.objects.filter(motion__meeting=meeting).select_related("candidate__person")
    by_motion: dict[int, list[Verdict]] = {}
    motions = list(motions_of(meeting))
    for result in results.order_by("motion__number", "rank", "candidate_id"):
        motion = next(m for m in motions if m.pk == result.motion_id)
        by_motion.setdefault(result.motion_id, []).append(Verdict(result, threshold_for(motion.matter)))
    for verdicts in by_motion.values():
        verdicts.sort(key=lambda v: (v.result.rank is None, v.result.rank or 0, v.result.candidate_id or 0))
    return [(m, by_motion.get(m.pk, [])) for m in motions]


def results_visible(*, viewer, meeting: GeneralMeeting) -> bool:
    """Staff see counted results at once; owners and residents once they are published."""
    return meeting.status == GeneralMeeting.Status.PUBLISHED or (
        meeting.status == GeneralMeeting.Status.COUNTED and is_staff_viewer(viewer, meeting.compound)
    )


# --- The same vote as `jiayuan tally` files -----------------------------------------------------------


def tally_files(meeting: GeneralMeeting, motion: Motion, candidate: Candidate | None = None):
    """(ROOMS rows, BALLOTS rows) in the columns `jiayuan tally` reads, for the frozen electorate and the counted
    ballots of `motion` (of one candidate, on an election motion). Owners are named "name-<id>" so names that
    repeat stay apart. Running `jiayuan tally` on them gives the web flow's verdict."""
    from .services.assembly import counted_ballots

    people = {
        f"p{m.person_id}": f"{m.person.name}-{m.person_id}"
        for m in VoterMember.objects.filter(meeting=meeting).select_related("person")
    }
    rooms = []
    for frozen in ElectorateRoom.objects.filter(meeting=meeting).order_by("label"):
        owners = [people.get(token, token) for token in frozen.owners.split(";")]
        rooms.append(
            {
                "room": frozen.label,
                "owner": ";".join(owners),
                "area": str(frozen.area),
                "area_source": frozen.area_source,
                "developer_unsold": "yes" if frozen.developer_unsold else "no",
            }
        )
    first_owner = {}
    for frozen in ElectorateRoom.objects.filter(meeting=meeting).order_by("voter_id", "label"):
        first_owner.setdefault(frozen.voter_id, people.get(frozen.owners.split(";")[0], frozen.owners.split(";")[0]))
    ballots = []
    for ballot in counted_ballots(motion).prefetch_related("candidate_choices").order_by("pk"):
        if candidate is None:
            choice = ballot.choice
        else:
            choice = next(
                (c.choice for c in ballot.candidate_choices.all() if c.candidate_id == candidate.pk),
                Ballot.Choice.ABSTAIN,
            )
        ballots.append({"owner": first_owner[ballot.voter_id], "choice": choice})
    return rooms, ballots
