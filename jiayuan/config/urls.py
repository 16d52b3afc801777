from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy

from jiayuan.home.urls import person_patterns, place_patterns
from jiayuan.people.urls import urlpatterns as people_patterns
from jiayuan.places.urls import urlpatterns as places_patterns

from .api import api
from .api import docs as api_docs

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/docs", api_docs, name="api-docs"),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("jiayuan.core.urls")),
    path("", include("jiayuan.home.urls")),
    # The places pages: the register's own, and those the home app composes from several apps.
    path("places/", include((places_patterns + place_patterns, "places"))),
    path("people/", include((people_patterns + person_patterns, "people"))),
    path("organisations/", include("jiayuan.organisations.urls")),
    path("rosters/", include("jiayuan.rosters.urls")),
    path("dashboard/", include("jiayuan.dashboard.urls")),
    path("appeals/scores/", include("jiayuan.appeals.scores.urls")),
    path("appeals/", include("jiayuan.appeals.urls")),
    path("outreach/", include("jiayuan.outreach.urls")),
    path("elections/", include("jiayuan.elections.urls")),
    path("committees/", include("jiayuan.committees.urls")),
    path("open311/v2/", include("jiayuan.appeals.open311")),
]

if settings.JIAYUAN_BENCH:  # the benchmark's baseline views (`jiayuan bench appeals`), never in normal use
    urlpatterns.append(path("bench/", include("jiayuan.bench.appeals.urls")))

admin.site.site_header = gettext_lazy("Jiayuan administration")
admin.site.site_title = gettext_lazy("Jiayuan administration")
admin.site.index_title = gettext_lazy("Records and settings")
