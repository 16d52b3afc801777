"""The staff's meeting pages (views/meeting_staff.py): a paper ballot corrected with an audited reason, and
an online ballot that cannot be opened for correction."""

from django.urls import reverse

from jiayuan.core.models import AuditEntry
from jiayuan.elections.models import Ballot
from jiayuan.elections.services import assembly

from .common import OPENS, at, cast, paper_data


def test_a_correction_is_audited_and_the_paper_ballot_must_be_checked_again(ew, voting, clock, login):
    clock(at(OPENS, 12))
    w = ew.world
    clerk = login(w.users["community_secretary"])
    clerk.post(reverse("elections:paper_ballot_enter", args=[voting.pk]), paper_data(voting, lift="agree"))
    assembly.paper_ballot_check(actor=w.users["branch_secretary"], meeting=voting, paper_number="P-001")
    ballot = Ballot.objects.get(motion__meeting=voting, paper_number="P-001", motion__number=2)
    url = reverse("elections:ballot_correct", args=[voting.pk, ballot.pk])
    assert clerk.get(url).status_code == 200
    missing = clerk.post(url, {"motion_2": "against", "reason": ""})
    assert missing.status_code == 422 and "This field is required." in missing.content.decode()
    response = clerk.post(url, {"motion_2": "against", "reason": "录入时误选同意，对照纸质选票更正"})
    assert response.status_code == 302
    ballot.refresh_from_db()
    assert ballot.choice == "against" and ballot.checked_by is None
    entry = AuditEntry.objects.filter(object_type__icontains="ballot", object_id=str(ballot.pk)).latest("pk")
    assert entry.note == "录入时误选同意，对照纸质选票更正"
    assert entry.before["choice"] == "agree" and entry.after["choice"] == "against"


def test_an_online_ballot_cannot_be_opened_for_correction(ew, voting, clock, login):
    clock(at(OPENS, 9))
    ballot = cast(voting, ew.owners[0], agree=voting.slate[:1])[0]
    clerk = login(ew.world.users["community_secretary"])
    assert clerk.get(reverse("elections:ballot_correct", args=[voting.pk, ballot.pk])).status_code == 404
