"""The admin: supervisors maintain the holiday calendar and the time limits; saving a holiday
recomputes the deadlines; issues are read-only there."""

import datetime

import pytest
import time_machine
from django.test import Client

from core.calendar import end_of_day
from core.models import AuditEntry, Holiday
from issues.models import TimeLimitRule
from tests.issues.conftest import SHANGHAI, raise_issue

D = datetime.date


def admin_client(user) -> Client:
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client = Client()
    client.force_login(user)
    return client


def test_supervisor_sees_the_missing_year_warning(world):
    response = admin_client(world.supervisor).get("/admin/core/holiday/")
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert any("2027" in m for m in messages)


def test_adding_a_holiday_in_admin_recomputes_provisional_deadlines(world):
    with time_machine.travel(datetime.datetime(2026, 12, 28, 9, tzinfo=SHANGHAI), tick=False):
        issue = raise_issue(world, category="electricity")
        assert issue.deadline_provisional and issue.resolution_deadline == end_of_day(D(2027, 1, 6))
        client = admin_client(world.supervisor)
        response = client.post(
            "/admin/core/holiday/add/",
            {"date": "2027-01-01", "kind": "holiday", "name": "元旦"},
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    holiday = Holiday.objects.get(date=D(2027, 1, 1))
    assert holiday.source == Holiday.Source.MANUAL
    issue.refresh_from_db()
    assert issue.resolution_deadline == end_of_day(D(2027, 1, 7))
    assert issue.deadline_provisional is False
    assert issue.events.filter(action="deadlines_recomputed", actor=world.supervisor).exists()
    assert AuditEntry.objects.filter(action="holiday.add", object_id=str(holiday.pk)).exists()

    # Deleting it makes the year unknown again: provisional, weekends only.
    response = client.post(f"/admin/core/holiday/{holiday.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.deadline_provisional is True
    assert issue.resolution_deadline == end_of_day(D(2027, 1, 6))


@pytest.mark.parametrize("role", ["handler", "leader", "staff"])
def test_other_roles_cannot_edit_the_calendar_or_time_limits(world, role):
    client = admin_client(world.user(role))
    assert client.get("/admin/core/holiday/add/").status_code == 403
    rule = TimeLimitRule.objects.first()
    assert client.get(f"/admin/issues/timelimitrule/{rule.pk}/change/").status_code == 403


def test_correcting_a_library_row_makes_it_manual(world):
    row = Holiday.objects.get(date=D(2026, 10, 7))
    assert row.source == Holiday.Source.LIBRARY
    response = admin_client(world.supervisor).post(
        f"/admin/core/holiday/{row.pk}/change/", {"date": "2026-10-07", "kind": "makeup_workday", "name": "调整"}
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.kind, row.source) == (Holiday.Kind.MAKEUP_WORKDAY, Holiday.Source.MANUAL)
    from core.calendar import holidays_seed_from_library

    holidays_seed_from_library()
    row.refresh_from_db()
    assert row.kind == Holiday.Kind.MAKEUP_WORKDAY


def test_time_limit_rule_admin_edit_is_audited(world):
    rule = TimeLimitRule.objects.get(category="land", urgency="normal")
    response = admin_client(world.supervisor).post(
        f"/admin/issues/timelimitrule/{rule.pk}/change/",
        {"category": "land", "urgency": "normal", "assign_days": 1, "response_days": 3, "resolution_days": 30},
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.resolution_days == 30
    assert AuditEntry.objects.filter(action="time_limit_rule.update", object_id=str(rule.pk)).exists()


def test_issues_are_read_only_in_admin(world):
    issue = raise_issue(world)
    client = admin_client(world.supervisor)
    assert client.get("/admin/issues/issue/").status_code == 200
    page = client.get(f"/admin/issues/issue/{issue.pk}/change/")
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert client.get("/admin/issues/issue/add/").status_code == 403
    assert client.post(f"/admin/issues/issue/{issue.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get("/admin/issues/visit/").status_code == 200
    assert client.get("/admin/issues/issueevent/").status_code == 200
