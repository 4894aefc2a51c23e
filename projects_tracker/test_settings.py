"""Settings for the test suite: the real settings, with test-only defaults.

DATABASE_URL and REDIS_URL still come from the environment, so CI runs on PostgreSQL and Redis.
"""

import os
from pathlib import Path

# A key the production rules accept (tests run with DEBUG off); workers started by tests inherit it.
os.environ.setdefault("SECRET_KEY", "tests-only:Vq3xT9wLr7Zp2KbN8sYd4HfJ6mCg1AeU5oRiX0nWjQ")
os.environ.setdefault("STATIC_MANIFEST", "0")

from projects_tracker.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["*"]

# The test client and the live servers speak plain HTTP: no redirect to HTTPS, no HTTPS-only
# cookies (tests of those settings run `check --deploy` and requests in a subprocess or override
# them). Supervisors sign in without a second factor unless a test asks for it.
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False
OTP_REQUIRED_FOR_SUPERVISORS = False

# WhiteNoise warns about a missing STATIC_ROOT at start-up; tests serve from the finders.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405

# A DATABASE_URL naming a SQLite file: test on a file beside it (test_<name>) instead of in
# memory, so that tests needing several connections (threads, a worker process) run on SQLite.
if DATABASES["default"]["ENGINE"].endswith("sqlite3") and os.environ.get("DATABASE_URL"):  # noqa: F405
    _name = Path(DATABASES["default"]["NAME"])  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(_name.with_name(f"test_{_name.name}"))}  # noqa: F405

# Each test process keeps its own cache: a shared Redis cache would carry state from one test
# (or one engineer's run) into the next. The Redis cache itself is tested in a subprocess.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
