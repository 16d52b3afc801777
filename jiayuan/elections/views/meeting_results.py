"""Results and the tally files."""

from __future__ import annotations

import csv
from fractions import Fraction
from types import SimpleNamespace

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from jiayuan.core.pdf import pdf_response
from jiayuan.core.spreadsheets import safe_cell

from .. import selectors, wording
from ..files import BALLOT_COLUMNS, ROOM_COLUMNS
from ..forms.meetings import (
    threshold_text,
    threshold_words,
)
from ..models import Ballot
from ..services import assembly
from ..tally import QUORUM_THRESHOLD
from ._meeting_common import _may_run, _runner_meeting

# --- Results and the tally files -----------------------------------------------------------------------


def _share_row(share, threshold) -> SimpleNamespace:
    return SimpleNamespace(share=share, met=threshold.met(share.part, share.whole) if share.whole else False)


def _explained(verdict) -> SimpleNamespace:
    """One verdict with each share and whether it meets its bound."""
    result = verdict.result
    return SimpleNamespace(
        verdict=verdict,
        result=result,
        candidate=result.candidate,
        area_turnout=_share_row(verdict.area_turnout, QUORUM_THRESHOLD),
        heads_turnout=_share_row(verdict.heads_turnout, QUORUM_THRESHOLD),
        agree_area=_share_row(verdict.agree_area, verdict.threshold),
        agree_heads=_share_row(verdict.agree_heads, verdict.threshold),
        against_area=selectors.Share(Fraction(result.against_area), Fraction(result.participating_area)),
        against_heads=selectors.Share(Fraction(result.against_heads), Fraction(result.participating_heads)),
        abstain_area=selectors.Share(Fraction(result.abstain_area), Fraction(result.participating_area)),
        abstain_heads=selectors.Share(Fraction(result.abstain_heads), Fraction(result.participating_heads)),
    )


def _counted_motions(meeting) -> list:
    """Each counted motion with its verdicts explained and in words."""
    motions = []
    for motion, verdicts in selectors.results_of(meeting):
        motion.threshold = threshold_text(motion.matter)
        motion.threshold_words = threshold_words(motion.matter)
        explained = [_explained(v) for v in verdicts]
        motion.explained = explained
        motion.main = explained[0] if explained else None
        motion.elected_count = sum(1 for e in explained if e.result.elected)
        motion.words = wording.motion_words(motion)
        motions.append(motion)
    return motions


@login_required
def meeting_results(request, pk):
    viewer = request.user
    meeting = selectors.meeting_get(viewer=viewer, pk=pk)
    visible = selectors.results_visible(viewer=viewer, meeting=meeting)
    may_run = _may_run(viewer, meeting)
    motions = _counted_motions(meeting) if visible else []
    plain = [m for m in motions if m.main is not None and not m.is_election]
    chart = (
        {
            "motions": [f"{m.number}. {m.title}" for m in plain],
            "agree": [m.main.result.agree_heads for m in plain],
            "against": [m.main.result.against_heads for m in plain],
            "abstain": [m.main.result.abstain_heads for m in plain],
            "labels": {value: str(label) for value, label in Ballot.Choice.choices},
        }
        if plain
        else None
    )
    return render(
        request,
        "elections/result_detail.html",
        {
            "meeting": meeting,
            "visible": visible,
            "may_run": may_run,
            "motions": motions,
            "seats": meeting.campaign.seats if meeting.campaign_id else None,
            "quorum": f"≥ {QUORUM_THRESHOLD.fraction}",
            "chart": chart,
        },
    )


@login_required
def meeting_results_notice(request, pk):
    """The results notice (公告) as a PDF for the compound's board: once the results are visible to the viewer."""
    meeting = selectors.meeting_get(viewer=request.user, pk=pk)
    if not selectors.results_visible(viewer=request.user, meeting=meeting):
        raise Http404
    context = {"meeting": meeting, "motions": _counted_motions(meeting), "today": timezone.localdate()}
    return pdf_response(
        "elections/notices/results.html", context, filename=f"meeting{meeting.pk}-results.pdf", request=request
    )


@login_required
def meeting_tally_files(request, pk, number, kind):
    """The ROOMS or BALLOTS file of one motion (of one candidate, on the election motion) for `jiayuan tally`.
    The ballots file names each owner's choice, so only those who run the election may download it."""
    meeting = _runner_meeting(request, pk)
    if kind not in ("rooms", "ballots") or not selectors.results_visible(viewer=request.user, meeting=meeting):
        raise Http404
    motion = get_object_or_404(selectors.motions_of(meeting), number=number)
    candidate = None
    wanted = request.GET.get("candidate", "")
    if motion.is_election and (kind == "ballots" or wanted):
        slate = {str(c.pk): c for c in assembly.slate(motion)}
        if wanted not in slate:
            raise Http404
        candidate = slate[wanted]
    rooms, ballots = selectors.tally_files(meeting, motion, candidate)
    rows, columns = (rooms, ROOM_COLUMNS) if kind == "rooms" else (ballots, BALLOT_COLUMNS)
    name = f"meeting{meeting.pk}-motion{motion.number}" + (f"-candidate{candidate.pk}" if candidate else "")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-{kind}.csv"'
    response.write("\ufeff")  # so that Excel reads the Chinese names as UTF-8; `jiayuan tally` accepts the BOM
    writer = csv.DictWriter(response, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows({key: safe_cell(value) for key, value in row.items()} for row in rows)
    return response
