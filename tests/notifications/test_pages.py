"""Browser pages: inbox and badge, settings, supervision list, failed deliveries — who may see
and do what, bad input, constant query counts. (The campaign pages are tests/campaigns/'s.)"""

import datetime
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import AuditEntry, Official, Role
from notifications.models import Delivery, Notification, NotificationPreference, SupervisionItem
from notifications.services import reminders_sweep
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
    head = OfficialFactory(name="经开区主任", department=unit)
    unit.head = head
    unit.save()
    owner = OfficialFactory(name="项目专员", department=unit)
    leader = OfficialFactory(name="市委书记", role=Role.LEADER)
    campaign = CampaignFactory(
        name="百日攻坚行动", start_date=datetime.date(2026, 9, 29), end_date=datetime.date(2027, 1, 6)
    )
    project = ProjectFactory(
        name="水性超纤", stage=Stage.SIGNED, responsible_unit=unit, responsible_official=owner, assigned_leader=leader
    )
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
    reminders_sweep()
    return {"unit": unit, "head": head, "owner": owner, "leader": leader, "campaign": campaign, "project": project}


def login(client, user):
    client.force_login(user)
    return client


class TestInbox:
    def test_own_notifications_and_the_header_badge(self, client, world):
        login(client, world["owner"].user)
        response = client.get(reverse("notifications:inbox"))
        assert response.status_code == 200
        visible = Notification.objects.filter(recipient=world["owner"].user, superseded=False)
        assert list(response.context["notifications"]) == list(visible.order_by("-created_at", "-id"))
        assert response.context["unread"] == 2
        html = response.content.decode()
        assert 'id="unread-badge"' in html
        assert ">2</span>" in html
        assert "设备安装" in html and "环评批复" in html
        assert "经开区主任" not in html  # the escalation went to others

    def test_unread_filter_mark_read_and_read_all(self, client, world):
        login(client, world["owner"].user)
        first = Notification.objects.filter(recipient=world["owner"].user, superseded=False).first()
        response = client.post(reverse("notifications:read", args=[first.pk]), HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        assert 'hx-swap-oob="true"' in response.content.decode()
        first.refresh_from_db()
        assert first.read_at is not None
        unread = client.get(reverse("notifications:inbox") + "?unread=1").context["notifications"]
        assert first not in list(unread) and len(unread) == 1
        assert client.post(reverse("notifications:read_all")).status_code == 302
        assert not Notification.objects.filter(recipient=world["owner"].user, superseded=False, read_at=None).exists()

    def test_open_marks_read_and_goes_to_the_page(self, client, world):
        login(client, world["owner"].user)
        notification = Notification.objects.filter(recipient=world["owner"].user, superseded=False).first()
        response = client.get(reverse("notifications:open", args=[notification.pk]))
        assert response.status_code == 302
        assert response["Location"] == f"/projects/{world['project'].pk}/"
        notification.refresh_from_db()
        assert notification.read_at is not None

    def test_someone_elses_notification_is_a_404(self, client, world):
        notification = Notification.objects.filter(recipient=world["owner"].user).first()
        login(client, world["head"].user)
        assert client.post(reverse("notifications:read", args=[notification.pk])).status_code == 404
        assert client.get(reverse("notifications:open", args=[notification.pk])).status_code == 404
        notification.refresh_from_db()
        assert notification.read_at is None

    def test_inbox_queries_do_not_grow_with_notifications(self, client, world):
        user = world["owner"].user
        login(client, user)

        def count():
            with CaptureQueriesContext(connection) as captured:
                assert client.get(reverse("notifications:inbox")).status_code == 200
            return len(captured)

        few = count()
        for i in range(25):
            MilestoneFactory(project=world["project"], title=f"附加{i}", due_date=TODAY + datetime.timedelta(days=1))
        reminders_sweep()
        assert Notification.objects.filter(recipient=user, superseded=False).count() > 25
        assert count() == few

    def test_login_required(self, client):
        response = client.get(reverse("notifications:inbox"))
        assert response.status_code == 302
        assert "/login/" in response["Location"]


class TestPreferences:
    def test_choose_channels_and_language(self, client, world):
        user = world["owner"].user
        login(client, user)
        assert client.get(reverse("notifications:preferences")).status_code == 200
        response = client.post(reverse("notifications:preferences"), {"webhook": "on", "language": "en"})
        assert response.status_code == 302
        preference = NotificationPreference.objects.get(user=user)
        assert (preference.email, preference.webhook) == (False, True)
        assert Official.objects.get(user=user).language == "en"

    def test_bad_language_is_a_400_and_saves_nothing(self, client, world):
        login(client, world["owner"].user)
        response = client.post(reverse("notifications:preferences"), {"email": "on", "language": "klingon"})
        assert response.status_code == 400
        assert response.context["form"].errors["language"]
        assert not NotificationPreference.objects.exists()


class TestSupervision:
    def test_supervisor_sees_and_closes(self, client, world):
        item = SupervisionItem.objects.get()
        supervisor = user_with_role(Role.SUPERVISOR)
        login(client, supervisor)
        response = client.get(reverse("notifications:supervision"))
        assert response.status_code == 200
        assert list(response.context["items"]) == [item]
        assert "环评批复" in response.content.decode()
        url = reverse("notifications:supervision_close", args=[item.pk])
        client.post(url, {"note": ""})
        item.refresh_from_db()
        assert item.status == SupervisionItem.Status.OPEN
        assert client.post(url, {"note": "已督促，改期至下周"}).status_code == 302
        item.refresh_from_db()
        assert item.status == SupervisionItem.Status.CLOSED

    def test_leader_reads_others_may_not(self, client, world):
        item = SupervisionItem.objects.get()
        login(client, world["leader"].user)
        assert client.get(reverse("notifications:supervision")).status_code == 200
        assert client.post(reverse("notifications:supervision_close", args=[item.pk]), {"note": "x"}).status_code == 403
        login(client, world["owner"].user)
        assert client.get(reverse("notifications:supervision")).status_code == 403

    def test_failed_deliveries_page_and_retry(self, client, world):
        delivery = Delivery.objects.filter(channel="email").first()
        Delivery.objects.filter(pk=delivery.pk).update(state=Delivery.State.GAVE_UP, attempts=8, last_error="SMTP 550")
        login(client, world["owner"].user)
        assert client.get(reverse("notifications:deliveries")).status_code == 403
        supervisor = user_with_role(Role.SUPERVISOR)
        login(client, supervisor)
        response = client.get(reverse("notifications:deliveries"))
        assert list(response.context["deliveries"]) == [delivery]
        assert "SMTP 550" in response.content.decode()
        assert client.post(reverse("notifications:delivery_retry", args=[delivery.pk])).status_code == 302
        delivery.refresh_from_db()
        assert delivery.state == Delivery.State.PENDING
        assert AuditEntry.objects.filter(action="delivery.retry").exists()
