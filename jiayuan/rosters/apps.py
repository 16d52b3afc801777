from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RostersConfig(AppConfig):
    name = "jiayuan.rosters"
    label = "rosters"
    verbose_name = _("Excel rosters")

    def ready(self):
        from jiayuan.core import jobs

        from . import jobs as roster_jobs

        jobs.register(roster_jobs.EXPORT, roster_jobs.run_export)
        jobs.register(
            roster_jobs.IMPORT,
            roster_jobs.run_import,
            report_template="rosters/_result.html",
            report_context=roster_jobs.import_report,
        )
