from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from .api import api
from .api import docs as api_docs

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/docs", api_docs, name="api-docs"),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("jiayuan.core.urls")),
    path("places/", include("jiayuan.places.urls")),
    path("people/", include("jiayuan.people.urls")),
    path("organisations/", include("jiayuan.organisations.urls")),
    path("rosters/", include("jiayuan.rosters.urls")),
    path("dashboard/", include("jiayuan.dashboard.urls")),
    path("appeals/scores/", include("jiayuan.appeals.score_urls")),
    path("appeals/", include("jiayuan.appeals.urls")),
    path("outreach/", include("jiayuan.outreach.urls")),
    path("elections/", include("jiayuan.elections.urls")),
    path("committees/", include("jiayuan.committees.urls")),
    path("open311/v2/", include("jiayuan.appeals.open311")),
]

if settings.JIAYUAN_BENCH:  # the benchmark's baseline views (`jiayuan bench appeals`), never in normal use
    urlpatterns.append(path("bench/", include("jiayuan.bench.appeals.urls")))

admin.site.site_header = "Jiayuan"
