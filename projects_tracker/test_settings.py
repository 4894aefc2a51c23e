"""Settings for the test suite: the real settings, with test-only defaults.

DATABASE_URL and REDIS_URL still come from the environment, so CI runs on PostgreSQL and Redis.
"""

import os
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
os.environ.setdefault("STATIC_MANIFEST", "0")

from projects_tracker.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["*"]

# WhiteNoise warns about a missing STATIC_ROOT at start-up; tests serve from the finders.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405

# A DATABASE_URL naming a SQLite file: test on a file beside it (test_<name>) instead of in
# memory, so that tests needing several connections (threads, a worker process) run on SQLite.
if DATABASES["default"]["ENGINE"].endswith("sqlite3") and os.environ.get("DATABASE_URL"):  # noqa: F405
    _name = Path(DATABASES["default"]["NAME"])  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(_name.with_name(f"test_{_name.name}"))}  # noqa: F405
