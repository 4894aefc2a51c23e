"""Settings for 重大项目推进平台, read from the environment in this one place.

Every variable is documented in README.md ("Configuration"). The defaults give an embedded
set-up (SQLite under var/, kombu's filesystem broker under var/) so that `make run` needs no
server; setting DATABASE_URL / REDIS_URL switches to PostgreSQL / Redis.
"""

import os
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# --- Secrets from files ----------------------------------------------------------------------
# Each of these may instead be given as NAME_FILE, the path of a file holding the value (Docker
# or Kubernetes secrets), so that it never appears in the environment of `docker inspect`. The
# file's trailing newline is ignored; setting both NAME and NAME_FILE is an error.
SECRET_FILE_VARIABLES = (
    "SECRET_KEY",
    "DATABASE_URL",
    "DATABASE_PASSWORD",
    "REDIS_URL",
    "REDIS_PASSWORD",
    "EMAIL_HOST_PASSWORD",
    "METRICS_TOKEN",
)
for _name in SECRET_FILE_VARIABLES:
    _path = os.environ.get(f"{_name}_FILE")
    if not _path:
        continue
    if os.environ.get(_name):
        raise ImproperlyConfigured(f"Set {_name} or {_name}_FILE, not both.")
    try:
        os.environ[_name] = Path(_path).read_text(encoding="utf-8").rstrip("\r\n")
    except OSError as _exc:
        raise ImproperlyConfigured(f"{_name}_FILE: cannot read {_path} ({_exc.strerror}).") from _exc


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
# Refused with DEBUG off: a key anyone could guess signs sessions, password-reset links and
# messages. Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(64))'
SECRET_KEY_PLACEHOLDERS = ("change-me", "changeme", "insecure", "placeholder", "example", "secret-key")


def weak_secret_key_reason(key: str) -> str | None:
    """Why a SECRET_KEY is unfit for production, or None."""
    if len(key) < 50:
        return "it is shorter than 50 characters"
    if len(set(key)) < 10:
        return "it has fewer than 10 different characters"
    if any(word in key.lower() for word in SECRET_KEY_PLACEHOLDERS):
        return "it is a placeholder (e.g. the one in .env.example)"
    return None


if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105
elif not DEBUG and (_weak := weak_secret_key_reason(SECRET_KEY)):
    raise ImproperlyConfigured(
        f"SECRET_KEY is refused with DEBUG off: {_weak}. Generate one with "
        "python -c 'import secrets; print(secrets.token_urlsafe(64))'"
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "core",
    "ops",
    "accounts",
    "savedfilters",
    "enterprises",
    "projects",
    "campaigns",
    "issues",
    "intake",
    "funding",
    "geo",
    "approvals",
    "notifications",
    "dashboards",
    "scale",
]

MIDDLEWARE = [
    "ops.middleware.RequestIdMiddleware",
    "ops.middleware.OutageMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.DefaultLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Session limits, second factor, 429 on a locked sign-in (accounts.middleware: order matters).
    "accounts.middleware.SessionLimitsMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "accounts.middleware.LoginRefusalStatusMiddleware",
    # Idempotency-Key on API writes (core.idempotency): after authentication, around the view.
    "core.idempotency.IdempotencyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "projects_tracker.urls"
WSGI_APPLICATION = "projects_tracker.wsgi.application"

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
                "core.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes (web, worker, beat) and threads share the file. WAL lets readers and one
    # writer work at once; a writer waits up to `timeout` seconds for another instead of failing;
    # IMMEDIATE takes the write lock when a transaction begins, so two concurrent actions queue
    # up (the second then sees the first's change: 409) instead of both reading, then one dying
    # with "database is locked" when it tries to write.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": float(os.environ.get("SQLITE_BUSY_TIMEOUT", "20")),
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL",
        **DATABASES["default"].get("OPTIONS", {}),
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    if os.environ.get("DATABASE_PASSWORD"):
        DATABASES["default"]["PASSWORD"] = os.environ["DATABASE_PASSWORD"]
    # Fail fast when the server is unreachable (a request then answers 503, /readyz says why)
    # instead of hanging on the TCP connect; check a kept-open connection before reusing it, so a
    # database restart costs no request an error.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", int(os.environ.get("DB_CONNECT_TIMEOUT", "5"))
    )
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# An optional PostgreSQL read replica (streaming replication of the primary): the read-heavy
# pages opt in with core.replica.reads_from_replica; everything else stays on the primary.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60"))
    )
    if os.environ.get("DATABASE_REPLICA_PASSWORD"):
        DATABASES["replica"]["PASSWORD"] = os.environ["DATABASE_REPLICA_PASSWORD"]
    DATABASES["replica"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", int(os.environ.get("DB_CONNECT_TIMEOUT", "5"))
    )
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    # Tests use the primary's test database for it (it is a copy of the primary after all).
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["core.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -----------------------------------------------------------------------------------
# The lock-out backend first: it refuses a locked account or address before any password check
# (accounts.backends); the second is Django's, refusing the demo logins with DEBUG off.
AUTHENTICATION_BACKENDS = ["accounts.backends.LockoutBackend", "accounts.backends.AccountBackend"]
PASSWORD_MIN_LENGTH = int(os.environ.get("PASSWORD_MIN_LENGTH", "10"))
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "accounts.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Failed sign-ins (login page, admin, API token endpoint alike; accounts.lockout): an account
# is locked after LOGIN_FAILURE_LIMIT failures within the window, an address throttled after
# LOGIN_ADDRESS_FAILURE_LIMIT; both for LOGIN_LOCKOUT_MINUTES.
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("LOGIN_ADDRESS_FAILURE_LIMIT", "30"))
LOGIN_FAILURE_WINDOW_MINUTES = int(os.environ.get("LOGIN_FAILURE_WINDOW_MINUTES", "15"))
LOGIN_LOCKOUT_MINUTES = int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "30"))

