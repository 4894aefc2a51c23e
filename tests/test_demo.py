"""`manage.py load_demo`: idempotent, one working login per role, refuses with DEBUG off, and the
world it builds is the report's (with dates that look current relative to today)."""

import ast
import datetime
import inspect
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command

from campaigns import demo as campaigns_demo
from campaigns.models import Campaign, ReminderPolicy
from core import demo
from core.management.commands.load_demo import demo_steps
from core.models import AuditEntry, Role
from core.roles import role_of
from enterprises import demo as enterprises_demo
from enterprises.models import ChainSegment, Enterprise, IndustryChain, ServiceTeam
from enterprises.validators import validate_credit_code
from projects import demo as projects_demo
from projects.models import AnnualTarget, Milestone, ProgressReport, Project, Stage

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = datetime.date(2026, 11, 27)

EXPECTED_ROLES = {
    "demo-leader": Role.LEADER,
    "demo-official": Role.OFFICIAL,
    "demo-staff": Role.STAFF,
    "demo-handler": Role.HANDLER,
    "demo-supervisor": Role.SUPERVISOR,
}


@pytest.fixture
def debug_on(settings):
    settings.DEBUG = True
    return settings


def travel(day: datetime.date):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(10, 0), tzinfo=SHANGHAI), tick=False)


@pytest.fixture
def loaded(debug_on):
    with travel(TODAY):
        call_command("load_demo", stdout=io.StringIO())
        yield


def _rows():
    """Every row of the models the demo writes (core, enterprises, projects, campaigns), as plain values."""
    labels = {"auth", "core", "enterprises", "projects", "campaigns"}
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in apps.get_models()
        if model._meta.app_label in labels
    }


def _counts():
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_second_run_creates_nothing_and_changes_nothing(loaded):
    rows, counts = _rows(), _counts()
    with travel(TODAY):
        call_command("load_demo", stdout=io.StringIO())
    assert _counts() == counts
    assert _rows() == rows


def test_counts_are_the_reports_world(loaded):
    assert Project.objects.count() == len(projects_demo.PROJECTS)
    assert Enterprise.objects.count() == len(enterprises_demo.ENTERPRISES)
    assert get_user_model().objects.filter(username__startswith="demo-").count() == len(demo.OFFICIALS)
    assert Campaign.objects.count() == 1


def test_each_demo_login_authenticates_with_its_role(loaded, settings):
    for username, role in EXPECTED_ROLES.items():
        user = authenticate(username=username, password=settings.DEMO_PASSWORD)
        assert user is not None, username
        assert role_of(user) == role
    supervisor = get_user_model().objects.get(username="demo-supervisor")
    assert supervisor.is_staff


def test_only_the_five_logins_have_a_password(loaded, settings):
    usable = {u.username for u in get_user_model().objects.all() if u.has_usable_password()}
    assert usable == set(demo.LOGINS) == set(EXPECTED_ROLES)
    assert authenticate(username="demo-mayor", password=settings.DEMO_PASSWORD) is None


def test_a_changed_demo_password_is_followed(loaded, settings):
    settings.DEMO_PASSWORD = "another-demo-pass-42"
    with travel(TODAY):
        call_command("load_demo", stdout=io.StringIO())
    assert authenticate(username="demo-official", password="another-demo-pass-42") is not None


def test_refuses_with_debug_off_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("load_demo")
    assert not Project.objects.exists()
    assert not get_user_model().objects.exists()

    with travel(TODAY):
        call_command("load_demo", "--force", stdout=io.StringIO())
    assert Project.objects.filter(code=projects_demo.PROJECT_SXCX).exists()


def test_the_reports_projects_and_enterprises(loaded):
    for enterprise in Enterprise.objects.all():
        validate_credit_code(enterprise.credit_code)
        enterprise.full_clean()

    sxcx = Project.objects.get(code=projects_demo.PROJECT_SXCX)
    assert sxcx.total_investment >= 1_000_000  # 万元: 超百亿元
    assert sxcx.is_key and sxcx.key_label == "1号产业"
    assert sxcx.responsible_official.user.username == "demo-official"
    assert sxcx.assigned_leader.user.username == "demo-leader"
    assert sxcx.service_team.members.filter(user__username="demo-staff").exists()

    phase2 = Project.objects.get(code=projects_demo.PROJECT_ZXGT2)
    assert phase2.enterprise.short_name == "中新钢铁"
    assert sorted(p.name for p in phase2.phases.all()) == sorted(
        ["中新钢铁二期特钢精品线", "中新钢铁二期余热发电项目", "中新钢铁超低排放改造项目"]
    )
    assert phase2.responsible_official.user.username == "demo-official"

    # 米尔化工 is upstream of 水性超纤 in the same chain.
    mier = Enterprise.objects.get(short_name="米尔化工").segments.get()
    fiber = Enterprise.objects.get(short_name="水性超纤").segments.get()
    assert mier.chain == fiber.chain
    assert (mier.position, fiber.position) == (ChainSegment.Position.UPSTREAM, ChainSegment.Position.MIDSTREAM)
    assert Enterprise.objects.filter(name="国家级水性超纤研究院").exists()

    chief = IndustryChain.objects.get(name=enterprises_demo.CHAIN_MICROFIBER).chief
    assert chief.user.username == "demo-leader"
    for chain in IndustryChain.objects.all():
        assert chain.segments.filter(enterprises__isnull=True).exists(), f"{chain} shows no gap"

    for project in Project.objects.all():
        project.full_clean()
        timeline = list(project.stage_changes.order_by("changed_on", "id"))
        assert timeline[0].from_stage == ""
        assert timeline[-1].to_stage == project.stage
        assert timeline[-1].changed_on == project.stage_changed_on
        assert all(c.changed_on <= TODAY for c in timeline)
        for change in timeline:
            if change.is_backwards:
                assert change.reason
    assert {p.stage for p in Project.objects.all()} >= {
        Stage.PLANNED,
        Stage.NEGOTIATING,
        Stage.SIGNED,
        Stage.STARTED,
        Stage.UNDER_CONSTRUCTION,
        Stage.STOPPED,
    }


