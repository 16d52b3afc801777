"""The campaigns pages (to come)."""

urlpatterns = []
