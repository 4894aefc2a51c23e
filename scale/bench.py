"""The scale benchmark's harness (run by bench/bench_scale.py, smoke-tested at tiny sizes).

For one data size it times every list endpoint (found from the API router, so a new one is
measured without editing this file), every list page, the cockpit, the chain map, the exports,
OC4IDS, the league computation and the reminder sweep: median and p95 of `repeat` calls, the
query count of one call, and a *floor* measured in the same run — the same rows read with
`.values()` and serialised with json (lists, pages, exports), or the minimal aggregate SQL
(cockpit, chain map, league, sweep) — so the ratio says what the framework and the page add
over what the database must do anyway, on this machine and at this moment.
"""

from __future__ import annotations

import datetime
import json
import re
import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connection
from django.db.models import Count, Q, Sum
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from core.models import Official, Role
from enterprises.models import Enterprise
from issues.models import Issue
from notifications.models import Notification
from projects.models import Milestone, ProgressReport, Project

PAGE = 50


@dataclass
class Measure:
    what: str
    size: int
    median_ms: float
    p95_ms: float
    queries: int
    floor_ms: float | None = None
    peak_mib: float | None = None
    growth: float | None = None  # median ÷ the median at the previous size

    @property
    def ratio(self) -> float | None:
        if not self.floor_ms:
            return None
        return round(self.median_ms / self.floor_ms, 1)

    def as_dict(self) -> dict:
        return {
            "what": self.what,
            "size": self.size,
            "median_ms": self.median_ms,
            "p95_ms": self.p95_ms,
            "queries": self.queries,
            "floor_ms": self.floor_ms,
            "ratio": self.ratio,
            "growth": self.growth,
            "peak_mib": self.peak_mib,
        }


def sample(fn: Callable[[], object], *, repeat: int, warmup: int = 1) -> tuple[float, float, int]:
    """(median ms, p95 ms, queries of one call) of `fn`."""
    for _ in range(warmup):
        fn()
    with CaptureQueriesContext(connection) as ctx:
        fn()
    # Counted now: every request clears the connection's query log (request_started).
    queries = len(ctx.captured_queries)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, max(0, round(len(times) * 0.95) - 1))]
    return round(statistics.median(times), 1), round(p95, 1), queries


def _json_floor(qs, limit: int | None = PAGE) -> Callable[[], str]:
    """The same model's rows as `.values()` in json: what a list cannot do with less."""

    def floor():
        rows = qs.values()
        return json.dumps(list(rows[:limit] if limit else rows.iterator(chunk_size=2000)), default=str)

    return floor


@dataclass
class Target:
    what: str
    call: Callable[[], object]
    floor: Callable[[], object] | None = None
    memory: bool = False
    repeat: int | None = None  # None: the run's repeat


def _get(client: Client, url: str) -> Callable[[], object]:
    def call():
        response = client.get(url, follow=True)
        assert response.status_code == 200, (url, response.status_code)
        # Streamed responses (exports) are consumed, as a browser would.
        if getattr(response, "streaming", False):
            for _chunk in response.streaming_content:
                pass
        return response

    return call


def api_list_urls() -> list[str]:
    """Every collection endpoint of the API router (`…-list` routes) and the handler's queue."""
    urls = []

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern) and p.name and (p.name.endswith("-list") or p.name == "issue-queue"):
                path = (prefix + str(p.pattern)).replace("^", "").replace("$", "")
                if "<" not in path and "(?P" not in path:
                    urls.append("/" + path)

    walk(get_resolver().url_patterns)
    return sorted(set(urls))


def _model_of(url: str):
    """The model an API list serves: its serializer's, its queryset's, else the one its route
    is named after (`progress-report-list` → ProgressReport)."""
    match = resolve(url.split("?")[0])
    cls = getattr(match.func, "cls", None)
    serializer = getattr(cls, "serializer_class", None)
    model = getattr(getattr(serializer, "Meta", None), "model", None)
    if model is None and getattr(cls, "queryset", None) is not None:
        model = cls.queryset.model
    if model is None:
        wanted = (match.url_name or "").removesuffix("-list").removesuffix("-queue").replace("-", "")
        model = next((m for m in apps.get_models() if m.__name__.lower() == wanted), None)
    return model


