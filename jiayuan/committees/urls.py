from django.urls import path

from . import views

app_name = "committees"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.committee_detail, name="committee_detail"),
    path("<int:pk>/filing/", views.filing_save, name="filing_save"),
    path("<int:pk>/inspections/", views.inspection_start, name="inspection_start"),
    path("<int:pk>/evaluations/", views.evaluation_add, name="evaluation_add"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path("inspections/<int:pk>/close/", views.inspection_close, name="inspection_close"),
    path("tasks/", views.task_list, name="task_list"),
    path("tasks/<int:pk>/complete/", views.task_complete, name="task_complete"),
    path("duty-lists/", views.duty_list, name="duty_list"),
    path("duty-lists/items/", views.duty_item_add, name="duty_item_add"),
    path("duty-lists/items/<int:pk>/", views.duty_item_edit, name="duty_item_edit"),
    path("duty-lists/defaults/", views.duty_defaults, name="duty_defaults"),
]
