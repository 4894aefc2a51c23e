"""The world of the life-cycle tests (intake, funding, locations): two parks, each with its
committee, one project in each, and a user per role. Time is frozen by the caller."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from rest_framework.test import APIClient

from core.models import Department, Role
from enterprises.models import Enterprise
from projects.models import Project, Stage
from tests.factories import (
    ChainSegmentFactory,
    DepartmentFactory,
    EnterpriseFactory,
    ParkFactory,
    ProjectFactory,
    ServiceTeamFactory,
    user_with_role,
)

NOW = datetime.datetime(2026, 11, 27, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
ROLES = ["leader", "official", "other_official", "staff", "handler", "supervisor"]


@dataclass
class World:
    committee: Department
    other_committee: Department
    park: object
    other_park: object
    enterprise: Enterprise
    segment: object
    project: Project
    other_project: Project
    users: dict

    def client(self, role: str | None) -> APIClient:
        client = APIClient()
        if role is not None:
            client.force_authenticate(self.users[role])
        return client


def build_world() -> World:
    committee = DepartmentFactory(name="经开区管委会", kind=Department.Kind.PARK_COMMITTEE)
    other_committee = DepartmentFactory(name="高新区管委会", kind=Department.Kind.PARK_COMMITTEE)
    park = ParkFactory(name="新沂经济开发区", short_name="经开区", committee=committee)
    other_park = ParkFactory(name="新沂高新区", short_name="高新区", committee=other_committee)
    users = {
        "leader": user_with_role(Role.LEADER, name="市委书记"),
        "official": user_with_role(Role.OFFICIAL, department=committee, name="经开区项目科长"),
        "other_official": user_with_role(Role.OFFICIAL, department=other_committee, name="高新区项目办主任"),
        "staff": user_with_role(Role.STAFF, department=committee, name="驻企专员"),
        "handler": user_with_role(Role.HANDLER, name="自然资源局科长"),
        "supervisor": user_with_role(Role.SUPERVISOR, name="督查专员"),
    }
    team = ServiceTeamFactory(name="水性超纤服务专班")
    team.members.add(users["staff"].official)
    enterprise = EnterpriseFactory(name="新沂米尔化工科技有限公司", short_name="米尔化工", park=park)
    project = ProjectFactory(
        code="XY-JK-001",
        name="水性超纤新材料产业园项目",
        enterprise=enterprise,
        park=park,
        responsible_unit=committee,
        service_team=team,
        total_investment=Decimal("1050000"),
        stage=Stage.UNDER_CONSTRUCTION,
    )
    other_project = ProjectFactory(
        code="XY-GX-001", name="锂电新能源材料项目", park=other_park, responsible_unit=other_committee
    )
    return World(
        committee=committee,
        other_committee=other_committee,
        park=park,
        other_park=other_park,
        enterprise=enterprise,
        segment=ChainSegmentFactory(name="水性聚氨酯树脂"),
        project=project,
        other_project=other_project,
        users=users,
    )
