"""The scale data generator: reproducible with a seed, rows that keep the services' invariants,
every workflow state reached, and a command that refuses a production or non-empty database."""

import datetime
import itertools
import random
from collections import Counter, defaultdict

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import translation

from campaigns.models import Campaign
from core.calendar import WorkingCalendar
from core.models import Department, Official, Park
from enterprises.models import Enterprise, ServiceTeam
from issues import deadlines, workflow
from issues.models import Issue, IssueEvent, Source, Status
from notifications.models import Notification
from projects.models import AnnualTarget, Milestone, ProgressReport, Project, Stage, StageChange
from scale.generators import GenerationRefused, ScaleConfig, generate
from tests import factories as f

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 27)
SMALL = {"projects": 40, "issues": 300, "users": 30, "enterprises": 20, "campaigns": 2, "batch_size": 100}


def _config(**overrides) -> ScaleConfig:
    return ScaleConfig(**{**SMALL, "seed": 5, "today": TODAY, **overrides})


def _digest() -> tuple:
    """The generated world without its primary keys."""
    return (
        sorted(Enterprise.objects.values_list("name", "credit_code", "park__name")),
        sorted(
            Project.objects.values_list(
                "code", "name", "stage", "stage_changed_on", "total_investment", "parent__code", "enterprise__name"
            )
        ),
        sorted(StageChange.objects.values_list("project__code", "to_stage", "changed_on")),
        sorted(ProgressReport.objects.values_list("project__code", "month", "investment")),
        sorted(Milestone.objects.values_list("project__code", "title", "due_date", "completed_on", "campaign__name")),
        sorted(
            Issue.objects.values_list(
                "project__code",
                "enterprise__name",
                "status",
                "category",
                "urgency",
                "raised_at",
                "resolution_deadline",
                "version",
            ),
            key=repr,
        ),
        sorted(IssueEvent.objects.values_list("issue__raised_at", "action", "at", "to_status"), key=repr),
        Notification.objects.count(),
    )


def _generate_and_digest(config: ScaleConfig) -> tuple:
    with transaction.atomic():
        generate(config)
        digest = _digest()
        transaction.set_rollback(True)
    return digest


def test_same_seed_same_data_other_seed_other_data():
    first = _generate_and_digest(_config())
    assert first[1] and first[5] and first[6]
    assert _generate_and_digest(_config()) == first
    assert _generate_and_digest(_config(seed=6)) != first


def test_sizes_are_the_ones_asked_for():
    report = generate(_config())
    assert Project.objects.count() == 40
    assert Issue.objects.count() == 300
    assert Enterprise.objects.count() == 20
    assert Official.objects.count() >= 30
    assert Campaign.objects.count() == 2
    assert report.counts["projects.Project"] == 40
    # Reports: at most 12 a project, on the first of the month, never for the current month.
    per_project = Counter(ProgressReport.objects.values_list("project_id", flat=True))
    assert max(per_project.values()) <= 12
    assert not ProgressReport.objects.filter(month__gte=TODAY.replace(day=1)).exists()
    assert Milestone.objects.count() == 40 * 5
    assert Project.objects.filter(parent__isnull=False).exists() or Project.objects.count() < 20


def test_rows_pass_model_validation():
    generate(_config())
    rng = random.Random(1)
    for model in (
        Park,
        Department,
        Official,
        Enterprise,
        ServiceTeam,
        Project,
        StageChange,
        ProgressReport,
        AnnualTarget,
        Milestone,
        Campaign,
        Issue,
        Notification,
    ):
        rows = list(model.objects.all())
        assert rows, model
        for row in rng.sample(rows, k=min(25, len(rows))):
            row.full_clean(validate_unique=True)


