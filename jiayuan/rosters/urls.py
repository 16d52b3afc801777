from django.urls import path

from . import views

app_name = "rosters"
urlpatterns = [
    path("", views.index, name="index"),
    path("import/", views.upload, name="import"),
    path("template/<slug:kind>.xlsx", views.template, name="template"),
    path("export/<slug:kind>.xlsx", views.export, name="export"),
]
