"""The wall-screen cockpit (大屏, issue 12 item 7): same figures as the cockpit's selectors, a JSON
of them for the page's own refresh, for every role that sees the cockpit, constant queries."""

import datetime
import json
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Role
from projects.models import Stage
from tests.factories import CampaignFactory, MilestoneFactory, ProjectFactory, user_with_role

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture
def frozen():
    with time_machine.travel(datetime.datetime(2026, 11, 27, 10, 0, tzinfo=SHANGHAI), tick=False):
        yield


@pytest.fixture
def data():
    campaign = CampaignFactory(
        name="百日攻坚", start_date=datetime.date(2026, 10, 1), end_date=datetime.date(2027, 1, 8)
    )
    for _ in range(3):
        p = ProjectFactory(stage=Stage.UNDER_CONSTRUCTION, total_investment=Decimal("1000"))
        campaign.projects.add(p)
        MilestoneFactory(project=p, campaign=campaign, due_date=datetime.date(2026, 11, 1))
    ProjectFactory(stage=Stage.SIGNED, total_investment=Decimal("500"))
    return campaign


def test_page_and_json_say_the_same(client, data):
    client.force_login(user_with_role(Role.LEADER))
    page = client.get(reverse("dashboards:wall"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-source="/dashboard/wall.json"' in html
    assert "<script>" not in html and "style=" not in html
    figures = client.get(reverse("dashboards:wall_data")).json()
    assert figures["texts"]["projects"] == "4"
    assert figures["texts"]["campaign_name"] == "百日攻坚"
    assert figures["texts"]["campaign_overdue"] == "3"
    assert figures["texts"]["campaign_days_left"] == "42"
    assert figures["refresh_seconds"] == 60
    stages = {row["label"]: row["value"] for row in figures["lists"]["stages"]}
    assert stages["在建"] == "3" and stages["签约"] == "1"
    for key, text in figures["texts"].items():
        assert f'data-wall="{key}">{text}<' in html.replace("&amp;", "&"), key
    assert client.get(reverse("dashboards:wall_data"))["Cache-Control"] == "no-store"


def test_filters_carry_to_the_json(client, data):
    client.force_login(user_with_role(Role.LEADER))
    project = data.projects.first()
    html = client.get(reverse("dashboards:wall"), {"park": project.park_id}).content.decode()
    assert f'data-source="/dashboard/wall.json?park={project.park_id}"' in html
    figures = client.get(reverse("dashboards:wall_data"), {"park": project.park_id}).json()
    assert figures["texts"]["projects"] == "1"


def test_hostile_filter_values_are_not_a_500(client, data):
    client.force_login(user_with_role(Role.LEADER))
    for params in [{"park": "x"}, {"park": str(2**70)}, {"year": "99999"}, {"as_of": "2026-02-30"}]:
        assert client.get(reverse("dashboards:wall_data"), params).status_code in {200, 400}
        assert client.get(reverse("dashboards:wall"), params).status_code in {200, 400}


def test_without_a_role_403_and_anonymous_to_login(client, data):
    from tests.factories import UserFactory

    assert client.get(reverse("dashboards:wall_data")).status_code == 302
    client.force_login(UserFactory())
    assert client.get(reverse("dashboards:wall")).status_code == 403
    assert client.get(reverse("dashboards:wall_data")).status_code == 403


def test_cockpit_links_to_the_wall(client, data):
    client.force_login(user_with_role(Role.LEADER))
    html = client.get(reverse("dashboards:cockpit")).content.decode()
    assert reverse("dashboards:wall") in html


def test_queries_do_not_grow(client, data):
    client.force_login(user_with_role(Role.SUPERVISOR))

    def count():
        with CaptureQueriesContext(connection) as ctx:
            json.loads(client.get(reverse("dashboards:wall_data")).content)
        return len(ctx.captured_queries)

    few = count()
    for _ in range(5):
        p = ProjectFactory()
        data.projects.add(p)
        MilestoneFactory(project=p, campaign=data)
    assert count() == few
