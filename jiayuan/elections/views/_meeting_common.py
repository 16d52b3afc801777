"""What the general-meeting pages share: who runs the meeting, its motions and slates, the voting window, ballot lines."""

from __future__ import annotations

from django.http import Http404

from .. import rules, selectors, workflow
from ..forms.meetings import (
    threshold_text,
    threshold_words,
)
from ..models import Ballot, GeneralMeeting
from ..services import assembly

Status = GeneralMeeting.Status
Channel = Ballot.Channel
COMMITTEE_ROLES = ("committee_director", "committee_deputy", "committee_member")


# --- Helpers ----------------------------------------------------------------------------------------


def _may_run(viewer, meeting) -> bool:
    return rules.may_run_election(viewer, meeting.compound)


def _runner_meeting(request, pk) -> GeneralMeeting:
    """The meeting, for those who run its compound's election; 404 for anyone else."""
    meeting = selectors.meeting_get(viewer=request.user, pk=pk)
    if not _may_run(request.user, meeting):
        raise Http404
    return meeting


def _slates(motions) -> dict[int, list]:
    return {m.number: assembly.slate(m) for m in motions if m.is_election}


def _motions(meeting) -> tuple[list, dict[int, list]]:
    motions = list(selectors.motions_of(meeting).select_related("meeting__campaign"))
    slates = _slates(motions)
    for motion in motions:
        motion.threshold = threshold_text(motion.matter)
        motion.threshold_words = threshold_words(motion.matter)
        motion.slate = slates.get(motion.number, [])
    return motions, slates


def _window(meeting, now) -> str:
    """draft, before (announced, not yet open), open, closed."""
    if meeting.status == Status.DRAFT:
        return "draft"
    if workflow.MEETING.can(meeting.status, "cast"):
        if now < meeting.voting_opens:
            return "before"
        if now < meeting.voting_closes:
            return "open"
    return "closed"


def _ballot_line(ballot: Ballot, slate: list) -> dict:
    """What one ballot records, in words: a choice, or per choice the candidates on the election motion."""
    if not ballot.motion.is_election:
        return {"ballot": ballot, "choice": ballot.choice, "text": ballot.get_choice_display(), "groups": []}
    picked = {c.candidate_id: c.choice for c in ballot.candidate_choices.all()}
    groups = []
    for value, label in Ballot.Choice.choices:
        names = [c.person.name for c in slate if picked.get(c.pk, Ballot.Choice.ABSTAIN) == value]
        if names:
            groups.append({"choice": value, "label": label, "names": names})
    return {
        "ballot": ballot,
        "choice": "",
        "text": "",
        "groups": groups,
        "candidates": [(c, picked.get(c.pk, Ballot.Choice.ABSTAIN)) for c in slate],
    }


def _user_name(user) -> str:
    if user is None:
        return ""
    return user.person.name if user.person_id else user.username


def _errors_of(form) -> list[str]:
    """Every message of a refused form, for showing where its fields are not on the page."""
    if form is None or not form.is_bound:
        return []
    found = list(form.non_field_errors())
    for name in form.fields:
        found += [e for e in form[name].errors if e not in found]
    for extra in getattr(form, "group_errors", {}).values():
        found += [e for e in extra if e not in found]
    return found
