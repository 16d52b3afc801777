from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    name = "jiayuan.appeals"
    label = "appeals"
    verbose_name = _("Appeals")

    def ready(self):
        from jiayuan.core import jobs

        from . import exports

        jobs.register(exports.EXPORT, exports.run_export)
