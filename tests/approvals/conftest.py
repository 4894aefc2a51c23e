import datetime
from dataclasses import dataclass

import pytest
import time_machine
from rest_framework.test import APIClient

from approvals.models import ItemType, ProjectType
from approvals.services import checklist_generate, item_types_fill_departments
from core.models import Role
from tests.factories import DepartmentFactory, user_with_role
from tests.lifecycle import NOW, build_world

TODAY = NOW.date()  # 2026-11-27, a Friday


@dataclass
class ApprovalWorld:
    base: object
    eco: object  # 生态环境局
    ndrc: object  # 发展和改革委员会
    users: dict

    def __getattr__(self, name):
        return getattr(self.base, name)

    def client(self, role):
        client = APIClient()
        if role is not None:
            client.force_authenticate(self.users[role])
        return client

    def item(self, name, project=None):
        return (project or self.base.project).approval_items.get(name=name)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world(db, frozen):
    base = build_world()
    eco = DepartmentFactory(name="生态环境局", short_name="生态环境局")
    ndrc = DepartmentFactory(name="发展和改革委员会", short_name="发改委")
    users = dict(base.users)
    users["eco_handler"] = user_with_role(Role.HANDLER, department=eco, name="环评科科长")
    users["ndrc_handler"] = user_with_role(Role.HANDLER, department=ndrc, name="发改委科长")
    eco.head = users["eco_handler"].official
    eco.save()
    ndrc.head = users["ndrc_handler"].official
    ndrc.save()
    item_types_fill_departments(
        by=users["supervisor"],
        departments={"环评": eco, "能评/节能审查": ndrc, "立项/备案": ndrc},
    )
    return ApprovalWorld(base=base, eco=eco, ndrc=ndrc, users=users)


@pytest.fixture
def checklist(world):
    """水性超纤's checklist as a new industrial project (8 items)."""
    checklist_generate(
        project=world.project, project_type=ProjectType.objects.get(name="新建工业项目"), by=world.users["official"]
    )
    return world.project.approval_items.order_by("sort_order")


def types_for(name: str) -> list[str]:
    return list(ItemType.objects.filter(project_types__name=name).order_by("sort_order").values_list("name", flat=True))


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)
