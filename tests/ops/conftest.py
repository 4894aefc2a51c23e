"""Helpers for the operations tests: free ports, a throw-away Redis server, a gunicorn server."""

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

from tests.test_settings_env import STRONG_KEY

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def closed_port() -> int:
    """A port nothing listens on (connections are refused at once)."""
    return free_port()


def start_redis(tmp_path: Path, *args: str) -> tuple[subprocess.Popen, int]:
    """A Redis server of our own on a free port (skips the test if Redis is not installed)."""
    executable = shutil.which("redis-server")
    if executable is None:
        pytest.skip("redis-server is not installed")
    port = free_port()
    command = [executable, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    process = subprocess.Popen(
        [*command, "--dir", str(tmp_path), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return process, port
        except OSError:
            if time.monotonic() > deadline:
                process.kill()
                pytest.fail("redis-server did not start")
            time.sleep(0.05)


def stop_redis(process: subprocess.Popen) -> None:
    process.kill()  # nothing to keep (no persistence); works on a stopped process too
    process.wait(timeout=10)


@pytest.fixture
def paused_redis(tmp_path):
    """A Redis server stopped with SIGSTOP: it accepts TCP connections (the kernel does) but
    never answers, as a hung server or a network partition behaves."""
    process, port = start_redis(tmp_path)
    os.kill(process.pid, signal.SIGSTOP)
    yield f"redis://127.0.0.1:{port}/0"
    stop_redis(process)


@pytest.fixture
def redis_with_password(tmp_path):
    """A Redis server with requirepass, as in docker-compose.yml: (url without password, password)."""
    password = "compose:secret/pw@1"
    process, port = start_redis(tmp_path, "--requirepass", password)
    yield f"redis://127.0.0.1:{port}/0", password
    stop_redis(process)


class Server:
    """`gunicorn projects_tracker.wsgi` (the production command) on a free loopback port."""

    def __init__(self, env: dict, log: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        with open(log, "wb") as out:
            self.process = subprocess.Popen(
                [
                    str(BIN / "gunicorn"),
                    "projects_tracker.wsgi",
                    "--config=python:projects_tracker.gunicorn_conf",
                    f"--bind=127.0.0.1:{self.port}",
                    "--workers=1",
                ],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    pytest.fail(f"gunicorn did not start:\n{log.read_text()[-3000:]}")
                time.sleep(0.1)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


def server_environment(tmp_path: Path, **overrides) -> dict:
    """The production settings (DEBUG off) with a private VAR_DIR and MEDIA_ROOT."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG", "DJANGO_SETTINGS_MODULE", "CELERY_QUEUE"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "projects_tracker.settings",
            "SECRET_KEY": STRONG_KEY,
            "ALLOWED_HOSTS": "127.0.0.1",
            # Plain HTTP on loopback, no proxy in front: no HTTPS redirect or HTTPS-only cookies.
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "STATIC_MANIFEST": "0",
            "VAR_DIR": str(tmp_path / "var"),
            "MEDIA_ROOT": str(tmp_path / "media"),
            "WEB_CONCURRENCY": "1",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(overrides)
    return env


@pytest.fixture
def gunicorn(tmp_path):
    """Start servers with `gunicorn(**env)`; all are stopped at the end of the test."""
    servers: list[Server] = []

    def start(**env) -> Server:
        server = Server(server_environment(tmp_path, **env), tmp_path / f"gunicorn-{len(servers)}.log")
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()
