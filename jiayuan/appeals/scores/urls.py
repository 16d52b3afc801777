"""The three-rate scores page, mounted at /appeals/scores/ (before the appeals' own URLs)."""

from django.urls import path

from . import views

app_name = "appeal_scores"
urlpatterns = [
    path("", views.scores, name="index"),
]
