"""Pages of the compound map that need the register alone: the town list and pages, the compound search,
and the register's corrections. The pages that compose several apps (a community's grids and workers, a
compound's three carriages and facts, a building's heads, a room's owners) are in `jiayuan.home`.

Every object comes through a scoped selector, so an object outside the viewer's scope
answers 404. List pages are staff pages: residents and department staff get 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from jiayuan.core.scope import scope_for
from jiayuan.core.web import PAGE_SIZE, apply_service_errors, paginate, sort_columns, sorted_by, staff_required

from . import rules, selectors, services
from .forms import CompoundFilterForm, CompoundForm, RoomAreaForm
from .models import Building, City, Community, Compound, Room, Town


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


@staff_required
def compound_list(request):
    viewer = request.user
    form = CompoundFilterForm(request.GET or None, viewer=viewer)
    filters = form.filters() if form.is_bound else {}
    compounds, sort = sorted_by(
        selectors.compound_search(viewer=viewer, **filters), selectors.COMPOUND_SORTS, request.GET.get("sort"), "code"
    )
    return render(
        request,
        "places/compound_list.html",
        {
            "form": form,
            "page_obj": paginate(request, compounds),
            "crumbs": [],
            "sort": sort,
            "columns": sort_columns(selectors.COMPOUND_SORTS, sort),
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
        status=422 if form.is_bound else 200,  # a bound form shown again was refused
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
        status=422 if form.is_bound else 200,  # a bound form shown again was refused
    )
