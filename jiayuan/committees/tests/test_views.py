"""The committee pages: who may open which, scoping, and the forms going through the services."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from jiayuan.committees import services
from jiayuan.committees.models import DutyItem, Evaluation, Filing, RectificationTask, SelfInspection
from jiayuan.organisations import services as org_services
from jiayuan.testing import PERSONAS

from .conftest import EVALUATORS, INSPECTORS, OVERSEERS, STAFF, answer_all

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


def url(name, *args):
    return reverse(f"committees:{name}", args=args)


def expected(persona, allowed):
    return 200 if persona in allowed else 404


def section(html: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}".*?</table>', html, re.S)
    assert match, testid
    return match.group(0)


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def inspection(world, items, today):
    return services.inspection_start(actor=None, committee=world.committee_a, held_on=today)


# --- who may open which page ----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", ["index", "task_list", "duty_list"])
def test_the_lists_open_for_staff_only(as_role, world, persona, page):
    assert as_role(persona).get(url(page)).status_code == expected(persona, STAFF)


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_committee_page_opens_only_within_the_viewers_scope(as_role, world, chidian_committee, persona):
    client = as_role(persona)
    assert client.get(url("committee_detail", world.committee_a.pk)).status_code == expected(persona, STAFF)
    assert client.get(url("committee_detail", chidian_committee.pk)).status_code == expected(persona, ("city_admin",))


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_round_opens_like_its_committee(as_role, world, inspection, persona):
    assert as_role(persona).get(url("inspection_detail", inspection.pk)).status_code == expected(persona, STAFF)


def test_an_organisation_that_is_not_a_committee_is_a_404(as_role, world):
    assert as_role("city_admin").get(url("committee_detail", world.branch_a.pk)).status_code == 404


def test_anonymous_visitors_are_sent_to_login(client, world):
    response = client.get(url("index"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_main_menu_shows_committees_to_staff_only(as_role, world):
    link = f'href="{url("index")}"'
    assert link in as_role("committee_director").get(reverse("home"), follow=True).content.decode()
    assert link not in as_role("department_staff").get(reverse("home"), follow=True).content.decode()
    assert link not in as_role("resident").get(reverse("home"), follow=True).content.decode()


# --- the index -------------------------------------------------------------------------------------------------


def test_the_index_shows_terms_filings_tasks_and_evaluations_in_scope(
    as_role, world, chidian_committee, items, member_post, today
):
    soon = org_services.committee_create(
        actor=None,
        compound=world.compound_a2,
        name="宝龙世家业委会",
        established_on=today - 1500 * DAY,
        term_end=today + 60 * DAY,
        seats=5,
    )
    services.remind_terms(today)
    round_ = services.inspection_start(actor=None, committee=world.committee_a, held_on=today)
    answer_all(round_, not_met={items[2].pk})
    services.inspection_close(actor=None, inspection=round_, due_on=today + 30 * DAY)
    services.evaluation_record(
        actor=None,
        committee=world.committee_a,
        post=member_post,
        outcome="urged_improvement",
        reason="会议记录不全",
        decided_on=today,
        led_by="市住建局",
    )
    html = as_role("town_clerk").get(url("index")).content.decode()
    assert "宝龙世家业委会" in section(html, "terms-soon")
    assert "金利花园业委会" in section(html, "filings-overdue")  # elected 2024-01-01, never filed
    assert items[2].text in section(html, "tasks")
    assert "郑委员" in section(html, "evaluations")
    assert "南天裕业委会" not in html
    assert soon.name in as_role("city_admin").get(url("index")).content.decode()


def test_a_filed_committee_moves_from_overdue_to_filed_on_the_index(as_role, world):
    services.filing_record(
        actor=None,
        committee=world.committee_a,
        filed_on=dt.date(2024, 3, 1),
        filed_with_housing=True,
        filed_with_town=True,
    )
    html = as_role("community_secretary").get(url("index")).content.decode()
    assert "金利花园业委会" not in section(html, "filings-overdue")
    assert "2024-03-01" in section(html, "filings-filed")


def test_the_index_search_narrows_the_committee_list(as_role, world, chidian_committee):
    html = as_role("city_admin").get(url("index"), {"q": "南天"}).content.decode()
    table = section(html, "committees")
    assert "南天裕业委会" in table and "金利花园业委会" not in table


# --- the committee page and its forms -----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", STAFF)
def test_the_committee_page_offers_each_persona_only_the_forms_it_may_use(as_role, world, items, persona):
    html = as_role(persona).get(url("committee_detail", world.committee_a.pk)).content.decode()
    assert (url("filing_save", world.committee_a.pk) in html) == (persona in OVERSEERS)
    assert (url("inspection_start", world.committee_a.pk) in html) == (persona in INSPECTORS)
    assert (url("evaluation_add", world.committee_a.pk) in html) == (persona in EVALUATORS)
    assert "蔡主任" in section(html, "members")


def test_the_term_reminder_shows_on_the_committee_page(as_role, world):
    services.remind_terms(dt.date(2028, 7, 1))
    html = as_role("committee_director").get(url("committee_detail", world.committee_a.pk)).content.decode()
    assert 'data-testid="term-reminder"' in html and "2028-12-31" in html


def test_the_town_records_a_late_filing(as_role, world):
    client = as_role("town_clerk")
    client.cookies["django_language"] = "en"
    response = client.post(
        url("filing_save", world.committee_a.pk),
        {"filed_on": "2024-03-01", "filed_with_housing": "on", "filed_with_town": "on", "reference": "青住备12号"},
        follow=True,
    )
    assert response.status_code == 200
    filing = Filing.objects.get(committee=world.committee_a)
    assert (filing.late, filing.reference, filing.recorded_by) == (True, "青住备12号", world.users["town_clerk"])
    assert "marked late" in response.content.decode()


def test_a_filing_without_a_place_shows_the_error_beside_the_field(as_role, world):
    client = as_role("town_clerk")
    response = client.post(url("filing_save", world.committee_a.pk), {"filed_on": "2024-01-20"})
    assert response.status_code == 422
    assert response.context["filing_form"].errors["filed_with_housing"]
    assert not Filing.objects.exists()


@pytest.mark.parametrize("persona", ["committee_director", "property_manager"])
def test_compound_staff_cannot_record_the_filing(as_role, world, persona):
    response = as_role(persona).post(
        url("filing_save", world.committee_a.pk), {"filed_on": "2024-01-20", "filed_with_housing": "on"}
    )
    assert response.status_code == 403
    assert not Filing.objects.exists()


def test_a_committee_outside_the_scope_cannot_be_written_to(as_role, world, chidian_committee):
    response = as_role("town_clerk").post(
        url("filing_save", chidian_committee.pk), {"filed_on": "2024-01-20", "filed_with_housing": "on"}
    )
    assert response.status_code == 404


def test_the_director_starts_a_round_and_lands_on_its_form(as_role, world, items, today):
    response = as_role("committee_director").post(
        url("inspection_start", world.committee_a.pk), {"held_on": today.isoformat()}
    )
    inspection = SelfInspection.objects.get()
    assert response.status_code == 302 and response.url == url("inspection_detail", inspection.pk)
    html = as_role("committee_director").get(response.url).content.decode()
    assert html.count('type="radio"') == 14 * 3
    assert 'hx-post="' + url("inspection_detail", inspection.pk) in html


@pytest.mark.parametrize("persona", ["property_manager", "building_head"])
def test_the_property_manager_and_building_heads_cannot_start_a_round(as_role, world, items, today, persona):
    response = as_role(persona).post(url("inspection_start", world.committee_a.pk), {"held_on": today.isoformat()})
    assert response.status_code == 403 and not SelfInspection.objects.exists()


def test_starting_a_round_without_lists_explains_why(as_role, world, today):
    response = as_role("committee_director").post(
        url("inspection_start", world.committee_a.pk), {"held_on": today.isoformat()}
    )
    assert response.status_code == 422
    assert response.context["start_form"].non_field_errors()


def answers_form(inspection, *, not_met=(), note="", skip=()):
    data = {}
    for result in inspection.results.all():
        if result.item_id in skip:
            continue
        data[f"result_{result.item_id}"] = "not_met" if result.item_id in not_met else "met"
        data[f"note_{result.item_id}"] = note if result.item_id in not_met else ""
    return data


def test_answers_are_saved_item_by_item(as_role, world, items, inspection):
    client = as_role("committee_director")
    response = client.post(
        url("inspection_detail", inspection.pk),
        answers_form(inspection, not_met={items[3].pk}, note="合同履行检查未开展", skip={items[5].pk}),
    )
    assert response.status_code == 302
    results = {r.item_id: (r.result, r.note) for r in inspection.results.all()}
    assert results[items[3].pk] == ("not_met", "合同履行检查未开展")
    assert results[items[5].pk] == ("", "")
    assert results[items[0].pk] == ("met", "")


def test_with_htmx_the_form_is_swapped_in_place_errors_included(as_role, world, items, inspection):
    client = as_role("committee_director")
    client.cookies["django_language"] = "en"
    target = url("inspection_detail", inspection.pk)
    response = client.post(target, answers_form(inspection, not_met={items[3].pk}), HTTP_HX_REQUEST="true")
    assert response.status_code == 200  # htmx swaps only successful responses
    assert "Say what is not met" in response.content.decode()
    assert set(inspection.results.values_list("result", flat=True)) == {""}
    response = client.post(
        target, answers_form(inspection, not_met={items[3].pk}, note="未监督"), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and "The answers were saved." in response.content.decode()
    assert 'id="inspection-form"' in response.content.decode()


def test_without_htmx_an_item_not_met_without_a_note_answers_422(as_role, world, items, inspection):
    response = as_role("committee_director").post(
        url("inspection_detail", inspection.pk), answers_form(inspection, not_met={items[3].pk})
    )
    assert response.status_code == 422
    assert response.context["answer_form"].errors[f"note_{items[3].pk}"]


def test_closing_a_round_sets_the_tasks_shown_on_the_committee_page(as_role, world, items, inspection, today):
    answer_all(inspection, not_met={items[6].pk})
    client = as_role("branch_secretary")
    response = client.post(url("inspection_close", inspection.pk), {})
    assert response.status_code == 422 and response.context["close_form"].errors["due_on"]
    due = today + 20 * DAY
    response = client.post(url("inspection_close", inspection.pk), {"due_on": due.isoformat()})
    assert response.status_code == 302 and response.url == url("committee_detail", world.committee_a.pk)
    task = RectificationTask.objects.get()
    assert task.due_on == due
    html = client.get(response.url).content.decode()
    assert items[6].text in section(html, "tasks") and url("task_complete", task.pk) in html
    html = client.get(url("inspection_detail", inspection.pk)).content.decode()
    assert 'data-testid="results"' in html and 'type="radio"' not in html  # read-only once closed


def test_a_round_with_unanswered_items_does_not_close(as_role, world, items, inspection, today):
    response = as_role("committee_director").post(
        url("inspection_close", inspection.pk), {"due_on": (today + DAY).isoformat()}
    )
    assert response.status_code == 422 and response.context["close_form"].non_field_errors()
    inspection.refresh_from_db()
    assert inspection.is_open


@pytest.fixture
def task(world, items, inspection, today):
    answer_all(inspection, not_met={items[6].pk})
    services.inspection_close(actor=None, inspection=inspection, due_on=today + 10 * DAY)
    return RectificationTask.objects.get()


@pytest.mark.parametrize("persona", PERSONAS)
def test_open_tasks_are_listed_for_staff_with_a_form_for_those_who_may_complete_them(as_role, world, task, persona):
    response = as_role(persona).get(url("task_list"))
    assert response.status_code == expected(persona, STAFF)
    if response.status_code == 200:
        html = response.content.decode()
        assert task.description in section(html, "tasks")
        assert (url("task_complete", task.pk) in html) == (persona in INSPECTORS)


def test_the_director_completes_a_task_from_the_task_list(as_role, world, task, today):
    client = as_role("committee_director")
    response = client.post(
        url("task_complete", task.pk),
        {f"task{task.pk}-done_on": today.isoformat(), f"task{task.pk}-done_note": "已公开", "next": "tasks"},
    )
    assert response.status_code == 302 and response.url == url("task_list")
    task.refresh_from_db()
    assert (task.done_on, task.done_note, task.done_by) == (today, "已公开", world.users["committee_director"])
    assert task.description not in section(client.get(url("task_list")).content.decode(), "tasks")


def test_a_task_completed_without_a_note_shows_the_error(as_role, world, task, today):
    response = as_role("committee_director").post(
        url("task_complete", task.pk), {f"task{task.pk}-done_on": today.isoformat(), f"task{task.pk}-done_note": ""}
    )
    assert response.status_code == 422
    task.refresh_from_db()
    assert task.is_open


def test_the_property_manager_cannot_complete_a_task(as_role, world, task, today):
    response = as_role("property_manager").post(
        url("task_complete", task.pk),
        {f"task{task.pk}-done_on": today.isoformat(), f"task{task.pk}-done_note": "已处理"},
    )
    assert response.status_code == 403


def test_the_community_secretary_removes_a_member_through_the_page(as_role, world, member_post, today):
    response = as_role("community_secretary").post(
        url("evaluation_add", world.committee_a.pk),
        {
            "post": member_post.pk,
            "outcome": "removal",
            "reason": "挪用业主共有资金",
            "decided_on": today.isoformat(),
            "led_by": "市委组织部、市住建局",
        },
    )
    assert response.status_code == 302
    member_post.refresh_from_db()
    assert member_post.end_date == today
    html = as_role("community_secretary").get(url("committee_detail", world.committee_a.pk)).content.decode()
    assert "挪用业主共有资金" in section(html, "evaluation-list")


def test_an_ordered_rectification_without_a_due_date_is_refused_on_the_page(as_role, world, member_post, today):
    response = as_role("town_clerk").post(
        url("evaluation_add", world.committee_a.pk),
        {
            "post": member_post.pk,
            "outcome": "ordered_rectification",
            "reason": "未公开财务",
            "decided_on": today.isoformat(),
            "led_by": "市住建局",
        },
    )
    assert response.status_code == 422 and response.context["evaluation_form"].errors["due_on"]
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize("persona", ["branch_secretary", "committee_director", "property_manager"])
def test_compound_staff_cannot_record_an_evaluation(as_role, world, member_post, today, persona):
    response = as_role(persona).post(
        url("evaluation_add", world.committee_a.pk),
        {"post": member_post.pk, "outcome": "removal", "reason": "x", "decided_on": today.isoformat(), "led_by": "x"},
    )
    assert response.status_code == 403
    member_post.refresh_from_db()
    assert member_post.end_date is None


# --- the duty list page ----------------------------------------------------------------------------------


def test_the_city_administrator_starts_from_the_default_lists_and_edits_them(as_role, world):
    client = as_role("city_admin")
    assert url("duty_defaults") in client.get(url("duty_list")).content.decode()
    response = client.post(url("duty_defaults"), {"city": world.city.pk})
    assert response.status_code == 302 and DutyItem.objects.filter(city=world.city).count() == 14
    html = client.get(url("duty_list")).content.decode()
    assert "监督专项维修资金" in section(html, "duties") and "不得泄露业主个人信息" in section(html, "negatives")
    response = client.post(
        url("duty_item_add"), {"city": world.city.pk, "list": "negative", "text": "不得拒绝业主查阅资料"}
    )
    assert response.status_code == 302
    item = DutyItem.objects.get(text="不得拒绝业主查阅资料")
    response = client.post(
        url("duty_item_edit", item.pk),
        {f"item{item.pk}-text": "不得拒绝业主依法查阅资料", f"item{item.pk}-position": "3"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.text, item.position, item.active) == ("不得拒绝业主依法查阅资料", 3, False)


def test_a_duplicate_item_is_shown_beside_the_field(as_role, world, items):
    response = as_role("city_admin").post(
        url("duty_item_add"), {"city": world.city.pk, "list": "duty", "text": "执行业主大会决定"}
    )
    assert response.status_code == 422 and response.context["add_form"].errors["text"]


@pytest.mark.parametrize("persona", ["town_clerk", "community_secretary", "committee_director"])
def test_other_staff_read_the_lists_but_cannot_change_them(as_role, world, items, persona):
    client = as_role(persona)
    html = client.get(url("duty_list")).content.decode()
    assert "执行业主大会决定" in html and url("duty_item_add") not in html
    assert client.post(url("duty_item_add"), {"city": world.city.pk, "list": "duty", "text": "新"}).status_code == 403
    assert client.post(url("duty_defaults"), {"city": world.city.pk}).status_code == 403
    response = client.post(
        url("duty_item_edit", items[0].pk), {f"item{items[0].pk}-text": "改", f"item{items[0].pk}-position": "1"}
    )
    assert response.status_code == 403
    assert DutyItem.objects.filter(city=world.city).count() == 14


def test_defaults_are_refused_to_other_staff_when_the_city_has_no_list(as_role, world):
    assert as_role("town_clerk").post(url("duty_defaults"), {"city": world.city.pk}).status_code == 403
    assert not DutyItem.objects.exists()


# --- admin ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "model", ["dutyitem", "termreminder", "filing", "selfinspection", "rectificationtask", "evaluation"]
)
def test_the_admin_lists_each_model(client, world, items, model):
    from jiayuan.core.models import User

    client.force_login(User.objects.create_superuser(username="root", password="x"))
    assert client.get(reverse(f"admin:committees_{model}_changelist")).status_code == 200


def test_an_item_changed_in_the_admin_is_audited(client, world, items):
    from jiayuan.core.audit import history_for
    from jiayuan.core.models import User

    client.force_login(User.objects.create_superuser(username="root", password="x"))
    item = items[0]
    response = client.post(
        reverse("admin:committees_dutyitem_change", args=[item.pk]),
        {"city": world.city.pk, "list": "duty", "text": "召集业主大会会议", "position": 1, "active": "on"},
    )
    assert response.status_code == 302
    assert history_for(item).filter(note="admin").get().after["text"] == "召集业主大会会议"


# --- in office by default, the past committees behind a switch ------------------------------------------------


def standings(html: str) -> dict[str, str]:
    """Committee name -> the standing its row's badge gives, in the list of all committees."""
    rows = re.findall(
        r"<tr>\s*<td><a [^>]*>([^<]+)</a></td>.*?data-standing=\"([a-z_]+)\"", section(html, "committees"), re.S
    )
    return dict(rows)