def test_dates_look_current(loaded):
    campaign = Campaign.objects.get(name=campaigns_demo.CAMPAIGN_NAME)
    assert campaign.start_date <= TODAY <= campaign.end_date
    assert (campaign.end_date - campaign.start_date).days == 99  # 100 days, both ends counted

    milestones = list(Milestone.objects.all())
    assert any(m.is_done for m in milestones)
    assert any(m.is_overdue(TODAY) for m in milestones)
    assert any(not m.is_done and 0 <= m.days_left(TODAY) <= 7 for m in milestones)
    assert any(m.campaign_id == campaign.pk for m in milestones)

    this_month = TODAY.replace(day=1)
    last_month = datetime.date(2026, 10, 1)
    reported = set(ProgressReport.objects.filter(month=this_month).values_list("project__code", flat=True))
    assert projects_demo.PROJECT_SXCX in reported
    assert projects_demo.PROJECT_ZXGT2_STEEL not in reported  # this month still open for the official
    assert not ProgressReport.objects.filter(project__code=projects_demo.PROJECT_MIER, month__gte=last_month).exists()
    assert ProgressReport.objects.filter(month__year=2026).count() >= 30
    assert not ProgressReport.objects.filter(month__gt=this_month).exists()


def test_another_day_builds_a_consistent_world(debug_on):
    """Early in a year: months and dates cross the year boundary and still validate."""
    day = datetime.date(2027, 2, 3)
    with travel(day):
        call_command("load_demo", stdout=io.StringIO())
    campaign = Campaign.objects.get()
    assert campaign.start_date <= day <= campaign.end_date
    assert not ProgressReport.objects.filter(month__gt=day).exists()
    assert ProgressReport.objects.filter(month__year=2026).exists()
    for project in Project.objects.all():
        assert project.stage_changed_on <= day


def test_core_steps_run_first_and_apps_can_add_theirs():
    steps = demo_steps()
    assert steps[: len(demo.STEPS)] == demo.STEPS


def _audited(action: str) -> set[str]:
    return set(AuditEntry.objects.filter(action=action).values_list("object_id", flat=True))


def _pks(qs) -> set[str]:
    return {str(pk) for pk in qs.values_list("pk", flat=True)}


def test_each_apps_demo_goes_through_its_services(loaded):
    """The audit trail the services write is there for every row the domain apps' demos built,
    and the stage history is the one the stage service records."""
    assert _audited("enterprise.create") == _pks(Enterprise.objects.all())
    assert _audited("chain.create") == _pks(IndustryChain.objects.all())
    assert _audited("chain_segment.create") == _pks(ChainSegment.objects.all())
    assert _audited("service_team.create") == _pks(ServiceTeam.objects.all())
    assert _audited("project.create") == _pks(Project.objects.all())
    assert _audited("annual_target.create") == _pks(AnnualTarget.objects.all())
    assert _audited("progress_report.submit") == _pks(ProgressReport.objects.all())
    assert _audited("milestone.create") == _pks(Milestone.objects.all())
    assert _audited("milestone.complete") == _pks(Milestone.objects.filter(completed_on__isnull=False))
    assert _audited("campaign.create") == _pks(Campaign.objects.all())
    assert _audited("reminder_policy.create") == _pks(ReminderPolicy.objects.all())

    # The supervision office added each project; its official moved it on (a move back with a reason).
    lithium = Project.objects.get(code=projects_demo.PROJECT_LITHIUM)
    first, *moves = lithium.stage_changes.order_by("changed_on", "id").select_related("changed_by")
    assert first.changed_by.username == "demo-supervisor"
    assert {m.changed_by_id for m in moves} == {lithium.responsible_official.user_id}
    assert moves[-1].is_backwards and moves[-1].reason
    assert AuditEntry.objects.filter(action="project.stage", object_id=str(lithium.pk)).count() == len(moves)
    policy = ReminderPolicy.objects.get(campaign__name=campaigns_demo.CAMPAIGN_NAME)
    assert (policy.days_before, policy.escalate_after_days_overdue) == ([7, 3, 1], 7)
    in_campaign = set(Milestone.objects.filter(campaign__isnull=False).values_list("title", flat=True))
    assert in_campaign == {title for _code, title in campaigns_demo.CAMPAIGN_MILESTONES}


DOMAIN_APPS = {"enterprises", "projects", "campaigns", "issues", "notifications", "dashboards"}


def _imported_apps(module) -> set[str]:
    tree = ast.parse(inspect.getsource(module))
    names = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    names |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    return {name.split(".")[0] for name in names}


def test_the_demo_runner_imports_no_domain_app():
    """core finds each app's demo module by name; it never imports one (also not inside a function)."""
    from core.management.commands import load_demo

    for module in (demo, load_demo):
        assert not _imported_apps(module) & DOMAIN_APPS, module.__name__
    assert {step.__module__ for step in demo_steps()} >= {f"{app}.demo" for app in DOMAIN_APPS}
