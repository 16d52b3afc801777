"""Pages about people. ID and phone numbers are masked unless the viewer may see them."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from jiayuan.organisations import selectors as org_selectors
from jiayuan.places.views import paginate, staff_required

from . import selectors
from .forms import PersonSearchForm


@staff_required
def person_list(request):
    viewer = request.user
    form = PersonSearchForm(request.GET or None)
    search = form.cleaned_data["q"] if form.is_valid() else ""
    page_obj = paginate(request, selectors.person_list(viewer=viewer, search=search))
    page_obj.object_list = list(page_obj.object_list)
    for person in page_obj.object_list:
        person.shown = selectors.personal_data(viewer=viewer, person=person)
    return render(request, "people/person_list.html", {"form": form, "search": search, "page_obj": page_obj})


@login_required
def person_detail(request, pk):
    viewer = request.user
    person = selectors.person_get(viewer=viewer, pk=pk)
    today = timezone.localdate()
    posts = list(org_selectors.posts_of_person(viewer=viewer, person=person))
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "shown": selectors.personal_data(viewer=viewer, person=person),
            "current_posts": [post for post in posts if post.end_date is None or post.end_date >= today],
            "past_posts": [post for post in posts if post.end_date is not None and post.end_date < today],
            "ownerships": selectors.ownerships_of_person(viewer=viewer, person=person),
            "residencies": selectors.residencies_of_person(viewer=viewer, person=person),
            "membership": selectors.party_membership_of(person=person),
            "today": today,
        },
    )