def test_the_index_lists_the_committees_in_office_by_default(as_role, world, re_elected):
    response = as_role("town_clerk").get(url("index"))
    assert [c.name for c in response.context["page_obj"]] == ["金利花园业委会", "宝龙世家第二届业主委员会"]
    assert standings(response.content.decode()) == {
        "金利花园业委会": "in_office",
        "宝龙世家第二届业主委员会": "in_office",
    }
    assert 'data-testid="history-switch"' in response.content.decode()


def test_the_history_switch_shows_the_outgoing_committee_as_superseded(as_role, world, re_elected):
    response = as_role("town_clerk").get(url("index"), {"history": "1"})
    assert standings(response.content.decode()) == {
        "金利花园业委会": "in_office",
        "宝龙世家第一届业主委员会": "superseded",
        "宝龙世家第二届业主委员会": "in_office",
    }
    assert response.context["history"] is True


def test_the_history_switch_and_the_search_go_together(as_role, world, re_elected):
    response = as_role("town_clerk").get(url("index"), {"history": "1", "q": "宝龙"})
    assert [c.name for c in response.context["page_obj"]] == ["宝龙世家第一届业主委员会", "宝龙世家第二届业主委员会"]
    toggle = re.search(r'href="([^"]+)" data-testid="history-toggle"', response.content.decode()).group(1)
    assert "q=" in toggle and "history" not in toggle


