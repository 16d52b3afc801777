"""`jiayuan bench elections` runs end to end on a small compound and leaves the database as it was."""

from io import StringIO

import pytest
from django.core.management import call_command

from jiayuan.bench import elections as bench
from jiayuan.elections.models import Ballot, GeneralMeeting, Result
from jiayuan.places.models import Room

pytestmark = pytest.mark.django_db


def test_the_benchmark_counts_a_meeting_and_rolls_everything_back():
    figures = bench.run(rooms=120, candidates=7, seats=5)
    assert figures.rooms == 120 and 0 < figures.voters < 120 and figures.ballots > 0
    assert figures.count_s > 0 and figures.baseline_s > 0 and figures.ratio > 0
    assert not (
        GeneralMeeting.objects.exists() or Ballot.objects.exists() or Result.objects.exists() or Room.objects.exists()
    )


def test_the_command_prints_the_figures_and_the_ratio(keep_connections):
    out = StringIO()
    call_command("bench", "elections", rooms=80, stdout=out)
    text = out.getvalue()
    assert "80 rooms" in text and "count / baseline" in text
