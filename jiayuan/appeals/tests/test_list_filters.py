"""The staff work list's filters by received day, category, channel and status, its sortable columns, and the
export that holds the same rows."""

from __future__ import annotations

import datetime as dt
import html
import io
import itertools
import re
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from jiayuan.appeals import workflow
from jiayuan.appeals.models import Appeal, Category
from jiayuan.core.web import PAGE_SIZE
from jiayuan.testing import settle

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
LIST = reverse("appeals:appeal_list")
EXPORT = reverse("appeals:appeal_export")
_serial = itertools.count(1)


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def en(client):
    """Pages in English, so messages can be asserted on."""
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def cats(db):
    """Two branches of a three-level catalogue of our own: 设施 › 供水 › 漏水 / 停水, 设施 › 电梯 › 故障, and 环境 › 绿化,
    with a retired leaf under 供水."""
    top = Category.objects.create(code="F9", name="设施F")
    water = Category.objects.create(code="F901", name="供水F", parent=top)
    lift = Category.objects.create(code="F902", name="电梯F", parent=top)
    return SimpleNamespace(
        top=top,
        water=water,
        lift=lift,
        leak=Category.objects.create(code="F90101", name="漏水F", parent=water),
        cut=Category.objects.create(code="F90102", name="停水F", parent=water),
        retired=Category.objects.create(code="F90103", name="旧停水F", parent=water, active=False),
        broken=Category.objects.create(code="F90201", name="故障F", parent=lift),
        green=Category.objects.create(
            code="F801", name="绿化F", parent=Category.objects.create(code="F8", name="环境F")
        ),
    )


@pytest.fixture
def make(world, cats):
    """make(**fields) -> an appeal written straight to the table (received in 金利花园 on 2025-06-10 by default)."""

    def appeal(**fields) -> Appeal:
        serial = next(_serial)
        received = fields.pop("received_at", at(2025, 6, 10, 9))
        values = {
            "number": f"L{serial:08d}",
            "channel": Appeal.Channel.HOTLINE,
            "category": cats.leak,
            "title": f"问题{serial}",
            "description": "描述",
            "compound": world.compound_a,
            "unit": world.community_party,
            "first_unit": world.community_party,
            "received_at": received,
            "deadline": received.date() + dt.timedelta(days=7),
            "status": workflow.RECEIVED,
        }
        values.update(fields)
        return Appeal.objects.create(**values)

    return appeal


def numbers(response) -> list[str]:
    assert response.status_code == 200, response.context["form"].errors
    return [appeal.number for appeal in response.context["page_obj"].object_list]


def of(*appeals) -> set[str]:
    return {appeal.number for appeal in appeals}


def exported(client, params) -> list[str]:
    """The numbers in the export's sheet, in its order."""
    response = settle(client, client.get(EXPORT, params))
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    return [row[0] for row in rows[1:]]


def header_link(response, key: str) -> str:
    """The address the header of a sortable column leads to."""
    match = re.search(rf'<th[^>]*data-sort="{key}"[^>]*><a href="([^"]+)"', response.content.decode())
    assert match, f"the {key} column can be sorted"
    return LIST + html.unescape(match.group(1))


# --- Filters ------------------------------------------------------------------------------------------


def test_the_received_days_are_both_included_in_the_projects_time_zone(as_role, make):
    before = make(received_at=at(2025, 5, 31, 23, 59))
    first = make(received_at=at(2025, 6, 1, 0, 0))
    last = make(received_at=at(2025, 6, 30, 23, 59))
    after = make(received_at=at(2025, 7, 1, 0, 0))
    client = as_role("town_clerk")
    got = lambda **params: set(numbers(client.get(LIST, params)))  # noqa: E731
    assert got(received_from="2025-06-01", received_to="2025-06-30") == of(first, last)
    assert got(received_from="2025-06-01") == of(first, last, after)
    assert got(received_to="2025-06-30") == of(before, first, last)
    assert got(received_from="2025-06-30", received_to="2025-06-30") == of(last)


