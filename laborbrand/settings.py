"""Settings for the labour-brand portal, read from the environment.

Every variable is listed with its default in `.env.example` and the README. With nothing set, the portal
runs as the embedded demo: DEBUG on, SQLite under var/, Celery tasks executed in-process. With DEBUG=False
the secrets must be given, and the security settings default to what `check --deploy` asks for.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"  # git-ignored: the embedded SQLite database and uploads of a local run
VAR_DIR.mkdir(exist_ok=True)

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")  # optional; a missing file is ignored

DEBUG = env.bool("DEBUG", default=True)

_DEV_SECRET = "dev-only-insecure-key-never-use-in-production"  # noqa: S105  (DEBUG only)
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET if DEBUG else "")
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])
# Personal data (ID numbers, phone numbers) is encrypted with a key derived from SECRET_KEY and this salt,
# and looked up through an HMAC keyed with PII_HASH_KEY, so a database dump reveals neither.
SALT_KEY = env.str("FIELD_ENCRYPTION_SALT", default="dev-only-salt" if DEBUG else "")
PII_HASH_KEY = env.str("PII_HASH_KEY", default="dev-only-pii-hash-key" if DEBUG else "")
if not DEBUG:
    for _name, _value in (
        ("SECRET_KEY", SECRET_KEY),
        ("FIELD_ENCRYPTION_SALT", SALT_KEY),
        ("PII_HASH_KEY", PII_HASH_KEY),
    ):
        if not _value:
            raise ImproperlyConfigured(f"{_name} must be set when DEBUG is False.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "bootstrap",  # django-bootstrap-static: Bootstrap 5 CSS/JS served from our own static files
    "crispy_forms",
    "crispy_bootstrap5",
    "template_partials",
    "csp",
    "axes",
    "django_ratelimit",
    "captcha",  # django-simple-captcha: the image challenge before an SMS code once the caps near
    "simple_history",
    "laborbrand.reference",
    "laborbrand.accounts",
    "laborbrand.imports",  # the Excel import engine; finds each app's importers (its `imports` module)
    "brands",
    "training",
    "jobs",
    "targets",  # the year's targets and the dashboards: above every domain app
    "demo",  # the demo data and seed_demo: above every domain app
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",  # a refusal (Ratelimited) becomes the 429 page
    "axes.middleware.AxesMiddleware",  # must stay last
]

ROOT_URLCONF = "laborbrand.urls"
WSGI_APPLICATION = "laborbrand.wsgi.application"

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
                "laborbrand.accounts.context_processors.navigation",
                "laborbrand.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'laborbrand.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: it pays off only for queries running for seconds, and the planner's cost estimates
    # switch it on for ordinary page queries, where compiling took most of the time (a brand page: 256 of
    # 300 ms). Set on each connection, so it holds whatever the server's configuration (docs/decisions.md).
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = " ".join(filter(None, [_options.get("options"), "-c jit=off"]))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")


def redis_cache(location: str) -> dict:
    """django-redis, ignoring an unreachable Redis: a read is then a miss (the page computes the value from
    the database) and a write is dropped, each logged. The short timeouts keep a Redis that hangs from
    holding every request; django-ratelimit refuses while it cannot count (RATELIMIT_FAIL_OPEN)."""
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": location,
        "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
    }


DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
if REDIS_URL:
    CACHES = {"default": redis_cache(REDIS_URL)}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# How long the public brand page keeps its counts (brands.figures.public_page_figures); 0: count every time.
BRAND_PAGE_FIGURES_SECONDS = env.int("BRAND_PAGE_FIGURES_SECONDS", default=300)
# How long the home page keeps its public counters (laborbrand/views.py home_figures); 0: count every time.
HOME_FIGURES_SECONDS = env.int("HOME_FIGURES_SECONDS", default=300)

# --- Accounts, passwords, sessions, lockout -------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # must stay first
    "laborbrand.accounts.backends.UsernameOrPhoneBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "laborbrand.accounts.validators.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "accounts:workbench"
LOGOUT_REDIRECT_URL = "home"

SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True  # the 30 minutes count from the last request: an idle timeout
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_LOCKOUT_MINUTES = env.int("LOGIN_LOCKOUT_MINUTES", default=30)
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username"]
# Failures count against the account, whatever the IP: a township service centre's shared address must
# not lock out everyone behind it. W006 warns about IP-less lockout, which is exactly this choice.
SILENCED_SYSTEM_CHECKS = [
    "axes.W006",
    # Covering indexes (jobs.JobPosting): PostgreSQL reads the included columns, SQLite ignores them.
    "models.W040",
]
if not REDIS_URL:
    # The embedded default runs one process, so the local-memory cache counts correctly. Production sets
    # REDIS_URL, and the limits are then shared by all processes.
    SILENCED_SYSTEM_CHECKS += ["django_ratelimit.E003", "django_ratelimit.W001"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "laborbrand.accounts.views.locked_out"
# Workers may sign in with their mobile number; axes records the account's user name instead, so no phone
# number lands in the attempt log.
AXES_USERNAME_CALLABLE = "laborbrand.accounts.backends.lockout_username"
AXES_SENSITIVE_PARAMETERS = ["username", "password"]

# --- Image challenge (django-simple-captcha) before a code is sent once its caps near (accounts/codes.py) ---
# The picture is served by the app itself (img-src 'self') and needs no JavaScript: a new one comes with the
# page.
CAPTCHA_LENGTH = 4
CAPTCHA_TIMEOUT = 10  # minutes
CAPTCHA_IMAGE_SIZE = (120, 44)
CAPTCHA_FONT_SIZE = 30
CAPTCHA_LETTER_ROTATION = (-20, 20)
# Accept the answer "PASSED" without a picture: tests only (tests flip captcha.conf.settings, which reads this
# once at import). The package warns when it is on with DEBUG off.
CAPTCHA_TEST_MODE = env.bool("CAPTCHA_TEST_MODE", default=False)

# --- SMS (laborbrand/sms): the backend, the provider's signature and template ids, the sending rules -------
SMS_BACKEND = env.str("SMS_BACKEND", default="laborbrand.sms.backends.console.SmsBackend")
SMS_SIGN_NAME = env.str("SMS_SIGN_NAME", default="劳务品牌就业服务网")
# The provider's id of each template in laborbrand/sms/templates.py, e.g. SMS_TEMPLATE_IDS=code=SMS_1234,...
SMS_TEMPLATE_IDS = env.dict("SMS_TEMPLATE_IDS", default={})
# Alibaba Cloud SMS (laborbrand.sms.backends.aliyun): credentials from the environment only.
SMS_ACCESS_KEY_ID = env.str("SMS_ACCESS_KEY_ID", default="")
SMS_ACCESS_KEY_SECRET = env.str("SMS_ACCESS_KEY_SECRET", default="")
SMS_ENDPOINT = env.str("SMS_ENDPOINT", default="https://dysmsapi.aliyuncs.com/")
SMS_TIMEOUT_SECONDS = env.float("SMS_TIMEOUT_SECONDS", default=5.0)
# No notification or alert by SMS between these hours, city time (codes are sent at once): held till morning.
SMS_QUIET_HOURS = (22, 8)
# The city's daily SMS budget, in fen, and what one message costs: notifications and alerts beyond it stay in
# the site only (codes are always sent: their own caps bound them).
SMS_DAILY_BUDGET_FEN = env.int("SMS_DAILY_BUDGET_FEN", default=50_000)
SMS_PRICE_FEN = env.int("SMS_PRICE_FEN", default=5)

# --- Security headers ------------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Only the site's own scripts and styles; Bootstrap's CSS needs data: URIs for its form icons.
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

# --- Internationalisation -----------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files --------------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
# Uploads are private: stored outside anything served as static, and only handed out by views that check
# permission. There is deliberately no MEDIA_URL route.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=VAR_DIR / "uploads")
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- E-mail -------------------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="劳务品牌就业服务网 <noreply@laborbrand.localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Matching (jobs/matching/runs.py) -----------------------------------------------------------------------
# When the nightly run starts, local time "HH:MM".
MATCH_RUN_AT = time.fromisoformat(env.str("MATCH_RUN_AT", default="02:00"))
# Workers per chunk and open postings per chunk: thousands, so a chunk's work outweighs Celery's overhead.
MATCH_CHUNK_WORKERS = env.int("MATCH_CHUNK_WORKERS", default=5000)
MATCH_CHUNK_POSTINGS = env.int("MATCH_CHUNK_POSTINGS", default=1000)
# An active run with no progress for this many seconds is marked failed when the next one starts.
MATCH_RUN_STALE_AFTER = env.int("MATCH_RUN_STALE_AFTER", default=30 * 60)

# --- Excel imports (laborbrand/imports) --------------------------------------------------------------------
# A file larger than this is refused before it is opened; one of more data rows than IMPORT_MAX_ROWS as it is
# read.
IMPORT_MAX_BYTES = 10 * 1024 * 1024
IMPORT_MAX_ROWS = 50_000
# A zip bomb: a workbook whose parts unpack to more than this in all, or a part larger than 1 MB unpacked that
# is more than IMPORT_MAX_COMPRESSION_RATIO times its packed size (a real sheet packs 5–30 times), is refused.
IMPORT_MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
IMPORT_MAX_COMPRESSION_RATIO = 200
# Its importer may undo a committed import for this many days, if nothing depends on its rows since.
IMPORT_UNDO_DAYS = 7
# The uploaded files (personal data) are deleted this many days after the upload, with the batches never
# committed; a committed batch's record (who, when, the counts, what it wrote) stays (docs/decisions.md).
IMPORT_KEEP_FILES_DAYS = 30
# The page's progress bar moves every this many rows.
IMPORT_PROGRESS_EVERY = 200
# A batch still checking or importing this long after its last move lost its task (a worker killed
# mid-way): the nightly clean-up marks it failed.
IMPORT_STALE_MINUTES = 60

# --- Celery -------------------------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL) or "memory://"
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=REDIS_URL) or None
# No broker configured (the embedded default): tasks run in-process, in the caller's thread.
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL == "memory://"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 10 * 60
CELERY_TASK_TIME_LIMIT = 11 * 60
CELERY_RESULT_EXPIRES = timedelta(days=1)
# Workers consume this queue; a second deployment (or a test) on the same Redis names its own.
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
# A task a dead worker had taken is delivered again after this many seconds (Redis broker).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)}
# Redis down: give up reconnecting to the result store after 5 s, so "run now" says so quickly.
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"retry_policy": {"timeout": 5.0}}
# The dashboards' figures are recomputed this often (targets/snapshots.py); each page says when its were.
DASHBOARD_FIGURES_MINUTES = env.int("DASHBOARD_FIGURES_MINUTES", default=10)
CELERY_BEAT_SCHEDULE = {
    "nightly-housekeeping": {
        "task": "laborbrand.accounts.tasks.housekeeping",
        # https://crontab.guru/#15_3_*_*_* — 03:15 every day, Asia/Shanghai
        "schedule": crontab(hour=3, minute=15),
    },
    "expire-institution-admissions": {
        "task": "training.tasks.expire_institutions",
        # https://crontab.guru/#5_0_*_*_* — 00:05 every day, Asia/Shanghai: the day after the last valid day
        "schedule": crontab(hour=0, minute=5),
    },
    "expire-job-postings": {
        "task": "jobs.tasks.expire_postings",
        # https://crontab.guru/#10_0_*_*_* — 00:10 every day: postings whose open-until day has passed
        "schedule": crontab(hour=0, minute=10),
    },
    "refresh-dashboard-figures": {
        "task": "targets.tasks.refresh_figures",
        "schedule": timedelta(minutes=DASHBOARD_FIGURES_MINUTES),
    },
    "monthly-snapshot": {
        "task": "targets.tasks.take_monthly_snapshot",
        # https://crontab.guru/#30_0_1_*_* — 00:30 on the 1st of every month: the month just ended
        "schedule": crontab(hour=0, minute=30, day_of_month=1),
    },
    "release-held-sms": {
        "task": "laborbrand.accounts.tasks.release_held_sms",
        "schedule": timedelta(minutes=5),
    },
    "job-alerts": {
        "task": "jobs.tasks.send_job_alerts",
        # https://crontab.guru/#5_8_*_*_* — 08:05 every day, Asia/Shanghai: after the SMS quiet hours
        # (SMS_QUIET_HOURS end at 08:00); weekly searches are due on the seventh day (jobs/alerts.py)
        "schedule": crontab(hour=8, minute=5),
    },
    "prune-imports": {
        "task": "laborbrand.imports.tasks.prune_imports",
        # https://crontab.guru/#40_3_*_*_* — 03:40 every day, Asia/Shanghai
        "schedule": crontab(hour=3, minute=40),
    },
    "nightly-match-run": {
        "task": "jobs.tasks.match_nightly",
        # https://crontab.guru/#0_2_*_*_* — 02:00 every day, Asia/Shanghai (MATCH_RUN_AT)
        "schedule": crontab(hour=MATCH_RUN_AT.hour, minute=MATCH_RUN_AT.minute),
    },
}

# --- Logging: no personal data in logs (URLs carry none; axes logs user names only) ------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
# Partner agreements must be filed with the city by this month and day of the year they are signed.
_deadline = env.str("AGREEMENT_FILING_DEADLINE", default="06-30")
try:
    AGREEMENT_FILING_DEADLINE = tuple(int(part) for part in _deadline.split("-"))
    date(2000, *AGREEMENT_FILING_DEADLINE)  # a leap year, so 02-29 is allowed
except (TypeError, ValueError) as exc:
    raise ImproperlyConfigured(f"AGREEMENT_FILING_DEADLINE must be MM-DD, not {_deadline!r}.") from exc
# The city selects each county's brands by this month and day (design.md); a year's own row (ProgrammeYear)
# overrides either deadline for that year.
BRAND_SELECTION_DEADLINE = (5, 31)
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# The city the portal serves: in every page's title and the navigation's brand.
SITE_CITY_NAME = env.str("SITE_CITY_NAME", default="六安市")

# Public certificate verification: look-ups per client address (django-ratelimit rate, e.g. "10/m"). Behind a
# reverse proxy set RATELIMIT_IP_META_KEY to the header carrying the client address (e.g.
# HTTP_X_REAL_IP), or every visitor shares the proxy's address.
CERTIFICATE_VERIFY_RATE = env.str("CERTIFICATE_VERIFY_RATE", default="10/m")
RATELIMIT_IP_META_KEY = env.str("RATELIMIT_IP_META_KEY", default="REMOTE_ADDR")
# While the cache cannot count (Redis unreachable) every throttled look-up is refused, never let through
# uncounted; the refusal is the 429 page, saying why (docs/decisions.md).
RATELIMIT_FAIL_OPEN = False
RATELIMIT_VIEW = "laborbrand.errors.too_many_requests"
CSRF_FAILURE_VIEW = "laborbrand.errors.csrf_failure"
