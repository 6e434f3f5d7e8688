"""Test settings: the dev keys, fast password hashing, no static manifest."""

from .dev import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AXES_ENABLED = True

# Tasks run inside the request that enqueues them, so a test sees their result at once.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
TONGXIN_SMS_BACKEND = "tongxin.notifications.sms.InMemorySmsBackend"
