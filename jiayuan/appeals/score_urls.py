"""The three-rate scores page, mounted at /appeals/scores/ (before the appeals' own URLs)."""

from django.urls import path

from . import score_views

app_name = "appeal_scores"
urlpatterns = [
    path("", score_views.scores, name="index"),
]
