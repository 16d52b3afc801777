"""Pages about people. ID and phone numbers are masked unless the viewer may see them."""

from __future__ import annotations

from django.shortcuts import render

from jiayuan.core.web import paginate, staff_required

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
