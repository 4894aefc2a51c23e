"""The admin pages of campaigns and reminder policies open; a policy saved there goes through
the service (validated, audited)."""

import pytest
from django.urls import reverse

from campaigns.models import Campaign, ReminderPolicy
from core.models import AuditEntry
from tests.factories import CampaignFactory, MilestoneFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    client.user = user
    return client


def test_every_page_opens(admin_client):
    campaign = CampaignFactory()
    MilestoneFactory(campaign=campaign)
    ReminderPolicy.objects.create(campaign=campaign)
    for model in (Campaign, ReminderPolicy):
        opts = model._meta
        assert admin_client.get(reverse(f"admin:campaigns_{opts.model_name}_changelist")).status_code == 200
        change = reverse(f"admin:campaigns_{opts.model_name}_change", args=[model.objects.get().pk])
        assert admin_client.get(change).status_code == 200


def test_policy_saved_in_the_admin_is_validated_and_audited(admin_client):
    campaign = CampaignFactory()
    url = reverse("admin:campaigns_reminderpolicy_add")
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
