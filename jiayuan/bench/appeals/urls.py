"""Baseline URLs of the benchmark; included by config/urls.py only when settings.JIAYUAN_BENCH is true."""

from django.urls import path

from . import views

app_name = "bench"
urlpatterns = [
    path("ping/", views.ping, name="ping"),
    path("select/<int:pk>/", views.select_one, name="select"),
    path("insert/", views.insert_one, name="insert"),
]
