"""The admin pages of the notifications app open, and a policy saved there goes through the service."""

import datetime

import pytest
from django.urls import reverse

from core.models import AuditEntry
from notifications.models import Delivery, Notification, ReminderPolicy, SupervisionItem
from notifications.services import reminders_sweep
from projects.models import Stage
from tests.factories import CampaignFactory, MilestoneFactory, OfficialFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    client.user = user
    return client


def test_every_page_opens(admin_client):
    owner = OfficialFactory()
    MilestoneFactory(
        project=ProjectFactory(stage=Stage.SIGNED, responsible_official=owner), due_date=datetime.date(2026, 12, 1)
    )
    reminders_sweep(now=datetime.datetime(2026, 12, 30, 9, tzinfo=datetime.UTC))
    ReminderPolicy.objects.create(campaign=CampaignFactory())
    for model in (ReminderPolicy, Notification, Delivery, SupervisionItem):
        opts = model._meta
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        assert admin_client.get(changelist).status_code == 200
        obj = model.objects.first()
        assert (
            admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])).status_code
            == 200
        )
    gave_up = admin_client.get(reverse("admin:notifications_delivery_changelist") + "?state__exact=gave_up")
    assert gave_up.status_code == 200


def test_policy_saved_in_the_admin_is_validated_and_audited(admin_client):
    campaign = CampaignFactory()
    url = reverse("admin:notifications_reminderpolicy_add")
    data = {
        "scope": "campaign",
        "campaign": campaign.pk,
        "days_before": "[7, 3, 1]",
        "on_the_day": "on",
        "repeat_every_days_overdue": "3",
        "escalate_after_days_overdue": "7",
        "webhook_url": "",
        "webhook_style": "text",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    policy = ReminderPolicy.objects.get(campaign=campaign)
    assert policy.days_before == [7, 3, 1]
    assert AuditEntry.objects.filter(action="reminder_policy.create", actor=admin_client.user).exists()
    bad = admin_client.post(url, {**data, "campaign": CampaignFactory().pk, "days_before": "[0]"})
    assert bad.status_code == 200  # the form again, with the error
    assert ReminderPolicy.objects.count() == 1
