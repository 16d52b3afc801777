"""The pages that compose several apps: the home page each role starts from, the history of an object, the
places pages that show what other apps hold about a place (a community's grids and their workers; a compound's
three carriages, facts and building heads; a building's heads; a room's owners and residents) and a person's page
with their posts. Their URLs join the places and people namespaces in `jiayuan.config.urls`, so every page keeps
the address and name it always had.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from jiayuan.appeals import selectors as appeal_selectors
from jiayuan.core.scope import scope_for
from jiayuan.core.web import paginate
from jiayuan.dashboard.selectors import compound_facts
from jiayuan.organisations import selectors as org_selectors
from jiayuan.organisations.models import Post
from jiayuan.people import selectors as people_selectors
from jiayuan.people.selectors import visible_person_ids
from jiayuan.places import rules as place_rules
from jiayuan.places import selectors as place_selectors
from jiayuan.places.views import place_breadcrumbs

from . import workbench
from .selectors import history_visible


@login_required
def home(request):
    """The workbench every login lands on: its posts, what waits for it, its household and department."""
    viewer = request.user
    today = timezone.localdate()
    groups = workbench.waiting(viewer, today)
    items = [item for shown in groups for item in shown.items]
    context = {
        "posts": workbench.posts_held(viewer, today),
        "groups": groups,
        "total": sum(shown.group.count for shown in groups),
        "overdue": sum(1 for item in items if item.urgency == "overdue"),
        "soon": sum(1 for item in items if item.urgency in ("today", "tomorrow")),
        "notices": list(appeal_selectors.notification_list(viewer=viewer, unread_only=True)[:5]),
        **home_context(viewer),
    }
    return render(request, "home/workbench.html", context)


@login_required
def history(request, object_type, object_id):
    entries = history_visible(viewer=request.user, object_type=object_type, object_id=object_id)
    return render(request, "core/history.html", {"entries": entries})


@login_required
def community_detail(request, pk):
    community = place_selectors.community_get(viewer=request.user, pk=pk)
    compounds = place_selectors.compound_list(viewer=request.user, community=community)
    return render(
        request,
        "places/community_detail.html",
        {
            "community": community,
            "page_obj": paginate(request, compounds),
            "grids": _grids_with_workers(request.user, community),
            "crumbs": place_breadcrumbs(request.user, community),
        },
    )


def _grids_with_workers(viewer, community):
    grids = list(place_selectors.grid_list(viewer=viewer, community=community))
    today = timezone.localdate()
    workers = {
        post.grid_id: post.person
        for post in Post.objects.filter(role=Post.Role.GRID_WORKER, grid__in=grids)
        .current_on(today)
        .select_related("person")
    }
    for grid in grids:
        grid.worker = workers.get(grid.pk)
    return grids


@login_required
def compound_detail(request, pk):
    viewer = request.user
    compound = place_selectors.compound_get(viewer=viewer, pk=pk)
    today = timezone.localdate()
    governance = org_selectors.compound_governance(compound=compound, day=today)
    facts = compound_facts(compound_ids=[compound.pk], day=today)[compound.pk]
    heads = list(org_selectors.building_heads_of(compound=compound, day=today))
    people = [post.person for post in governance["branch_posts"] + governance["committee_posts"] + heads]
    page_obj = paginate(request, place_selectors.building_summaries(viewer=viewer, compound=compound))
    page_obj.object_list = list(page_obj.object_list)
    head_of = {post.building_id: post.person for post in heads}
    for building in page_obj.object_list:
        building.head = head_of.get(building.pk)
    return render(
        request,
        "places/compound_detail.html",
        {
            "compound": compound,
            "gov": governance,
            "facts": facts,
            "heads": heads,
            "totals": place_selectors.compound_totals(viewer=viewer, compound=compound),
            "page_obj": page_obj,
            "visible_people": visible_person_ids(viewer, people),
            "can_edit": place_rules.may_edit_compound(scope_for(viewer), compound),
            "crumbs": place_breadcrumbs(viewer, compound),
        },
    )


@login_required
def building_detail(request, pk):
    viewer = request.user
    building = place_selectors.building_get(viewer=viewer, pk=pk)
    heads = list(org_selectors.building_heads_of(compound=building.compound).filter(building=building))
    return render(
        request,
        "places/building_detail.html",
        {
            "building": building,
            "heads": heads,
            "page_obj": paginate(request, place_selectors.room_summaries(viewer=viewer, building=building)),
            "visible_people": visible_person_ids(viewer, [post.person for post in heads]),
            "can_edit": place_rules.may_edit_compound(scope_for(viewer), building.compound),
            "crumbs": place_breadcrumbs(viewer, building),
        },
    )


@login_required
def room_detail(request, pk):
    viewer = request.user
    room = place_selectors.room_get(viewer=viewer, pk=pk)
    owners = list(people_selectors.owners_of(viewer=viewer, room=room))
    residents = list(people_selectors.residents_of(viewer=viewer, room=room))
    for row in owners + residents:
        if row.person is not None:
            row.shown = people_selectors.personal_data(viewer=viewer, person=row.person)
    can_edit = place_rules.may_edit_compound(scope_for(viewer), room.unit.building.compound)
    return render(
        request,
        "places/room_detail.html",
        {
            "room": room,
            "owners": owners,
            "residents": residents,
            "visible_people": visible_person_ids(viewer, [row.person for row in owners + residents]),
            "can_edit": can_edit,
            "crumbs": place_breadcrumbs(viewer, room),
        },
    )


def home_context(viewer) -> dict:
    """A resident's household and the public facts of its compound; a department's staff."""
    own = scope_for(viewer).room_ids  # the household's own rooms, not every room a staff scope can open
    rooms = list(
        place_selectors.room_list(viewer=viewer)
        .filter(pk__in=list(own))
        .order_by("unit__building__compound__name", "pk")
    )
    today = timezone.localdate()
    compounds = []
    for room in rooms:
        compound = room.unit.building.compound
        if compound not in compounds:
            compounds.append(compound)
    households = [
        {"compound": compound, "gov": org_selectors.compound_governance(compound=compound, day=today)}
        for compound in compounds
    ]
    departments = [
        {"department": department, "staff": list(org_selectors.posts_of(organisation=department, day=today))}
        for department in org_selectors.departments_of(viewer=viewer)
    ]
    return {"rooms": rooms, "households": households, "departments": departments}


@login_required
def person_detail(request, pk):
    viewer = request.user
    person = people_selectors.person_get(viewer=viewer, pk=pk)
    today = timezone.localdate()
    posts = list(org_selectors.posts_of_person(viewer=viewer, person=person))
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "shown": people_selectors.personal_data(viewer=viewer, person=person),
            "current_posts": [post for post in posts if post.end_date is None or post.end_date >= today],
            "past_posts": [post for post in posts if post.end_date is not None and post.end_date < today],
            "ownerships": people_selectors.ownerships_of_person(viewer=viewer, person=person),
            "residencies": people_selectors.residencies_of_person(viewer=viewer, person=person),
            "membership": people_selectors.party_membership_of(person=person),
            "today": today,
        },
    )