def test_every_workflow_state_and_action_is_reached():
    generate(_config())
    assert set(Issue.objects.values_list("status", flat=True)) == set(Status.values)
    actions = set(IssueEvent.objects.values_list("action", flat=True))
    for action in (
        "raise",
        "assign",
        "return",
        "acknowledge",
        "respond",
        "resolve",
        "confirm",
        "reopen",
        "resolve_on_spot",
    ):
        assert action in actions
    assert Issue.objects.filter(reopened_count__gt=0, status=Status.CLOSED).exists()
    assert Issue.objects.filter(deadline_explicit=True, resolution_days__isnull=True).exists()
    assert Issue.objects.filter(source=Source.SITE_VISIT, visit__isnull=False).exists()
    assert set(Project.objects.values_list("stage", flat=True)) >= {Stage.UNDER_CONSTRUCTION, Stage.IN_PRODUCTION}


def test_issues_keep_the_services_invariants():
    generate(_config())
    calendar = WorkingCalendar()
    events = defaultdict(list)
    for event in IssueEvent.objects.order_by("at", "id"):
        events[event.issue_id].append(event)
    for issue in Issue.objects.select_related("handler"):
        # Deadlines are the ones the rules compute (an explicit one is kept).
        for name, value in deadlines.computed_deadlines(issue, calendar).items():
            assert getattr(issue, name) == value, (issue.pk, name)
        # The timeline walks the table: each move allowed from the state before it.
        timeline = events[issue.pk]
        assert timeline[0].action == "raise" and timeline[0].at == issue.raised_at
        state = Status.NEW
        bumps = 0
        for event in timeline[1:]:
            if event.action == "assign" and event.at == issue.raised_at:  # an instruction, assigned when raised
                state = Status.ASSIGNED
                continue
            transition = workflow.TRANSITIONS[event.action]
            assert state in transition.from_states, (issue.pk, event.action, state)
            assert event.from_status == state
            state = transition.to_status or state
            assert event.to_status == state
            bumps += transition.changes_issue
        assert state == issue.status
        assert issue.version == 1 + bumps
        assert [e.at for e in timeline] == sorted(e.at for e in timeline)
        # Resolved work carries its outcome and working days; assigned work a handler of its department.
        if issue.status in (Status.RESOLVED, Status.CLOSED):
            assert issue.resolved_at and issue.outcome and issue.working_days_to_resolve is not None
        if issue.handler_id:
            assert issue.handler.department_id == issue.lead_department_id
        if issue.status in (Status.ASSIGNED, Status.IN_PROGRESS, Status.RESOLVED):
            assert issue.lead_department_id is not None


def test_projects_stage_history_ends_at_the_stage():
    generate(_config())
    for project in Project.objects.prefetch_related("stage_changes"):
        changes = sorted(project.stage_changes.all(), key=lambda c: (c.changed_on, c.id))
        assert changes[-1].to_stage == project.stage
        assert changes[-1].changed_on == project.stage_changed_on
        assert changes[0].from_stage == ""
        for before, after in itertools.pairwise(changes):
            assert after.from_stage == before.to_stage
        if project.parent_id:
            assert project.parent.enterprise_id == project.enterprise_id and project.phase_label
    for milestone in Milestone.objects.filter(campaign__isnull=False).select_related("campaign"):
        assert milestone.campaign.start_date <= milestone.due_date <= milestone.campaign.end_date


def test_the_same_seed_twice_is_refused():
    generate(_config())
    with pytest.raises(GenerationRefused):
        generate(_config())


@translation.override("en")
def test_command_refuses_production_and_non_empty_databases(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="production"):
        call_command("generate_scale_data", projects=3, issues=5)
    settings.DEBUG = True
    f.ProjectFactory()
    with pytest.raises(CommandError, match="already holds projects"):
        call_command("generate_scale_data", projects=3, issues=5)
    call_command(
        "generate_scale_data", projects=3, issues=5, users=12, enterprises=2, campaigns=1, today=TODAY, force=True
    )
    assert Project.objects.filter(code__startswith="GS1-").count() == 3
    assert Issue.objects.count() == 5
