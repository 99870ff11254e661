"""Test settings: the real settings, made fast and deterministic.

DATABASE_URL and REDIS_URL come from the environment as usual: CI points them at PostgreSQL and Redis;
without them the tests run on SQLite and Celery tasks run eagerly.
"""

from laborbrand.settings import *  # noqa: F403
from laborbrand.settings import BASE_DIR, DATABASES, INSTALLED_APPS, MIDDLEWARE, SILENCED_SYSTEM_CHECKS

# The benchmarks' app, as bench/settings.py adds it: the tests run its commands on small data.
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = "laborbrand.sms.backends.locmem.SmsBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SECURE_SSL_REDIRECT = False
# First, so it records the HTML exactly as sent, for the browser tests' HTML validation (idle otherwise).
MIDDLEWARE = ["tests.browser.sent_pages.record_sent_html", *MIDDLEWARE]
LANGUAGE_CODE = "zh-hans"
# Rate-limit counters (the public certificate check) live in a per-process cache that conftest.py clears
# before every test, never in the shared Redis, which in CI also carries Celery's broker.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The public brand page counts live in tests (a test that changes records sees the figure at once);
# tests/brands/test_brand_page_records.py sets it to prove the page keeps its counts.
BRAND_PAGE_FIGURES_SECONDS = 0
HOME_FIGURES_SECONDS = 0
# django-ratelimit flags a local-memory cache as not shared between processes; each test run is one process.
SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "django_ratelimit.E003", "django_ratelimit.W001"]
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file, not memory, so a separate process (the Celery worker in the integration test) can see it.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / "test.sqlite3")}
