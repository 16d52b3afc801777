"""Protected storage of personal data: Fernet encryption at rest, keyed hashes for lookup.

A value is stored twice: encrypted (recoverable by the application only) and as an
HMAC-SHA256 digest with a separate key, so "find the person with this ID number"
is an indexed equality match without decrypting every row.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("JIAYUAN_FIELD_KEYS is empty: personal data cannot be encrypted")
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(f"JIAYUAN_FIELD_KEYS holds an invalid Fernet key: {exc}") from exc


def key_problems(keys, hash_key: str) -> list[str]:
    """What is wrong with the configured keys, each naming its variable (empty: all is well)."""
    problems = []
    if not keys:
        problems.append("JIAYUAN_FIELD_KEYS is empty: personal data cannot be encrypted.")
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except (ValueError, TypeError):
            problems.append(
                f"JIAYUAN_FIELD_KEYS holds an invalid key at position {position}: each key is 32 bytes "
                'in url-safe base64 (make one with `python -c "from cryptography.fernet import Fernet; '
                'print(Fernet.generate_key().decode())"`).'
            )
    if not hash_key:
        problems.append("JIAYUAN_HASH_KEY is empty: personal data cannot be indexed.")
    return problems


def encrypt(value: str) -> str:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS)).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS)).decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured("stored personal data cannot be decrypted with JIAYUAN_FIELD_KEYS") from exc


def lookup_hash(value: str) -> str:
    key = settings.PERSONAL_DATA_HASH_KEY
    if not key:
        raise ImproperlyConfigured("JIAYUAN_HASH_KEY is empty: personal data cannot be indexed")
    return hmac.new(key.encode(), value.encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """A text column holding a Fernet token; Python code sees the plain value."""

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)