# Browser sessions end after SESSION_IDLE_MINUTES without a request and SESSION_MAX_HOURS after
# signing in, whatever happens (accounts.middleware); the cookie itself dies with the browser.
SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "30"))
SESSION_MAX_HOURS = int(os.environ.get("SESSION_MAX_HOURS", "12"))
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# An API write's Idempotency-Key and its answer are kept this long (core.idempotency).
IDEMPOTENCY_TTL_HOURS = float(os.environ.get("IDEMPOTENCY_TTL_HOURS", "24"))

# API tokens (accounts.ApiToken): a new one per sign-in, stored as a digest, valid this long.
API_TOKEN_TTL_HOURS = float(os.environ.get("API_TOKEN_TTL_HOURS", "8"))

# Second factor (TOTP, accounts.otp): required of supervisors and admin users when on.
OTP_REQUIRED_FOR_SUPERVISORS = env_bool("OTP_REQUIRED_FOR_SUPERVISORS", not DEBUG)
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "重大项目推进平台")
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates (deadlines, report months) are local to this zone; the PRC holiday calendar assumes China time.
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    # Server-chosen names, written only after the transaction commits (core.files).
    "default": {"BACKEND": "core.files.StagedStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Media on shared storage for several web machines: MEDIA_STORAGE=s3 stores uploads in an
# S3-compatible bucket (AWS S3, MinIO, OSS/COS in S3 mode) through django-storages; every file is
# private and reached through default_storage (signed URLs, never a public bucket).
MEDIA_STORAGE = os.environ.get("MEDIA_STORAGE", "filesystem")
if MEDIA_STORAGE == "s3":
    if not os.environ.get("AWS_STORAGE_BUCKET_NAME"):
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME.")
    STORAGES["default"] = {
        "BACKEND": "core.s3.ServerNamedS3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("AWS_LOCATION", "media"),
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": int(os.environ.get("AWS_QUERYSTRING_EXPIRE", "300")),
            "file_overwrite": False,
            "addressing_style": os.environ.get("AWS_S3_ADDRESSING_STYLE", "path"),
        },
    }
elif MEDIA_STORAGE != "filesystem":
    raise ImproperlyConfigured("MEDIA_STORAGE must be 'filesystem' or 's3'.")
