"""Relevo settings, read once from the environment.

With nothing set, Relevo runs embedded: SQLite, the in-memory channel layer and
eager Celery. DATABASE_URL and REDIS_URL switch to PostgreSQL and Redis.
"""
import json
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp import constants as csp
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def served_at() -> str:
    """The URL ./run serves on, from its HOST and PORT (a wildcard host means this machine)."""
    host = os.environ.get("HOST", "").strip() or "127.0.0.1"
    port = os.environ.get("PORT", "").strip() or "8000"
    return f"http://{'127.0.0.1' if host in {'0.0.0.0', '::'} else host}:{port}"  # noqa: S104


DEBUG = env_bool("DEBUG", False)
# The embedded key is published with the source: only a DEBUG run (./run) may use it.
EMBEDDED_SECRET_KEY = "embedded-insecure-key-set-SECRET_KEY-in-production"  # noqa: S105 (refused below)
SECRET_KEY = os.environ.get("SECRET_KEY") or EMBEDDED_SECRET_KEY
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
]

MIDDLEWARE = [
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

# --- Database -----------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
# Connection budget per server process (agency/asgi.py, docs/operations.md): at most
# HTTP_MAX_CONCURRENT_REQUESTS + CHAT_DB_THREADS + 1 PostgreSQL connections. HTTP
# requests beyond the limit wait their turn; each request closes its connection at its
# end. The consumers' CHAT_DB_THREADS threads keep theirs for the message path.
HTTP_MAX_CONCURRENT_REQUESTS = int(os.environ.get("HTTP_MAX_CONCURRENT_REQUESTS", 10))
# Seconds a connection may take to send a request's line and headers (slow clients,
# agency/http_protocol.py, used with uvicorn's `--http agency.http_protocol:HeadTimeoutHttpProtocol`).
HTTP_HEADER_TIMEOUT_SECONDS = float(os.environ.get("HTTP_HEADER_TIMEOUT_SECONDS", 10))
CHAT_DB_THREADS = int(os.environ.get("CHAT_DB_THREADS", 8))
# Message batches a process stores at once (chats.group_commit). One: a message that
# comes during a commit waits for it (a few ms) and goes in the next batch, which
# keeps batches big and messages cheap under load (bench/relay.py: p99 at 600 msg/s
# 53 ms with 1, 79 ms with 2, 111 ms with 4). More lets a quiet process commit at
# once and keeps its messages moving while one batch waits on a row lock.
CHAT_COMMITS_AT_ONCE = int(os.environ.get("CHAT_COMMITS_AT_ONCE", 1))
# Each process names its connections "relevo:<pid>" (pg_stat_activity.application_name).
DATABASE_APPLICATION_NAME = f"{os.environ.get('DATABASE_APPLICATION_NAME', 'relevo')}:{os.getpid()}"


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

# --- Redis: channel layer and Celery broker -------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
CHANNEL_LAYER_PREFIX = os.environ.get("CHANNEL_LAYER_PREFIX", "relevo")
# The pub/sub layer by default: the core Redis layer stalled under concurrency
# on this machine kind (shared/FIELD-NOTES.md; `bench/relay.py --layer core`
# compares them). Either way the layer is only a doorbell; PostgreSQL is the record.
CHANNEL_LAYER_BACKENDS = {
    # channels_redis' pub/sub layer, made to open sockets while Redis is down.
    "pubsub": "chats.resilient_layer.ResilientPubSubChannelLayer",
    "core": "channels_redis.core.RedisChannelLayer",
}
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": CHANNEL_LAYER_BACKENDS[os.environ.get("CHANNEL_LAYER", "pubsub")],
            # Named so that `CLIENT LIST` shows whose connections these are.
            "CONFIG": {"hosts": [{"address": REDIS_URL, "client_name": f"relevo-layer:{os.getpid()}"}],
                       "prefix": CHANNEL_LAYER_PREFIX},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL or env_bool("CELERY_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 3600}
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "relevo")
CELERY_BEAT_SCHEDULE = {
    "sweep-unconnected-conversations": {  # chats created whose socket never came (CHAT_VISITOR_CONNECT_SECONDS)
        "task": "chats.tasks.sweep_unconnected_conversations",
        "schedule": 10.0,
    },
    "sweep-abandoned-conversations": {
        "task": "chats.tasks.sweep_abandoned_conversations",
        "schedule": 30.0,
    },
    "sweep-idle-conversations": {
        "task": "chats.tasks.sweep_idle_conversations",
        "schedule": 60.0,
    },
    "reports-send-due-deliveries": {  # lost workers' rows, retries, hourly digests (docs/operations.md)
        "task": "reports.tasks.send_due_deliveries",
        "schedule": float(os.environ.get("REPORT_SWEEP_SECONDS", 30)),
    },
    "reports-deliver-missing-offline-messages": {  # leads whose after-commit announcement was lost
        "task": "reports.tasks.deliver_missing_offline_messages",
        "schedule": 300.0,
    },
    "reports-build-missing-reports": {
        "task": "reports.tasks.build_missing_reports",
        "schedule": 300.0,
    },
    "reports-escalation-reminders": {
        "task": "reports.tasks.send_escalation_reminders",
        "schedule": 900.0,
    },
    "reports-delete-expired-data": {  # each client's retention period
        "task": "reports.tasks.delete_expired_data",
        "schedule": crontab(hour=3, minute=15),
    },
    "reports-daily-digests": {
        "task": "reports.tasks.send_daily_digests",
        "schedule": crontab(hour=7, minute=0),
    },
    "reports-weekly-feedback": {
        "task": "reports.tasks.send_weekly_feedback",
        "schedule": crontab(day_of_week="mon", hour=7, minute=30),
    },
    "close-queues-outside-coverage": {
        "task": "chats.tasks.close_queues_outside_coverage",
        "schedule": 60.0,
    },
    "clients-send-due-webhook-deliveries": {  # webhook retries and lost workers' rows (docs/webhooks.md)
        "task": "clients.tasks.send_due_webhook_deliveries",
        "schedule": float(os.environ.get("REPORT_SWEEP_SECONDS", 30)),
    },
    "reports-callback-reminders": {  # callbacks due within CHAT_CALLBACK_REMIND_MINUTES
        "task": "reports.tasks.send_callback_reminders",
        "schedule": 60.0,
    },
    "reports-quality-emails": {  # NPS surveys now due, then due or retried transcripts and surveys
        "task": "reports.quality.tasks.send_quality_emails_due",
        "schedule": 300.0,
    },
}

# Flood and socket limits shared by every process (core.limits): one Redis client per
# process with at most REDIS_LIMITS_CONNECTIONS connections, named relevo-limits:<pid>.
# Open sockets are counted as per-process leases renewed every third of
# CHAT_SOCKET_LEASE_SECONDS: a killed process's sockets stop counting after that long.
REDIS_LIMITS_CONNECTIONS = int(os.environ.get("REDIS_LIMITS_CONNECTIONS", 4))
CHAT_SOCKET_LEASE_SECONDS = int(os.environ.get("CHAT_SOCKET_LEASE_SECONDS", 60))
# Agent and floor sockets close (4401) the moment their login ends; a doorbell the channel
# layer lost is caught by a check each socket repeats this often (agency.sessions).
SOCKET_LOGIN_RECHECK_SECONDS = float(os.environ.get("SOCKET_LOGIN_RECHECK_SECONDS", 20))
# The chat sweeps (abandoned, unconnected) handle this many chats per transaction and announce
# places in line once per client; at most one of each sweep is queued or running, for at most
# SWEEP_CLAIM_SECONDS (a killed worker's claim expires).
CHAT_SWEEP_BATCH = int(os.environ.get("CHAT_SWEEP_BATCH", 200))
SWEEP_CLAIM_SECONDS = int(os.environ.get("SWEEP_CLAIM_SECONDS", 300))
# Django's cache holds nothing shared: its handles are per async context and per
# request thread, so a Redis cache would open connections per socket and request.
# Whatever processes share is counted in core.limits' one client per process.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Auth, i18n, static ---------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# --- Auth: login lockout, API tokens, password reset -------------------------------
# django-axes counts failed logins (admin and /accounts/login/ alike) per username and,
# separately, per client IP; past the limit both are refused until the cool-off ends or
# an admin deletes the access attempt (Admin → Axes → Access attempts).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", 15)))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "agency.logins.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
# Wrong API tokens per client IP per hour; past it every token from that IP gets 429.
API_TOKEN_FAILURES_PER_IP_PER_HOUR = int(os.environ.get("API_TOKEN_FAILURES_PER_IP_PER_HOUR", 20))
# Password reset requests (shared hourly counters, like the widget's flood limits).
PASSWORD_RESETS_PER_IP_PER_HOUR = int(os.environ.get("PASSWORD_RESETS_PER_IP_PER_HOUR", 10))
PASSWORD_RESETS_PER_EMAIL_PER_HOUR = int(os.environ.get("PASSWORD_RESETS_PER_EMAIL_PER_HOUR", 3))
PASSWORD_RESET_TIMEOUT = int(os.environ.get("PASSWORD_RESET_TIMEOUT_SECONDS", 3 * 3600))

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

# Email: Django's own names. With EMAIL_HOST set, mail goes out over SMTP; without it
# (./run) every email is printed to the worker's log, which `check --deploy` warns about.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT") or 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)  # STARTTLS, usually port 587
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)  # TLS from the first byte, usually port 465
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "sent-emails"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Relevo <no-reply@relevo.localhost>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL") or DEFAULT_FROM_EMAIL  # the sender of Django's own error emails

