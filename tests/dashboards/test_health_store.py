"""The stored project health (dashboards.models.ProjectHealth) always equals a from-scratch
computation (dashboards.health.compute_health + roll_up): after each kind of write through the
services (refreshed on commit by the projects and issues hooks), after the nightly run with the
clock moved on, and after a rule changed. The city is tests/dashboards/conftest.py's."""

import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from dashboards import tasks
from dashboards.health import MEASURES, active_rules, compute_health, roll_up
from dashboards.models import HealthRule, ProjectHealth
from dashboards.services import (
    health_on_issue_event,
    health_on_project_changed,
    project_health_refresh,
    project_health_refresh_blocked,
    rule_save,
)
from issues.hooks import issue_event_committed
from issues.models import Issue
from issues.selectors import with_deadline_state
from issues.services import issue_create
from projects import services as project_services
from projects.hooks import project_changed
from projects.models import Stage
from tests.factories import ProjectFactory

from .conftest import SHANGHAI

pytestmark = pytest.mark.django_db


def fresh() -> dict:
    computed = compute_health(None, rules=active_rules(), today=timezone.localdate(), now=timezone.now())
    roll_up(computed)
    return computed


def stored() -> dict:
    return {h.project_id: h for h in ProjectHealth.objects.prefetch_related("reasons")}


def differences() -> list:
    """Where the stored rows differ from a computation from scratch (empty when they agree)."""
    want, have = fresh(), stored()
    found = [("missing", pk) for pk in set(want) - set(have)] + [("extra", pk) for pk in set(have) - set(want)]
    for pk in set(want) & set(have):
        item, row = want[pk], have[pk]
        got = {
            "color": row.color,
            "own": row.own_color,
            "child": row.worst_child_color,
            "fired": {r.rule_id for r in row.reasons.all()},
            **{n: getattr(row, n) for n in MEASURES},
        }
        expected = {
            "color": item.color,
            "own": item.own_color,
            "child": item.worst_child_color,
            "fired": set(item.fired),
            **item.measures,
        }
        found += [(pk, k, got[k], expected[k]) for k in expected if got[k] != expected[k]]
    return found


def colour(project) -> str:
    return ProjectHealth.objects.get(project=project).color


def test_the_subscribers_are_connected():
    assert health_on_project_changed in project_changed.subscribers
    assert health_on_issue_event in issue_event_committed.subscribers


def test_after_the_build_the_store_equals_a_fresh_computation(city):
    assert differences() == []
    assert {code: colour(p) for code, p in city.projects.items()} == {
        "P1": "red",
        "P2": "yellow",
        "P3": "red",
        "P4": "green",
        "P5": "red",
        "P6": "",
        "P7": "green",
    }


def test_a_report_refreshes_on_commit(city, django_capture_on_commit_callbacks):
    p1 = city.projects["P1"]
    with django_capture_on_commit_callbacks(execute=True):
        project_services.progress_report_submit(
            project=p1,
            month=datetime.date(2026, 11, 1),
            investment="400",
            physical_progress="主体封顶",
            by=city.supervisor,
        )
    assert differences() == []
    assert ProjectHealth.objects.get(project=p1).year_done == Decimal("1000")
    # The correction of a report too.
    report = p1.progress_reports.get(month=datetime.date(2026, 11, 1))
    with django_capture_on_commit_callbacks(execute=True):
        project_services.progress_report_update(report=report, by=city.supervisor, investment="10")
    assert differences() == []
    assert ProjectHealth.objects.get(project=p1).year_done == Decimal("610")


def test_without_the_commit_the_store_is_stale(city):
    """The check can fail: a write whose commit never comes leaves the stored row behind."""
    project_services.progress_report_submit(
        project=city.projects["P1"],
        month=datetime.date(2026, 11, 1),
        investment="400",
        physical_progress="x",
        by=city.supervisor,
    )
    assert differences() != []


