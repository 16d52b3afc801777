"""The home app's URLs. `urlpatterns` is mounted at the root; `place_patterns` join the places namespace
(mounted under /places/ by `jiayuan.config.urls`), so every page keeps the address and name it always had."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("history/<str:object_type>/<str:object_id>/", views.history, name="history"),
]

person_patterns = [
    path("<int:pk>/", views.person_detail, name="person_detail"),
]

place_patterns = [
    path("communities/<int:pk>/", views.community_detail, name="community_detail"),
    path("compounds/<int:pk>/", views.compound_detail, name="compound_detail"),
    path("buildings/<int:pk>/", views.building_detail, name="building_detail"),
    path("rooms/<int:pk>/", views.room_detail, name="room_detail"),
]
