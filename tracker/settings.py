"""Settings for the claim tracker, read from the environment.

Every variable is documented in README.md. Without any variable set, the project runs for local use
(`make run`): DEBUG on, an SQLite file next to manage.py, a development secret. Production sets at least
SECRET_KEY, DEBUG=0, DATABASE_URL (PostgreSQL) and ALLOWED_HOSTS.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={value!r}: expected one of 1/0, true/false, yes/no, on/off")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    try:
        return int(value) if value else default
    except ValueError as err:
        raise ImproperlyConfigured(f"{name}={value!r}: expected a whole number") from err


DEBUG = env_bool("DEBUG", True)

_DEV_SECRET = "django-insecure-local-development-only-do-not-deploy"  # noqa: S105 - refused below unless DEBUG
SECRET_KEY = os.environ.get("SECRET_KEY", "" if not DEBUG else _DEV_SECRET)
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "simple_history",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "claims",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # A NUL byte or "¹"-style digits in the address or a field: a 400 naming it, before any view or query.
    "claims.middleware.OddInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses logins while a username + address is locked out
    "django.contrib.auth.backends.ModelBackend",
]
# Login lockout: after AXES_FAILURE_LIMIT failed logins for one username from one address, that pair is
# locked out for AXES_COOLOFF_MINUTES (django-axes 8 would otherwise lock out forever).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True

# Reverse proxies (docs/operations.md). TRUSTED_PROXY_COUNT is how many proxies in front of the app append to
# X-Forwarded-For; the lockout is keyed on the address the outermost one saw (claims.proxy). 0: no proxy, the
# connecting address. The X-Forwarded-Proto header is trusted only when TRUST_X_FORWARDED_PROTO is on: a
# client talking to the app directly could otherwise claim HTTPS.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "claims.proxy.client_ip"
if env_bool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp): scripts and styles from this site only, no plugins, no framing, forms
# posting back here. Inline style attributes are allowed (the admin and our panels use them); inline scripts
# are not. Checked in the browser tests: the admin pages report no violation.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
# Permissions-Policy: the tracker uses no device or browser feature; deny them all.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "autoplay", "camera", "display-capture", "encrypted-media", "fullscreen", "geolocation",
        "gyroscope", "magnetometer", "microphone", "midi", "payment", "publickey-credentials-get", "usb",
        "screen-wake-lock", "xr-spatial-tracking",
    )
}  # fmt: skip

ROOT_URLCONF = "tracker.urls"

# Django's form renderer with its commonest widget templates written in Python (same HTML; claims/forms_renderer.py).
FORM_RENDERER = "claims.forms_renderer.FastWidgetTemplates"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "tracker" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "tracker.wsgi.application"
ASGI_APPLICATION = "tracker.asgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background jobs (imports, conflict detection, rescoring, exports) run on Django's Tasks API with the
# database backend: the queue is a table of the same database, so any machine that reaches it can run
# `manage.py db_worker` (docs/scaling.md).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Files written by background export jobs (downloaded from the job's admin page; never served statically).
CLAIMS_JOB_FILES_DIR = Path(os.environ.get("CLAIMS_JOB_FILES_DIR", BASE_DIR / "var" / "job-files"))
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
# One date format everywhere: "7 Dec 2024", "7 Dec 2024 17:32", typed as YYYY-MM-DD (tracker/formats/en).
FORMAT_MODULE_PATH = ["tracker.formats"]

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))

LOGIN_URL = "admin:login"

# simple-history: one composite (history_date, id) index instead of one per column (design.md §Measured).
SIMPLE_HISTORY_DATE_INDEX = "composite"
SIMPLE_HISTORY_REVERT_DISABLED = True

# The organisation named as author of ClaimReview exports.
CLAIMS_ORGANISATION_NAME = os.environ.get("CLAIMS_ORGANISATION_NAME", "Claim Tracker Desk")
CLAIMS_ORGANISATION_URL = os.environ.get("CLAIMS_ORGANISATION_URL", "https://example.org/")
# The public address of this tracker, used in ClaimReview `url`s (falls back to the organisation's URL).
CLAIMS_SITE_URL = os.environ.get("CLAIMS_SITE_URL", "")
# Claims per chunk when exports stream rows (each chunk costs a fixed number of queries).
CLAIMS_EXPORT_CHUNK_SIZE = env_int("CLAIMS_EXPORT_CHUNK_SIZE", 2000)
# Largest article the importer accepts, in bytes.
CLAIMS_IMPORT_MAX_BYTES = env_int("CLAIMS_IMPORT_MAX_BYTES", 5 * 1024 * 1024)
# Importing from a URL (claims.services.fetch): seconds for the whole fetch, redirects followed, and whether
# private, loopback and link-local addresses may be fetched (never in production: a test turns it on for a
# server it starts on 127.0.0.1). The size limit is CLAIMS_IMPORT_MAX_BYTES.
CLAIMS_FETCH_TIMEOUT = env_int("CLAIMS_FETCH_TIMEOUT", 20)
CLAIMS_FETCH_MAX_REDIRECTS = env_int("CLAIMS_FETCH_MAX_REDIRECTS", 5)
CLAIMS_FETCH_ALLOW_PRIVATE = False

# A re-import matched to an article by title alone must share this per cent of the current revision's
# sentences, or be confirmed as a new revision (import_article --new-revision / the import form's box).
CLAIMS_REIMPORT_MIN_SHARED = env_int("CLAIMS_REIMPORT_MIN_SHARED", 50)
# Near-duplicate threshold (rapidfuzz ratio, 0-100) for the conflict detectors.
CLAIMS_DUPLICATE_THRESHOLD = env_int("CLAIMS_DUPLICATE_THRESHOLD", 90)
# "Take next" refuses a reviewer who already holds this many claims in review (decide or release one first).
CLAIMS_MAX_HELD = env_int("CLAIMS_MAX_HELD", 5)

# Production hardening: on whenever DEBUG is off, so `check --deploy` is clean.
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
