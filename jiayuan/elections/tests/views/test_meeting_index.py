"""Calling a general meeting from its form (views/meeting_index.py), then adding a motion and announcing it.
The clock of the pages is frozen by replacing django.utils.timezone.now."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from jiayuan.elections.models import GeneralMeeting

from .common import DAY, OPENS, at, detail


def test_staff_call_the_election_meeting_add_a_motion_and_announce_it(ew, campaign, clock, login):
    clock(at(DAY + dt.timedelta(days=20), 9))
    w = ew.world
    clerk = login(w.users["community_secretary"])
    url = reverse("elections:meeting_create") + f"?campaign={campaign.pk}"
    form = clerk.get(url)
    assert form.status_code == 200
    html = form.content.decode()
    assert f'<option value="{campaign.pk}" selected>' in html
    assert f'<option value="{w.compound_a.pk}" selected>' in html
    data = {
        "campaign": campaign.pk,
        "compound": w.compound_a.pk,
        "title": "第二届业委会选举大会",
        "voting_opens": "2026-04-01T08:00",
        "voting_closes": "2026-03-30T18:00",
        "place": "物业服务中心",
    }
    bad = clerk.post(url, data)
    assert bad.status_code == 422
    closes_field = bad.content.decode().split('for="id_voting_closes"')[1].split("</div>")[0]
    assert "Voting must close after it opens." in closes_field
    assert not GeneralMeeting.objects.filter(campaign=campaign).exists()
    response = clerk.post(url, {**data, "voting_closes": "2026-04-03T18:00"})
    assert response.status_code == 302
    meeting = GeneralMeeting.objects.get(campaign=campaign)
    assert timezone.localtime(meeting.voting_opens) == at(OPENS, 8)
    assert list(meeting.motions.values_list("number", "is_election")) == [(1, True)]

    added = clerk.post(
        reverse("elections:motion_add", args=[meeting.pk]), {"matter": 8, "title": "利用架空层开设便民超市", "text": ""}
    )
    assert added.status_code == 302
    assert meeting.motions.get(number=2).matter == 8
    page = clerk.get(detail(meeting)).content.decode()
    assert "passes with ≥ 3/4" in page or "passes with <strong>≥ 3/4</strong>" in page

    late = clerk.post(
        reverse("elections:meeting_announce", args=[meeting.pk]), {"on": (DAY + dt.timedelta(days=20)).isoformat()}
    )
    assert late.status_code == 422
    assert "A general meeting is announced at least 15 days ahead" in late.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == "draft" and not meeting.voters.exists()
    ahead = clerk.post(
        reverse("elections:meeting_announce", args=[meeting.pk]), {"on": (DAY + dt.timedelta(days=25)).isoformat()}
    )
    assert ahead.status_code == 422 and "a day still to come" in ahead.content.decode()
    done = clerk.post(
        reverse("elections:meeting_announce", args=[meeting.pk]), {"on": (DAY + dt.timedelta(days=10)).isoformat()}
    )
    assert done.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == "announced" and meeting.total_heads == 16
    page = clerk.get(detail(meeting)).content.decode()
    assert 'data-testid="electorate-link"' in page
    electorate = clerk.get(reverse("elections:meeting_electorate", args=[meeting.pk]))
    assert electorate.status_code == 200 and "16 voters" in electorate.content.decode()
    assert "2号楼 1单元 101" in electorate.content.decode()