PAGES = [
    # (url, who, the model whose first rows are the floor)
    ("/", "leader", Project),  # each role's home: the leader's is the cockpit
    ("/projects/", "leader", Project),
    ("/enterprises/", "leader", Enterprise),
    ("/issues/", "handler", Issue),
    ("/issues/all/", "leader", Issue),
    ("/issues/all/?q=用地", "leader", Issue),
    ("/issues/queue/", "handler", Issue),
    ("/visits/", "leader", Issue),
    ("/notifications/", "staff", Notification),
    ("/notifications/supervision/", "supervisor", Notification),
    ("/notifications/deliveries/", "supervisor", Notification),
    ("/campaigns/", "leader", Project),
    ("/intake/", "leader", Project),
    ("/intake/dispatch/", "leader", Project),
    ("/funding/", "leader", Project),
    ("/dashboard/map/", "leader", Project),
    ("/dashboard/league/", "leader", Project),
    ("/dashboard/briefing/", "leader", Project),
]


SUPERVISOR_ONLY = re.compile(r"/(audit-entries|unrouted-reminders)/")


def clients() -> dict[str, Client]:
    """A signed-in test client per role, on the generated people (the first of each role)."""
    out = {}
    for role in (Role.LEADER, Role.HANDLER, Role.STAFF, Role.SUPERVISOR):
        official = Official.objects.filter(role=role).select_related("user").order_by("id").first()
        if role == Role.HANDLER:
            # The handler of the department with the most issues: the heaviest queue.
            busiest = (
                Issue.objects.exclude(lead_department=None)
                .values("lead_department")
                .annotate(n=Count("id"))
                .order_by("-n")
                .first()
                or {}
            ).get("lead_department")
            official = (
                Official.objects.filter(role=role, department_id=busiest).select_related("user").first() or official
            )
        client = Client()
        client.force_login(official.user)
        out[role.value] = client
    return out


def targets(*, today: datetime.date) -> list[Target]:
    c = clients()
    leader = c["leader"]
    out: list[Target] = []
    for url in api_list_urls():
        model = _model_of(url) or Project
        # The queue is a handler's; the audit log and unrouted reminders are the supervision office's.
        who = "handler" if url.endswith("/queue/") else "supervisor" if SUPERVISOR_ONLY.search(url) else "leader"
        out.append(
            Target(
                f"API {url}?page_size={PAGE} ({who})",
                _get(c[who], f"{url}?page_size={PAGE}"),
                _json_floor(model.objects.all()) if model else None,
            )
        )
    out.append(
        Target(
            f"API /api/v1/issues/?page_size={PAGE} (handler)",
            _get(c["handler"], f"/api/v1/issues/?page_size={PAGE}"),
            _json_floor(Issue.objects.all()),
        )
    )
    out.append(
        Target(
            "API /api/v1/issues/?q=用地",
            _get(leader, f"/api/v1/issues/?q=用地&page_size={PAGE}"),
            _json_floor(Issue.objects.filter(title__contains="用地")),
        )
    )
    out.append(
        Target("API /api/v1/oc4ids/projects/", _get(leader, "/api/v1/oc4ids/projects/"), _json_floor(Project.objects))
    )
    for url, who, model in PAGES:
        out.append(Target(f"HTML {url} ({who})", _get(c[who], url), _json_floor(model.objects.all())))

    year_start = today.replace(month=1, day=1)

    def cockpit_floor():
        # The minimal SQL behind the cockpit's figures: stages, the year's investment, open and
        # overdue milestones and issues.
        list(Project.objects.values("stage").annotate(n=Count("id")))
        ProgressReport.objects.filter(month__gte=year_start).aggregate(s=Sum("investment"))
        Milestone.objects.aggregate(
            overdue=Count("id", filter=Q(completed_on__isnull=True, due_date__lt=today)),
            open=Count("id", filter=Q(completed_on__isnull=True)),
        )
        list(Issue.objects.values("status").annotate(n=Count("id")))

    out.append(Target("HTML /dashboard/ (leader, cockpit)", _get(leader, "/dashboard/"), cockpit_floor))
    out.append(
        Target(
            "HTML /dashboard/chains/ (leader)",
            _get(leader, "/dashboard/chains/"),
            lambda: list(
                Project.objects.values("segment").annotate(n=Count("id"), e=Count("enterprise", distinct=True))
            ),
        )
    )
    for kind in ("projects", "issues", "milestones"):
        model = {"projects": Project, "issues": Issue, "milestones": Milestone}[kind]
        out.append(
            Target(
                f"export /dashboard/export/{kind}.xlsx",
                _get(leader, f"/dashboard/export/{kind}.xlsx"),
                _json_floor(model.objects.all(), limit=None),
                memory=True,
                repeat=3,
            )
        )

    from dashboards.league import league_standings
    from dashboards.models import LeagueFormula

    for formula in LeagueFormula.objects.all():

        def league(formula=formula):
            return league_standings(kind=formula.kind, start=year_start, end=today, formula=formula)

        out.append(
            Target(
                f"league standings ({formula.kind})",
                league,
                lambda: list(
                    Milestone.objects.filter(due_date__gte=year_start, due_date__lt=today)
                    .values("project__park")
                    .annotate(n=Count("id"), met=Count("id", filter=Q(completed_on__lte=today)))
                ),
            )
        )
    return out