# Uploads (photos, evidence): images only, at most this many bytes each.
# Production behind nginx: after the permission check the app answers with X-Accel-Redirect to
# this internal location (deploy/nginx.conf), which serves MEDIA_ROOT. Empty: the app sends the file.
MEDIA_ACCEL_REDIRECT = os.environ.get("MEDIA_ACCEL_REDIRECT", "")
# Files under MEDIA_ROOT that no row references are removed by beat once this old (core.tasks).
MEDIA_ORPHAN_GRACE_SECONDS = float(os.environ.get("MEDIA_ORPHAN_GRACE_HOURS", "24")) * 3600
# Files chosen on a form that came back with errors are kept this long for the resubmission.
PENDING_UPLOAD_HOURS = float(os.environ.get("PENDING_UPLOAD_HOURS", "24"))
MAX_UPLOAD_BYTES = int(os.environ.get("MAX_UPLOAD_MB", "10")) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- REST framework and OpenAPI ---------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: DRF answers an unauthenticated call with the first class's challenge, so
    # this gives 401 + "WWW-Authenticate: Token" (session first would give a bare 403).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.auth.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON nested deeper than a request can need is a 400, not a RecursionError (core.api.parsers).
    "DEFAULT_PARSER_CLASSES": [
        "core.api.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exceptions.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "重大项目推进平台 API",
    "DESCRIPTION": "Major Projects Tracker: projects, enterprises, issues, campaigns, intake, funding, locations.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and the docs pages are for signed-in users (the docs redirect to the login page).
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # No validator badge: Swagger UI would fetch it from validator.swagger.io (no internet here).
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    # One schema name per choice set that several fields share (else --fail-on-warn fails).
    "ENUM_NAME_OVERRIDES": {
        "StageEnum": "projects.models.Stage",
        "DepartmentKindEnum": "core.models.Department.Kind",
        "IssueStatusEnum": "issues.models.Status",
        "IssueSourceEnum": "issues.models.Source",
        "SatisfactionEnum": "issues.models.Satisfaction",
        "IssueRatingEnum": "issues.workflow.SATISFIED_CHOICES",
        "IssueUnsatisfiedRatingEnum": "issues.workflow.UNSATISFIED_CHOICES",
        "LeagueKindEnum": "dashboards.models.LeagueFormula.Kind",
        "DatumEnum": "geo.coords.Datum",
        "LevelEnum": "projects.models.Level",
        "CandidateStatusEnum": "intake.models.Status",
        "FundingSourceEnum": "funding.models.Source",
        "PolicyLevelEnum": "funding.models.PolicyLevel",
        "PolicyStatusEnum": "funding.models.PolicyStatus",
        "NotificationKindEnum": "notifications.models.Kind",
    },
}

# --- Celery ---------------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL and os.environ.get("REDIS_PASSWORD"):
    # requirepass of the Redis server, kept out of REDIS_URL (e.g. REDIS_PASSWORD_FILE).
    _redis = urlsplit(REDIS_URL)
    _redis_user = quote(_redis.username or "", safe="")
    _redis_host = _redis.netloc.rpartition("@")[2]
    _redis_auth = f"{_redis_user}:{quote(os.environ['REDIS_PASSWORD'], safe='')}"
    REDIS_URL = urlunsplit(_redis._replace(netloc=f"{_redis_auth}@{_redis_host}"))
# Seconds any call to the broker (publish, connect) may take before it fails. A request enqueues
# its deliveries after commit: a broker that is hung (accepts, never answers), refused or gone
# costs that request at most this long, once; the publish is not retried and the rows wait for
# the recovery scan (notifications.services.enqueue_deliveries).
BROKER_TIMEOUT = float(os.environ.get("BROKER_TIMEOUT", "2"))
# Seconds after a failed publish during which a process does not try the broker again (it only
# records the deliveries for the recovery scan), so a hung broker costs one request, not each.
BROKER_BACKOFF_SECONDS = float(os.environ.get("BROKER_BACKOFF_SECONDS", "15"))
CELERY_BROKER_CONNECTION_TIMEOUT = BROKER_TIMEOUT
BROKER_VISIBILITY_TIMEOUT = int(os.environ.get("BROKER_VISIBILITY_TIMEOUT", "60"))
CELERY_TASK_PUBLISH_RETRY = False
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # A message taken by a worker that died (killed, host lost) goes back to its queue after
        # this many seconds; the sweep of unacked messages runs every 10 s (not every 100 s).
        # Nothing is queued with a longer countdown (NOTIFY_COUNTDOWN_MAX_SECONDS).
        "visibility_timeout": BROKER_VISIBILITY_TIMEOUT,
        "unacked_restore_interval": 10,
        "unacked_restore_throttle": 1,
        # Without these a publish waits forever on a hung Redis (the default is no timeout).
        "socket_timeout": BROKER_TIMEOUT,
        "socket_connect_timeout": BROKER_TIMEOUT,
        "retry_on_timeout": False,
        "max_retries": 0,
    }
