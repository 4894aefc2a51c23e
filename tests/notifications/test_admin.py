"""The admin pages of the notifications app open."""

import datetime

import pytest
from django.urls import reverse

from notifications.models import Delivery, Notification, SupervisionItem
from notifications.services import reminders_sweep
from projects.models import Stage
from tests.factories import MilestoneFactory, OfficialFactory, ProjectFactory, UserFactory

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
    for model in (Notification, Delivery, SupervisionItem):
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
