"""The meetings pages (to come)."""

urlpatterns = []
