"""A bounded load run against gunicorn on loopback: a mixed read/write workload for at most 60 s
with at most 32 clients. Prints throughput, p50/p95/p99 per operation and overall, and errors;
results also in bench/results/load.json.

The database is BENCH_DATABASE_URL and is NOT flushed: run it after bench_scale.py (which leaves
the largest size behind) or on any generated database; with no projects it generates LOAD_PROJECTS
(default 1,000, ten issues each) first.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_bench .venv/bin/python bench/load_run.py
    LOAD_SECONDS=30 LOAD_CLIENTS=16 LOAD_WORKERS=2 …

Writes: a comment on an issue (POST …/issues/<id>/comment/ with its version; a 409 after a
concurrent change is re-read and retried, counted as a conflict, not an error) and a new issue
(POST /api/v1/issues/). Reads: API lists, the handler's queue, the project list page and the
cockpit. Every 5xx, refused connection or unexpected status counts as an error.
"""

import datetime
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MAX_SECONDS, MAX_CLIENTS = 60, 32


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env() -> dict:
    url = os.environ.get("BENCH_DATABASE_URL")
    if not url:
        return {}
    env = dict(os.environ, DATABASE_URL=url, DJANGO_SETTINGS_MODULE="projects_tracker.test_settings")
    env.setdefault("LOG_LEVEL", "WARNING")
    return env


def _prepare(env: dict) -> dict:
    """Data, API tokens and session cookies of a leader, a handler and a supervisor."""
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from accounts.models import ApiToken
    from core.models import Official, Role
    from enterprises.models import Enterprise
    from issues.models import Issue, Status
    from projects.models import Project
    from scale.generators import ScaleConfig, generate

    call_command("migrate", verbosity=0)
    if not Project.objects.exists():
        n = int(os.environ.get("LOAD_PROJECTS", "1000"))
        generate(ScaleConfig(projects=n, issues=n * 10, seed=1))
    people = {}
    for role in (Role.LEADER, Role.HANDLER, Role.SUPERVISOR):
        official = (
            Official.objects.filter(role=role, user__is_active=True).select_related("user").order_by("id").first()
        )
        _token, raw = ApiToken.objects.issue(user=official.user, ttl=datetime.timedelta(hours=2))
        client = Client()
        client.force_login(official.user)
        people[role.value] = {"token": raw, "session": client.cookies["sessionid"].value, "user": official.user_id}
    open_issues = list(Issue.objects.filter(status__in=Status.open_values()).values_list("pk", "version")[:2000])
    enterprises = list(Enterprise.objects.values_list("pk", flat=True)[:500])
    return {"people": people, "issues": open_issues, "enterprises": enterprises}


class Client:
    def __init__(self, port: int, data: dict, rng: random.Random):
        self.port, self.data, self.rng = port, data, rng
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.versions = dict(data["issues"])

    def request(self, method: str, path: str, *, who: str, body=None, session=False) -> tuple[int, bytes]:
        person = self.data["people"][who]
        headers = {"Accept": "application/json", "Host": "127.0.0.1"}
        if session:
            headers["Cookie"] = f"sessionid={person['session']}"
            headers["Accept"] = "text/html"
        else:
            headers["Authorization"] = f"Token {person['token']}"
        if body is not None:
            body = json.dumps(body)
            headers["Content-Type"] = "application/json"
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            return response.status, response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            return 0, b""

    def comment(self) -> tuple[int, bool]:
        pk = self.rng.choice(list(self.versions))
        for attempt in range(2):
            status, body = self.request(
                "POST",
                f"/api/v1/issues/{pk}/comment/",
                who="supervisor",
                body={"note": "请加快办理进度。", "version": self.versions[pk]},
            )
            if status == 200:
                self.versions[pk] = json.loads(body).get("version", self.versions[pk])
                return status, attempt > 0
            if status != 409:
                return status, False
            got, detail = self.request("GET", f"/api/v1/issues/{pk}/", who="supervisor")
            if got == 200:
                self.versions[pk] = json.loads(detail)["version"]
        return 409, True

    def create(self) -> int:
        status, _body = self.request(
            "POST",
            "/api/v1/issues/",
            who="supervisor",
            body={
                "enterprise": self.rng.choice(self.data["enterprises"]),
                "category": "land",
                "description": "负载测试：用地指标尚未落实",
            },
        )
        return status


