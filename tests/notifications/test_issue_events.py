"""Who hears of an issue event is what its row of the workflow table declares (issues.workflow
`audience`); notifications only resolves each audience name to people."""

import pytest

from core.models import Role
from issues import workflow
from issues.models import IssueEvent, Status
from notifications.models import Kind, Notification
from notifications.services import notify_issue_event
from tests.factories import DepartmentFactory, IssueFactory, OfficialFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", list(workflow.EVENTS))
def test_each_event_tells_the_audience_its_row_declares(name):
    unit = DepartmentFactory(name="自然资源和规划局")
    head = OfficialFactory(name="局长", department=unit)
    unit.head = head
    unit.save()
    handler = OfficialFactory(name="经办人", role=Role.HANDLER, department=unit)
    leader = OfficialFactory(name="包挂领导", role=Role.LEADER)
    raiser = OfficialFactory(name="专班成员", role=Role.STAFF)
    supervisors = [OfficialFactory(name=f"督查室{n}", role=Role.SUPERVISOR) for n in (1, 2)]
    actor = OfficialFactory(name="旁人")
    project = ProjectFactory(assigned_leader=leader)
    issue = IssueFactory(
        status=Status.ASSIGNED,
        lead_department=unit,
        handler=handler,
        project=project,
        enterprise=project.enterprise,
        raised_by=raiser.user,
    )
    event = IssueEvent.objects.create(issue=issue, actor=actor.user, action=name, to_status=Status.ASSIGNED)

    notify_issue_event(event_id=event.pk)

    people = {"owner": [handler], "head": [head], "raiser": [raiser], "leader": [leader], "supervisors": supervisors}
    assert set(people) == set(workflow.AUDIENCES)
    expected = {official.user_id for audience in workflow.EVENTS[name].audience for official in people[audience]}
    told = Notification.objects.filter(kind=Kind.ISSUE_EVENT, object_id=event.pk)
    assert set(told.values_list("recipient_id", flat=True)) == expected


def test_the_message_names_the_event_by_its_timeline_label_in_the_recipients_language():
    unit = DepartmentFactory()
    handler = OfficialFactory(role=Role.HANDLER, department=unit, language="en")
    issue = IssueFactory(status=Status.ASSIGNED, lead_department=unit, handler=handler, title="用电报装")
    event = IssueEvent.objects.create(issue=issue, actor=OfficialFactory().user, action="escalate")
    assert notify_issue_event(event_id=event.pk) == 1
    assert Notification.objects.get(object_id=event.pk).title.endswith(": Escalate")


def test_a_notification_carries_the_time_of_its_event_not_of_its_writing():
    """Replayed history (the demo's July site visit) must not read as if it happened at load time."""
    import datetime

    unit = DepartmentFactory()
    handler = OfficialFactory(role=Role.HANDLER, department=unit)
    issue = IssueFactory(status=Status.ASSIGNED, lead_department=unit, handler=handler)
    import time_machine

    july = datetime.datetime(2026, 7, 4, 2, 0, tzinfo=datetime.UTC)
    with time_machine.travel(july, tick=False):
        event = IssueEvent.objects.create(issue=issue, actor=OfficialFactory().user, action="escalate")
    assert notify_issue_event(event_id=event.pk) == 1
    assert Notification.objects.get(object_id=event.pk).created_at == july
