"""Production: every secret must come from the environment; there is no default and no bypass."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    DATABASES,
    SECRET_KEY,
    TONGXIN_AUDIT_KEY,
    TONGXIN_BLIND_INDEX_KEY,
    TONGXIN_FIELD_KEYS,
    TONGXIN_SMS_CODE_KEY,
    env,
)

DEBUG = False
for _name, _value in {
    "DJANGO_SECRET_KEY": SECRET_KEY,
    "TONGXIN_FIELD_KEYS": TONGXIN_FIELD_KEYS,
    "TONGXIN_BLIND_INDEX_KEY": TONGXIN_BLIND_INDEX_KEY,
    "TONGXIN_AUDIT_KEY": TONGXIN_AUDIT_KEY,
    # Login codes are stored as HMACs under this key; a key derived from SECRET_KEY would change
    # with it and tie two secrets together.
    "TONGXIN_SMS_CODE_KEY": TONGXIN_SMS_CODE_KEY,
}.items():
    if not _value:
        raise ImproperlyConfigured(f"{_name} must be set in production.")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" and not env.bool(
    "TONGXIN_ALLOW_SQLITE", default=False
):
    raise ImproperlyConfigured("Production runs on PostgreSQL: set DATABASE_URL.")

SESSION_COOKIE_SECURE = env.bool("TONGXIN_SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env.int("TONGXIN_HSTS_SECONDS", default=0)

# Behind an HTTPS reverse proxy: trust its scheme header and name the public origins, or the CSRF
# origin check refuses every form, the login included.
CSRF_TRUSTED_ORIGINS: list[str] = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
if env.bool("TONGXIN_BEHIND_HTTPS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("TONGXIN_SSL_REDIRECT", default=False)