# The REST API (docs/api.md): tokens for integrations (listed first, so an anonymous
# call is a 401 that names the scheme), the session for the browser.
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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_tokens": {"()": "chats.log_redaction.RedactTokens"}},  # no visitor token in any line
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact_tokens"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # One line per periodic task run is noise; failures still show.
    # Axes writes four INFO lines per successful login; lockouts still show as warnings.
    "loggers": {"celery.app.trace": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}

# --- Chat limits (an operator may tune these) -----------------------------------
# The longest text a person may write: chat messages, offline messages, escalations, answers and feedback.
# The widget (its config endpoint) and the console (a data attribute) read it from here.
CHAT_MAX_BODY_CHARS = int(os.environ.get("CHAT_MAX_BODY_CHARS", 4000))
CHAT_MAX_FRAME_BYTES = int(os.environ.get("CHAT_MAX_FRAME_BYTES", 16384))
# Calls (chats.calls): STUN/TURN servers for both browsers, a JSON list of RTCIceServer
# ({"urls": …, "username": …, "credential": …}); none by default (host candidates only).
CHAT_ICE_SERVERS = json.loads(os.environ.get("CHAT_ICE_SERVERS") or "[]")
if not isinstance(CHAT_ICE_SERVERS, list) or not all(isinstance(s, dict) and "urls" in s for s in CHAT_ICE_SERVERS):
    raise ImproperlyConfigured("CHAT_ICE_SERVERS must be a JSON list of {\"urls\": …} objects.")
