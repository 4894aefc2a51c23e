"""Settings of the operations side, each case in a fresh Python process with a controlled
environment: secrets from files (*_FILE), the SQLite concurrency options, PostgreSQL's connect
timeout and health checks, Redis's password, the log format."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_settings_env import STRONG_KEY

ROOT = Path(__file__).resolve().parents[2]
CLEARED = {
    "DEBUG",
    "SECRET_KEY",
    "DATABASE_URL",
    "DATABASE_PASSWORD",
    "REDIS_URL",
    "REDIS_PASSWORD",
    "EMAIL_HOST_PASSWORD",
    "METRICS_TOKEN",
    "LOG_FORMAT",
    "DJANGO_SETTINGS_MODULE",
    *(f"{name}_FILE" for name in ["SECRET_KEY", "DATABASE_URL", "DATABASE_PASSWORD", "REDIS_URL", "REDIS_PASSWORD"]),
    "EMAIL_HOST_PASSWORD_FILE",
    "METRICS_TOKEN_FILE",
}

PROBE = """
import json
from django.conf import settings
db = settings.DATABASES["default"]
print(json.dumps({
    "SECRET_KEY": settings.SECRET_KEY,
    "ENGINE": db["ENGINE"],
    "NAME": str(db["NAME"]),
    "PASSWORD": db.get("PASSWORD", ""),
    "OPTIONS": db.get("OPTIONS", {}),
    "CONN_HEALTH_CHECKS": db.get("CONN_HEALTH_CHECKS"),
    "BROKER": settings.CELERY_BROKER_URL,
    "EMAIL_HOST_PASSWORD": settings.EMAIL_HOST_PASSWORD,
    "METRICS_TOKEN": settings.METRICS_TOKEN,
    "LOG_FORMAT": settings.LOG_FORMAT,
    "FORMATTER": settings.LOGGING["handlers"]["console"]["formatter"],
}))
"""


def run(tmp_path, **env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in CLEARED}
    clean.update({"DJANGO_SETTINGS_MODULE": "projects_tracker.settings", "VAR_DIR": str(tmp_path / "var")})
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60, check=False
    )


def settings_with(tmp_path, **env) -> dict:
    result = run(tmp_path, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def secret(tmp_path, name: str, value: str) -> str:
    path = tmp_path / name
    path.write_text(value)
    return str(path)


def test_secrets_are_read_from_files(tmp_path):
    s = settings_with(
        tmp_path,
        SECRET_KEY_FILE=secret(tmp_path, "key", STRONG_KEY + "\n"),
        DATABASE_URL="postgres://tracker@postgres:5432/tracker",
        DATABASE_PASSWORD_FILE=secret(tmp_path, "db", "p@ss word/é\n"),
        REDIS_URL="redis://redis:6379/0",
        REDIS_PASSWORD_FILE=secret(tmp_path, "redis", "r:e/d@is\n"),
        EMAIL_HOST_PASSWORD_FILE=secret(tmp_path, "mail", "mail-pw"),
        METRICS_TOKEN_FILE=secret(tmp_path, "metrics", "scrape-me\n"),
    )
    assert s["SECRET_KEY"] == STRONG_KEY
    assert s["PASSWORD"] == "p@ss word/é"
    assert s["BROKER"] == "redis://:r%3Ae%2Fd%40is@redis:6379/0"
    assert s["EMAIL_HOST_PASSWORD"] == "mail-pw"
    assert s["METRICS_TOKEN"] == "scrape-me"


def test_a_whole_database_url_may_come_from_a_file(tmp_path):
    s = settings_with(
        tmp_path,
        SECRET_KEY=STRONG_KEY,
        DATABASE_URL_FILE=secret(tmp_path, "url", "postgres://u:pw@db.example:5433/tracker_x\n"),
    )
    assert (s["NAME"], s["PASSWORD"]) == ("tracker_x", "pw")


def test_a_variable_and_its_file_together_are_refused(tmp_path):
    result = run(tmp_path, SECRET_KEY=STRONG_KEY, SECRET_KEY_FILE=secret(tmp_path, "key", "other"))
    assert result.returncode != 0
    assert "Set SECRET_KEY or SECRET_KEY_FILE, not both." in result.stderr


def test_an_unreadable_secret_file_is_refused_without_showing_anything(tmp_path):
    result = run(tmp_path, SECRET_KEY=STRONG_KEY, REDIS_PASSWORD_FILE=str(tmp_path / "missing"))
    assert result.returncode != 0
    assert "REDIS_PASSWORD_FILE: cannot read" in result.stderr


def test_sqlite_waits_for_locks_in_wal_mode_with_immediate_transactions(tmp_path):
    s = settings_with(tmp_path, SECRET_KEY=STRONG_KEY)
    assert s["ENGINE"] == "django.db.backends.sqlite3"
    assert s["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert s["OPTIONS"]["init_command"] == "PRAGMA journal_mode=WAL"
    assert s["OPTIONS"]["timeout"] == 20
    assert settings_with(tmp_path, SECRET_KEY=STRONG_KEY, SQLITE_BUSY_TIMEOUT="5")["OPTIONS"]["timeout"] == 5


def test_postgresql_connects_with_a_timeout_and_checks_kept_connections(tmp_path):
    s = settings_with(tmp_path, SECRET_KEY=STRONG_KEY, DATABASE_URL="postgres://u@h:5432/d")
    assert s["OPTIONS"]["connect_timeout"] == 5
    assert s["CONN_HEALTH_CHECKS"] is True
    s = settings_with(tmp_path, SECRET_KEY=STRONG_KEY, DATABASE_URL="postgres://u@h:5432/d?connect_timeout=2")
    assert s["OPTIONS"]["connect_timeout"] == 2
    s = settings_with(tmp_path, SECRET_KEY=STRONG_KEY, DATABASE_URL="postgres://u@h:5432/d", DB_CONNECT_TIMEOUT="9")
    assert s["OPTIONS"]["connect_timeout"] == 9


@pytest.mark.parametrize(
    ("env", "expected"), [({}, "json"), ({"DEBUG": "1"}, "text"), ({"LOG_FORMAT": "text"}, "text")]
)
def test_log_format(tmp_path, env, expected):
    s = settings_with(tmp_path, SECRET_KEY=STRONG_KEY, **env)
    assert s["LOG_FORMAT"] == s["FORMATTER"] == expected


def test_unknown_log_format_is_refused(tmp_path):
    result = run(tmp_path, SECRET_KEY=STRONG_KEY, LOG_FORMAT="xml")
    assert result.returncode != 0 and "LOG_FORMAT must be json or text" in result.stderr


BROKER_PROBE = """
import django
django.setup()
from ops.health import check_broker
from tests.test_settings_env import STRONG_KEY
print(check_broker())
"""


def test_the_broker_is_reached_with_the_password_from_a_file(tmp_path, redis_with_password):
    url, password = redis_with_password
    env = {k: v for k, v in os.environ.items() if k not in CLEARED}
    env.update({"DJANGO_SETTINGS_MODULE": "projects_tracker.settings", "VAR_DIR": str(tmp_path / "var")})
    env.update({"SECRET_KEY": STRONG_KEY, "REDIS_URL": url, "READYZ_BROKER_TIMEOUT": "2"})

    def probe(password_file: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-c", BROKER_PROBE],
            cwd=ROOT,
            env={**env, "REDIS_PASSWORD_FILE": password_file},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    right = probe(secret(tmp_path, "right", password + "\n"))
    assert right.returncode == 0, right.stderr[-2000:]
    assert "'transport': 'redis'" in right.stdout
    wrong = probe(secret(tmp_path, "wrong", "not-the-password"))
    assert wrong.returncode != 0
    assert "AuthenticationError" in wrong.stderr or "invalid password" in wrong.stderr.lower()