else:
    # Embedded broker: kombu's filesystem transport, no server needed.
    _broker_dir = VAR_DIR / "broker"
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        # Broadcast (control) exchanges: otherwise kombu writes ./control in the working directory.
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
# Several web processes on several machines share one cache: Redis when it is there (the
# default, per-process memory cache, is only right for one process). Sessions stay in the
# database, which every process shares already; SESSIONS_IN_CACHE=1 also keeps them in the cache
# in front of it (cached_db: fewer reads; a session ended by deleting its row directly, not
# through its SessionStore, then lives on in the cache until CACHE_TIMEOUT).
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ.get("CACHE_REDIS_URL", REDIS_URL),
            "KEY_PREFIX": "tracker",
            "TIMEOUT": int(os.environ.get("CACHE_TIMEOUT", "300")),
            # A hung or unreachable Redis fails a cache call within BROKER_TIMEOUT instead of
            # holding the request (redis-py waits forever by default).
            "OPTIONS": {"socket_timeout": BROKER_TIMEOUT, "socket_connect_timeout": BROKER_TIMEOUT},
        }
    }
    if env_bool("SESSIONS_IN_CACHE", False):
        SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Exactly one beat schedules, however many run (one per machine for availability): each holds a
# Redis lock while it leads and the others stand by (projects_tracker.beat). Without Redis (the
# embedded broker of `make run`) there is one machine and the lock is not needed.
CELERY_BEAT_SCHEDULER = "projects_tracker.beat:LeaderScheduler"
BEAT_LEADER_TTL_SECONDS = int(os.environ.get("BEAT_LEADER_TTL_SECONDS", "30"))
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "celery")
# Queues by purpose, each with its own worker (Makefile `run`, docker-compose `worker-sweeps` and
# `worker`): beat's sweeps and the recovery scan are never stuck behind a backlog of deliveries.
CELERY_SWEEP_QUEUE = os.environ.get("CELERY_SWEEP_QUEUE", "sweeps")
CELERY_DELIVERY_QUEUE = os.environ.get("CELERY_DELIVERY_QUEUE", "deliveries")
CELERY_TASK_ROUTES = {
    "notifications.sweep_due_reminders": {"queue": CELERY_SWEEP_QUEUE},
    "notifications.recover_deliveries": {"queue": CELERY_SWEEP_QUEUE},
    "dashboards.send_weekly_briefings": {"queue": CELERY_SWEEP_QUEUE},
    "core.purge_idempotency_records": {"queue": CELERY_SWEEP_QUEUE},
    "dashboards.refresh_project_health": {"queue": CELERY_SWEEP_QUEUE},
    "dashboards.refresh_blocked_project_health": {"queue": CELERY_SWEEP_QUEUE},
    "notifications.purge_expired": {"queue": CELERY_SWEEP_QUEUE},
    "core.purge_expired_audit": {"queue": CELERY_SWEEP_QUEUE},
    "core.remove_orphaned_uploads": {"queue": CELERY_SWEEP_QUEUE},
    "notifications.deliver_notification": {"queue": CELERY_DELIVERY_QUEUE},
}
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Beat writes its schedule file after every task it sends: the file's age is beat's heartbeat
# (`manage.py healthcheck beat`).
CELERY_BEAT_SYNC_EVERY = 1
# Worker and beat log through LOGGING below (JSON lines with the request id), not Celery's format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Beat only enqueues "scan what is due" tasks; nothing waits in the broker with a long ETA.
NOTIFY_SWEEP_SECONDS = float(os.environ.get("NOTIFY_SWEEP_SECONDS", "60"))
NOTIFY_RECOVER_SECONDS = float(os.environ.get("NOTIFY_RECOVER_SECONDS", "15"))
CELERY_BEAT_SCHEDULE: dict = {
    "sweep-due-reminders": {
        "task": "notifications.sweep_due_reminders",
        "schedule": NOTIFY_SWEEP_SECONDS,
        "options": {"expires": NOTIFY_SWEEP_SECONDS},
    },
    # Often and cheap (indexed): an interrupted send is retried within a minute.
    "recover-deliveries": {
        "task": "notifications.recover_deliveries",
        "schedule": NOTIFY_RECOVER_SECONDS,
        "options": {"expires": NOTIFY_RECOVER_SECONDS},
    },
    # Hourly: Idempotency-Key records whose day is over (core.idempotency).
    "purge-idempotency-records": {
        "task": "core.purge_idempotency_records",
        "schedule": 3600.0,
        "options": {"expires": 3600},
    },
    # Nightly after midnight: the health rules that move with the date (序时进度, overdue milestones)
    # recomputed for every project; quarter-hourly: projects held up by an open blocking issue.
    "project-health-nightly": {
        "task": "dashboards.refresh_project_health",
        "schedule": crontab(hour=0, minute=5),
        "options": {"expires": 3 * 3600},
    },
    "project-health-blocked": {
        "task": "dashboards.refresh_blocked_project_health",
        "schedule": 900.0,
        "options": {"expires": 900},
    },
    # Daily retention: old notifications (read and superseded first) and audit entries past
    # AUDIT_RETENTION_DAYS (never younger than six months).
    "purge-expired-notifications": {
        "task": "notifications.purge_expired",
        "schedule": 86400.0,
        "options": {"expires": 3600},
    },
    "purge-expired-audit": {
        "task": "core.purge_expired_audit",
        "schedule": 86400.0,
        "options": {"expires": 3600},
    },
    # Uploads no row references (failed requests, deleted rows) and expired pending uploads.
    "remove-orphaned-uploads": {
        "task": "core.remove_orphaned_uploads",
        "schedule": 3600.0,
        "options": {"expires": 3600},
    },
    # Hourly, idempotent: records last week's briefing for each leader once, from Monday 08:00;
    # the notifications pipeline delivers it (inbox, e-mail with the workbook, group robot).
    "weekly-briefings": {
        "task": "dashboards.send_weekly_briefings",
        "schedule": 3600.0,
        "options": {"expires": 3600},
    },
}

