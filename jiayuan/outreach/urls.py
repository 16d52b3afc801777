from django.urls import path

from . import views

app_name = "outreach"
urlpatterns = [
    path("", views.index, name="index"),
    path("reception/", views.session_list, name="session_list"),
    path("reception/new/", views.session_create, name="session_create"),
    path("reception/<int:pk>/", views.session_detail, name="session_detail"),
    path("reception/<int:pk>/visitors/", views.visitor_add, name="visitor_add"),
    path("reception/<int:pk>/issues/", views.issue_add, name="issue_add"),
    path("links/", views.link_list, name="link_list"),
    path("links/new/", views.link_create, name="link_create"),
    path("links/<int:pk>/", views.link_detail, name="link_detail"),
    path("links/<int:pk>/actions/", views.action_add, name="action_add"),
    path("links/<int:pk>/end/", views.link_end, name="link_end"),
    path("service/", views.service_list, name="service_list"),
    path("service/new/", views.service_create, name="service_create"),
    path("disputes/", views.dispute_list, name="dispute_list"),
    path("disputes/new/", views.dispute_create, name="dispute_create"),
    path("disputes/<int:pk>/", views.dispute_detail, name="dispute_detail"),
    path("disputes/<int:pk>/<slug:action>/", views.dispute_act, name="dispute_act"),
]
