"""The JSON API, /api/v1/. Each app contributes a router from its api.py."""

from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.openapi.views import openapi_view
from ninja.security import SessionAuth

from jiayuan.core.api import register_error_handlers
from jiayuan.core.web import staff_required

api = NinjaAPI(
    title="Jiayuan API",
    version="1",
    description=str(_("Governance of residential compounds")),
    auth=SessionAuth(),
    urls_namespace="api",
    docs_url=None,  # served by `docs` below, to staff only; the OpenAPI document itself stays open
)
register_error_handlers(api)


@staff_required
def docs(request):
    """Swagger UI at /api/v1/docs, from the platform's own static files (ninja is an installed app)."""
    return openapi_view(request, api)


def _mount():
    from jiayuan.appeals.api import router as appeals_router
    from jiayuan.appeals.scores.api import router as score_router
    from jiayuan.committees.api import router as committees_router
    from jiayuan.dashboard.api import router as dashboard_router
    from jiayuan.elections.api import router as elections_router
    from jiayuan.home.api import people_router as home_people_router
    from jiayuan.home.api import places_router as home_places_router
    from jiayuan.home.api import router as home_router
    from jiayuan.organisations.api import router as organisations_router
    from jiayuan.outreach.api import router as outreach_router
    from jiayuan.people.api import router as people_router
    from jiayuan.places.api import router as places_router
    from jiayuan.rosters.api import router as rosters_router

    api.add_router("", home_router)  # /me
    api.add_router("/places", places_router)
    api.add_router("/places", home_places_router)  # compound and room details
    api.add_router("/people", people_router)
    api.add_router("/people", home_people_router)  # a person with their posts
    api.add_router("/organisations", organisations_router)
    api.add_router("/dashboard", dashboard_router)
    api.add_router("/rosters", rosters_router)
    api.add_router("/appeals", appeals_router)
    api.add_router("/appeal-scores", score_router)
    api.add_router("/outreach", outreach_router)
    api.add_router("/committees", committees_router)
    api.add_router("/elections", elections_router)


_mount()