# Call frames per socket (offer, answer, SDP, ICE candidates come in bursts): their own budget.
CHAT_CALL_FRAMES_PER_MINUTE = int(os.environ.get("CHAT_CALL_FRAMES_PER_MINUTE", 300))
CHAT_CALL_FRAME_BURST = int(os.environ.get("CHAT_CALL_FRAME_BURST", 60))
# Callback requests: how far ahead a visitor may choose, and how long before it the handlers are reminded.
CHAT_CALLBACK_MAX_DAYS_AHEAD = int(os.environ.get("CHAT_CALLBACK_MAX_DAYS_AHEAD", 14))
CHAT_CALLBACK_REMIND_MINUTES = int(os.environ.get("CHAT_CALLBACK_REMIND_MINUTES", 15))
# Frames (messages, typing…) per socket: a steady rate per minute and a burst.
CHAT_VISITOR_FRAMES_PER_MINUTE = int(os.environ.get("CHAT_VISITOR_FRAMES_PER_MINUTE", 100))
CHAT_VISITOR_FRAME_BURST = int(os.environ.get("CHAT_VISITOR_FRAME_BURST", 20))
CHAT_AGENT_FRAMES_PER_MINUTE = int(os.environ.get("CHAT_AGENT_FRAMES_PER_MINUTE", 600))
CHAT_AGENT_FRAME_BURST = int(os.environ.get("CHAT_AGENT_FRAME_BURST", 60))
CHAT_MAX_SOCKETS_PER_CONVERSATION = int(os.environ.get("CHAT_MAX_SOCKETS_PER_CONVERSATION", 5))
# New conversations per visitor IP per hour, and per widget key per hour.
CHAT_CONVERSATIONS_PER_IP_PER_HOUR = int(os.environ.get("CHAT_CONVERSATIONS_PER_IP_PER_HOUR", 20))
CHAT_CONVERSATIONS_PER_WIDGET_PER_HOUR = int(os.environ.get("CHAT_CONVERSATIONS_PER_WIDGET_PER_HOUR", 5000))
# Offline-form messages per visitor IP per hour, and per widget key per hour.
CHAT_OFFLINE_MESSAGES_PER_IP_PER_HOUR = int(os.environ.get("CHAT_OFFLINE_MESSAGES_PER_IP_PER_HOUR", 10))
CHAT_OFFLINE_MESSAGES_PER_WIDGET_PER_HOUR = int(os.environ.get("CHAT_OFFLINE_MESSAGES_PER_WIDGET_PER_HOUR", 1000))
CHAT_DEFAULT_MAX_CONCURRENT = 3
# Ratings, transcripts and NPS surveys (issue 13): how often a visitor may ask for a
# transcript, how long an NPS link works, how long a visitor email rests between surveys.
TRANSCRIPT_EMAILS_PER_CONVERSATION_PER_HOUR = int(os.environ.get("TRANSCRIPT_EMAILS_PER_CONVERSATION_PER_HOUR", 3))
NPS_LINK_MAX_AGE_DAYS = int(os.environ.get("NPS_LINK_MAX_AGE_DAYS", 14))
NPS_SURVEY_REST_DAYS = int(os.environ.get("NPS_SURVEY_REST_DAYS", 90))
# A message search whose first plan takes longer is read from the GIN index alone (chats.search.selectors).
SEARCH_FAST_PLAN_MS = int(os.environ.get("SEARCH_FAST_PLAN_MS", 50))
# An active chat whose visitor has had no socket this long is closed (and reported).
CHAT_VISITOR_IDLE_CLOSE_SECONDS = int(os.environ.get("CHAT_VISITOR_IDLE_CLOSE_SECONDS", 600))
# A chat whose visitor socket has not connected this long after it was created is
# deleted (never routed, never counted); the sweep runs every 10 s.
CHAT_VISITOR_CONNECT_SECONDS = int(os.environ.get("CHAT_VISITOR_CONNECT_SECONDS", 20))
# A queued visitor with no socket for this long has left: the chat is missed.
CHAT_VISITOR_ABANDON_SECONDS = int(os.environ.get("CHAT_VISITOR_ABANDON_SECONDS", 90))
# The honest queue's estimate (chats.waiting): recent chats averaged, and the handle time assumed without any.
CHAT_WAIT_HANDLE_SAMPLE = int(os.environ.get("CHAT_WAIT_HANDLE_SAMPLE", 20))
CHAT_WAIT_DEFAULT_HANDLE_SECONDS = int(os.environ.get("CHAT_WAIT_DEFAULT_HANDLE_SECONDS", 300))
# An online agent whose console has not pinged for this long gets no new chats.
CHAT_AGENT_STALE_SECONDS = int(os.environ.get("CHAT_AGENT_STALE_SECONDS", 90))
# Live visits (/ws/visit/): rows are written in batches, never once per heartbeat (chats.visits.live).
VISIT_FLUSH_SECONDS = float(os.environ.get("VISIT_FLUSH_SECONDS", 5))
VISIT_LAST_SEEN_EVERY_SECONDS = int(os.environ.get("VISIT_LAST_SEEN_EVERY_SECONDS", 60))
VISIT_MAX_BATCH = int(os.environ.get("VISIT_MAX_BATCH", 2000))
VISIT_STALE_SECONDS = int(os.environ.get("VISIT_STALE_SECONDS", 90))
VISIT_INVITATION_COOLDOWN_SECONDS = int(os.environ.get("VISIT_INVITATION_COOLDOWN_SECONDS", 300))
VISIT_FRAMES_PER_MINUTE = int(os.environ.get("VISIT_FRAMES_PER_MINUTE", 30))
VISIT_FRAME_BURST = int(os.environ.get("VISIT_FRAME_BURST", 10))
# Open visit sockets (anonymous, one per page view) per address and per client, counted in
# core.limits across processes and released on disconnect: the public edge's memory budget.
VISIT_MAX_SOCKETS_PER_IP = int(os.environ.get("VISIT_MAX_SOCKETS_PER_IP", 50))
VISIT_MAX_SOCKETS_PER_CLIENT = int(os.environ.get("VISIT_MAX_SOCKETS_PER_CLIENT", 20_000))
# Staffing gaps (clients.staffing): assumed average minutes an agent spends on one chat.
STAFFING_AVERAGE_HANDLE_MINUTES = int(os.environ.get("STAFFING_AVERAGE_HANDLE_MINUTES", 12))
# Economics (reports.staffing): weekly hours one in-house employee of a client keeps the chat answered.
STAFFING_IN_HOUSE_HOURS_PER_WEEK = float(os.environ.get("STAFFING_IN_HOUSE_HOURS_PER_WEEK", 65))

