"""Settings come from the environment: each case imports the real settings in a fresh Python
process with a controlled environment and reads back what they became."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# A key production accepts (long, varied, no placeholder word): see test_security_settings.py.
STRONG_KEY = "Jq7Vb2Lr9Xw4Tz6Nc1Hs8Pm3Dk5Fg0Ay-Ue_Ri2Oy7Wl9Qt4Bx6Zn1Mv3Sp8Ek5Cd0"

# Variables settings.py reads that must not leak in from the environment running the tests.
SETTINGS_VARIABLES = {
    "DEBUG",
    "SECRET_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "SITE_URL",
    "TIME_ZONE",
    "DEMO_PASSWORD",
    "EMAIL_BACKEND",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "STATIC_MANIFEST",
    "STATIC_ROOT",
    "MEDIA_ROOT",
    "VAR_DIR",
    "SECURE_COOKIES",
    "BEHIND_TLS_PROXY",
    "DJANGO_SETTINGS_MODULE",
}

PROBE = """
import json
import django
from django.conf import settings
django.setup()
from projects_tracker.celery import app
db = settings.DATABASES["default"]
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "SECRET_KEY": settings.SECRET_KEY,
    "ENGINE": db["ENGINE"],
    "NAME": str(db["NAME"]),
    "HOST": db.get("HOST", ""),
    "PORT": db.get("PORT", ""),
    "BROKER": settings.CELERY_BROKER_URL,
    "CELERY_APP_BROKER": app.conf.broker_url,
    "TRANSPORT_OPTIONS": settings.CELERY_BROKER_TRANSPORT_OPTIONS,
    "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
    "TIME_ZONE": settings.TIME_ZONE,
    "LANGUAGE_CODE": settings.LANGUAGE_CODE,
    "DEMO_PASSWORD": settings.DEMO_PASSWORD,
    "EMAIL_BACKEND": settings.EMAIL_BACKEND,
    "STATIC_ROOT": str(settings.STATIC_ROOT),
    "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    "SITE_URL": settings.SITE_URL,
    "STATICFILES_BACKEND": settings.STORAGES["staticfiles"]["BACKEND"],
}))
"""


def run_settings(tmp_path, **env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    clean.update({"DJANGO_SETTINGS_MODULE": "projects_tracker.settings", "VAR_DIR": str(tmp_path / "var")})
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60, check=False
    )


def settings_with(tmp_path, **env) -> dict:
    result = run_settings(tmp_path, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_no_secret_key_with_debug_off_is_refused(tmp_path):
    result = run_settings(tmp_path)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize("debug", ["0", "false", "no", ""])
def test_debug_off_spellings_still_need_a_secret_key(tmp_path, debug):
    assert run_settings(tmp_path, DEBUG=debug).returncode != 0


def test_debug_gives_a_development_key(tmp_path):
    s = settings_with(tmp_path, DEBUG="1")
    assert s["DEBUG"] is True
    assert s["SECRET_KEY"]
    assert s["ALLOWED_HOSTS"] == ["127.0.0.1", "localhost"]


def test_defaults_are_sqlite_and_the_filesystem_broker_under_var(tmp_path):
    s = settings_with(tmp_path, SECRET_KEY=STRONG_KEY)
    var = tmp_path / "var"
    assert s["DEBUG"] is False
    assert s["ENGINE"] == "django.db.backends.sqlite3"
    assert s["NAME"] == str(var / "db.sqlite3")
    assert s["BROKER"] == s["CELERY_APP_BROKER"] == "filesystem://"
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        folder = Path(s["TRANSPORT_OPTIONS"][key])
        assert folder.is_relative_to(var), key
        assert folder.is_dir(), key
    assert s["STATIC_ROOT"] == str(var / "staticfiles")
    assert s["MEDIA_ROOT"] == str(var / "media")
    assert s["TIME_ZONE"] == "Asia/Shanghai"
    assert s["LANGUAGE_CODE"] == "zh-hans"
    assert s["DEMO_PASSWORD"] == "demo12345"
    assert s["ALLOWED_HOSTS"] == []
    assert s["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert "Manifest" in s["STATICFILES_BACKEND"]


def test_database_url_switches_to_postgresql(tmp_path):
    s = settings_with(tmp_path, SECRET_KEY=STRONG_KEY, DATABASE_URL="postgres://tracker:pw@db.example:5433/tracker_x")
    assert s["ENGINE"] == "django.db.backends.postgresql"
    assert (s["NAME"], s["HOST"], str(s["PORT"])) == ("tracker_x", "db.example", "5433")


def test_redis_url_switches_the_broker_to_redis(tmp_path):
    s = settings_with(tmp_path, SECRET_KEY=STRONG_KEY, REDIS_URL="redis://127.0.0.1:6379/4")
    assert s["BROKER"] == s["CELERY_APP_BROKER"] == "redis://127.0.0.1:6379/4"
    assert not (tmp_path / "var" / "broker").exists()


def test_the_other_variables_are_read(tmp_path):
    s = settings_with(
        tmp_path,
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="tracker.example.gov.cn, localhost",
        TIME_ZONE="Asia/Urumqi",
        DEMO_PASSWORD="another-pass",
        EMAIL_HOST="smtp.example",
        SITE_URL="https://tracker.example.gov.cn/",
        STATIC_ROOT=str(tmp_path / "static"),
        MEDIA_ROOT=str(tmp_path / "media"),
        STATIC_MANIFEST="0",
    )
    assert s["ALLOWED_HOSTS"] == ["tracker.example.gov.cn", "localhost"]
    assert s["TIME_ZONE"] == "Asia/Urumqi"
    assert s["DEMO_PASSWORD"] == "another-pass"
    assert s["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert s["SITE_URL"] == "https://tracker.example.gov.cn"
    assert s["STATIC_ROOT"] == str(tmp_path / "static")
    assert s["MEDIA_ROOT"] == str(tmp_path / "media")
    assert "Manifest" not in s["STATICFILES_BACKEND"]
