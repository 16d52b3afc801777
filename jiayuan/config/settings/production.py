"""Production: every secret must come from the environment; nothing insecure is defaulted."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = False
for _name, _value in {
    "JIAYUAN_SECRET_KEY": SECRET_KEY,  # noqa: F405
    "JIAYUAN_FIELD_KEYS": FIELD_ENCRYPTION_KEYS,  # noqa: F405
    "JIAYUAN_HASH_KEY": PERSONAL_DATA_HASH_KEY,  # noqa: F405
    "DATABASE_URL": DATABASE_URL,  # noqa: F405
}.items():
    if not _value:
        raise ImproperlyConfigured(f"{_name} must be set in production")
SESSION_COOKIE_SECURE = env_bool("JIAYUAN_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
