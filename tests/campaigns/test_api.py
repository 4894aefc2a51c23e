"""API: /api/v1/campaigns/ (+ milestones, statistics): scoped, filtered, constant queries."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from campaigns.models import ReminderPolicy
from core.models import Role
from projects.models import Stage, StageChange
from tests.factories import (
    CampaignFactory,
    DepartmentFactory,
    MilestoneFactory,
    OfficialFactory,
    ParkFactory,
    ProjectFactory,
    UserFactory,
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
    return {"owner": owner, "campaign": campaign, "own": own}


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


class TestCampaigns:
    def test_list_and_detail(self, world):
        response = api(world["owner"].user).get("/api/v1/campaigns/")
        assert response.status_code == 200
        (item,) = response.json()["results"]
        assert item["name"] == "百日攻坚行动"
        assert item["days_left"] == 40
        assert (item["milestones_total"], item["milestones_met"], item["milestones_overdue"]) == (3, 1, 1)
        assert item["completion_rate"] == pytest.approx(1 / 3)
        assert item["reminder_policy"]["days_before"] == [5, 1]
        assert item["reminder_policy"]["has_webhook"] is True
        assert "secret" not in response.content.decode()  # the robot's key is not disclosed
        detail = api(world["owner"].user).get(f"/api/v1/campaigns/{world['campaign'].pk}/")
        assert detail.json()["id"] == world["campaign"].pk

    def test_milestones_scoped_to_the_user_and_filtered(self, world):
        url = f"/api/v1/campaigns/{world['campaign'].pk}/milestones/"
        mine = api(world["owner"].user).get(url).json()["results"]
        assert sorted(m["title"] for m in mine) == ["环评批复", "设备安装"]
        overdue = api(world["owner"].user).get(url + "?status=overdue").json()["results"]
        assert [m["title"] for m in overdue] == ["环评批复"]
        assert overdue[0]["overdue"] is True
        everything = api(user_with_role(Role.LEADER)).get(url).json()["results"]
        assert len(everything) == 3
        bad = api(world["owner"].user).get(url + "?status=late")
        assert bad.status_code == 400
        assert "status" in bad.json()

    def test_statistics(self, world):
        data = api(world["owner"].user).get(f"/api/v1/campaigns/{world['campaign'].pk}/statistics/").json()
        assert data["countdown"] == {
            "phase": "running",
            "days_total": 100,
            "days_elapsed": 60,
            "days_left": 40,
            "time_elapsed_rate": 0.6,
        }
        assert data["milestones"]["met"] == 1
        assert data["milestones"]["met_on_time"] == 0
        assert data["milestones"]["on_time_rate"] == 0.0
        assert data["goals"]["projects_to_start"] == {"target": "2.00", "actual": "1.00", "rate": 0.5}
        assert data["goals"]["projects_to_sign"]["rate"] is None
        assert [row["name"] for row in data["ranking_parks"]] == ["经开区"]
        # Nobody met a milestone on time (0%); the unit with an overdue milestone ranks below.
        units = data["ranking_units"]
        assert [(u["position"], u["overdue"], u["on_time_rate"]) for u in units] == [(1, 0, 0.0), (2, 1, 0.0)]
        assert units[1]["name"] == "经开区管委会"
        assert units[0]["id"] is None

    def test_unauthenticated_is_refused(self, world):
        assert api().get("/api/v1/campaigns/").status_code == 401

    def test_user_without_a_role_sees_no_campaign(self, world):
        assert api(UserFactory()).get("/api/v1/campaigns/").json()["results"] == []

    def test_list_queries_do_not_grow(self, world):
        client = api(user_with_role(Role.SUPERVISOR))

        def count(url):
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            return len(captured)

        urls = [
            "/api/v1/campaigns/",
            f"/api/v1/campaigns/{world['campaign'].pk}/milestones/",
            f"/api/v1/campaigns/{world['campaign'].pk}/statistics/",
        ]
        few = [count(url) for url in urls]
        for i in range(5):
            campaign = CampaignFactory()
            ReminderPolicy.objects.create(campaign=campaign)
            project = ProjectFactory(responsible_unit=DepartmentFactory(), park=ParkFactory())
            MilestoneFactory.create_batch(10, project=project, campaign=world["campaign"], title=f"批次{i}")
        assert [count(url) for url in urls] == few