def test_the_committee_count_counts_only_the_committees_in_office(as_role, world, re_elected):
    response = as_role("town_clerk").get(url("index"))
    assert response.context["overview"]["committees"] == 2
    assert '<a class="value" href="#results" data-testid="committees-in-office">2</a>' in response.content.decode()


def test_the_outgoing_committee_page_says_superseded_and_the_new_one_in_office(as_role, world, re_elected):
    client = as_role("town_clerk")
    client.cookies["django_language"] = "en"
    old = client.get(url("committee_detail", re_elected.old.pk))
    assert old.context["term_state"] == "superseded"
    heading = re.search(r"<h1>.*?</h1>", old.content.decode(), re.S).group(0)
    assert "superseded by a new committee" in heading and "in office" not in heading
    assert "days left" not in section(old.content.decode(), "term").split("</dl>")[0]
    new = client.get(url("committee_detail", re_elected.new.pk))
    assert new.context["term_state"] == "in_office"
    assert 'data-standing="in_office"' in re.search(r"<h1>.*?</h1>", new.content.decode(), re.S).group(0)
    assert "days left" in new.content.decode()


def test_the_member_table_heads_the_persons_column_full_name(as_role, world):
    client = as_role("community_secretary")
    client.cookies["django_language"] = "en"
    table = section(client.get(url("committee_detail", world.committee_a.pk)).content.decode(), "members")
    assert "<th>Full name</th>" in table and "<th>Name</th>" not in table
