"""Campaign pages and forms: list, page with countdown, counts, ranking and reminder ladder; who
may see and do what, bad input, constant query counts."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns.models import Campaign, ReminderPolicy
from core.models import Role
from projects.models import Stage
from tests.factories import (
    CampaignFactory,
    DepartmentFactory,
    MilestoneFactory,
    OfficialFactory,
    ProjectFactory,
    user_with_role,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
TODAY = datetime.date(2026, 11, 27)


@pytest.fixture
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 11, 27, 10, 0, tzinfo=SHANGHAI), tick=False):
        yield


@pytest.fixture
def world():
    unit = DepartmentFactory(name="经开区管委会")
    owner = OfficialFactory(name="项目专员", department=unit)
    campaign = CampaignFactory(
        name="百日攻坚行动", start_date=datetime.date(2026, 9, 29), end_date=datetime.date(2027, 1, 6)
    )
    project = ProjectFactory(name="水性超纤", stage=Stage.SIGNED, responsible_unit=unit, responsible_official=owner)
    campaign.projects.add(project)
    MilestoneFactory(project=project, campaign=campaign, title="设备安装", due_date=TODAY + datetime.timedelta(days=3))
    MilestoneFactory(project=project, campaign=campaign, title="环评批复", due_date=TODAY - datetime.timedelta(days=10))
    MilestoneFactory(
        project=project,
        campaign=campaign,
        title="主体封顶",
        due_date=TODAY - datetime.timedelta(days=20),
        completed_on=TODAY - datetime.timedelta(days=21),
    )
    return {"unit": unit, "owner": owner, "campaign": campaign, "project": project}


def login(client, user):
    client.force_login(user)
    return client


class TestCampaignPages:
    def test_list_and_page_with_countdown_counts_and_ranking(self, client, world):
        login(client, world["owner"].user)
        response = client.get(reverse("campaigns:list"))
        assert response.status_code == 200
        assert "百日攻坚行动" in response.content.decode()
        response = client.get(reverse("campaigns:detail", args=[world["campaign"].pk]))
        assert response.status_code == 200
        stats = response.context["stats"]
        assert (stats.days_left, stats.total, stats.met, stats.due, stats.overdue) == (40, 3, 1, 1, 1)
        html = response.content.decode()
        assert 'id="countdown"' in html
        assert [r.name for r in response.context["ranking_units"]] == ["经开区管委会"]
        overdue = client.get(reverse("campaigns:detail", args=[world["campaign"].pk]) + "?status=overdue")
        assert [m.title for m in overdue.context["milestones"]] == ["环评批复"]

    def test_milestones_of_other_units_are_not_listed(self, client, world):
        stranger = user_with_role(Role.OFFICIAL)
        login(client, stranger)
        response = client.get(reverse("campaigns:detail", args=[world["campaign"].pk]))
        assert response.status_code == 200
        assert list(response.context["milestones"]) == []
        assert response.context["stats"].total == 3  # the league table is city-wide

    def test_page_queries_do_not_grow_with_milestones(self, client, world):
        login(client, user_with_role(Role.SUPERVISOR))
        url = reverse("campaigns:detail", args=[world["campaign"].pk])

        def count():
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            return len(captured)

        few = count()
        for _ in range(5):
            unit = DepartmentFactory()
            project = ProjectFactory(responsible_unit=unit, responsible_official=OfficialFactory(department=unit))
            MilestoneFactory.create_batch(10, project=project, campaign=world["campaign"], due_date=TODAY)
        assert count() == few

    def test_supervisor_creates_a_100_day_campaign(self, client, world):
        supervisor = user_with_role(Role.SUPERVISOR)
        login(client, supervisor)
        assert client.get(reverse("campaigns:create")).status_code == 200
        response = client.post(
            reverse("campaigns:create"),
            {"name": "项目建设冬季攻坚", "start_date": "2026-12-01"},
        )
        campaign = Campaign.objects.get(name="项目建设冬季攻坚")
        assert response.status_code == 302
        # A new campaign goes straight to its plan: projects and milestones come next.
        assert response["Location"] == reverse("campaigns:plan", args=[campaign.pk])
        assert campaign.end_date == datetime.date(2027, 3, 10)

    def test_bad_dates_are_a_400_and_save_nothing(self, client, world):
        login(client, user_with_role(Role.SUPERVISOR))
        response = client.post(
            reverse("campaigns:create"), {"name": "X", "start_date": "2026-12-01", "end_date": "2026-11-01"}
        )
        assert response.status_code == 400
        assert response.context["form"].errors
        assert not Campaign.objects.filter(name="X").exists()

    @pytest.mark.parametrize("role", [Role.OFFICIAL, Role.LEADER, Role.STAFF, Role.HANDLER])
    def test_only_supervisors_set_up_campaigns_and_ladders(self, client, world, role):
        login(client, user_with_role(role))
        assert client.get(reverse("campaigns:create")).status_code == 403
        assert client.get(reverse("campaigns:edit", args=[world["campaign"].pk])).status_code == 403
        response = client.post(reverse("campaigns:policy", args=[world["campaign"].pk]), {"days_before": "1"})
        assert response.status_code == 403

    def test_supervisor_edits_the_reminder_ladder(self, client, world):
        login(client, user_with_role(Role.SUPERVISOR))
        url = reverse("campaigns:policy", args=[world["campaign"].pk])
        assert client.get(url).context["form"].initial["days_before"] == [7, 3, 1]
        data = {
            "days_before": "10、5，1",
            "on_the_day": "on",
            "repeat_every_days_overdue": "2",
            "escalate_after_days_overdue": "5",
            "webhook_url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc",
            "webhook_style": "wecom_markdown",
        }
        assert client.post(url, data).status_code == 302
        policy = ReminderPolicy.objects.get(campaign=world["campaign"])
        assert policy.days_before == [10, 5, 1]
        assert (policy.repeat_every_days_overdue, policy.escalate_after_days_overdue) == (2, 5)
        page = client.get(reverse("campaigns:detail", args=[world["campaign"].pk])).content.decode()
        assert "10、5、1" in page

    def test_bad_ladder_is_a_400_with_the_field_error(self, client, world):
        login(client, user_with_role(Role.SUPERVISOR))
        url = reverse("campaigns:policy", args=[world["campaign"].pk])
        for days in ("7, x", "0", "3, 3"):
            response = client.post(
                url, {"days_before": days, "repeat_every_days_overdue": "3", "webhook_style": "text"}
            )
            assert response.status_code == 400
            assert response.context["form"].errors["days_before"]
        assert not ReminderPolicy.objects.exists()

    def test_the_page_shows_the_ladder_in_force(self, client, world):
        login(client, world["owner"].user)
        url = reverse("campaigns:detail", args=[world["campaign"].pk])
        page = client.get(url)
        assert page.context["policy"].pk is None  # the built-in default of milestones
        assert "7、3、1" in page.content.decode()
        ReminderPolicy.objects.create(scope=ReminderPolicy.Scope.MILESTONES, days_before=[5, 2])
        page = client.get(url)
        assert page.context["policy"].scope == ReminderPolicy.Scope.MILESTONES  # the sweep follows it too
        assert "5、2" in page.content.decode()
