from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RostersConfig(AppConfig):
    name = "jiayuan.rosters"
    label = "rosters"
    verbose_name = _("Excel rosters")
