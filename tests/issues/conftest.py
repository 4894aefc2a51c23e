"""A small world for the issue tests: two departments, an enterprise with a project, its service
team, and one login per role (with the variants the workflow tells apart)."""

import datetime
import io
import os
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.models import Role
from issues import services
from issues.models import Outcome, Satisfaction, Status
from tests.factories import (
    DepartmentFactory,
    EnterpriseFactory,
    MilestoneFactory,
    ParkFactory,
    ProjectFactory,
    ServiceTeamFactory,
    user_with_role,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Friday; next week is ordinary, so 3 working days after today is Wednesday 2026-12-02.
NOW = datetime.datetime(2026, 11, 27, 10, 0, tzinfo=SHANGHAI)


def png_upload(name="site.png", size=(8, 8)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@dataclass
class World:
    lead_dept: object
    other_dept: object
    park: object
    enterprise: object
    other_enterprise: object
    project: object
    milestone: object
    team: object
    leader: object
    supervisor: object
    staff: object  # raiser, member of the enterprise's service team
    staff_team: object  # another member of the same team
    staff_other: object  # staff of a team serving someone else
    handler: object  # lead department
    handler_colleague: object  # lead department, a colleague
    handler_other: object  # another department
    official: object  # responsible official of the project

    def user(self, name):
        return getattr(self, name)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def noisy_png(name="big.png", size=(200, 200)) -> SimpleUploadedFile:
    """A PNG that does not compress: about 3 bytes per pixel."""
    buffer = io.BytesIO()
    Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def world(db, frozen):
    return build_world()


def build_world() -> World:
    """The world's rows; call inside a test with database access (and time frozen at NOW)."""
    lead_dept = DepartmentFactory(name="自然资源和规划局")
    other_dept = DepartmentFactory(name="生态环境局")
    park = ParkFactory(name="经济开发区")
    enterprise = EnterpriseFactory(name="中新钢铁集团有限公司", short_name="中新钢铁", park=park)
    other_enterprise = EnterpriseFactory(name="米尔化工有限公司", park=ParkFactory(name="高新区"))
    official = user_with_role(Role.OFFICIAL)
    project = ProjectFactory(enterprise=enterprise, park=park, responsible_official=official.official)
    milestone = MilestoneFactory(project=project, title="取得施工许可证", due_date=datetime.date(2026, 12, 15))
    staff = user_with_role(Role.STAFF)
    staff_team = user_with_role(Role.STAFF)
    staff_other = user_with_role(Role.STAFF)
    team = ServiceTeamFactory(name="中新钢铁服务专班")
    team.members.add(staff.official, staff_team.official)
    team.enterprises.add(enterprise)
    other_team = ServiceTeamFactory(name="米尔化工服务专班")
    other_team.members.add(staff_other.official)
    other_team.enterprises.add(other_enterprise)
    return World(
        lead_dept=lead_dept,
        other_dept=other_dept,
        park=park,
        enterprise=enterprise,
        other_enterprise=other_enterprise,
        project=project,
        milestone=milestone,
        team=team,
        leader=user_with_role(Role.LEADER),
        supervisor=user_with_role(Role.SUPERVISOR),
        staff=staff,
        staff_team=staff_team,
        staff_other=staff_other,
        handler=user_with_role(Role.HANDLER, department=lead_dept),
        handler_colleague=user_with_role(Role.HANDLER, department=lead_dept),
        handler_other=user_with_role(Role.HANDLER, department=other_dept),
        official=official,
    )


def raise_issue(world: World, **kwargs):
    data = {
        "by": world.staff,
        "enterprise": world.enterprise,
        "project": world.project,
        "category": "approval",
        "description": "二期项目施工许可证办理缓慢，影响开工节点",
    }
    data.update(kwargs)
    return services.issue_create(**data)


def issue_in_state(world: World, state: str, **kwargs):
    """An issue raised by world.staff and moved to `state` by the right people."""
    issue = raise_issue(world, **kwargs)
    if state == Status.NEW:
        return issue
    issue = services.issue_transition(
        issue=issue, action="assign", by=world.supervisor, lead_department=world.lead_dept
    )
    if state == Status.ASSIGNED:
        return issue
    issue = services.issue_transition(issue=issue, action="acknowledge", by=world.handler)
    if state == Status.IN_PROGRESS:
        return issue
    issue = services.issue_transition(
        issue=issue, action="resolve", by=world.handler, note="已办理施工许可证", outcome=Outcome.SOLVED
    )
    if state == Status.RESOLVED:
        return issue
    issue = services.issue_transition(
        issue=issue, action="confirm", by=world.staff, satisfaction=Satisfaction.SATISFIED
    )
    assert state == Status.CLOSED
    return issue
