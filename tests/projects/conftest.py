import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.models import Role
from tests.factories import (
    DepartmentFactory,
    ParkFactory,
    ProjectFactory,
    ServiceTeamFactory,
    user_with_role,
)

TODAY = datetime.date(2026, 11, 27)


def png_upload(name="site.png", size=(8, 8)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def world(db):
    """One project of 经开区 with a user per role, and an official of another unit."""
    committee = DepartmentFactory(name="经开区管委会")
    park = ParkFactory(name="经济开发区", committee=committee)
    other_dept = DepartmentFactory(name="高新区管委会")
    handler_dept = DepartmentFactory(name="自然资源和规划局")
    leader = user_with_role(Role.LEADER, department=DepartmentFactory(name="市委"))
    official = user_with_role(Role.OFFICIAL, department=committee)
    other_official = user_with_role(Role.OFFICIAL, department=other_dept)
    staff = user_with_role(Role.STAFF, department=committee)
    handler = user_with_role(Role.HANDLER, department=handler_dept)
    supervisor = user_with_role(Role.SUPERVISOR, department=DepartmentFactory(name="督查室"))
    team = ServiceTeamFactory()
    team.members.add(staff.official)
    project = ProjectFactory(park=park, responsible_unit=committee, service_team=team, name="中新钢铁二期项目")
    return {
        "park": park,
        "committee": committee,
        "project": project,
        "leader": leader,
        "official": official,
        "other_official": other_official,
        "staff": staff,
        "handler": handler,
        "supervisor": supervisor,
        "team": team,
    }
