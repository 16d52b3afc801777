"""The demo city: built once for this module, then checked against the reports' figures."""

from fractions import Fraction

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone, translation

from jiayuan import demo
from jiayuan.core.identity import validate_id_number
from jiayuan.core.models import User
from jiayuan.core.scope import CITY, COMMUNITY, COMPOUND, DEPARTMENT, RESIDENT, TOWN, scope_for
from jiayuan.dashboard.selectors import coverage_report
from jiayuan.organisations.models import Organisation, Post
from jiayuan.people.models import Ownership, PartyMembership, Person, Residency
from jiayuan.places.models import City, Community, Compound

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

PASSWORD = "demo-test-2026"
EXPECTED_SCOPE = {
    "admin": (CITY, None),
    "qingyang": (TOWN, "青阳街道"),
    "qinghua": (COMMUNITY, "青华社区"),
    "jinli-secretary": (COMPOUND, "金利花园"),
    "jinli-director": (COMPOUND, "金利花园"),
    "jinli-manager": (COMPOUND, "金利花园"),
    "jinli-louzhang": (COMPOUND, "金利花园"),
    "zhujian": (DEPARTMENT, "晋江市住建局"),
    "resident": (RESIDENT, "金利花园"),
    "shuiwu": (DEPARTMENT, "晋江市水务局"),  # added by the appeals' demo, to finish the leaking-pipe story
    "jinxin": (COMMUNITY, "晋新社区"),  # added by the elections' demo: runs 宝龙世家's re-election
    "shencha-gongan": (DEPARTMENT, "晋江市公安局"),  # one of the reviewers of the joint qualification review
}


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    """The demo city with the default seed, built once and rolled back after the module."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield demo.build_demo(seed=demo.DEFAULT_SEED, password=PASSWORD)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


# First in the file on purpose: it must run before the module's demo city is built.
def test_the_demo_refuses_a_database_that_holds_other_data(db):
    City.objects.create(code="350581", name="石狮市")
    with translation.override("en"), pytest.raises(CommandError, match="not the demo city"):
        call_command("demo")
    assert not Compound.objects.exists()


def test_the_demo_reproduces_the_report_figures_through_the_dashboard_queries(built):
    figures = demo.coverage_figures(viewer=User.objects.get(username="admin"), day=timezone.localdate())
    assert figures["compounds"] == 347
    assert figures["party_org_coverage"] == Fraction(1)
    assert figures["committee_formation"] == Fraction(1)
    assert figures["yijiantiao_compounds"] == 59
    assert figures["two_committee_post_holders"] == 138
    assert figures["building_heads"] == 1612
    assert figures["party_venues"] == 288
    assert Organisation.objects.filter(kind=Organisation.Kind.COMPOUND_BRANCH).count() == 288
    assert Organisation.objects.filter(kind=Organisation.Kind.DEPARTMENT).count() == 82


def test_the_demo_has_the_real_towns_and_the_compounds_the_reports_name(built):
    towns = Compound.objects.values_list("community__town__name", flat=True).distinct()
    assert len(set(towns)) == 19
    baolong = Compound.objects.get(name="宝龙世家")
    assert (baolong.community.name, baolong.community.town.name) == ("晋新社区", "新塘街道")
    assert Compound.objects.get(name="竹园小区").year_built <= timezone.localdate().year - 20
    assert Compound.objects.get(name="金利花园").community.name == "青华社区"
    jinxin = coverage_report(
        viewer=User.objects.get(username="admin"),
        region=Community.objects.get(name="晋新社区"),
        day=timezone.localdate(),
    ).total
    assert (jinxin.compounds, jinxin.red_committees) == (4, 4)


@pytest.mark.parametrize("username", EXPECTED_SCOPE)
def test_every_demo_login_gets_the_scope_of_its_role(built, username):
    user = User.objects.get(username=username)
    role, place = EXPECTED_SCOPE[username]
    assert user.check_password(PASSWORD)
    assert scope_for(user).role == role
    if place is not None:
        assert place in demo.describe_scope(scope_for(user))


def test_every_stored_id_number_is_valid_and_unique(built):
    numbers = [person.id_number for person in Person.objects.only("id_number")]
    assert len(numbers) == len(set(numbers)) > 20_000
    assert all(validate_id_number(number) == number for number in numbers)


def test_every_building_head_is_a_party_member_living_in_the_compound(built):
    today = timezone.localdate()
    heads = Post.objects.filter(role=Post.Role.BUILDING_HEAD, end_date__isnull=True).values_list(
        "person_id", "building__compound_id"
    )
    members = set(PartyMembership.objects.values_list("person_id", flat=True))
    living = set(
        Ownership.objects.filter(end_date__isnull=True, person__isnull=False).values_list(
            "person_id", "room__unit__building__compound_id"
        )
    )
    living |= set(
        Residency.objects.filter(end_date__isnull=True).values_list("person_id", "room__unit__building__compound_id")
    )
    assert len(heads) == 1612
    assert all(person in members for person, _ in heads)
    assert all((person, compound) in living for person, compound in heads)
    committees = Organisation.objects.active_on(today).filter(kind=Organisation.Kind.OWNERS_COMMITTEE)
    for committee in committees.filter(pk__in=committees.values("pk")[:40]):
        assert committee.posts.filter(end_date__isnull=True).count() == committee.seats


def test_the_same_seed_plans_the_same_city(built):
    again = demo.plan_demo(seed=demo.DEFAULT_SEED)
    assert again.fingerprint() == built.fingerprint
    stored = list(Compound.objects.order_by("code").values_list("code", "name"))
    assert stored == sorted((c.code, c.name) for c in again.compounds)


def test_running_the_demo_again_reports_it_present_and_builds_nothing(built, capsys):
    compounds = Compound.objects.count()
    with translation.override("en"):
        call_command("demo", password=PASSWORD)
    output = capsys.readouterr().out
    assert "demo city already present" in output
    assert "jinli-secretary" in output and PASSWORD in output
    assert [login.username for login in demo.demo_logins()][-8:-6] == ["shuiwu", "jinxin"]
    shuiwu = next(line for line in output.splitlines() if line.strip().startswith("shuiwu "))
    assert PASSWORD in shuiwu and "晋江市水务局" in shuiwu
    assert Compound.objects.count() == compounds


def test_the_build_counts_the_appeals_and_their_events_and_the_command_prints_them(built, capsys, monkeypatch):
    from jiayuan.appeals.models import Appeal, AppealEvent

    assert built.counts["appeals.appeal"] == Appeal.objects.count() > 3000
    assert built.counts["appeals.appealevent"] == AppealEvent.objects.count() > built.counts["appeals.appeal"]
    monkeypatch.setattr(demo, "demo_present", lambda: False)
    monkeypatch.setattr(demo, "database_empty", lambda: True)
    monkeypatch.setattr(demo, "build_demo", lambda **options: built)
    with translation.override("en"):
        call_command("demo", password=PASSWORD)
    output = capsys.readouterr().out
    built_line = next(line for line in output.splitlines() if line.startswith("Built in"))
    assert f"appeals {built.counts['appeals.appeal']}、" in built_line
    assert f"appeal events {built.counts['appeals.appealevent']}" in built_line
    assert "  Party organisation coverage  " in output
    with translation.override("zh-hans"):  # the interface's language, as `make demo` prints it
        call_command("demo", password=PASSWORD)
    output = capsys.readouterr().out
    assert f"诉求 {built.counts['appeals.appeal']}、" in output and "  党组织覆盖率  " in output
    assert "appeal" not in output and "party_org_coverage" not in output


def test_the_demo_re_election_is_published_and_its_committee_is_on_the_coverage_dashboard(built):
    from jiayuan.elections.models import Campaign, GeneralMeeting, Result, Review

    campaign = Campaign.objects.get(compound__name="宝龙世家")
    assert campaign.status == "elected"
    assert Review.objects.filter(candidate__campaign=campaign).values("body").distinct().count() == 9
    meeting = GeneralMeeting.objects.get(campaign=campaign)
    assert meeting.status == "published"
    elected = Result.objects.filter(motion__meeting=meeting, elected=True)
    assert elected.count() == campaign.seats and all(r.quorum_met and r.passed for r in elected)
    committee = campaign.committee
    today = timezone.localdate()
    current = Organisation.objects.active_on(today).filter(kind="owners_committee", compounds__name="宝龙世家")
    assert list(current) == [committee]
    seated = set(Post.objects.filter(organisation=committee, end_date__isnull=True).values_list("person_id", flat=True))
    assert seated == set(elected.values_list("candidate__person_id", flat=True))
    assert Post.objects.get(organisation=committee, role="committee_director", end_date__isnull=True)
    compound = Compound.objects.get(name="宝龙世家")
    report = coverage_report(viewer=User.objects.get(username="admin"), region=compound.community, day=today)
    assert report.total.committee_compounds == report.total.compounds


def test_the_demo_leaves_a_review_queue_and_an_open_vote_for_the_personas(built):
    from jiayuan.elections import selectors

    zhujian = User.objects.get(username="zhujian")
    assert (
        selectors.review_queue(viewer=zhujian, pending_only=True)
        .filter(candidate__campaign__compound__name="金利花园")
        .exists()
    )
    resident = User.objects.get(username="resident")
    meeting = selectors.meeting_list(viewer=resident).get(status="announced")
    assert selectors.membership(meeting, resident) is not None
    assert meeting.voting_opens <= timezone.now() < meeting.voting_closes


def test_the_demo_committees_have_filed_except_the_one_just_elected(built):
    from jiayuan.committees import selectors as committee_selectors
    from jiayuan.committees.models import RectificationTask

    admin = User.objects.get(username="admin")
    filings = committee_selectors.filing_overview(viewer=admin)
    assert [c.name for c in filings["due"]] == ["宝龙世家第二届业主委员会"]
    assert not filings["overdue"].exists()
    assert RectificationTask.objects.filter(done_on__isnull=True, committee__compounds__name="金利花园").exists()


def test_jiayuan_tally_on_the_demo_meetings_files_gives_the_published_verdicts(built, tmp_path, keep_connections):
    import csv
    import json
    from io import StringIO

    from jiayuan.elections import selectors
    from jiayuan.elections.models import GeneralMeeting, Result

    meeting = GeneralMeeting.objects.get(compound__name="宝龙世家", status="published")
    checked = 0
    for result in Result.objects.filter(motion__meeting=meeting).select_related("motion", "candidate"):
        rooms, ballots = selectors.tally_files(meeting, result.motion, result.candidate)
        paths = {}
        for name, rows in (("rooms", rooms), ("ballots", ballots)):
            paths[name] = tmp_path / f"{name}.csv"
            with paths[name].open("w", newline="", encoding="utf-8") as handle:
                writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
                writer.writeheader()
                writer.writerows(rows)
        out = StringIO()
        call_command(
            "tally",
            rooms=paths["rooms"],
            ballots=paths["ballots"],
            matter=result.motion.matter,
            as_json=True,
            stdout=out,
        )
        printed = json.loads(out.getvalue())
        assert (printed["passed"], printed["quorum_met"]) == (result.passed, result.quorum_met)
        assert (printed["total_heads"], printed["participating_heads"], printed["agree_heads"]) == (
            result.total_heads,
            result.participating_heads,
            result.agree_heads,
        )
        checked += 1
    assert checked == Result.objects.filter(motion__meeting=meeting).count() > 10
