"""List pages, list endpoints, the cockpit and the reminder sweep at growing sizes.

Prints median / p95 wall time and the SQL query count per call, for N projects (each with a
report, a milestone, a target and two issues). The query count must not grow with N; the time
should grow far slower than N. Results also go to bench/results/lists.json.

    make bench                      # SQLite scratch database under var/bench/
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_bench make bench
    BENCH_SIZES=50,500 .venv/bin/python bench/bench_lists.py
"""

import datetime
import json
import os
from decimal import Decimal

import _setup

_setup.configure()

import time_machine  # noqa: E402
from django.test import Client  # noqa: E402

from core.models import Role  # noqa: E402
from issues.models import Category  # noqa: E402
from issues.services import issue_create  # noqa: E402
from tests import factories as f  # noqa: E402

SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "50,500").split(",")]


def seed(n: int, world: dict) -> None:
    for i in range(n):
        project = f.ProjectFactory(park=world["park"], responsible_unit=world["committee"])
        f.ProgressReportFactory(project=project, month=datetime.date(2026, 10, 1), investment=Decimal(i % 97))
        f.AnnualTargetFactory(project=project)
        f.MilestoneFactory(project=project, due_date=_setup.TODAY + datetime.timedelta(days=(i % 20) - 10))
        for _ in range(2):
            issue_create(
                by=world["supervisor"],
                enterprise=project.enterprise,
                project=project,
                category=Category.LAND,
                description="用地指标",
                lead_department=world["handler_dept"],
            )


def main() -> None:
    traveller = time_machine.travel(datetime.datetime(2026, 11, 27, 2, tzinfo=datetime.UTC), tick=False)
    traveller.start()
    committee = f.DepartmentFactory(name="经开区管委会")
    handler_dept = f.DepartmentFactory(name="自然资源和规划局")
    world = {
        "committee": committee,
        "handler_dept": handler_dept,
        "park": f.ParkFactory(committee=committee),
        "supervisor": f.user_with_role(Role.SUPERVISOR),
        "leader": f.user_with_role(Role.LEADER),
        "handler": f.user_with_role(Role.HANDLER, department=handler_dept),
    }
    leader = Client()
    leader.force_login(world["leader"])
    handler = Client()
    handler.force_login(world["handler"])

    def get(client, url):
        def call():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        return call

    from notifications.services import reminders_sweep

    results, seeded = [], 0
    for n in SIZES:
        seed(n - seeded, world)
        seeded = n
        for name, fn in [
            ("GET /projects/ (leader)", get(leader, "/projects/")),
            ("GET /api/v1/projects/?page_size=50", get(leader, "/api/v1/projects/?page_size=50")),
            ("GET /api/v1/issues/?page_size=50", get(leader, "/api/v1/issues/?page_size=50")),
            ("GET /issues/queue/ (handler)", get(handler, "/issues/queue/")),
            ("GET /dashboard/ (leader)", get(leader, "/dashboard/")),
            ("reminders_sweep (re-run, nothing new)", lambda: reminders_sweep(lock=False)),
        ]:
            results.append((name, n, _setup.timed(fn, repeat=10)))
    traveller.stop()
    _setup.print_table("Lists, cockpit and sweep", results)
    out = _setup.ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "lists.json").write_text(
        json.dumps([{"what": w, "rows": n, **r} for w, n, r in results], ensure_ascii=False, indent=2)
    )


if __name__ == "__main__":
    main()