# --- Reports and emails -----------------------------------------------------------
# Where Relevo is reached from outside: links in emails point here. Unset, it is where
# ./run serves, http://$HOST:$PORT (./run exports both).
RELEVO_BASE_URL = os.environ.get("RELEVO_BASE_URL") or served_at()
# The domain of the Message-ID of every email (stable across retries).
RELEVO_MESSAGE_ID_DOMAIN = os.environ.get("RELEVO_MESSAGE_ID_DOMAIN", "relevo.localhost")
REPORT_RETRY_BASE_SECONDS = int(os.environ.get("REPORT_RETRY_BASE_SECONDS", 60))
REPORT_MAX_ATTEMPTS = int(os.environ.get("REPORT_MAX_ATTEMPTS", 6))
# The lease of a delivery being sent: a live worker renews it every quarter of this
# while it sends, so only a lost worker lets it run out; the next sweep then sends
# that row again (at least once from then on; the stable Message-ID lets mail
# systems drop the copy). Worst case for a killed worker's email: this plus
# REPORT_SWEEP_SECONDS (docs/operations.md).
REPORT_SENDING_STUCK_SECONDS = int(os.environ.get("REPORT_SENDING_STUCK_SECONDS", 60))
# Seconds an SMTP connect or reply may take before the send fails (and is retried):
# without it a hung mail server would hold a delivery in "sending" forever.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", 20))
# Messages before and after an escalated question quoted in the report.
REPORT_EXCERPT_MESSAGES = int(os.environ.get("REPORT_EXCERPT_MESSAGES", 3))

# --- Webhooks (clients.webhooks, docs/webhooks.md) ---------------------------------
# Seconds to connect and for each read of a webhook POST; answers past the cap are not read.
WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("WEBHOOK_TIMEOUT_SECONDS", 10))
WEBHOOK_MAX_RESPONSE_BYTES = int(os.environ.get("WEBHOOK_MAX_RESPONSE_BYTES", 65536))
# Attempts per event and endpoint (backoff from REPORT_RETRY_BASE_SECONDS, doubling: 12 ≈ 34 h).
WEBHOOK_MAX_ATTEMPTS = int(os.environ.get("WEBHOOK_MAX_ATTEMPTS", 12))
# An endpoint whose attempts have failed for this long (no success between) is disabled; its owners are emailed.
WEBHOOK_DISABLE_AFTER_SECONDS = int(os.environ.get("WEBHOOK_DISABLE_AFTER_SECONDS", 86400))
# Off in production: webhook URLs may not reach private, loopback or link-local addresses (SSRF).
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = env_bool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", False)
