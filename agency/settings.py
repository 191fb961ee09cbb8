"""Relevo settings, read once from the environment, grouped by feature.

With nothing set, Relevo runs embedded: SQLite, the in-memory channel layer and
eager Celery. DATABASE_URL and REDIS_URL switch to PostgreSQL and Redis. Every
variable is read through agency/settings_env.py: a value that is not what its
setting expects (a word where a number goes) stops the start with
ImproperlyConfigured naming the variable. The periodic tasks are agency/beat.py.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp import constants as csp
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from agency import beat
from agency.settings_env import env_bool, env_choice, env_float, env_host_ports, env_int, env_list, env_str, served_at
from core.redis_connection import RedisAddress

BASE_DIR = Path(__file__).resolve().parent.parent

# --- Django: debug, secret key, hosts, apps --------------------------------------
DEBUG = env_bool("DEBUG", False)
# The embedded key is published with the source: only a DEBUG run (./run) may use it.
EMBEDDED_SECRET_KEY = "embedded-insecure-key-set-SECRET_KEY-in-production"  # noqa: S105 (refused below)
SECRET_KEY = env_str("SECRET_KEY") or EMBEDDED_SECRET_KEY
if not DEBUG and SECRET_KEY == EMBEDDED_SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set and DEBUG is off: refusing to start with the key published in the source. "
        "Set SECRET_KEY to a long random value (python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
        "or DEBUG=1 for a local run."
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
CSRF_FAILURE_VIEW = "agency.csrf.csrf_failure"  # JSON for the console's API, the usual page for forms

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "csp",
    "clients",
    "agency",
    "chats",
    "reports",
    "quality",
    "planning",
    "supervision",
    "privacy",
    "portal",
    "observability",
]

MIDDLEWARE = [
    "core.log_context.RequestIdMiddleware",  # first: every line of a request names it (X-Request-ID)
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",  # after WhiteNoise: static files need no policy
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out login into the lockout page
]

ROOT_URLCONF = "agency.urls"
ASGI_APPLICATION = "agency.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database and each process's connection budget -------------------------------
DATABASE_URL = env_str("DATABASE_URL")
# Connection budget per server process (agency/asgi.py, docs/operations.md): at most
# HTTP_MAX_CONCURRENT_REQUESTS + CHAT_DB_THREADS + 1 PostgreSQL connections. HTTP
# requests beyond the limit wait their turn; each request closes its connection at its
# end. The consumers' CHAT_DB_THREADS threads keep theirs for the message path.
HTTP_MAX_CONCURRENT_REQUESTS = env_int("HTTP_MAX_CONCURRENT_REQUESTS", 10)
# Seconds a connection may take to send a request's line and headers (slow clients,
# agency/http_protocol.py, used with uvicorn's `--http agency.http_protocol:HeadTimeoutHttpProtocol`).
HTTP_HEADER_TIMEOUT_SECONDS = env_float("HTTP_HEADER_TIMEOUT_SECONDS", 10)
CHAT_DB_THREADS = env_int("CHAT_DB_THREADS", 8)
# SIGTERM (a deploy): sockets get SERVER_DRAIN_SECONDS to finish their frame and be closed with
# 4012 (reconnect), then the server's own shutdown gets SERVER_SHUTDOWN_SECONDS; then the process
# exits whatever is left (core/socket_drain.py).
SERVER_DRAIN_SECONDS = env_float("SERVER_DRAIN_SECONDS", 10)
SERVER_SHUTDOWN_SECONDS = env_float("SERVER_SHUTDOWN_SECONDS", 5)
# Message batches a process stores at once (chats.group_commit). One: a message that
# comes during a commit waits for it (a few ms) and goes in the next batch, which
# keeps batches big and messages cheap under load (bench/relay.py: p99 at 600 msg/s
# 53 ms with 1, 79 ms with 2, 111 ms with 4). More lets a quiet process commit at
# once and keeps its messages moving while one batch waits on a row lock.
CHAT_COMMITS_AT_ONCE = env_int("CHAT_COMMITS_AT_ONCE", 1)
# What stands between Relevo and PostgreSQL: "" (nothing) or "pgbouncer" in transaction pooling
# (deploy/pgbouncer.ini), where a server connection is lent for one transaction: then no
# server-side cursors (an .iterator() would FETCH from a cursor that another connection holds).
# Session state is avoided everywhere: statement_timeout is set per transaction (set_config(…, true)),
# no advisory locks, no LISTEN, no prepared statements (psycopg2 has none); PgBouncer itself
# carries application_name and TimeZone from client to client (docs/operations.md).
DATABASE_POOLER = env_str("DATABASE_POOLER", "")
if DATABASE_POOLER not in {"", "pgbouncer"}:
    raise ImproperlyConfigured(f"DATABASE_POOLER={DATABASE_POOLER!r} is not one of '', 'pgbouncer'.")
# Each process names its connections "relevo:<pid>" (pg_stat_activity.application_name).
DATABASE_APPLICATION_NAME = f"{env_str('DATABASE_APPLICATION_NAME', 'relevo')}:{os.getpid()}"


def database_from_url(url: str) -> dict:
    # No per-use health check: it costs a round trip on every message. A connection
    # broken by a database restart fails one operation and is then replaced.
    config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=False)
    options = config.setdefault("OPTIONS", {})
    if config["ENGINE"] == "django.db.backends.sqlite3":
        for name, value in SQLITE_OPTIONS.items():
            options.setdefault(name, value)
    elif config["ENGINE"] in POSTGRESQL_ENGINES:  # the connection's name is PostgreSQL's alone
        options.setdefault("application_name", DATABASE_APPLICATION_NAME)
        config["DISABLE_SERVER_SIDE_CURSORS"] = DATABASE_POOLER == "pgbouncer"
    return config


POSTGRESQL_ENGINES = {"django.db.backends.postgresql", "django.contrib.gis.db.backends.postgis"}
# SQLite (./run, or a sqlite:/// DATABASE_URL): a writer waits for the lock instead of failing at once.
SQLITE_OPTIONS = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
DATABASES = {
    "default": database_from_url(DATABASE_URL)
    if DATABASE_URL
    else {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3", "OPTIONS": dict(SQLITE_OPTIONS)}
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: channel layer, limits shared by every process, cache ------------------
REDIS_URL = env_str("REDIS_URL")
# Through Sentinel (docs/operations.md): the Sentinels' host:port list and the name of the master
# they watch. Then every process follows a failover; REDIS_URL gives only the database number and
# password. core.redis_connection builds every Redis connection from REDIS.
REDIS_SENTINELS = env_host_ports("REDIS_SENTINELS", default_port=26379)
REDIS_SENTINEL_MASTER = env_str("REDIS_SENTINEL_MASTER", "relevo")
REDIS = RedisAddress(url=REDIS_URL, sentinels=REDIS_SENTINELS, master=REDIS_SENTINEL_MASTER)
CHANNEL_LAYER_PREFIX = env_str("CHANNEL_LAYER_PREFIX", "relevo")
# The pub/sub layer by default: the core Redis layer stalled under concurrency
# on this machine kind (shared/FIELD-NOTES.md; `bench/relay.py --layer core`
# compares them). Either way the layer is only a doorbell; PostgreSQL is the record.
CHANNEL_LAYER_BACKENDS = {
    # channels_redis' pub/sub layer, made to open sockets while Redis is down.
    "pubsub": "core.channel_layer.ResilientPubSubChannelLayer",
    "core": "channels_redis.core.RedisChannelLayer",
}
if REDIS:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": CHANNEL_LAYER_BACKENDS[env_str("CHANNEL_LAYER", "pubsub")],
            # Named so that `CLIENT LIST` shows whose connections these are.
            "CONFIG": {
                "hosts": [REDIS.channel_layer_host(client_name=f"relevo-layer:{os.getpid()}")],
                "prefix": CHANNEL_LAYER_PREFIX,
            },
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# Flood and socket limits shared by every process (core.limits): one Redis client per
# process with at most REDIS_LIMITS_CONNECTIONS connections, named relevo-limits:<pid>.
# Open sockets are counted as per-process leases renewed every third of
# CHAT_SOCKET_LEASE_SECONDS: a killed process's sockets stop counting after that long.
REDIS_LIMITS_CONNECTIONS = env_int("REDIS_LIMITS_CONNECTIONS", 4)
CHAT_SOCKET_LEASE_SECONDS = env_int("CHAT_SOCKET_LEASE_SECONDS", 60)
# Django's cache holds nothing shared: its handles are per async context and per
# request thread, so a Redis cache would open connections per socket and request.
# Whatever processes share is counted in core.limits' one client per process.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery (agency/celery.py; the periodic tasks are agency/beat.py) --------------
CELERY_BROKER_URL, CELERY_BROKER_TRANSPORT_OPTIONS = REDIS.celery_broker({"visibility_timeout": 2 * 3600})
CELERY_TASK_ALWAYS_EAGER = not REDIS or env_bool("CELERY_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "relevo")
CELERY_BEAT_SCHEDULE = beat.BEAT_SCHEDULE  # the same dict the Celery app is given

# --- Auth: passwords, logins, lockout, API tokens, password reset -------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# django-axes counts failed logins (admin and /accounts/login/ alike) per username and,
# separately, per client IP; past the limit both are refused until the cool-off ends or
# an admin deletes the access attempt (Admin → Axes → Access attempts).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "agency.logins.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
# Wrong API tokens per client IP per hour; past it every token from that IP gets 429.
API_TOKEN_FAILURES_PER_IP_PER_HOUR = env_int("API_TOKEN_FAILURES_PER_IP_PER_HOUR", 20)
# Password reset requests (shared hourly counters, like the widget's flood limits).
PASSWORD_RESETS_PER_IP_PER_HOUR = env_int("PASSWORD_RESETS_PER_IP_PER_HOUR", 10)
PASSWORD_RESETS_PER_EMAIL_PER_HOUR = env_int("PASSWORD_RESETS_PER_EMAIL_PER_HOUR", 3)
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT_SECONDS", 3 * 3600)
# Agent and floor sockets close (4401) the moment their login ends; a doorbell the channel
# layer lost is caught by a check each socket repeats this often (agency.sessions).
SOCKET_LOGIN_RECHECK_SECONDS = env_float("SOCKET_LOGIN_RECHECK_SECONDS", 20)

# --- Languages, time, static files ----------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish")), ("pl", _("Polish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# --- Email ------------------------------------------------------------------------
# Django's own names. With EMAIL_HOST set, mail goes out over SMTP; without it
# (./run) every email is printed to the worker's log, which `check --deploy` warns about.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)  # STARTTLS, usually port 587
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)  # TLS from the first byte, usually port 465
EMAIL_BACKEND = env_str("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(BASE_DIR / "sent-emails"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Relevo <no-reply@relevo.localhost>")
SERVER_EMAIL = env_str("SERVER_EMAIL") or DEFAULT_FROM_EMAIL  # the sender of Django's own error emails
# Seconds an SMTP connect or reply may take before the send fails (and is retried):
# without it a hung mail server would hold a delivery in "sending" forever.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
# Where Relevo is reached from outside: links in emails point here. Unset, it is where
# ./run serves, http://$HOST:$PORT (./run exports both).
RELEVO_BASE_URL = env_str("RELEVO_BASE_URL") or served_at()
# The domain of the Message-ID of every email (stable across retries).
RELEVO_MESSAGE_ID_DOMAIN = env_str("RELEVO_MESSAGE_ID_DOMAIN", "relevo.localhost")

# --- REST API (docs/api.md) ----------------------------------------------------------
# Tokens for integrations (listed first, so an anonymous call is a 401 that names the
# scheme), the session for the browser.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "agency.api_authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "core.pagination.ApiPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "core.api_schema.RelevoAutoSchema",
    "EXCEPTION_HANDLER": "core.api_errors.handle_api_error",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Relevo API",
    "DESCRIPTION": "Clients, coverage, agents, conversations, escalations, leads and analytics (docs/api.md).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Production hardening (active when DEBUG is off and HTTPS is declared) ------
SECURE_HTTPS = env_bool("SECURE_HTTPS", False)
SESSION_COOKIE_SECURE = SECURE_HTTPS
CSRF_COOKIE_SECURE = SECURE_HTTPS
SECURE_SSL_REDIRECT = SECURE_HTTPS
SECURE_HSTS_SECONDS = 31536000 if SECURE_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HTTPS
SECURE_HSTS_PRELOAD = SECURE_HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE_HTTPS else None
# The balancer's and Prometheus' probes reach each process over plain HTTP: never redirected to https.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]

# Content-Security-Policy of Relevo's own pages (console, portal, admin). The widget's
# endpoints and the demo pages that embed it are exempt (csp_exempt): a client's site
# has its own policy. 'self' covers the console's same-host ws:/wss: socket (CSP 3);
# styles allow inline attributes for the admin's coverage grid.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF],
        "style-src": [csp.SELF, csp.UNSAFE_INLINE],
        "img-src": [csp.SELF, "data:"],
        "connect-src": [csp.SELF],
        "object-src": [csp.NONE],
        "base-uri": [csp.SELF],
        "form-action": [csp.SELF],
        "frame-ancestors": [csp.NONE],
    },
}

# --- Logging, health and metrics (observability/, docs/operations.md) -------------
# text: Python's plain lines (./run); json: one JSON object a line with the request id and the
# conversation, client and agent where known (core.json_logs), the server's own lines too.
LOG_FORMAT = env_choice("LOG_FORMAT", "text", ("text", "json"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_tokens": {"()": "core.log_redaction.RedactTokens"}},  # no visitor token in any line
    "formatters": {"json": {"()": "core.json_logs.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["redact_tokens"],
            **({"formatter": "json"} if LOG_FORMAT == "json" else {}),
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # One line per periodic task run is noise; failures still show.
    # Axes writes four INFO lines per successful login; lockouts still show as warnings.
    "loggers": {"celery.app.trace": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
# GET /metrics answers only `Authorization: Bearer <METRICS_TOKEN>`; unset, it is 404 (off).
METRICS_TOKEN = env_str("METRICS_TOKEN")
# prometheus-client's multiprocess mode: every process of a machine (uvicorn, Celery workers) writes
# its metrics in this directory and /metrics sums them. Empty it before the processes start.
# Unset: each process exports its own metrics only (right for ./run's one process).
PROMETHEUS_MULTIPROC_DIR = env_str("PROMETHEUS_MULTIPROC_DIR")
# /readyz gives the database and Redis this long to answer.
READINESS_TIMEOUT_SECONDS = env_float("READINESS_TIMEOUT_SECONDS", 2)

# --- Relevo's features: each one's settings under its own header ------------------
from agency.settings_features import *  # noqa: E402, F403
