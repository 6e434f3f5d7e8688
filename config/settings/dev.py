"""Local development and the demo: DEBUG on, fixed development keys so `make run` needs no setup.

The development keys are public (they are in this file); never use them for real data."""

from .base import *  # noqa: F403
from .base import TONGXIN_AUDIT_KEY, TONGXIN_BLIND_INDEX_KEY, TONGXIN_FIELD_KEYS, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-secret-key-not-for-production-use-0123456789")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])

TONGXIN_FIELD_KEYS = TONGXIN_FIELD_KEYS or ["ZGV2LW9ubHktZmllbGQta2V5LW5vdC1mb3ItcmVhbC0="]
TONGXIN_BLIND_INDEX_KEY = TONGXIN_BLIND_INDEX_KEY or "dev-only-blind-index-key"
TONGXIN_AUDIT_KEY = TONGXIN_AUDIT_KEY or "dev-only-audit-chain-key"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Serve static files straight from the app folders (no collectstatic in development).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT = None  # type: ignore[assignment]

# Notifications: WeChat template messages go to the log.
TONGXIN_WECHAT_BACKEND = "tongxin.notifications.wechat.LogWeChatBackend"
TONGXIN_SITE_URL = env("TONGXIN_SITE_URL", default="http://127.0.0.1:8000")
