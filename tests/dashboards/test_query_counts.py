"""The cockpit runs the same number of queries for 5 projects as for 500 (and so do the API
summary, the drill-down and the chain map)."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dashboards.services import project_health_refresh
from issues.models import Issue, Status
from projects.models import AnnualTarget, Milestone, ProgressReport, Project, Stage
from tests.factories import UserFactory

from .conftest import at, build_city

pytestmark = pytest.mark.django_db

STAGES = [Stage.PLANNED, Stage.SIGNED, Stage.STARTED, Stage.UNDER_CONSTRUCTION, Stage.IN_PRODUCTION, Stage.STOPPED]


def add_projects(city, n: int, start: int) -> None:
    """`n` more projects, each with a target, two reports, a milestone of the campaign and an issue."""
    parks = [city.park_a, city.park_b]
    enterprise = city.projects["P1"].enterprise
    projects = Project.objects.bulk_create(
        [
            Project(
                code=f"BULK-{start + i:05d}",
                name=f"批量项目{start + i}",
                enterprise=enterprise,
                park=parks[i % 2],
                segment=city.segments["steel"] if i % 3 == 0 else None,
                stage=STAGES[i % len(STAGES)],
                total_investment=Decimal("1000"),
                planned_start=datetime.date(2026, 1 + i % 12, 1),
                assigned_leader=city.leader.official if i % 4 == 0 else None,
                responsible_unit=parks[i % 2].committee,
                is_key=i % 5 == 0,
            )
            for i in range(n)
        ]
    )
    AnnualTarget.objects.bulk_create(
        [
            AnnualTarget(
                project=p, year=2026, planned_investment=Decimal("100"), target_production=datetime.date(2026, 10, 1)
            )
            for p in projects
        ]
    )
    ProgressReport.objects.bulk_create(
        [
            ProgressReport(project=p, month=datetime.date(2026, m, 1), investment=Decimal("20"), physical_progress="x")
            for p in projects
            for m in (3, 9)
        ]
    )
    milestones = Milestone.objects.bulk_create(
        [
            Milestone(project=p, campaign=city.campaign, title="节点", due_date=datetime.date(2026, 11, 1 + i % 28))
            for i, p in enumerate(projects)
        ]
    )
    raiser = UserFactory()
    Issue.objects.bulk_create(
        [
            Issue(
                enterprise=enterprise,
                project=p,
                category="land",
                title="问题",
                description="d",
                raised_by=raiser,
                raised_at=at(datetime.date(2026, 11, 2)),
                assign_days=1,
                response_days=3,
                resolution_days=10,
                resolution_counted_from=datetime.date(2026, 11, 2),
                assign_deadline=at(datetime.date(2026, 11, 3), 23),
                response_deadline=at(datetime.date(2026, 11, 5), 23),
                resolution_deadline=at(datetime.date(2026, 11, 16), 23),
                lead_department=city.d1 if i % 2 else city.d2,
                status=Status.IN_PROGRESS,
                acknowledged_at=at(datetime.date(2026, 11, 3)),
                blocks_milestone=m,
            )
            for i, (p, m) in enumerate(zip(projects, milestones, strict=True))
        ]
    )
    project_health_refresh()  # bulk inserts pass by the hooks: what the nightly run does


def count_queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


@pytest.fixture
def small_and_large(frozen):
    """Measure `fn(city)` with 5 added projects, then with 500."""

    def measure(fn):
        city = build_city()
        add_projects(city, 5, 0)
        fn(city)  # warm the per-process caches (content types, the session) first
        small = count_queries(lambda: fn(city))
        add_projects(city, 495, 5)
        assert Project.objects.count() == 507
        large = count_queries(lambda: fn(city))
        return small, large

    return measure


def test_cockpit_page_constant_queries(client, small_and_large):
    def page(city):
        client.force_login(city.leader)
        response = client.get(reverse("dashboards:cockpit"))
        assert response.status_code == 200

    small, large = small_and_large(page)
    assert small == large, (small, large)


def test_api_summary_constant_queries(client, small_and_large):
    def summary(city):
        client.force_login(city.leader)
        assert client.get("/api/v1/dashboard/summary/").status_code == 200

    small, large = small_and_large(summary)
    assert small == large, (small, large)


def test_drill_down_and_chain_map_constant_queries(client, small_and_large):
    def pages(city):
        client.force_login(city.leader)
        assert client.get(reverse("dashboards:drill", args=["health"])).status_code == 200
        assert client.get(reverse("dashboards:chains")).status_code == 200
        assert client.get(reverse("dashboards:briefing")).status_code == 200

    small, large = small_and_large(pages)
    assert small == large, (small, large)
