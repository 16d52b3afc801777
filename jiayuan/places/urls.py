from django.urls import path

from . import views

app_name = "places"
urlpatterns = [
    path("towns/", views.town_list, name="town_list"),
    path("towns/<int:pk>/", views.town_detail, name="town_detail"),
    path("compounds/", views.compound_list, name="compound_list"),
    path("compounds/<int:pk>/edit/", views.compound_edit, name="compound_edit"),
    path("rooms/<int:pk>/area/", views.room_area_edit, name="room_area_edit"),
]
