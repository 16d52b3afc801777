"""Pages of the compound map: drill-down city → town → community → compound → building → room.

Every object comes through a scoped selector, so an object outside the viewer's scope
answers 404. List pages are staff pages: residents and department staff get 404.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jiayuan.core.scope import scope_for
from jiayuan.dashboard.selectors import compound_facts
from jiayuan.organisations import selectors as org_selectors
from jiayuan.people import selectors as people_selectors

from . import rules, selectors, services
from .forms import CompoundFilterForm, CompoundForm, RoomAreaForm
from .models import Building, City, Community, Compound, Room, Town

PAGE_SIZE = 50


# --- Helpers shared by the people and organisations pages -----------------------


def staff_required(view):
    """Logged in, and with a staff scope (places and people beyond one's own household); else 404."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not scope_for(request.user).is_staff_scope:
            raise Http404
        return view(request, *args, **kwargs)

    return login_required(wrapper)


def paginate(request, queryset):
    """One page of 50 rows; a page number out of range shows the last page."""
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def visible_person_ids(viewer, people) -> set[int]:
    """Which of these people the viewer may open (used to decide where a name is a link)."""
    ids = {person.pk for person in people if person is not None}
    if not ids:
        return set()
    return set(people_selectors.person_list(viewer=viewer).filter(pk__in=ids).values_list("pk", flat=True))


def apply_service_errors(form, exc: ValidationError) -> None:
    """Show a service's ValidationError next to the fields it names, the rest above the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def save_form(request, form, write, message: str = ""):
    """Validate the form and run the service, `write(form.cleaned_data)`. The service's errors go beside the
    fields (through the form's own `apply_service_errors` when it has one) and nothing is saved. The service's
    result, or None when the form or the service refused."""
    if not form.is_valid():
        return None
    try:
        result = write(form.cleaned_data)
    except ValidationError as exc:
        if hasattr(form, "apply_service_errors"):
            form.apply_service_errors(exc)
        else:
            apply_service_errors(form, exc)
        return None
    if message:
        messages.success(request, message)
    return result


def place_breadcrumbs(viewer, obj) -> list[tuple[str, str]]:
    """City → town → community → compound → building → room, only the levels the viewer may open."""
    scope = scope_for(viewer)
    room = obj if isinstance(obj, Room) else None
    building = room.unit.building if room else (obj if isinstance(obj, Building) else None)
    compound = building.compound if building else (obj if isinstance(obj, Compound) else None)
    community = compound.community if compound else (obj if isinstance(obj, Community) else None)
    town = community.town if community else (obj if isinstance(obj, Town) else None)

    sees_town = scope.everything or (town is not None and town.pk in scope.town_ids)
    sees_community = sees_town or (community is not None and community.pk in scope.community_ids)
    sees_compound = sees_community or (compound is not None and compound.pk in scope.compound_ids)
    crumbs = []
    if scope.everything:
        city = town.city if town else None
        crumbs.append((city.name if city else _("City"), reverse("places:town_list")))
    if town and sees_town:
        crumbs.append((town.name, reverse("places:town_detail", args=[town.pk])))
    if community and sees_community:
        crumbs.append((community.name, reverse("places:community_detail", args=[community.pk])))
    if compound and sees_compound:
        crumbs.append((compound.name, reverse("places:compound_detail", args=[compound.pk])))
        if building:
            crumbs.append((building.number, reverse("places:building_detail", args=[building.pk])))
    if room:
        crumbs.append((f"{room.unit.number} {room.number}", reverse("places:room_detail", args=[room.pk])))
    return crumbs


# --- Drill-down -------------------------------------------------------------------


@staff_required
def town_list(request):
    viewer = request.user
    search = request.GET.get("q", "").strip()
    towns = selectors.town_summaries(viewer=viewer)
    if search:
        towns = towns.filter(name__icontains=search)
    scope = scope_for(viewer)
    context = {"page_obj": paginate(request, towns), "search": search, "city": City.objects.order_by("pk").first()}
    if not (scope.everything or scope.town_ids):
        # Community and compound staff start lower down the map.
        context["communities"] = selectors.community_list(viewer=viewer).order_by("code")
        context["compounds"] = selectors.compound_list(viewer=viewer)[:PAGE_SIZE]
    return render(request, "places/town_list.html", context)


@login_required
def town_detail(request, pk):
    town = selectors.town_get(viewer=request.user, pk=pk)
    communities = selectors.community_list(viewer=request.user, town=town).order_by("code")
    return render(
        request,
        "places/town_detail.html",
        {
            "town": town,
            "page_obj": paginate(request, communities),
            "compound_total": selectors.compound_list(viewer=request.user, town=town).count(),
            "crumbs": place_breadcrumbs(request.user, town),
        },
    )


@login_required
def community_detail(request, pk):
    community = selectors.community_get(viewer=request.user, pk=pk)
    compounds = selectors.compound_list(viewer=request.user, community=community)
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
    from jiayuan.organisations.models import Post

    grids = list(selectors.grid_list(viewer=viewer, community=community))
    today = timezone.localdate()
    workers = {
        post.grid_id: post.person
        for post in Post.objects.filter(role=Post.Role.GRID_WORKER, grid__in=grids, start_date__lte=today)
        .exclude(end_date__lt=today)
        .select_related("person")
    }
    for grid in grids:
        grid.worker = workers.get(grid.pk)
    return grids


@login_required
def compound_detail(request, pk):
    viewer = request.user
    compound = selectors.compound_get(viewer=viewer, pk=pk)
    today = timezone.localdate()
    governance = org_selectors.compound_governance(compound=compound, day=today)
    facts = compound_facts(compound_ids=[compound.pk], day=today)[compound.pk]
    heads = list(org_selectors.building_heads_of(compound=compound, day=today))
    people = [post.person for post in governance["branch_posts"] + governance["committee_posts"] + heads]
    page_obj = paginate(request, selectors.building_summaries(viewer=viewer, compound=compound))
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
            "totals": selectors.compound_totals(viewer=viewer, compound=compound),
            "page_obj": page_obj,
            "visible_people": visible_person_ids(viewer, people),
            "can_edit": rules.may_edit_compound(scope_for(viewer), compound),
            "crumbs": place_breadcrumbs(viewer, compound),
        },
    )


@login_required
def building_detail(request, pk):
    viewer = request.user
    building = selectors.building_get(viewer=viewer, pk=pk)
    heads = list(org_selectors.building_heads_of(compound=building.compound).filter(building=building))
    return render(
        request,
        "places/building_detail.html",
        {
            "building": building,
            "heads": heads,
            "page_obj": paginate(request, selectors.room_summaries(viewer=viewer, building=building)),
            "visible_people": visible_person_ids(viewer, [post.person for post in heads]),
            "can_edit": rules.may_edit_compound(scope_for(viewer), building.compound),
            "crumbs": place_breadcrumbs(viewer, building),
        },
    )


@login_required
def room_detail(request, pk):
    viewer = request.user
    room = selectors.room_get(viewer=viewer, pk=pk)
    owners = list(people_selectors.owners_of(viewer=viewer, room=room))
    residents = list(people_selectors.residents_of(viewer=viewer, room=room))
    for row in owners + residents:
        if row.person is not None:
            row.shown = people_selectors.personal_data(viewer=viewer, person=row.person)
    can_edit = rules.may_edit_compound(scope_for(viewer), room.unit.building.compound)
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


@staff_required
def compound_list(request):
    viewer = request.user
    form = CompoundFilterForm(request.GET or None, viewer=viewer)
    filters = form.filters() if form.is_bound else {}
    compounds = selectors.compound_search(viewer=viewer, **filters)
    return render(
        request,
        "places/compound_list.html",
        {
            "form": form,
            "page_obj": paginate(request, compounds),
            "crumbs": [],
        },
    )


# --- Edits by staff with scope over the compound ---------------------------------


@staff_required
def compound_edit(request, pk):
    viewer = request.user
    compound = selectors.compound_get(viewer=viewer, pk=pk)
    if not rules.may_edit_compound(scope_for(viewer), compound):
        raise PermissionDenied
    if request.method == "POST":
        form = CompoundForm(request.POST)
        if form.is_valid():
            reason = form.cleaned_data.pop("reason")
            changes = {name: value for name, value in form.cleaned_data.items() if getattr(compound, name) != value}
            try:
                services.compound_update(actor=viewer, compound=compound, reason=reason, **changes)
            except ValidationError as exc:
                apply_service_errors(form, exc)
                compound = selectors.compound_get(viewer=viewer, pk=pk)  # drop unsaved changes
            else:
                messages.success(request, _("The compound's facts were saved."))
                return redirect("places:compound_detail", pk=compound.pk)
    else:
        form = CompoundForm(
            initial={name: getattr(compound, name) for name in CompoundForm.base_fields if name != "reason"}
        )
    return render(
        request,
        "places/compound_edit.html",
        {
            "compound": compound,
            "form": form,
            "crumbs": place_breadcrumbs(viewer, compound),
        },
    )


@staff_required
def room_area_edit(request, pk):
    viewer = request.user
    room = selectors.room_get(viewer=viewer, pk=pk)
    # A staff member's own flat elsewhere is visible to them, but not theirs to correct.
    compound = selectors.compound_get(viewer=viewer, pk=room.unit.building.compound_id)
    if not rules.may_edit_compound(scope_for(viewer), compound):
        raise PermissionDenied
    if request.method == "POST":
        form = RoomAreaForm(request.POST)
        if form.is_valid():
            try:
                services.room_update_area(actor=viewer, room=room, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
                room = selectors.room_get(viewer=viewer, pk=pk)
            else:
                messages.success(request, _("The room's area was corrected."))
                return redirect("places:room_detail", pk=room.pk)
    else:
        form = RoomAreaForm(initial={"area": room.area, "area_source": room.area_source})
    return render(
        request,
        "places/room_area_edit.html",
        {
            "room": room,
            "form": form,
            "crumbs": place_breadcrumbs(viewer, room),
        },
    )


# --- Home of residents and department staff (rendered by core.views.home) ---------


def home_context(viewer) -> dict:
    """A resident's household and the public facts of its compound; a department's staff."""
    rooms = list(selectors.room_list(viewer=viewer).order_by("unit__building__compound__name", "pk"))
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
