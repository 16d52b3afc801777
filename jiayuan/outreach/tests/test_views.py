"""The outreach pages: who may open which, scoping of lists and details, masked phones, forms through the services."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from jiayuan.appeals.models import Appeal
from jiayuan.outreach import services
from jiayuan.outreach.models import Dispute, ServiceRecord, Visitor
from jiayuan.testing import PERSONAS, START

pytestmark = pytest.mark.django_db
STAFF = (
    "city_admin",
    "town_clerk",
    "community_secretary",
    "branch_secretary",
    "committee_director",
    "property_manager",
    "building_head",
)


def url(name, *args):
    return reverse(f"outreach:{name}", args=args)


def expected(persona, allowed):
    return 200 if persona in allowed else 404


# --- who may open which page ------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    "page", ["session_list", "session_create", "service_list", "service_create", "dispute_list", "dispute_create"]
)
def test_staff_registers_open_for_staff_only(as_role, world, persona, page):
    assert as_role(persona).get(url(page)).status_code == expected(persona, STAFF)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", ["index", "link_list"])
def test_the_overview_and_links_open_for_staff_and_department_staff(as_role, world, persona, page):
    assert as_role(persona).get(url(page)).status_code == expected(persona, (*STAFF, "department_staff"))


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_city_and_towns_link_departments(as_role, world, persona):
    assert as_role(persona).get(url("link_create")).status_code == expected(persona, ("city_admin", "town_clerk"))


def test_anonymous_visitors_are_sent_to_login(client, world):
    response = client.get(url("session_list"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_main_menu_shows_outreach_to_staff_and_departments_only(as_role, world):
    link = f'href="{url("index")}"'
    assert link in as_role("town_clerk").get(reverse("home"), follow=True).content.decode()
    assert link in as_role("department_staff").get(reverse("home"), follow=True).content.decode()
    assert link not in as_role("resident").get(reverse("home"), follow=True).content.decode()


# --- reception days -----------------------------------------------------------------------------------


@pytest.fixture
def sessions(world, schedule, category):
    """A session in 金利花园 (Qingyang) with a visitor and an issue, and one in 南天裕 (Chidian)."""
    mine = schedule()
    services.visitor_log(actor=None, session=mine, name="蔡阿姨", phone="13912345678", people_count=2)
    services.reception_issue_raise(
        actor=world.users["branch_secretary"],
        session=mine,
        category=category,
        title="电梯停运",
        description="3号楼电梯停运一周",
    )
    chidian = schedule(compound=world.compound_b, leader=world.people["city_admin"])
    return mine, chidian


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_session_page_opens_only_within_the_viewers_scope(as_role, world, sessions, persona):
    mine, chidian = sessions
    assert as_role(persona).get(url("session_detail", mine.pk)).status_code == expected(persona, STAFF)
    assert as_role(persona).get(url("session_detail", chidian.pk)).status_code == expected(persona, ("city_admin",))


def test_the_session_list_holds_only_sessions_in_scope_with_their_counts(as_role, world, sessions):
    response = as_role("town_clerk").get(url("session_list"))
    rows = list(response.context["page_obj"])
    assert [(s.compound.name, s.visitor_count, s.issue_count, s.accepted_count) for s in rows] == [
        ("金利花园", 2, 1, 0)
    ]
    assert [(t.town.name, t.sessions, t.visitors) for t in response.context["towns"]] == [("青阳街道", 1, 2)]
    admin = as_role("city_admin").get(url("session_list"), {"town": world.chidian.pk})
    assert [s.compound.name for s in admin.context["page_obj"]] == ["南天裕"]


def test_visitor_phones_are_masked_for_everyone_but_the_city_administrator(as_role, world, sessions):
    mine, _ = sessions
    masked = Visitor.objects.get(session=mine).masked_phone
    for persona in ("town_clerk", "branch_secretary"):
        html = as_role(persona).get(url("session_detail", mine.pk)).content.decode()
        assert masked in html and "13912345678" not in html
    html = as_role("city_admin").get(url("session_detail", mine.pk)).content.decode()
    assert "13912345678" in html


def test_logging_a_visitor_with_a_bad_phone_shows_the_error_and_saves_nothing(as_role, world, sessions):
    mine, _ = sessions
    response = as_role("branch_secretary").post(
        url("visitor_add", mine.pk), {"name": "林先生", "phone": "123", "people_count": 1}
    )
    assert response.status_code == 422
    assert response.context["visitor_form"].errors["phone"]
    assert Visitor.objects.filter(session=mine).count() == 1


def test_an_issue_entered_on_the_session_page_becomes_an_appeal(as_role, world, sessions, category):
    mine, _ = sessions
    visitor = Visitor.objects.get(session=mine)
    response = as_role("town_clerk").post(
        url("issue_add", mine.pk),
        {"visitor": visitor.pk, "category": category.pk, "title": "车位被占", "description": "消防通道被占用"},
    )
    assert response.status_code == 302
    appeal = Appeal.objects.get(title="车位被占")
    assert (appeal.channel, appeal.contact_name, appeal.reception_issue.session) == ("reception", "蔡阿姨", mine)


def test_a_session_is_scheduled_through_the_form(as_role, world, last_week):
    response = as_role("town_clerk").post(
        url("session_create"),
        {
            "leader": world.people["town_clerk"].pk,
            "compound": world.compound_a.pk,
            "organiser": world.town_office.pk,
            "held_on": last_week.isoformat(),
            "starts_at": "14:00",
            "ends_at": "13:00",
            "place": "社区服务中心",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["ends_at"]
    response = as_role("town_clerk").post(
        url("session_create"),
        {
            "leader": world.people["town_clerk"].pk,
            "compound": world.compound_a.pk,
            "organiser": world.town_office.pk,
            "held_on": last_week.isoformat(),
            "starts_at": "14:00",
            "ends_at": "16:00",
            "place": "社区服务中心",
        },
    )
    assert response.status_code == 302


# --- linked departments ------------------------------------------------------------------------------------


@pytest.fixture
def links(world, other_department, category):
    """住建局 ↔ 金利花园 (with one open appeal), 水务局 ↔ 南天裕."""
    mine = services.department_link_create(
        actor=None, department=world.department, compound=world.compound_a, start_date=START
    )
    services.department_action_record(
        actor=None,
        link=mine,
        done_on=timezone.localdate() - dt.timedelta(days=3),
        description="现场协调外墙维修",
        done_by="张科员",
    )
    from jiayuan.appeals.services import appeal_submit

    appeal_submit(
        actor=None, channel="hotline", category=category, title="外墙脱落", description="d", compound=world.compound_a
    )
    chidian = services.department_link_create(
        actor=None, department=other_department, compound=world.compound_b, start_date=START
    )
    return mine, chidian


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_link_page_opens_for_its_department_and_staff_over_its_compound(as_role, world, links, persona):
    mine, chidian = links
    assert as_role(persona).get(url("link_detail", mine.pk)).status_code == expected(
        persona, (*STAFF, "department_staff")
    )
    assert as_role(persona).get(url("link_detail", chidian.pk)).status_code == expected(persona, ("city_admin",))


def test_the_link_page_shows_the_departments_actions_and_the_compounds_open_appeals(as_role, world, links):
    mine, _ = links
    response = as_role("community_secretary").get(url("link_detail", mine.pk))
    assert [a.description for a in response.context["actions"]] == ["现场协调外墙维修"]
    assert [a.title for a in response.context["appeals"]] == ["外墙脱落"]
    assert response.context["may_log"] and not response.context["may_end"]


def test_department_staff_see_the_links_of_their_department_only(as_role, world, links):
    response = as_role("department_staff").get(url("link_list"))
    assert [link.compound.name for link in response.context["page_obj"]] == ["金利花园"]


def test_department_staff_record_an_action_on_their_link_page(as_role, world, links):
    mine, _ = links
    client = as_role("department_staff")
    response = client.post(
        url("action_add", mine.pk), {"done_on": "2023-01-01", "done_by": "张科员", "description": "x"}
    )
    assert response.status_code == 422 and response.context["action_form"].errors["done_on"]
    response = client.post(
        url("action_add", mine.pk),
        {"done_on": timezone.localdate().isoformat(), "done_by": "张科员", "description": "清理楼道杂物"},
    )
    assert response.status_code == 302
    assert mine.actions.count() == 2


def test_a_second_link_for_a_compound_is_refused_on_the_form(as_role, world, links, other_department):
    response = as_role("city_admin").post(
        url("link_create"),
        {
            "department": other_department.pk,
            "compound": world.compound_a.pk,
            "start_date": "2025-01-01",
            "reason": "poorly_managed",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "compound" in errors and "department" in errors


# --- service log and dispute register -----------------------------------------------------------------------


def test_service_is_logged_through_the_form_and_summed_on_the_list(as_role, world, in_service_member, last_week):
    client = as_role("branch_secretary")
    response = client.post(
        url("service_create"),
        {"member": in_service_member.pk, "served_on": last_week.isoformat(), "hours": "0", "kind": "health_talk"},
    )
    assert response.status_code == 200 and response.context["form"].errors["hours"]
    response = client.post(
        url("service_create"),
        {
            "member": in_service_member.pk,
            "served_on": last_week.isoformat(),
            "hours": "2.5",
            "kind": "health_talk",
            "description": "义诊",
        },
    )
    assert response.status_code == 302 and ServiceRecord.objects.count() == 1
    listing = client.get(url("service_list"))
    assert [(row["compound__name"], row["hours"]) for row in listing.context["by_compound"]] == [
        ("金利花园", Decimal("2.5"))
    ]
    assert [row["member__workplace"] for row in listing.context["by_workplace"]] == ["晋江市医院"]


@pytest.fixture
def disputes(world):
    found = timezone.localdate() - dt.timedelta(days=2)
    make = services.dispute_record
    low = make(
        actor=None,
        compound=world.compound_a,
        found_on=found,
        found_by="李楼长",
        parties="陈某 与 林某",
        category="parking",
        description="车位纠纷",
        risk="low",
    )
    high = make(
        actor=None,
        compound=world.compound_a,
        found_on=found,
        found_by="李楼长",
        parties="业主 与 物业",
        category="property_service",
        description="物业费纠纷",
        risk="high",
    )
    chidian = make(
        actor=None,
        compound=world.compound_b,
        found_on=found,
        found_by="网格员",
        parties="甲 与 乙",
        category="neighbours",
        description="噪音",
        risk="high",
    )
    return low, high, chidian


def test_the_dispute_list_puts_high_risk_first_and_filters(as_role, world, disputes):
    low, high, _ = disputes
    client = as_role("town_clerk")
    assert list(client.get(url("dispute_list")).context["page_obj"]) == [high, low]
    assert list(client.get(url("dispute_list"), {"risk": "low"}).context["page_obj"]) == [low]
    assert list(client.get(url("dispute_list"), {"status": "resolved"}).context["page_obj"]) == []


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_dispute_page_opens_only_within_the_viewers_scope(as_role, world, disputes, persona):
    _, high, chidian = disputes
    assert as_role(persona).get(url("dispute_detail", high.pk)).status_code == expected(persona, STAFF)
    assert as_role(persona).get(url("dispute_detail", chidian.pk)).status_code == expected(persona, ("city_admin",))


def test_escalating_on_the_dispute_page_creates_one_appeal(as_role, world, disputes, category):
    _, high, _ = disputes
    client = as_role("community_secretary")
    response = client.post(url("dispute_act", high.pk, "escalate"), {"category": category.pk, "channel": "grid_worker"})
    assert response.status_code == 302
    high.refresh_from_db()
    assert high.status == Dispute.Status.ESCALATED and Appeal.objects.filter(dispute=high).count() == 1
    client.post(url("dispute_act", high.pk, "escalate"), {"category": category.pk, "channel": "grid_worker"})
    assert Appeal.objects.count() == 1


def test_a_dispute_registered_with_an_id_number_is_refused(as_role, world):
    response = as_role("building_head").post(
        url("dispute_create"),
        {
            "compound": world.compound_a.pk,
            "found_on": timezone.localdate().isoformat(),
            "found_by": "李楼长",
            "parties": "陈某 350582198005170012",
            "category": "neighbours",
            "risk": "low",
            "description": "噪音",
        },
    )
    assert response.status_code == 200 and response.context["form"].errors["parties"]
    assert not Dispute.objects.exists()


def test_two_leaders_of_one_name_are_told_apart_by_their_posts_in_the_picker(as_role, world):
    from jiayuan.organisations import services as org_services
    from jiayuan.organisations.models import Post
    from jiayuan.people import services as people_services

    admin = world.users["city_admin"]
    namesakes = []
    for organisation, role in (
        (world.town_office, Post.Role.TOWN_CLERK),
        (world.community_party, Post.Role.TWO_COMMITTEE_MEMBER),
    ):
        person = people_services.person_create(actor=admin, name="丁玲")
        org_services.post_assign(actor=admin, person=person, organisation=organisation, role=role, start_date=START)
        namesakes.append((person, organisation))
    client = as_role("town_clerk")
    client.cookies["django_language"] = "en"
    labels = dict(client.get(url("session_create")).context["form"].fields["leader"].choices)
    for person, organisation in namesakes:
        shown = next(label for value, label in labels.items() if value == person.pk)
        assert shown.startswith("丁玲 · ") and organisation.name in shown