def test_a_category_lists_its_own_appeals_and_those_of_everything_below_it(as_role, cats, make):
    leak, cut, old, broken, green = (
        make(category=c) for c in (cats.leak, cats.cut, cats.retired, cats.broken, cats.green)
    )
    on_water = make(category=cats.water)  # filed under a middle level (as old catalogues allowed)
    client = as_role("town_clerk")
    got = lambda category: set(numbers(client.get(LIST, {"category": category.pk})))  # noqa: E731
    assert got(cats.top) == of(leak, cut, old, broken, on_water)
    assert got(cats.water) == of(leak, cut, old, on_water)
    assert got(cats.leak) == of(leak)
    assert got(cats.retired) == of(old)  # a retired category still finds its old appeals
    assert got(cats.green.parent) == of(green)


def test_the_category_choices_name_every_level_with_its_path(as_role, cats):
    response = as_role("town_clerk").get(LIST)
    body = response.content.decode()
    assert f'<option value="{cats.top.pk}">设施F</option>' in body
    assert f'<option value="{cats.leak.pk}">设施F › 供水F › 漏水F</option>' in body


def test_the_list_filters_by_channel_and_by_status(as_role, make):
    hotline = make(channel=Appeal.Channel.HOTLINE)
    reception = make(channel=Appeal.Channel.RECEPTION, status=workflow.ACCEPTED)
    own_page = make(channel=Appeal.Channel.RESIDENT, status=workflow.ACCEPTED)
    client = as_role("town_clerk")
    assert set(numbers(client.get(LIST, {"channel": "reception"}))) == of(reception)
    assert set(numbers(client.get(LIST, {"status": "accepted"}))) == of(reception, own_page)
    assert set(numbers(client.get(LIST, {"channel": "hotline", "status": "accepted"}))) == set()
    assert set(numbers(client.get(LIST, {"channel": "hotline"}))) == of(hotline)


def test_the_new_filters_combine_with_each_other_and_with_the_existing_ones(as_role, world, cats, make):
    wanted = make(category=cats.cut, channel=Appeal.Channel.RECEPTION, title="楼下停水", received_at=at(2025, 6, 5, 8))
    make(category=cats.cut, channel=Appeal.Channel.RECEPTION, title="楼下停水", received_at=at(2025, 7, 5, 8))
    make(category=cats.broken, channel=Appeal.Channel.RECEPTION, title="楼下停水", received_at=at(2025, 6, 5, 8))
    make(category=cats.cut, channel=Appeal.Channel.HOTLINE, title="楼下停水", received_at=at(2025, 6, 5, 8))
    make(category=cats.cut, channel=Appeal.Channel.RECEPTION, title="别的", received_at=at(2025, 6, 5, 8))
    make(category=cats.cut, channel=Appeal.Channel.RECEPTION, title="楼下停水", compound=world.compound_a2)
    make(category=cats.cut, channel=Appeal.Channel.RECEPTION, title="楼下停水", status=workflow.CLOSED)
    params = {
        "received_from": "2025-06-01",
        "received_to": "2025-06-30",
        "category": cats.water.pk,
        "channel": "reception",
        "status": "received",
        "compound": world.compound_a.pk,
        "q": "停水",
        "open_only": "on",
    }
    client = as_role("town_clerk")
    assert numbers(client.get(LIST, params)) == [wanted.number]
    assert exported(client, params) == [wanted.number]


def test_the_filters_stay_within_the_viewers_scope(as_role, world, cats, make):
    mine = make()
    make(compound=world.compound_b, unit=world.branch_b, first_unit=world.branch_b)  # in Chidian
    params = {"category": cats.top.pk, "received_from": "2025-06-01"}
    assert set(numbers(as_role("town_clerk").get(LIST, params))) == of(mine)
    assert len(numbers(as_role("city_admin").get(LIST, params))) == 2


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"received_from": "2025-06-10", "received_to": "2025-06-09"}, "received_to"),
        ({"received_from": "2025-02-30"}, "received_from"),
        ({"received_to": "yesterday"}, "received_to"),
        ({"category": "leak"}, "category"),
        ({"category": "999999"}, "category"),
        ({"channel": "fax"}, "channel"),
        ({"status": "lost"}, "status"),
        ({"status": "received", "channel": "fax", "sort": "deadline"}, "channel"),
    ],
)
def test_a_bad_new_filter_is_named_and_lists_nothing_rather_than_everything(as_role, en, make, params, field):
    make()
    client = as_role("town_clerk")
    response = client.get(LIST, params)
    assert response.status_code == 422
    assert list(response.context["form"].errors) == [field]
    assert response.context["page_obj"].paginator.count == 0
    assert f'data-field="{field}"' in response.content.decode()
    assert client.get(EXPORT, params).status_code == 422


