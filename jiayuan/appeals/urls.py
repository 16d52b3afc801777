from django.urls import path

from . import views

app_name = "appeals"
urlpatterns = [
    path("", views.appeal_list, name="appeal_list"),
    path("export.xlsx", views.appeal_export, name="appeal_export"),
    path("work/", views.department_work, name="department_work"),
    path("new/", views.intake, name="intake"),
    path("new/places/", views.intake_places, name="intake_places"),
    path("mine/", views.my_appeals, name="my_appeals"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("<int:pk>/", views.appeal_detail, name="appeal_detail"),
    path("<int:pk>/photos/<int:photo_pk>/", views.appeal_photo, name="appeal_photo"),
    path("<int:pk>/act/<slug:action>/", views.appeal_act, name="appeal_act"),
    path("<int:pk>/public/", views.appeal_public, name="appeal_public"),
    path("<int:pk>/contact/", views.appeal_contact, name="appeal_contact"),
]