# --- Retention --------------------------------------------------------------------------------
# Notifications older than this are deleted by a daily task (read and superseded ones first).
NOTIFICATION_RETENTION_DAYS = int(os.environ.get("NOTIFICATION_RETENTION_DAYS", "365"))
# Audit entries are kept this long (at least 183 days: a system check refuses less, and the
# database refuses to delete a younger row whatever this says).
AUDIT_RETENTION_DAYS = int(os.environ.get("AUDIT_RETENTION_DAYS", "1095"))

# --- Reminders (notifications app; guarantees in notifications/services.py and the README) -----
NOTIFY_MAX_ATTEMPTS = int(os.environ.get("NOTIFY_MAX_ATTEMPTS", "8"))
NOTIFY_RETRY_BASE_SECONDS = float(os.environ.get("NOTIFY_RETRY_BASE_SECONDS", "30"))
NOTIFY_RETRY_MAX_SECONDS = float(os.environ.get("NOTIFY_RETRY_MAX_SECONDS", "600"))
# A retry due sooner than this is queued with a countdown; a later one is left to the recovery
# scan (enqueued when due): a countdown message is held unacknowledged by a worker and Redis
# would hand it out again after BROKER_VISIBILITY_TIMEOUT.
NOTIFY_COUNTDOWN_MAX_SECONDS = min(30.0, BROKER_VISIBILITY_TIMEOUT / 2)
# One delivery attempt (an e-mail with its attachment, a robot post) may take this long; then
# the worker process is stopped (soft limit: 5 s earlier, recorded as a failed attempt).
NOTIFY_SEND_TIME_LIMIT = float(os.environ.get("NOTIFY_SEND_TIME_LIMIT", "35"))
# A delivery "sending" for longer was interrupted (a killed worker) and is sent again by the
# next recovery scan; must exceed NOTIFY_SEND_TIME_LIMIT. With NOTIFY_RECOVER_SECONDS it bounds
# how soon an interrupted e-mail is resent (40 + 15 s: within a minute).
NOTIFY_SENDING_TIMEOUT_SECONDS = float(os.environ.get("NOTIFY_SENDING_TIMEOUT_SECONDS", "40"))
if NOTIFY_SENDING_TIMEOUT_SECONDS <= NOTIFY_SEND_TIME_LIMIT:
    raise ImproperlyConfigured("NOTIFY_SENDING_TIMEOUT_SECONDS must exceed NOTIFY_SEND_TIME_LIMIT.")
