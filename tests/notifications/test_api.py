"""API: /api/v1/campaigns/ (+ milestones, statistics) and /api/v1/notifications/ (own only)."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from campaigns.models import ReminderPolicy
from core.models import Role
from notifications.models import Notification
from notifications.services import reminders_sweep
from projects.models import Stage, StageChange
from tests.factories import (
    CampaignFactory,
    DepartmentFactory,
    MilestoneFactory,
    OfficialFactory,
    ParkFactory,
    ProjectFactory,
    user_with_role,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]
TODAY = datetime.date(2026, 11, 27)


@pytest.fixture
def frozen_today():
    moment = datetime.datetime(2026, 11, 27, 10, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
    with time_machine.travel(moment, tick=False):
        yield


@pytest.fixture
def world():
    unit = DepartmentFactory(name="经开区管委会")
    owner = OfficialFactory(name="项目专员", department=unit)
    campaign = CampaignFactory(
        name="百日攻坚行动",
        start_date=datetime.date(2026, 9, 29),
        end_date=datetime.date(2027, 1, 6),
        goal_projects_to_start=2,
    )
    ReminderPolicy.objects.create(campaign=campaign, days_before=[5, 1], webhook_url="https://robot.example/secret")
    park = ParkFactory(name="经开区")
    own = ProjectFactory(park=park, stage=Stage.SIGNED, responsible_unit=unit, responsible_official=owner)
    other = ProjectFactory(park=park, stage=Stage.STARTED)
    campaign.projects.set([own, other])
    StageChange.objects.create(project=other, from_stage="", to_stage=Stage.STARTED, changed_on=TODAY)
    MilestoneFactory(project=own, campaign=campaign, title="设备安装", due_date=TODAY + datetime.timedelta(days=1))
    MilestoneFactory(project=own, campaign=campaign, title="环评批复", due_date=TODAY - datetime.timedelta(days=2))
    MilestoneFactory(
        project=other, campaign=campaign, title="签约", due_date=TODAY - datetime.timedelta(days=5), completed_on=TODAY
    )
    reminders_sweep()
    return {"owner": owner, "campaign": campaign, "own": own}


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


class TestNotifications:
    def test_own_only_with_unread_filter(self, world):
        client = api(world["owner"].user)
        data = client.get("/api/v1/notifications/").json()
        own = Notification.objects.filter(recipient=world["owner"].user, superseded=False)
        assert data["count"] == own.count() == 2
        first = data["results"][0]
        assert set(first) >= {"id", "kind", "kind_label", "title", "body", "link", "due_date", "read", "object_type"}
        assert first["object_type"] == "milestone"
        assert first["link"].startswith("http")
        assert client.get("/api/v1/notifications/unread-count/").json() == {"unread": 2}

        read = client.post(f"/api/v1/notifications/{first['id']}/read/")
        assert read.status_code == 200 and read.json()["read"] is True
        assert client.get("/api/v1/notifications/?unread=true").json()["count"] == 1
        assert client.get("/api/v1/notifications/?unread=false").json()["count"] == 1
        assert client.post("/api/v1/notifications/read-all/").json() == {"marked": 1, "unread": 0}

    def test_another_users_notification_is_a_404(self, world):
        notification = Notification.objects.filter(recipient=world["owner"].user).first()
        stranger = api(user_with_role(Role.OFFICIAL))
        assert stranger.get(f"/api/v1/notifications/{notification.pk}/").status_code == 404
        assert stranger.post(f"/api/v1/notifications/{notification.pk}/read/").status_code == 404
        assert stranger.get("/api/v1/notifications/").json()["count"] == 0
        notification.refresh_from_db()
        assert notification.read_at is None

    def test_list_queries_do_not_grow(self, world):
        client = api(world["owner"].user)

        def count():
            with CaptureQueriesContext(connection) as captured:
                assert client.get("/api/v1/notifications/").status_code == 200
            return len(captured)

        few = count()
        MilestoneFactory.create_batch(20, project=world["own"], due_date=TODAY + datetime.timedelta(days=1))
        reminders_sweep()
        assert count() == few
