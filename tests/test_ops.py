"""The operational files say what they must: the production stack, the Makefile, CI, and a README
and .env.example that document every variable settings.py reads."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from core.demo import LOGINS

ROOT = Path(__file__).resolve().parent.parent
APP_SERVICES = ["migrate", "web", "worker", "beat", "backup"]


def read(name: str) -> str:
    return (ROOT / name).read_text(encoding="utf-8")


def settings_variables() -> set[str]:
    """Every environment variable settings.py reads (os.environ.get / env_bool / env_list …)."""
    pattern = r"""(?:os\.environ\.get|os\.getenv|env_bool|env_list)\(\s*["']([A-Z][A-Z0-9_]*)["']|os\.environ\[["']([A-Z][A-Z0-9_]*)["']\]"""
    found = {a or b for a, b in re.findall(pattern, read("projects_tracker/settings.py"))}
    assert {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DEMO_PASSWORD"} <= found
    # Secrets may also come from files: NAME_FILE for each name in SECRET_FILE_VARIABLES.
    from projects_tracker.settings import SECRET_FILE_VARIABLES

    return found | {f"{name}_FILE" for name in SECRET_FILE_VARIABLES}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(read("docker-compose.yml"))


def command_of(service: dict) -> str:
    command = service.get("command", "")
    return " ".join(command) if isinstance(command, list) else command


def test_compose_has_the_production_services(compose):
    services = compose["services"]
    assert set(services) >= {"postgres", "redis", "nginx", *APP_SERVICES}
    assert re.match(r"postgres:1[56]\b", services["postgres"]["image"])
    assert services["redis"]["image"].startswith("redis:")
    assert "gunicorn projects_tracker.wsgi" in command_of(services["web"])
    assert "celery -A projects_tracker worker" in command_of(services["worker"])
    assert "celery -A projects_tracker beat" in command_of(services["beat"])
    assert "manage.py migrate" in command_of(services["migrate"])


def test_compose_app_services_share_one_image_and_the_real_backends(compose):
    services = compose["services"]
    images = {(services[name].get("build"), services[name].get("image")) for name in APP_SERVICES}
    assert len(images) == 1
    build, _image = images.pop()
    assert build == "."
    for name in APP_SERVICES:
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgres://"), name
        assert env["DATABASE_URL"].endswith("@postgres:5432/tracker"), name
        assert env["REDIS_URL"].startswith("redis://redis:"), name
        assert "SECRET_KEY_FILE" in env and "SECRET_KEY" not in env and str(env["DEBUG"]) == "0", name
        assert services[name]["depends_on"]["postgres"]["condition"] == "service_healthy"
        assert services[name]["depends_on"]["redis"]["condition"] == "service_healthy"
    for name in ["web", "worker", "beat", "backup"]:
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_compose_keeps_data_in_volumes_and_checks_health(compose):
    services = compose["services"]
    assert any(v.endswith(":/var/lib/postgresql/data") for v in services["postgres"]["volumes"])
    assert any(v.startswith("media:") for v in services["web"]["volumes"])
    assert {"postgres-data", "media"} <= set(compose["volumes"])
    for name in set(services) - {"migrate"}:  # a one-off job: its exit status is its health
        assert services[name]["healthcheck"]["test"], name


def test_dockerfile_builds_the_runtime_image():
    dockerfile = read("Dockerfile")
    assert re.search(r"^FROM python:3\.11-slim", dockerfile, re.M)
    assert "pip install -r requirements.txt" in dockerfile
    assert "collectstatic" in dockerfile
    assert "STATIC_MANIFEST=1" in dockerfile
    assert re.search(r"^USER ", dockerfile, re.M), "runs as a non-root user"
    assert ".venv" in read(".dockerignore")


def test_requirements_are_pinned():
    for name in ["requirements.txt", "requirements-dev.txt"]:
        for line in read(name).splitlines():
            line = line.split("#")[0].strip()
            if line and not line.startswith("-r "):
                assert re.fullmatch(r"[A-Za-z0-9_.\-\[\],]+==[A-Za-z0-9_.]+", line), f"{name}: {line}"


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_makefile_targets_and_run_recipe():
    makefile = read("Makefile")
    for target in ["run", "test", "lint", "messages", "bench", "clean", "install", "backup", "restore"]:
        assert re.search(rf"^{target}:", makefile, re.M), target
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}
    dry = subprocess.run(
        ["make", "-n", "run", "PORT=8123"], cwd=ROOT, capture_output=True, text=True, env=env, timeout=30, check=True
    ).stdout
    assert "manage.py migrate" in dry
    assert "manage.py load_demo" in dry
    assert "runserver" in dry and "127.0.0.1:8123" in dry
    assert "celery -A projects_tracker worker" in dry
    assert "celery -A projects_tracker beat" in dry and "var/celerybeat-schedule" in dry
    assert "trap" in dry
    dry_test = subprocess.run(
        ["make", "-n", "test"], cwd=ROOT, capture_output=True, text=True, env=env, timeout=30, check=True
    ).stdout
    assert "pytest" in dry_test and "ruff check" in dry_test


def test_ci_script_is_strict_and_uses_real_services():
    path = ROOT / ".ci" / "run"
    assert os.access(path, os.X_OK)
    script = path.read_text()
    assert "set -euo pipefail" in script
    assert "pg_isready" in script and "redis-cli" in script
    assert "apt-get install -y" in script and "chromium" in script
    assert "export DATABASE_URL=" in script and "export REDIS_URL=" in script
    assert "make test" in script
    code = "\n".join(line for line in script.splitlines() if not line.lstrip().startswith("#"))
    assert "sqlite" not in code.lower()
    subprocess.run(["bash", "-n", str(path)], check=True)


def test_readme_documents_every_settings_variable():
    readme = read("README.md")
    missing = sorted(v for v in settings_variables() if f"`{v}`" not in readme)
    assert not missing, f"README.md does not document: {missing}"


def test_env_example_lists_every_settings_variable():
    example = read(".env.example")
    missing = sorted(v for v in settings_variables() if not re.search(rf"^#? ?{v}=", example, re.M))
    assert not missing, f".env.example does not list: {missing}"


def test_readme_quick_start_and_demo_logins():
    readme = read("README.md")
    assert "make run" in readme and "make test" in readme
    assert "http://127.0.0.1:8000/" in readme
    for login in LOGINS:
        assert f"`{login}`" in readme
    default_password = re.search(r'DEMO_PASSWORD", "([^"]+)"', read("projects_tracker/settings.py")).group(1)
    assert f"`{default_password}`" in readme
