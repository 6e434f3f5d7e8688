"""Encryption at rest for personal data, and the keyed blind index that lets us find a row by an
exact value without storing the value in clear.

Keys come from settings (the environment in production). MultiFernet encrypts with the first key
and decrypts with any, which is what key rotation needs."""

import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("TONGXIN_FIELD_KEYS is empty: personal data cannot be encrypted.")
    return MultiFernet([Fernet(k.encode()) for k in keys])


def field_cipher() -> MultiFernet:
    return _fernet(tuple(settings.TONGXIN_FIELD_KEYS))


def encrypt(value: str) -> str:
    return field_cipher().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return field_cipher().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "A stored value cannot be decrypted with TONGXIN_FIELD_KEYS: a key is missing."
        ) from exc


def blind_index(value: str, *, purpose: str) -> str:
    """HMAC-SHA256 of a normalised value, separated by purpose so equal phone and ID strings
    never share an index value."""
    key = settings.TONGXIN_BLIND_INDEX_KEY
    if not key:
        raise ImproperlyConfigured("TONGXIN_BLIND_INDEX_KEY is empty.")
    message = f"{purpose}:{value}".encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()


def generate_key() -> str:
    return Fernet.generate_key().decode()


class EncryptedTextField(models.TextField):
    """Stores Fernet tokens; Python code sees plain strings. Not searchable: pair it with a blind
    index column for exact look-ups."""

    def from_db_value(self, value: str | None, expression: object, connection: object) -> str | None:
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value: object) -> str | None:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return None if value is None else ""
        return encrypt(str(value))
