"""Reads that compose several apps: the history of an object the viewer may see."""

from __future__ import annotations

from django.http import Http404

from jiayuan.core.audit import history_for
from jiayuan.organisations import selectors as org_selectors
from jiayuan.people import selectors as people_selectors
from jiayuan.places import selectors as place_selectors


def _visible_lookups():
    return {
        "places.compound": place_selectors.compound_get,
        "places.building": place_selectors.building_get,
        "places.room": place_selectors.room_get,
        "people.person": people_selectors.person_get,
        "organisations.organisation": org_selectors.organisation_get,
    }


def history_visible(*, viewer, object_type: str, object_id: str):
    """Audit entries of an object, if the viewer may see the object; otherwise 404."""
    getter = _visible_lookups().get(object_type)
    if getter is None or not object_id.isdigit():
        raise Http404
    obj = getter(viewer=viewer, pk=int(object_id))
    return history_for(obj).select_related("actor__person")
