from .views import campaigns, meetings

app_name = "elections"
urlpatterns = campaigns.urlpatterns + meetings.urlpatterns
