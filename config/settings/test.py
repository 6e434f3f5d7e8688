"""Test settings: the dev keys, fast password hashing, no static manifest."""

from .dev import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AXES_ENABLED = True

# Tasks run inside the request that enqueues them, so a test sees their result at once.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
TONGXIN_SMS_BACKEND = "tongxin.notifications.sms.InMemorySmsBackend"
TONGXIN_WECHAT_BACKEND = "tongxin.notifications.wechat.InMemoryWeChatBackend"

# The API's rates stay out of the way of the suite (schemathesis sends many requests); the
# throttling tests set their own low rates.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {
        "anon": "100000/min",
        "user": "100000/min",
        "write": "100000/min",
        "reveal": "100000/min",
    },
}

# The live server's threads must not keep connections open past a test, or PostgreSQL refuses to
# drop the test database at the end.
DATABASES["default"]["CONN_MAX_AGE"] = 0
