"""Production: every secret must come from the environment; nothing insecure is defaulted."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool, env_int

DEBUG = False
for _name, _value in {
    "JIAYUAN_SECRET_KEY": SECRET_KEY,  # noqa: F405
    "JIAYUAN_FIELD_KEYS": FIELD_ENCRYPTION_KEYS,  # noqa: F405
    "JIAYUAN_HASH_KEY": PERSONAL_DATA_HASH_KEY,  # noqa: F405
    "DATABASE_URL": DATABASE_URL,  # noqa: F405
}.items():
    if not _value:
        raise ImproperlyConfigured(f"{_name} must be set in production")
from jiayuan.core.crypto import key_problems  # noqa: E402  (plain function; validates before anything starts)

_problems = key_problems(FIELD_ENCRYPTION_KEYS, PERSONAL_DATA_HASH_KEY)  # noqa: F405
if _problems:
    raise ImproperlyConfigured(" ".join(_problems))

SESSION_COOKIE_SECURE = env_bool("JIAYUAN_SECURE_COOKIES", True)
# HTTPS only: HSTS and the redirect to https. Behind a proxy that terminates TLS, set
# JIAYUAN_PROXY_SSL_HEADER=1 so the X-Forwarded-Proto header it sets is trusted.
SECURE_SSL_REDIRECT = env_bool("JIAYUAN_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("JIAYUAN_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("JIAYUAN_HSTS_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = False
if env_bool("JIAYUAN_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