def sweep_targets() -> list[Target]:
    from notifications.services import reminders_sweep

    def floor():
        Milestone.objects.filter(completed_on__isnull=True).count()
        Notification.objects.count()

    return [
        Target("reminders_sweep (first run)", lambda: reminders_sweep(lock=False), floor, repeat=1),
        Target("reminders_sweep (re-run, nothing new)", lambda: reminders_sweep(lock=False), floor),
    ]


@dataclass
class Run:
    results: list[Measure] = field(default_factory=list)

    def measure(self, size: int, items: list[Target], *, repeat: int, log=print, skip: str = "") -> None:
        """Measure `items` at `size`; those whose name contains a comma-separated word of `skip`
        are left out (e.g. "export" for a quick run)."""
        previous = {m.what: m for m in self.results}
        words = [w.strip() for w in skip.split(",") if w.strip()]
        for t in items:
            if any(w in t.what for w in words):
                continue
            n = t.repeat or repeat
            if t.what == "reminders_sweep (first run)":
                # Only one first run exists: time that one call, then count the queries of none.
                start = time.perf_counter()
                t.call()
                median = p95 = round((time.perf_counter() - start) * 1000, 1)
                queries = -1
            else:
                median, p95, queries = sample(t.call, repeat=n, warmup=1)
            floor = sample(t.floor, repeat=max(3, min(n, 7)), warmup=1)[0] if t.floor else None
            peak = None
            if t.memory:
                tracemalloc.start()
                t.call()
                peak = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
                tracemalloc.stop()
            m = Measure(t.what, size, median, p95, queries, floor_ms=floor, peak_mib=peak)
            before = previous.get(t.what)
            if before and before.median_ms:
                m.growth = round(m.median_ms / before.median_ms, 2)
            self.results.append(m)
            log(format_row(m))


HEADER = f"{'what':<58}{'size':>7}{'median':>9}{'p95':>9}{'queries':>8}{'floor':>8}{'×floor':>8}{'growth':>8}{'MiB':>7}"


def format_row(m: Measure) -> str:
    def cell(value, width):
        return f"{'—' if value is None else value:>{width}}"

    return (
        f"{m.what[:57]:<58}{m.size:>7}{m.median_ms:>9}{m.p95_ms:>9}{cell(m.queries if m.queries >= 0 else None, 8)}"
        f"{cell(m.floor_ms, 8)}{cell(m.ratio, 8)}{cell(m.growth, 8)}{cell(m.peak_mib, 7)}"
    )
