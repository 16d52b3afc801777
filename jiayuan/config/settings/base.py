"""Settings shared by every environment.

Everything that differs between machines comes from environment variables;
a bad value fails loudly at start-up. The defaults are the safe embedded setup:
SQLite in WAL mode under ./var, DEBUG off, secure cookies where HTTPS is used.
"""

import base64
import hashlib
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parents[2]  # the jiayuan package
VAR_DIR = Path(os.environ.get("JIAYUAN_VAR_DIR", Path.cwd() / "var")).resolve()


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false, yes/no), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("JIAYUAN_DEBUG", False)
SECRET_KEY = os.environ.get("JIAYUAN_SECRET_KEY", "")
ALLOWED_HOSTS = env_list("JIAYUAN_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("JIAYUAN_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_htmx",
    "ninja",  # so /api/v1/docs serves Swagger UI's files from here, not from a CDN
    "jiayuan.core",
    "jiayuan.places",
    "jiayuan.people",
    "jiayuan.organisations",
    "jiayuan.rosters",
    "jiayuan.dashboard",
    "jiayuan.appeals",
    "jiayuan.outreach",
    "jiayuan.elections",
    "jiayuan.committees",
    "jiayuan.home",
    "jiayuan.demo",  # the demo city's builders and `jiayuan demo`; no product app imports it
    "jiayuan.bench",  # the benchmarks and `jiayuan bench`; no product app imports it
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "jiayuan.core.middleware.ContentSecurityPolicyMiddleware",
    "jiayuan.core.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jiayuan.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "jiayuan.config.urls"
WSGI_APPLICATION = "jiayuan.config.wsgi.application"
ASGI_APPLICATION = "jiayuan.config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jiayuan.core.context_processors.viewer",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    try:
        _db = dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("JIAYUAN_DB_CONN_MAX_AGE", 60))
    except Exception as exc:  # dj_database_url raises several types for bad URLs
        raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from exc
    if _db["ENGINE"] not in {"django.db.backends.postgresql", "django.db.backends.sqlite3"}:
        raise ImproperlyConfigured("DATABASE_URL must name a postgres:// or sqlite:// database")
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    _db = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(VAR_DIR / "jiayuan.sqlite3")}
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer commits; IMMEDIATE transactions take the
    # write lock up front so concurrent writers queue instead of failing mid-transaction.
    _db.setdefault("OPTIONS", {})
    _db["OPTIONS"].update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -------------------------------------------------------------
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling: after AXES_FAILURE_LIMIT failures for one username from one
# address the pair is locked out for AXES_COOLOFF_TIME hours.
AXES_FAILURE_LIMIT = env_int("JIAYUAN_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("JIAYUAN_LOGIN_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("JIAYUAN_SESSION_SECONDS", 8 * 3600)
SESSION_COOKIE_SECURE = env_bool("JIAYUAN_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"


# --- Personal data --------------------------------------------------------
# ID and phone numbers are encrypted with Fernet keys (urlsafe base64, 32 bytes)
# and searchable through an HMAC with a separate key. The first key encrypts;
# the others still decrypt, which is how keys are rotated.
def derive_key(label: str, secret: str) -> str:
    """A Fernet-shaped key derived from `secret` (development and tests only)."""
    return base64.urlsafe_b64encode(hashlib.sha256(f"{label}:{secret}".encode()).digest()).decode()


FIELD_ENCRYPTION_KEYS = env_list("JIAYUAN_FIELD_KEYS", [])
PERSONAL_DATA_HASH_KEY = os.environ.get("JIAYUAN_HASH_KEY", "")

# --- Language and time ----------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

# --- Static files ---------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("JIAYUAN_STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Collected static files carry a hash in their names and a gzip and a Brotli copy each, so WhiteNoise serves them
# compressed with a cache lifetime of ten years (`jiayuan serve` and production). Without collecting them
# (runserver, tests) they are served as they are.
STATIC_COLLECTED = env_bool("JIAYUAN_STATIC_COLLECTED", False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_COLLECTED
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- Mail -----------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("JIAYUAN_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("JIAYUAN_FROM_EMAIL", "jiayuan@localhost")

# --- Uploads --------------------------------------------------------------
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
ROSTER_MAX_ROWS = env_int("JIAYUAN_ROSTER_MAX_ROWS", 50_000)
# How background jobs run (core.jobs): "thread" in the serving process (no broker needed), or "eager" inline.
JIAYUAN_JOBS = os.environ.get("JIAYUAN_JOBS", "thread")
# Any request body (six 5 MB photos, a 20 MB roster and the form around them fit).
MAX_REQUEST_BYTES = env_int("JIAYUAN_MAX_REQUEST_BYTES", 40 * 1024 * 1024)
ROSTER_MAX_UPLOAD_BYTES = env_int("JIAYUAN_ROSTER_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
# A workbook is a zip: its parts expanded may not exceed these (a shared-strings bomb is refused unopened).
ROSTER_MAX_UNZIPPED_BYTES = env_int("JIAYUAN_ROSTER_MAX_UNZIPPED_BYTES", 100 * 1024 * 1024)
ROSTER_MAX_PART_BYTES = env_int("JIAYUAN_ROSTER_MAX_PART_BYTES", 40 * 1024 * 1024)

# --- Domain configuration -------------------------------------------------
# A committee counts as "red" when party members hold at least this share of seats.
RED_COMMITTEE_SHARE = os.environ.get("JIAYUAN_RED_COMMITTEE_SHARE", "1/2")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("JIAYUAN_LOG_LEVEL", "WARNING")},
}

# --- Appeals ----------------------------------------------------------------
# Days after resolution during which the reporter may reopen an appeal.
APPEAL_REOPEN_DAYS = env_int("JIAYUAN_APPEAL_REOPEN_DAYS", 7)
# Weights of the composite score: response, resolution, satisfaction (fractions adding up to 1).
APPEAL_SCORE_WEIGHTS = env_list("JIAYUAN_APPEAL_SCORE_WEIGHTS", ["1/10", "1/2", "2/5"])
# Mounts the benchmark's baseline views under /bench/ (set by `jiayuan bench appeals` for its server only).
JIAYUAN_BENCH = env_bool("JIAYUAN_BENCH", False)
MEDIA_ROOT = Path(os.environ.get("JIAYUAN_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
# SQLite cannot hold the dispatch catalogue's "one rule per category and area" constraint when the
# area is empty (NULLs are distinct there); PostgreSQL holds it, and the admin form checks it on both.
SILENCED_SYSTEM_CHECKS = ["models.W047"]

# --- Content-Security-Policy ------------------------------------------------
# Everything from the platform itself; no inline script or style, no other origin (government intranets
# have no internet anyway). Photos and charts may use data: and blob: images.
CONTENT_SECURITY_POLICY = os.environ.get(
    "JIAYUAN_CSP",
    "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    ),
)

# --- Workbook bounds (rosters and tally files) -----------------------------
# A part expanding more than this many times its compressed size is a zip bomb, not a workbook; and a
# sheet may hold at most this many cells (rows × columns read), blank ones included.
ROSTER_MAX_ZIP_RATIO = env_int("JIAYUAN_ROSTER_MAX_ZIP_RATIO", 100)
ROSTER_MAX_CELLS = env_int("JIAYUAN_ROSTER_MAX_CELLS", 4_000_000)