# A delivery queued this long ago and still pending lost its message: enqueue it again.
NOTIFY_REQUEUE_AFTER_SECONDS = float(os.environ.get("NOTIFY_REQUEUE_AFTER_SECONDS", "600"))
NOTIFY_WEBHOOK_TIMEOUT = float(os.environ.get("NOTIFY_WEBHOOK_TIMEOUT", "10"))
# Channels that give up instead of resending after an interrupted attempt (default: none).
NOTIFY_AT_MOST_ONCE_CHANNELS = env_list("NOTIFY_AT_MOST_ONCE_CHANNELS", "")
# The class that sends each channel's deliveries. Not from the environment: only tests swap one in
# (a slow or failing channel under tests/, for fault injection).
NOTIFY_CHANNELS = {
    "inbox": "notifications.channels.InboxChannel",
    "email": "notifications.channels.EmailChannel",
    "webhook": "notifications.channels.WebhookChannel",
}

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
# Seconds an SMTP connection or command may take (Django has no limit by default).
EMAIL_TIMEOUT = float(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "重大项目推进平台 <noreply@localhost>")

# --- Dashboards ----------------------------------------------------------------------------
# Project-list imports (.xlsx) larger than this are refused before they are read.
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_MB", "5")) * 1024 * 1024
# Project ids in the OC4IDS export are "<prefix>-<project code>"; use the city's registered prefix.
OC4IDS_ID_PREFIX = os.environ.get("OC4IDS_ID_PREFIX", "oc4ids-local")

# --- Battle map (geo app) ------------------------------------------------------------------
# No tiles by default: the map draws park boundaries and project points from the app's own data,
# so it works on an intranet without internet. Set MAP_TILE_URL to the city's own GIS tile
# server (a Leaflet URL template such as http://gis.example/tiles/{z}/{x}/{y}.png), and
# MAP_TILE_DATUM to the datum its tiles are drawn in (wgs84, or gcj02 for tiles in the offset
# datum of Chinese map apps).
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "").strip()
MAP_TILE_DATUM = os.environ.get("MAP_TILE_DATUM", "wgs84").strip().lower()
MAP_TILE_ATTRIBUTION = os.environ.get("MAP_TILE_ATTRIBUTION", "").strip()
MAP_TILE_MAX_ZOOM = int(os.environ.get("MAP_TILE_MAX_ZOOM", "18"))

# --- Demo data ------------------------------------------------------------------------------
DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "demo12345")

# --- Security (production) ------------------------------------------------------------------
# Defaults are the production ones whenever DEBUG is off; `manage.py check --deploy
# --fail-level WARNING` passes with them (tests/test_security_settings.py).
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
# Trust the proxy's X-Forwarded-Proto only behind it: a client could send the header itself.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_TLS_PROXY else None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# Container health probes call the app directly over HTTP, without the proxy's header.
SECURE_REDIRECT_EXEMPT = [r"^healthz/?$", r"^readyz/?$", r"^metrics/?$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = os.environ.get("SECURE_REFERRER_POLICY", "same-origin")
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# An intranet host is not submitted to the browsers' public HSTS preload list, so "preload" is
# off by default and Django's reminder about it (security.W021) is silenced, not the others.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

# Content-Security-Policy (django-csp): everything from this server, no inline script and no
# inline style anywhere (static/js sets the few computed widths through the CSSOM, which CSP
# allows). data: images: the empty favicon and the SVG icons inside the vendored CSS. The Redoc
# page sets its own, looser policy (core.api.views.RedocView).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Operations: health, metrics, backups (ops app; README "Operations") ----------------------
# /metrics answers a request bearing "Authorization: Bearer <METRICS_TOKEN>"; without a token
# set, only requests from the loopback address.
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
# Seconds /readyz waits for the broker.
READYZ_BROKER_TIMEOUT = float(os.environ.get("READYZ_BROKER_TIMEOUT", "2"))
# During a database or broker outage requests answer 503 with "Retry-After: <this many seconds>".
OUTAGE_RETRY_AFTER = 30
# `manage.py backup` writes its archives here and keeps the newest BACKUP_KEEP of them.
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", VAR_DIR / "backups"))
BACKUP_KEEP = int(os.environ.get("BACKUP_KEEP", "14"))

# --- Logging --------------------------------------------------------------------------------
# One JSON object per line (LOG_FORMAT=json, the default with DEBUG off) or readable text; each
# record carries the request id (X-Request-ID) of the request it belongs to, also in Celery
# tasks enqueued by that request, and the task's id and name.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured("LOG_FORMAT must be json or text.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "ops.logs.ContextFilter", "missing": None if LOG_FORMAT == "json" else "-"}},
    "formatters": {
        "json": {"()": "ops.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["context"], "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
