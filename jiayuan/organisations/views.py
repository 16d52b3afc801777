"""Pages about organisations: party organisations, owners' committees, property companies, departments."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from jiayuan.core.web import paginate, staff_required
from jiayuan.people.selectors import visible_person_ids
from jiayuan.places import selectors as place_selectors

from . import selectors
from .forms import OrganisationFilterForm
from .models import Organisation

Kind = Organisation.Kind


@staff_required
def organisation_list(request):
    form = OrganisationFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    kind = data.get("kind") or None
    history = bool(data.get("history"))
    organisations = selectors.organisation_list(
        viewer=request.user, kind=kind, search=data.get("q") or "", history=history, day=today
    )
    page_obj = paginate(request, selectors.with_successor_since(organisations))
    for organisation in page_obj:
        if organisation.kind == Kind.OWNERS_COMMITTEE:
            organisation.standing = selectors.committee_standing(organisation, today)
    return render(
        request,
        "organisations/organisation_list.html",
        {
            "form": form,
            "page_obj": page_obj,
            "history": history,
            # Owners' committees open on those in office today; the past ones are behind the switch.
            "offer_history": kind in (None, Kind.OWNERS_COMMITTEE),
        },
    )


@login_required
def organisation_detail(request, pk):
    viewer = request.user
    organisation = selectors.organisation_get(viewer=viewer, pk=pk)
    current_posts = list(selectors.organisation_posts(viewer=viewer, organisation=organisation, current=True))
    past_posts = list(selectors.organisation_posts(viewer=viewer, organisation=organisation, current=False))
    context = {
        "organisation": organisation,
        "current_posts": current_posts,
        "past_posts": past_posts,
        "compounds": selectors.compounds_covered(viewer=viewer, organisation=organisation),
        "venues": selectors.venues_of(viewer=viewer, organisation=organisation),
        "children": selectors.organisation_list(viewer=viewer).filter(parent=organisation),
        # Compound-level organisations say so when they cover nothing, party ones when they have no venue.
        "show_compounds": organisation.kind in (Kind.COMPOUND_BRANCH, Kind.OWNERS_COMMITTEE),
        "show_venues": organisation.kind in Organisation.PARTY_KINDS,
        "visible_people": visible_person_ids(viewer, [post.person for post in current_posts + past_posts]),
    }
    if organisation.kind == Kind.OWNERS_COMMITTEE:
        context["standing"] = selectors.committee_standing(organisation)
    if organisation.kind == Kind.PROPERTY_COMPANY:
        context["contracts"] = selectors.contracts_of_company(viewer=viewer, company=organisation)
        context["party_organisations"] = selectors.organisation_list(viewer=viewer).filter(company=organisation)
    if organisation.kind == Kind.DEVELOPER:
        context["developed"] = place_selectors.compound_list(viewer=viewer).filter(developer=organisation)
    return render(request, "organisations/organisation_detail.html", context)
