"""Local development and the demo: a fixed development key so `make demo` needs no setup."""

from .base import *  # noqa: F403
from .base import derive_key, env_bool

# Debug pages stay off unless asked for: the demo is served like production would be.
DEBUG = env_bool("JIAYUAN_DEBUG", False)
# Without collected files (runserver), serve them straight from the app folders.
WHITENOISE_USE_FINDERS = not STATIC_COLLECTED  # noqa: F405
if not SECRET_KEY:  # noqa: F405
    SECRET_KEY = "jiayuan-development-key-not-for-production"
if not FIELD_ENCRYPTION_KEYS:  # noqa: F405
    FIELD_ENCRYPTION_KEYS = [derive_key("field", SECRET_KEY)]
if not PERSONAL_DATA_HASH_KEY:  # noqa: F405
    PERSONAL_DATA_HASH_KEY = derive_key("hash", SECRET_KEY)
