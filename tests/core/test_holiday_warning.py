"""Supervisors are warned, where working-day deadlines are read (issues, visits, cockpit,
campaigns — not on every page of a phone), while next year's holiday schedule is missing."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from core.models import Holiday, Role
from tests.factories import PASSWORD, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_november_2026():
    with time_machine.travel(datetime.datetime(2026, 11, 27, 10, tzinfo=datetime.UTC), tick=False):
        yield


def _page(client, role, page="issues:list"):
    user = user_with_role(role)
    client.login(username=user.username, password=PASSWORD)
    return client.get(reverse(page))


def test_supervisor_sees_the_warning_until_the_year_is_entered(client):
    Holiday.objects.filter(date__year=2027).delete()
    response = _page(client, Role.SUPERVISOR)
    assert b'data-testid="holiday-warning"' in response.content
    assert "2027" in response.content.decode()

    assert b'data-dismiss-key="holidays-2027"' in response.content  # hidden for good once dismissed
    assert client.get(reverse("dashboards:cockpit")).content.count(b'data-testid="holiday-warning"') == 1

    Holiday.objects.create(date=datetime.date(2027, 1, 1), kind=Holiday.Kind.HOLIDAY, name="元旦")
    response = client.get(reverse("issues:list"))
    assert b'data-testid="holiday-warning"' not in response.content


@pytest.mark.parametrize("page", ["projects:list", "enterprises:list", "notifications:inbox", "accounts:security"])
def test_pages_without_working_day_deadlines_carry_no_warning(client, page):
    Holiday.objects.filter(date__year=2027).delete()
    response = _page(client, Role.SUPERVISOR, page)
    assert response.status_code == 200
    assert b'data-testid="holiday-warning"' not in response.content


@pytest.mark.parametrize("role", [Role.LEADER, Role.OFFICIAL, Role.STAFF, Role.HANDLER])
def test_other_roles_are_not_warned(client, role):
    response = _page(client, role)
    assert response.status_code == 200
    assert b'data-testid="holiday-warning"' not in response.content


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("run", [1, 2])
def test_seeded_calendar_survives_transactional_tests(run):
    # Run twice: the second run comes after the first one's flush.
    assert Holiday.objects.filter(date__year=2026).exists()
