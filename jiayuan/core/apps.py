from django.apps import AppConfig
from django.conf import settings
from django.core import checks
from django.utils.translation import gettext_lazy as _

from .crypto import key_problems


def check_personal_data_keys(app_configs=None, **kwargs):
    """The encryption and hash keys, checked at start-up (every manage command) rather than at the first read."""
    return [
        checks.Error(problem, id="jiayuan.E001")
        for problem in key_problems(list(settings.FIELD_ENCRYPTION_KEYS), settings.PERSONAL_DATA_HASH_KEY)
    ]


class CoreConfig(AppConfig):
    name = "jiayuan.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        checks.register(check_personal_data_keys, checks.Tags.security)
