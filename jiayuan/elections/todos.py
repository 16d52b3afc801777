"""What is waiting in elections for a viewer, for the workbench: the reviews in the queue of the bodies they act
for, objections to answer and paper ballots to check in the elections they run, and the votes open to them as an
owner, with the quorum the vote needs (Civil Code art. 278: owners holding 2/3 of the area and 2/3 of the owners
take part).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiayuan.core.scope import scope_for
from jiayuan.core.workbench import Group, Todo, group

from . import rules, selectors
from .models import Ballot, Campaign, Candidate, GeneralMeeting, Objection, Review


def _review_todo(review: Review) -> Todo:
    candidate = review.candidate
    campaign = candidate.campaign
    return Todo(
        title=f"{candidate.person.name} · {review.body.name}",
        url=reverse("elections:review_record", args=[review.pk]),
        detail=f"{campaign.compound.name} · {campaign.get_kind_display()}",
    )


def _objection_todo(objection: Objection) -> Todo:
    campaign = objection.candidate.campaign
    return Todo(
        title=_("Objection to %(name)s") % {"name": objection.candidate.person.name},
        url=reverse("elections:campaign_detail", args=[campaign.pk]) + f"#objection-{objection.pk}",
        due=campaign.notice_ends,
        detail=campaign.compound.name,
        note=_("every objection is answered before the campaign meeting"),
    )


def _papers_todo(meeting: GeneralMeeting) -> Todo:
    return Todo(
        title=_("%(count)s paper ballots of “%(title)s” to check")
        % {"count": meeting.unchecked_papers, "title": meeting.title},
        url=reverse("elections:meeting_ballots", args=[meeting.pk]) + "?channel=paper",
        due=timezone.localdate(meeting.voting_closes),
        detail=meeting.compound.name,
        note=_("a second person checks each paper ballot; nobody checks one they entered"),
    )


def _vote_todo(viewer):
    def to_todo(meeting: GeneralMeeting) -> Todo:
        return Todo(
            title=meeting.title,
            url=reverse("elections:meeting_vote", args=[meeting.pk]),
            due=timezone.localdate(meeting.voting_closes),
            detail=_("%(compound)s · voting closes %(closes)s · you have voted on %(done)s of %(motions)s motions")
            % {
                "compound": meeting.compound.name,
                "closes": timezone.localtime(meeting.voting_closes).strftime("%Y-%m-%d %H:%M"),
                "done": meeting.voted,
                "motions": meeting.motion_count,
            },
            note=_(
                "The vote counts only if owners holding at least 2/3 of the area, and at least 2/3 of the owners, "
                "take part."
            ),
        )

    return to_todo


def _runs_elections(viewer) -> bool:
    """Runs the elections of some compound: the city, a town, a community, or a compound's party branch."""
    scope = scope_for(viewer)
    return scope.oversees_places or bool(scope.branch_compound_ids)


def todos(viewer, today: dt.date) -> list[Group | None]:
    groups: list[Group | None] = [
        group(
            "elections.reviews",
            gettext_lazy("Candidates to review"),
            selectors.review_queue(viewer=viewer, pending_only=True),
            _review_todo,
            more_url=reverse("elections:review_queue"),
            hint=gettext_lazy("pass or fail each candidate for your body"),
        )
    ]
    if _runs_elections(viewer):
        running = rules.running_compounds_q(viewer, "candidate__campaign__compound__")
        groups.append(
            group(
                "elections.objections",
                gettext_lazy("Objections to answer"),
                Objection.objects.filter(
                    running,
                    answered_at__isnull=True,
                    candidate__campaign__status=Campaign.Status.NOTICE,
                    candidate__status=Candidate.Status.ON_SLATE,
                )
                .select_related("candidate__person", "candidate__campaign__compound")
                .order_by("candidate__campaign__notice_ends", "lodged_at", "id"),
                _objection_todo,
            )
        )
        papers = Ballot.objects.filter(channel=Ballot.Channel.PAPER, checked_by__isnull=True).exclude(entered_by=viewer)
        groups.append(
            group(
                "elections.ballots",
                gettext_lazy("Paper ballots to check"),
                GeneralMeeting.objects.filter(
                    rules.running_compounds_q(viewer, "compound__"),
                    status=GeneralMeeting.Status.ANNOUNCED,
                    motions__ballots__in=papers,
                )
                .annotate(
                    unchecked_papers=Count(
                        "motions__ballots__paper_number", distinct=True, filter=Q(motions__ballots__in=papers)
                    )
                )
                .select_related("compound")
                .order_by("voting_closes", "id"),
                _papers_todo,
            )
        )
    votes = selectors.open_votes(viewer=viewer).annotate(
        motion_count=Count("motions", distinct=True),
        voted=Count(
            "motions__ballots",
            distinct=True,
            filter=Q(motions__ballots__voter__members__person_id=viewer.person_id),
        ),
    )
    groups.append(
        group(
            "elections.votes",
            gettext_lazy("Votes open to you"),
            votes.distinct(),
            _vote_todo(viewer),
            more_url=reverse("elections:meeting_list"),
            hint=gettext_lazy("vote online before the window closes"),
        )
    )
    return groups
