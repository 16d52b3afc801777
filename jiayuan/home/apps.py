from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    """The top of the product: pages that compose several apps (home, history, /me, the places pages that show
    what the other apps hold about a place)."""

    name = "jiayuan.home"
    label = "home"
    verbose_name = _("Home")
