"""Settings shared by every environment; each value that differs per deployment comes from the
environment (twelve-factor), read once here through django-environ."""

from datetime import timedelta
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS: list[str] = env.list("DJANGO_ALLOWED_HOSTS", default=[])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "treebeard",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "tongxin.core",
    "tongxin.audit",
    "tongxin.territory",
    "tongxin.orgs",
    "tongxin.units",
    "tongxin.people",
    "tongxin.notifications",
    "tongxin.accounts",
    "tongxin.workdays",
    "tongxin.needs",
    "tongxin.matching",
    "tongxin.ledger",
    "tongxin.volunteers",
    "tongxin.records",
    "tongxin.activities",
    "tongxin.rewards",
    "tongxin.care",
    "tongxin.windows",
    "tongxin.insight",
    "tongxin.imports",
    "tongxin.registry",
    "tongxin.mobile",
    "tongxin.api",
    "tongxin.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "tongxin.accounts.middleware.StaffSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Axes must come last so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "tongxin" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "tongxin.accounts.context_processors.roles",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# Without DATABASE_URL the platform runs on an embedded SQLite file. WAL lets readers and the one
# writer work side by side; IMMEDIATE transactions take the write lock at BEGIN so two writers
# queue on busy_timeout instead of failing with "database is locked" half-way through.
SQLITE_PATH = VAR_DIR / "tongxin.sqlite3"
_SQLITE_INIT = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{SQLITE_PATH}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,  # seconds; sets busy_timeout
        "init_command": _SQLITE_INIT,
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", 60)
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts, logins, sessions ---------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "tongxin.accounts.passwords.CharacterClassValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "registry:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Idle timeout: the session lives 30 minutes past the last request.
SESSION_COOKIE_AGE = env.int("TONGXIN_IDLE_TIMEOUT_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

# Lockout: 5 failed logins within 15 minutes lock that user name (and, separately, that
# address) for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = env.int("TONGXIN_PROXY_COUNT", default=0)

OTP_TOTP_ISSUER = "同心 Tongxin"

# --- Personal data ----------------------------------------------------------------------------
# Field encryption keys (Fernet, urlsafe base64, 32 bytes): the first encrypts, all decrypt, so a
# new key is put first and `manage.py rotate_keys` re-encrypts every row with it.
TONGXIN_FIELD_KEYS: list[str] = env.list("TONGXIN_FIELD_KEYS", default=[])
# Key of the HMAC blind index used for exact look-ups of encrypted values.
TONGXIN_BLIND_INDEX_KEY: str = env("TONGXIN_BLIND_INDEX_KEY", default="")
# Key of the audit log's hash chain (HMAC); kept outside the database like the others.
TONGXIN_AUDIT_KEY: str = env("TONGXIN_AUDIT_KEY", default="")

# --- Background tasks -------------------------------------------------------------------------
# django-tasks with its database backend: `manage.py db_worker` runs them (make run starts one).
TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}

# --- REST API ---------------------------------------------------------------------------------
# Filled in by tongxin.api (authentication, throttling, error bodies); kept here so that one
# settings module tells the whole configuration.
REST_FRAMEWORK: dict[str, object] = {
    "DEFAULT_SCHEMA_CLASS": "tongxin.api.schema.TongxinAutoSchema",
    # Token first: its challenge makes an unauthenticated request a 401, not a 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "tongxin.api.tokens.TokenAuthentication",
        "tongxin.api.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "tongxin.api.pagination.PageNumber",
    "DEFAULT_THROTTLE_CLASSES": [
        "tongxin.api.throttles.AnonThrottle",
        "tongxin.api.throttles.UserThrottle",
        "tongxin.api.throttles.WriteThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("TONGXIN_API_RATE_ANON", default="30/min"),
        "user": env("TONGXIN_API_RATE_USER", default="600/min"),
        "write": env("TONGXIN_API_RATE_WRITE", default="60/min"),
        "reveal": env("TONGXIN_API_RATE_REVEAL", default="10/min"),
    },
    "EXCEPTION_HANDLER": "tongxin.api.errors.api_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS: dict[str, object] = {
    "TITLE": "同心 Tongxin API",
    "DESCRIPTION": (
        "属地、党组织、驻区单位、人员与党员信息的接口。权限范围与网页一致;人员敏感信息默认脱敏,"
        "查看明文须调用 reveal 并记入审计日志。所有错误返回同一结构 "
        '{"code", "message", "fields"},错误代码见 Error 组件。'
    ),
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "TerritoryLevelEnum": "tongxin.territory.models.TerritoryLevel",
        "OrgKindEnum": "tongxin.orgs.models.OrgKind",
        "UnitKindEnum": "tongxin.units.models.UnitKind",
        "MemberStatusEnum": "tongxin.people.models.MemberStatus",
        "FlowDirectionEnum": "tongxin.people.models.FlowDirection",
        "GenderEnum": "tongxin.people.models.Gender",
        "ErrorCodeEnum": "tongxin.api.errors.ERROR_CODE_CHOICES",
    },
}

# --- Language and time ------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "tongxin" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "tongxin" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Security headers -------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("TONGXIN_LOG_LEVEL", default="WARNING")},
}

# --- SMS and phone login -----------------------------------------------------------------------
# Which class sends text messages (tongxin.notifications.sms): the log in development, a vendor's
# backend in production, the in-memory outbox in tests.
TONGXIN_SMS_BACKEND: str = env("TONGXIN_SMS_BACKEND", default="tongxin.notifications.sms.LogSmsBackend")
# Key of the HMAC under which login codes are stored; empty means a key derived from SECRET_KEY.
TONGXIN_SMS_CODE_KEY: str = env("TONGXIN_SMS_CODE_KEY", default="")
# --- Notifications: in-app, SMS (above) and WeChat template messages ---------------------------
# tongxin.notifications.wechat: the official API in production; dev and test use the log / memory.
TONGXIN_WECHAT_BACKEND: str = env(
    "TONGXIN_WECHAT_BACKEND", default="tongxin.notifications.wechat.OfficialWeChatBackend"
)
TONGXIN_WECHAT_API_BASE: str = env("TONGXIN_WECHAT_API_BASE", default="https://api.weixin.qq.com")
TONGXIN_WECHAT_APPID: str = env("TONGXIN_WECHAT_APPID", default="")
TONGXIN_WECHAT_SECRET: str = env("TONGXIN_WECHAT_SECRET", default="")
# Our template names → the 服务号's template ids (JSON in the environment), e.g.
# {"need_status": "Tm…", "need_task": "Xy…"}. A name without an id is logged and not sent.
TONGXIN_WECHAT_TEMPLATES: dict[str, str] = env.json("TONGXIN_WECHAT_TEMPLATES", default={})
# Absolute base of this site, for the links in WeChat messages (which must be absolute).
TONGXIN_SITE_URL: str = env("TONGXIN_SITE_URL", default="")
# The log backend writes at INFO, below the root level, so its logger is opened here.
LOGGING["loggers"] = {"tongxin.notifications": {"level": "INFO"}}