def test_milestones_targets_and_stages_refresh(city, django_capture_on_commit_callbacks):
    p5, p3, p2 = city.projects["P5"], city.projects["P3"], city.projects["P2"]
    with django_capture_on_commit_callbacks(execute=True):
        project_services.milestone_complete(milestone=city.milestones["M1"], by=city.supervisor, evidence="验收单")
    assert differences() == []
    assert "milestone_overdue" not in set(ProjectHealth.objects.get(project=p5).reasons.values_list("kind", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        project_services.milestone_reopen(milestone=city.milestones["M1"], by=city.supervisor, reason="误点")
    assert differences() == [] and colour(p5) == "red"
    with django_capture_on_commit_callbacks(execute=True):
        project_services.milestone_create(
            project=p2, by=city.supervisor, title="土地摘牌", due_date=datetime.date(2026, 10, 1)
        )
    assert differences() == [] and colour(p2) == "red"
    with django_capture_on_commit_callbacks(execute=True):
        project_services.project_change_stage(project=p3, to_stage=Stage.STARTED, by=city.supervisor)
    assert differences() == [] and colour(p3) == "green"
    with django_capture_on_commit_callbacks(execute=True):
        project_services.project_change_stage(project=p3, to_stage=Stage.STOPPED, by=city.supervisor, reason="撤资")
    assert differences() == [] and colour(p3) == ""
    with django_capture_on_commit_callbacks(execute=True):
        project_services.annual_target_set(project=p5, year=2026, by=city.supervisor, planned_investment="1700")
    assert differences() == []


def test_an_issue_event_refreshes_its_project(city, django_capture_on_commit_callbacks):
    p1 = city.projects["P1"]
    city.issues["I1"].blocks_milestone = None  # written past the services: the store is behind
    city.issues["I1"].save(update_fields=["blocks_milestone"])
    assert differences() != []
    with django_capture_on_commit_callbacks(execute=True):
        issue_create(
            by=city.supervisor,
            enterprise=p1.enterprise,
            project=p1,
            category="land",
            description="用地指标",
            blocks_milestone=city.milestones["M3"],
        )
    assert differences() == []
    assert "blocking_issue_overdue" not in set(
        ProjectHealth.objects.get(project=p1).reasons.values_list("kind", flat=True)
    )


def test_the_nightly_run_catches_up_with_the_date(city):
    """Due dates and 序时进度 move with the date: days later the store is behind until the nightly
    task runs; a colour that still holds keeps its `since`."""
    p1, p4 = city.projects["P1"], city.projects["P4"]
    since = {p.pk: ProjectHealth.objects.get(project=p).since for p in (p1, p4)}
    with time_machine.travel(datetime.datetime(2026, 12, 7, 0, 5, tzinfo=SHANGHAI), tick=False):
        assert differences() != []  # M3 of P1 fell due on 5 December
        tasks.refresh_project_health()
        assert differences() == []
        record = ProjectHealth.objects.get(project=p1)
        assert (record.color, record.overdue_milestone_count, record.as_of) == ("red", 1, datetime.date(2026, 12, 7))
        assert record.since == since[p1.pk]
        assert ProjectHealth.objects.get(project=p4).since == since[p4.pk]
        assert project_health_refresh() == 0  # nothing more to write


def test_since_moves_when_the_colour_changes(city, django_capture_on_commit_callbacks):
    p3 = city.projects["P3"]
    before = ProjectHealth.objects.get(project=p3).since
    with time_machine.travel(datetime.datetime(2026, 11, 27, 15, tzinfo=SHANGHAI), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            project_services.project_change_stage(project=p3, to_stage=Stage.STARTED, by=city.supervisor)
        record = ProjectHealth.objects.get(project=p3)
        assert record.color == "green" and record.since == timezone.now() and record.since > before


def test_the_quarter_hourly_run_catches_a_blocking_deadline(city, django_capture_on_commit_callbacks):
    p2 = city.projects["P2"]
    milestone = project_services.milestone_create(
        project=p2, by=city.supervisor, title="土地摘牌", due_date=datetime.date(2026, 12, 20)
    )
    with django_capture_on_commit_callbacks(execute=True):
        issue = issue_create(
            by=city.supervisor,
            enterprise=p2.enterprise,
            project=p2,
            category="land",
            description="用地指标",
            blocks_milestone=milestone,
            deadline=datetime.date(2026, 11, 30),
            lead_department=city.d1,
        )
    assert differences() == []
    current = (
        with_deadline_state(Issue.objects.filter(pk=issue.pk), now=timezone.now())
        .values_list("current_deadline", flat=True)
        .get()
    )
    late = current + datetime.timedelta(minutes=1)
    with time_machine.travel(late, tick=False):
        assert differences() != []
        assert project_health_refresh_blocked() >= 1
        assert "blocking_issue_overdue" in set(
            ProjectHealth.objects.get(project=p2).reasons.values_list("kind", flat=True)
        )


def test_a_rule_change_rebuilds_everything(city, django_capture_on_commit_callbacks, settings):
    from projects_tracker.celery import app as celery_app

    rule = HealthRule.objects.get(kind="start_late", color="red")
    rule.threshold = Decimal("5")
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            rule_save(rule=rule, by=city.supervisor)
    finally:
        celery_app.conf.task_always_eager = previous
    assert differences() == []
    assert colour(city.projects["P3"]) == "yellow"


def test_a_parent_takes_the_worst_colour_of_its_sub_items(city, django_capture_on_commit_callbacks):
    parent = ProjectFactory(park=city.park_a, stage=Stage.UNDER_CONSTRUCTION)
    with django_capture_on_commit_callbacks(execute=True):
        project_services.project_update(project=city.projects["P3"], by=city.supervisor, parent=parent)
    assert differences() == []
    record = ProjectHealth.objects.get(project=parent)
    assert (record.own_color, record.worst_child_color, record.color) == ("green", "red", "red")
    with django_capture_on_commit_callbacks(execute=True):
        project_services.project_change_stage(project=city.projects["P3"], to_stage=Stage.STARTED, by=city.supervisor)
    assert differences() == [] and colour(parent) == "green"


def test_a_failing_refresh_leaves_the_write_standing(city, django_capture_on_commit_callbacks, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("database hiccup")

    monkeypatch.setattr(project_changed, "_subscribers", [broken])
    with django_capture_on_commit_callbacks(execute=True):
        report = project_services.progress_report_submit(
            project=city.projects["P1"],
            month=datetime.date(2026, 11, 1),
            investment="1",
            physical_progress="x",
            by=city.supervisor,
        )
    assert report.pk is not None
    call_command("rebuild_project_health", stdout=io.StringIO())  # the repair
    assert differences() == []


def test_the_rebuild_command_reports(city, capsys):
    ProjectHealth.objects.all().delete()
    call_command("rebuild_project_health")
    assert "7 projects" in capsys.readouterr().out
    assert differences() == []


def test_refresh_of_an_unknown_project_writes_nothing(db):
    assert project_health_refresh(project_ids=[987654]) == 0
    assert project_health_refresh(project_ids=[]) == 0


# --- The project list's health column (from the stored table) ------------------------------------


def test_project_list_shows_filters_and_sorts_by_health(client, city):
    client.force_login(city.leader)
    page = client.get(reverse("projects:list"))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('class="health health--red"') == 3 and 'class="health health--yellow"' in html
    red = client.get(reverse("projects:list"), {"health": "red"})
    assert [p.code for p in red.context["projects"]] == ["P1", "P3", "P5"]
    worst_first = client.get(reverse("projects:list"), {"sort": "health"})
    assert [p.health for p in worst_first.context["projects"]] == ["red"] * 3 + ["yellow"] + ["green"] * 2 + [""]
    best_first = client.get(reverse("projects:list"), {"sort": "-health"})
    assert [p.health for p in best_first.context["projects"]][:2] == ["", "green"]


def test_project_list_refuses_an_unknown_colour_politely(client, city):
    client.force_login(city.leader)
    response = client.get(reverse("projects:list"), {"health": "purple", "sort": "'; drop table x"})
    assert response.status_code == 200
    assert len(response.context["projects"]) == 7  # the refused filters are shown, not applied


def test_project_api_has_health_and_orders_by_it(city):
    api = APIClient()
    api.force_authenticate(city.leader)
    data = api.get("/api/v1/projects/", {"health": "yellow"}).json()
    assert [(p["code"], p["health"]) for p in data["results"]] == [("P2", "yellow")]
    assert data["results"][0]["health_since"]
    ordered = api.get("/api/v1/projects/", {"ordering": "health_severity,code"}).json()["results"]
    assert [p["code"] for p in ordered][:3] == ["P1", "P3", "P5"]