OPERATIONS = [
    # (name, weight, expected status)
    ("GET /api/v1/projects/?page_size=50", 22, 200),
    ("GET /api/v1/issues/?page_size=50 (handler)", 18, 200),
    ("GET /api/v1/issues/queue/ (handler)", 10, 200),
    ("GET /projects/ (page)", 10, 200),
    ("GET /issues/queue/ (page, handler)", 10, 200),
    ("GET /dashboard/ (cockpit)", 5, 200),
    ("POST comment", 18, 200),
    ("POST issue", 7, 201),
]


def _run(client: Client, name: str) -> tuple[int, bool]:
    if name == "GET /api/v1/projects/?page_size=50":
        return client.request("GET", "/api/v1/projects/?page_size=50", who="leader")[0], False
    if name == "GET /api/v1/issues/?page_size=50 (handler)":
        return client.request("GET", "/api/v1/issues/?page_size=50", who="handler")[0], False
    if name == "GET /api/v1/issues/queue/ (handler)":
        return client.request("GET", "/api/v1/issues/queue/", who="handler")[0], False
    if name == "GET /projects/ (page)":
        return client.request("GET", "/projects/", who="leader", session=True)[0], False
    if name == "GET /issues/queue/ (page, handler)":
        return client.request("GET", "/issues/queue/", who="handler", session=True)[0], False
    if name == "GET /dashboard/ (cockpit)":
        return client.request("GET", "/dashboard/", who="leader", session=True)[0], False
    if name == "POST comment":
        return client.comment()
    return client.create(), False


def main() -> None:
    seconds = min(MAX_SECONDS, int(os.environ.get("LOAD_SECONDS", "30")))
    clients = min(MAX_CLIENTS, int(os.environ.get("LOAD_CLIENTS", "8")))
    workers = int(os.environ.get("LOAD_WORKERS", "2"))
    env = _env()
    if not env:
        print("Load run skipped: set BENCH_DATABASE_URL (a PostgreSQL database you may fill; it is not flushed).")
        return
    data = _prepare(env)
    port = _free_port()
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "projects_tracker.wsgi",
            "--config=python:projects_tracker.gunicorn_conf",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            "--threads=4",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                sys.exit("gunicorn did not start")
            time.sleep(0.5)
        names, weights = zip(*[(n, w) for n, w, _s in OPERATIONS], strict=True)
        expected = {n: s for n, _w, s in OPERATIONS}
        samples: dict[str, list[float]] = {n: [] for n in names}
        errors: dict[str, int] = dict.fromkeys(names, 0)
        conflicts = [0]
        lock = threading.Lock()
        stop_at = time.monotonic() + seconds

        def worker(index: int):
            rng = random.Random(index)
            client = Client(port, data, rng)
            while time.monotonic() < stop_at:
                name = rng.choices(names, weights)[0]
                start = time.perf_counter()
                status, retried = _run(client, name)
                elapsed = (time.perf_counter() - start) * 1000
                with lock:
                    samples[name].append(elapsed)
                    conflicts[0] += retried
                    if status != expected[name]:
                        errors[name] += 1

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.monotonic() - started
    finally:
        server.terminate()
        server.wait(timeout=30)

    def pct(values, q):
        values = sorted(values)
        return round(values[min(len(values) - 1, int(len(values) * q))], 1) if values else None

    rows = []
    every = [v for vs in samples.values() for v in vs]
    print(f"\nLoad run: {clients} clients, {seconds} s, gunicorn {workers} workers × 4 threads, loopback")
    print(f"{'operation':<44}{'requests':>9}{'req/s':>8}{'p50':>8}{'p95':>8}{'p99':>8}{'errors':>8}")
    for name in [*names, "all"]:
        values = every if name == "all" else samples[name]
        errs = sum(errors.values()) if name == "all" else errors[name]
        row = {
            "operation": name,
            "requests": len(values),
            "per_second": round(len(values) / wall, 1),
            "p50_ms": pct(values, 0.5),
            "p95_ms": pct(values, 0.95),
            "p99_ms": pct(values, 0.99),
            "errors": errs,
        }
        rows.append(row)
        print(
            f"{name:<44}{row['requests']:>9}{row['per_second']:>8}{row['p50_ms'] or '—':>8}"
            f"{row['p95_ms'] or '—':>8}{row['p99_ms'] or '—':>8}{errs:>8}"
        )
    print(f"conflicts re-read and retried: {conflicts[0]}; median of all: {round(statistics.median(every), 1)} ms")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "load.json").write_text(
        json.dumps(
            {"clients": clients, "seconds": seconds, "workers": workers, "rows": rows}, ensure_ascii=False, indent=2
        )
    )


if __name__ == "__main__":
    main()
