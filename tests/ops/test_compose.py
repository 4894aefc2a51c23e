"""The production stack (docker-compose.yml, deploy/nginx.conf, Dockerfile) is valid and sound:
validated offline against the Compose specification's JSON schema, and checked for what issue
#10 asks — secrets from files, web reachable only through the TLS proxy, Redis with a password
and an append-only file, a healthcheck on every service, a scheduled backup, pinned images."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = ["migrate", "web", "worker", "worker-sweeps", "beat", "backup"]


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def command_of(service: dict) -> str:
    command = service.get("command", "")
    return " ".join(command) if isinstance(command, list) else command


def healthcheck_of(service: dict) -> str:
    test = service["healthcheck"]["test"]
    return " ".join(test) if isinstance(test, list) else test


def test_compose_file_is_valid_against_the_compose_specification():
    validator = shutil.which("check-jsonschema") or str(ROOT / ".venv" / "bin" / "check-jsonschema")
    result = subprocess.run(
        [validator, "--builtin-schema", "vendor.compose-spec", str(ROOT / "docker-compose.yml")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_secrets_come_from_files_never_from_plain_variables(compose):
    secrets = compose["secrets"]
    assert all(definition["file"].startswith("./secrets/") for definition in secrets.values())
    for name in APP_SERVICES:
        service = compose["services"][name]
        env = service["environment"]
        for key, value in env.items():
            assert not re.search(r"(PASSWORD|SECRET_KEY|TOKEN)$", key), f"{name}: {key} is a plain variable"
            if key.endswith("_FILE"):
                secret = re.fullmatch(r"/run/secrets/(\w+)", value).group(1)
                assert secret in service["secrets"], f"{name}: {secret} not mounted"
        assert {"SECRET_KEY_FILE", "DATABASE_PASSWORD_FILE", "REDIS_PASSWORD_FILE", "EMAIL_HOST_PASSWORD_FILE"} <= set(
            env
        )
        assert "@" in env["DATABASE_URL"] and ":" not in env["DATABASE_URL"].split("//")[1].split("@")[0]
    postgres = compose["services"]["postgres"]
    assert postgres["environment"]["POSTGRES_PASSWORD_FILE"] == "/run/secrets/postgres_password"
    assert "POSTGRES_PASSWORD" not in postgres["environment"]


def test_web_is_reachable_only_through_the_tls_proxy(compose):
    services, networks = compose["services"], compose["networks"]
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"nginx"}
    assert set(services["web"]["networks"]) == {"backend", "proxy"}
    assert networks["proxy"]["internal"] is True and networks["backend"]["internal"] is True
    assert set(services["nginx"]["networks"]) == {"edge", "proxy"}
    assert "egress" in services["worker"]["networks"]  # SMTP and webhooks
    for name in ["postgres", "redis", "web", "worker-sweeps", "beat", "backup", "migrate"]:
        assert "egress" not in services[name]["networks"] and "edge" not in services[name]["networks"], name
    env = services["web"]["environment"]
    assert env["BEHIND_TLS_PROXY"] == "1" and env["SECURE_COOKIES"] == "1"

    nginx = (ROOT / "deploy" / "nginx.conf").read_text()
    assert "./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro" in services["nginx"]["volumes"]
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in nginx
    assert "proxy_set_header X-Request-ID $tracker_request_id;" in nginx
    assert re.search(r"listen 443 ssl;", nginx) and "return 301 https://" in nginx
    assert "ssl_certificate /run/secrets/tls_certificate;" in nginx
    assert re.search(r"location = /metrics \{\s*return 404;", nginx)
    assert "server web:8000;" in nginx


def test_redis_has_a_password_from_its_secret_and_an_append_only_file(compose):
    redis = compose["services"]["redis"]
    command = command_of(redis)
    assert "requirepass" in command and "/run/secrets/redis_password" in command
    assert "--appendonly yes" in command and "--maxmemory-policy noeviction" in command
    assert "redis_password" in redis["secrets"]
    assert any(volume.endswith(":/data") for volume in redis["volumes"])
    assert "REDISCLI_AUTH" in healthcheck_of(redis)


def test_every_service_has_a_healthcheck_that_checks_what_matters(compose):
    services = compose["services"]
    for name, service in services.items():
        if name != "migrate":  # a one-off job: the others wait for it to complete
            assert service["healthcheck"]["test"], name
    assert "/readyz" in healthcheck_of(services["web"])
    assert "inspect ping -d deliveries@" in healthcheck_of(services["worker"])
    assert "inspect ping -d sweeps@" in healthcheck_of(services["worker-sweeps"])
    assert "manage.py healthcheck beat" in healthcheck_of(services["beat"])
    assert "manage.py healthcheck backup" in healthcheck_of(services["backup"])
    assert "pg_isready" in healthcheck_of(services["postgres"])


def test_a_backup_service_runs_on_a_schedule(compose):
    backup = compose["services"]["backup"]
    assert "manage.py backup --daily-at=" in command_of(backup)
    assert backup["environment"]["BACKUP_DIR"] == "/backups"
    assert any(volume.endswith(":/backups") for volume in backup["volumes"])
    assert "media:/app/media" in backup["volumes"]


def test_images_are_pinned_and_pg_dump_matches_the_server(compose):
    for name, service in compose["services"].items():
        image = service["image"]
        _repository, _, tag = image.partition(":")
        assert tag and tag != "latest" and re.match(r"\d", tag), f"{name}: {image}"
    major = re.match(r"postgres:(\d+)", compose["services"]["postgres"]["image"]).group(1)
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert f"postgresql-client-{major}" in dockerfile
    assert re.search(r"^FROM python:3\.11-slim-\w+$", dockerfile, re.M)
    assert "projects_tracker.gunicorn_conf" in dockerfile
    for ignore in [".dockerignore", ".gitignore"]:
        text = (ROOT / ignore).read_text()
        assert re.search(r"^/?secrets/?$", text, re.M) and re.search(r"^/?backups/?$", text, re.M), ignore
