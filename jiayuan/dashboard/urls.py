from django.urls import path

from . import views

app_name = "dashboard"
urlpatterns = [
    path("", views.coverage, name="coverage"),
    path("compounds/", views.compounds, name="compounds"),
]