def test_to_before_from_says_which_day_it_is_before(as_role, en, make):
    response = as_role("town_clerk").get(LIST, {"received_from": "2025-06-10", "received_to": "2025-06-09"})
    assert response.context["form"].errors["received_to"] == ["It is before the first day, 2025-06-10."]
    assert "Received to: It is before the first day, 2025-06-10." in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"received_from": "2025-06-01", "received_to": "2025-06-15"},
        {"category": "top"},
        {"category": "water", "channel": "reception"},
        {"status": "accepted", "received_to": "2025-06-20"},
        {"channel": "hotline", "sort": "deadline"},
        {"category": "top", "sort": "-compound"},
    ],
)
def test_the_export_holds_the_same_rows_as_the_filtered_list_in_the_same_order(as_role, world, cats, make, params):
    for day, category, channel, status, compound in [
        (2, cats.leak, "hotline", workflow.RECEIVED, world.compound_a),
        (6, cats.cut, "reception", workflow.ACCEPTED, world.compound_a2),
        (9, cats.broken, "hotline", workflow.ACCEPTED, world.compound_a),
        (14, cats.green, "reception", workflow.RECEIVED, world.compound_a2),
        (18, cats.leak, "reception", workflow.ACCEPTED, world.compound_a),
        (25, cats.cut, "hotline", workflow.CLOSED, world.compound_a2),
    ]:
        make(received_at=at(2025, 6, day, 9), category=category, channel=channel, status=status, compound=compound)
    if "category" in params:
        params = params | {"category": getattr(cats, params["category"]).pk}
    client = as_role("town_clerk")
    listed = numbers(client.get(LIST, params))
    assert 0 < len(listed) < 6
    assert exported(client, params) == listed


# --- Sorting ------------------------------------------------------------------------------------------


@pytest.fixture
def spread(world, make):
    """Four appeals that each column orders differently."""
    return SimpleNamespace(
        a=make(received_at=at(2025, 6, 1, 9), deadline=dt.date(2025, 6, 30), status=workflow.CLOSED),
        b=make(received_at=at(2025, 6, 2, 9), deadline=dt.date(2025, 6, 10), status=workflow.RECEIVED),
        c=make(
            received_at=at(2025, 6, 3, 9),
            deadline=dt.date(2025, 6, 20),
            status=workflow.DISPATCHED,
            compound=world.compound_a2,
        ),
        d=make(received_at=at(2025, 6, 4, 9), deadline=dt.date(2025, 6, 5), status=workflow.IN_PROGRESS),
    )


def test_the_list_opens_newest_first_with_the_received_column_marked(as_role, en, spread):
    response = as_role("town_clerk").get(LIST)
    s = spread
    assert numbers(response) == [s.d.number, s.c.number, s.b.number, s.a.number]
    body = response.content.decode()
    assert 'aria-sort="descending" data-sort="received"' in body
    assert 'class="sort-link sorted-descending">Received</a>' in body and 'class="sort-link">Deadline</a>' in body
    assert body.count("aria-sort=") == 1


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("received", "abcd"),  # the list is newest first: the first click turns it round
        ("deadline", "dbca"),
        ("status", "bcda"),  # the order of the workflow: received, dispatched, in progress, ..., closed
        ("compound", "cabd"),  # 宝龙世家 before 金利花园, and within a compound by pk
    ],
)
def test_a_header_sorts_by_its_column_and_a_second_click_reverses_it(as_role, spread, key, expected):
    client = as_role("town_clerk")
    order = [getattr(spread, letter).number for letter in expected]
    sorted_up = client.get(header_link(client.get(LIST), key))
    assert sorted_up.context["sorting"]["asked"] == key
    assert numbers(sorted_up) == order
    assert f'aria-sort="ascending" data-sort="{key}"' in sorted_up.content.decode()
    sorted_down = client.get(header_link(sorted_up, key))
    assert sorted_down.context["sorting"]["asked"] == f"-{key}"
    assert numbers(sorted_down) == order[::-1]
    assert f'aria-sort="descending" data-sort="{key}"' in sorted_down.content.decode()
    assert numbers(client.get(header_link(sorted_down, key))) == order


