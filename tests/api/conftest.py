"""The API tests' world: one project of a park committee's unit, and one user per role around it.

Time is frozen at 2026-11-27 10:00 in Shanghai: November 2026 is the current month, the
October report is the one due, a milestone due 2026-11-20 is overdue.
"""

import datetime
import io
import pathlib
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from rest_framework.test import APIClient

from approvals.models import ProjectType
from approvals.services import checklist_generate
from core.models import AuditEntry, Role
from enterprises.models import Enterprise
from funding.models import PolicyLevel, Source
from funding.services import funding_line_set, policy_support_create
from geo.services import park_boundary_set, project_location_set
from intake.services import candidate_create, dispatch_add
from issues.models import Status, TimeLimitRule
from notifications.models import Kind, Notification
from projects.models import AnnualTarget, Milestone, ProgressPhoto, ProgressReport, Project, StageChange
from tests.factories import (
    AnnualTargetFactory,
    DepartmentFactory,
    EnterpriseFactory,
    IssueFactory,
    MilestoneFactory,
    ParkFactory,
    ProgressReportFactory,
    ProjectFactory,
    ServiceTeamFactory,
    VisitFactory,
    user_with_role,
)

NOW = datetime.datetime(2026, 11, 27, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
ROLES = ["leader", "official", "other_official", "staff", "handler", "supervisor"]


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


@dataclass
class World:
    unit: object
    park: object
    enterprise: Enterprise
    team: object
    project: Project
    report: ProgressReport
    target: AnnualTarget
    milestone: Milestone
    done_milestone: Milestone
    users: dict

    def client(self, role: str | None) -> APIClient:
        client = APIClient()
        if role is not None:
            client.force_authenticate(user=self.users[role])
        return client


@pytest.fixture
def world(db) -> World:
    return build_world()


def build_world() -> World:
    """The world's rows (the caller provides the database access and the frozen time)."""
    unit = DepartmentFactory(name="新沂经济开发区管委会")
    park = ParkFactory(name="新沂经济开发区", committee=unit)
    enterprise = EnterpriseFactory(name="中新钢铁集团有限公司", short_name="中新钢铁", park=park)
    team = ServiceTeamFactory(name="中新钢铁服务专班")
    project = ProjectFactory(
        name="中新钢铁二期项目", park=park, enterprise=enterprise, responsible_unit=unit, service_team=team, is_key=True
    )
    users = {
        "leader": user_with_role(Role.LEADER),
        "official": user_with_role(Role.OFFICIAL, department=unit),
        "other_official": user_with_role(Role.OFFICIAL, department=DepartmentFactory(name="其他单位")),
        "staff": user_with_role(Role.STAFF),
        "handler": user_with_role(Role.HANDLER, department=DepartmentFactory(name="自然资源局")),
        "supervisor": user_with_role(Role.SUPERVISOR),
    }
    team.members.add(users["staff"].official)
    report = ProgressReportFactory(project=project, month=datetime.date(2026, 10, 1), investment=Decimal("500.00"))
    target = AnnualTargetFactory(project=project, year=2026, planned_investment=Decimal("6000.00"))
    milestone = MilestoneFactory(project=project, title="主体封顶", due_date=datetime.date(2026, 12, 15))
    done_milestone = MilestoneFactory(
        project=project,
        title="土地摘牌",
        due_date=datetime.date(2026, 5, 1),
        completed_on=datetime.date(2026, 4, 28),
        evidence="摘牌确认书",
    )
    return World(unit, park, enterprise, team, project, report, target, milestone, done_milestone, users)


@pytest.fixture
def world_objects(world):
    """One object of every kind an API write names, around the world's project, and their ids
    by route basename (an issue assigned to the handler's department, raised by the staff)."""
    return build_world_objects(world)


def build_world_objects(world: World) -> tuple[World, dict]:
    """The rows of `world_objects` around a built world, and their ids by route basename."""
    sup = world.users["supervisor"]
    handler = world.users["handler"]
    issue = IssueFactory(
        enterprise=world.enterprise,
        project=world.project,
        status=Status.ASSIGNED,
        lead_department=handler.official.department,
        raised_by=world.users["staff"],
    )
    visit = VisitFactory()
    line = funding_line_set(
        project=world.project, year=2026, source=Source.SELF_RAISED, by=sup, planned=Decimal("100"), received=Decimal(0)
    )
    policy = policy_support_create(
        project=world.project, by=sup, name="先进制造业专项", level=PolicyLevel.CITY, amount_sought=Decimal("50")
    )
    candidate = candidate_create(
        by=world.users["official"],
        name="米尔化工二期扩建项目",
        enterprise=world.enterprise,
        park=world.park,
        content="年产15万吨水性聚氨酯树脂",
        total_investment=Decimal("90000"),
        land_area=Decimal("150"),
        energy_tce=Decimal("18000"),
    )
    entry = dispatch_add(project=world.project, year=2026, by=sup)
    project_location_set(project=world.project, by=sup, latitude=34.37, longitude=118.35)
    box = {"type": "Polygon", "coordinates": [[[118.30, 34.34], [118.40, 34.34], [118.40, 34.40], [118.30, 34.40]]]}
    park_boundary_set(park=world.park, by=sup, geometry=box)
    notification = Notification.objects.create(
        recipient=world.users["official"],
        content_type=ContentType.objects.get_for_model(world.project),
        object_id=world.project.pk,
        kind=Kind.MILESTONE_OVERDUE,
        due_date=datetime.date(2026, 11, 20),
        step=0,
        title="节点逾期",
        body="节点逾期",
        link="/projects/",
    )
    checklist_generate(project=world.project, project_type=ProjectType.objects.get(name="新建工业项目"), by=sup)
    approval = world.project.approval_items.get(name="环评")
    rule = TimeLimitRule.objects.first()
    ids = {
        "approval-item": approval.pk,
        "enterprise": world.enterprise.pk,
        "project": world.project.pk,
        "progress-report": world.report.pk,
        "annual-target": world.target.pk,
        "milestone": world.milestone.pk,
        "issue": issue.pk,
        "visit": visit.pk,
        "time-limit-rule": rule.pk,
        "candidate": candidate.pk,
        "dispatch-entry": entry.pk,
        "funding-line": line.pk,
        "policy-support": policy.pk,
        "project-location": world.project.pk,
        "park-boundary": world.park.pk,
        "notification": notification.pk,
        "user": world.users["handler"].pk,
    }
    return world, ids


def snapshot() -> dict:
    """Every row that an API write could touch, to prove that a refused call changed nothing."""
    models = [
        Enterprise,
        Enterprise.segments.through,
        Project,
        StageChange,
        ProgressReport,
        ProgressPhoto,
        AnnualTarget,
        Milestone,
        AuditEntry,
    ]
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in models}


def png_bytes(size: tuple[int, int] = (8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def png_upload(name: str = "site.png", size: tuple[int, int] = (8, 8)) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(size), content_type="image/png")


def media_files(root) -> list:
    return [p for p in pathlib.Path(root).rglob("*") if p.is_file()]
