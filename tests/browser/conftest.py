"""Data and helpers for the browser tests: one project of 经开区 with its official and its service team."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from PIL import Image

from core.models import Role
from projects.models import Stage
from tests.factories import (
    PASSWORD,
    AnnualTargetFactory,
    DepartmentFactory,
    EnterpriseFactory,
    MilestoneFactory,
    ParkFactory,
    ProgressReportFactory,
    ProjectFactory,
    ServiceTeamFactory,
    user_with_role,
)


@pytest.fixture
def screenshots(pytestconfig) -> Path:
    """Where screenshots go (test-results/, ignored by git) for a person to look at."""
    path = Path(pytestconfig.rootpath) / "test-results" / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def tiny_png(tmp_path) -> Path:
    path = tmp_path / "site-photo.png"
    Image.new("RGB", (64, 48), (40, 110, 200)).save(path, format="PNG")
    return path


@pytest.fixture
def site(transactional_db):
    """Dates are relative to today, so the data stays meaningful whenever the suite runs."""
    today = timezone.localdate()
    last_month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    committee = DepartmentFactory(name="经开区管委会")
    park = ParkFactory(name="新沂经济开发区", short_name="经开区", committee=committee)
    official = user_with_role(Role.OFFICIAL, department=committee, name="经开区项目科长", title="项目科科长")
    staff = user_with_role(Role.STAFF, department=committee, name="驻企专班队员", title="专班队员")
    team = ServiceTeamFactory(name="中新钢铁服务专班")
    team.members.add(staff.official)
    steel = EnterpriseFactory(name="中新钢铁集团有限公司", short_name="中新钢铁", park=park)
    parent = ProjectFactory(
        code="JK-2024-001",
        name="中新钢铁特钢项目",
        enterprise=steel,
        park=park,
        responsible_unit=committee,
        stage=Stage.IN_PRODUCTION,
        total_investment=Decimal("800000"),
    )
    project = ProjectFactory(
        code="JK-2026-017",
        name="中新钢铁二期超低排放及余热发电项目",
        phase_label="二期",
        parent=parent,
        enterprise=steel,
        park=park,
        responsible_unit=committee,
        responsible_official=official.official,
        service_team=team,
        is_key=True,
        key_label="1号产业",
        total_investment=Decimal("520000"),
        construction_content="建设特钢生产线、余热发电机组及超低排放改造，配套建设原料场和成品库。",
    )
    ProgressReportFactory(project=project, month=last_month, investment=Decimal("8000"), percent_complete=30)
    AnnualTargetFactory(project=project, year=today.year, planned_investment=Decimal("60000"))
    soon = MilestoneFactory(project=project, title="主厂房封顶", due_date=today + datetime.timedelta(days=3))
    MilestoneFactory(project=project, title="余热发电机组进场", due_date=today - datetime.timedelta(days=5))
    MilestoneFactory(project=project, title="环评批复", due_date=today + datetime.timedelta(days=40))
    for i in range(3):
        ProjectFactory(
            name=f"水性超纤配套项目{i + 1}",
            park=park,
            responsible_unit=committee,
            stage=Stage.SIGNED,
            total_investment=Decimal("120000.50"),
        )
    return {
        "today": today,
        "project": project,
        "milestone": soon,
        "official": official,
        "staff": staff,
        "password": PASSWORD,
    }


def log_in(page, live_server, user):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]")
    # Each role lands on its own first screen (core.views.HOME_BY_ROLE); wait until we are there.
    page.wait_for_url(lambda url: url.startswith(live_server.url) and "/login/" not in url)
    page.wait_for_load_state()


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