@pytest.mark.parametrize("sort", ["galaxy", "-", "--deadline", "title", "received_at", "x" * 40])
def test_an_unknown_sort_falls_back_to_newest_first_rather_than_erroring(as_role, spread, sort):
    client = as_role("town_clerk")
    response = client.get(LIST, {"sort": sort})
    assert response.status_code == 200
    assert numbers(response) == numbers(client.get(LIST))
    assert response.context["sorting"]["asked"] == ""
    assert 'name="sort"' not in response.content.decode()


def test_ties_are_broken_by_pk_so_every_row_is_on_exactly_one_page(as_role, world, make):
    same_day = dt.date(2025, 6, 20)
    made = [
        make(deadline=same_day, compound=world.compound_a if n % 2 else world.compound_a2, received_at=at(2025, 6, 1))
        for n in range(PAGE_SIZE + 7)
    ]
    client = as_role("town_clerk")
    for sort in ("deadline", "-deadline", "compound", "-compound", "status", "received", "-received"):
        pages = [numbers(client.get(LIST, {"sort": sort, "page": page})) for page in (1, 2)]
        assert len(pages[0]) == PAGE_SIZE and len(pages[1]) == 7
        assert sorted(pages[0] + pages[1]) == sorted(a.number for a in made), sort
    by_pk = [a.number for a in sorted(made, key=lambda a: a.pk)]
    deadline = client.get(LIST, {"sort": "deadline"})
    assert numbers(deadline) == by_pk[:PAGE_SIZE]
    assert numbers(client.get(LIST, {"sort": "-deadline", "page": 2})) == by_pk[:7][::-1]


def test_the_sort_survives_paging_and_filtering(as_role, world, make):
    for n in range(PAGE_SIZE + 3):
        make(deadline=dt.date(2025, 6, 1) + dt.timedelta(days=n % 9), status=workflow.RECEIVED)
    client = as_role("town_clerk")
    response = client.get(LIST, {"sort": "-deadline", "status": "received"})
    body = html.unescape(response.content.decode())
    # paging keeps the sort and the filters
    next_page = re.search(r'<a href="([^"]+)" rel="next"', body).group(1)
    assert "sort=-deadline" in next_page and "status=received" in next_page
    second = client.get(LIST + next_page)
    assert [a.deadline for a in second.context["page_obj"].object_list] == sorted(
        (a.deadline for a in second.context["page_obj"].object_list), reverse=True
    )
    # the filter form sends the sort with the filters it is given (a field of the form, inside the results)
    assert '<form id="appeal-filters"' in body
    assert '<input type="hidden" name="sort" value="-deadline" form="appeal-filters">' in body
    # a header keeps the filters and goes back to the first page
    link = header_link(second, "compound")
    assert "status=received" in link and "sort=compound" in link and "page=" not in link
    # the export link takes the sort along, and the export keeps the order
    assert "sort=-deadline" in re.search(r'href="(/appeals/export.xlsx[^"]*)"', body).group(1)
    assert exported(client, {"sort": "-deadline", "status": "received"}) == [
        a.number for a in Appeal.objects.order_by("-deadline", "-pk")
    ]
    # filtering anew keeps the sort
    filtered = client.get(LIST, {"sort": "-deadline", "status": "received", "received_from": "2025-06-01"})
    assert filtered.context["sorting"]["asked"] == "-deadline"


def test_sorting_answers_htmx_with_the_results_only(as_role, spread):
    response = as_role("town_clerk").get(LIST, {"sort": "deadline"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200 and 'id="results"' in body
    assert 'hx-boost="true" hx-target="#results" hx-select="#results"' in body


def test_the_department_work_page_keeps_its_plain_headers(as_role, world, make):
    make(unit=world.department, status=workflow.DISPATCHED, level=Appeal.Level.DEPARTMENT)
    body = as_role("department_staff").get(reverse("appeals:department_work")).content.decode()
    assert "data-sort=" not in body and "aria-sort" not in body
