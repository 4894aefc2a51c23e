"""Bulk actions for the supervision office (issue 12 item 7): tick issues on the queue or the
list, route them to a department (and handler) or remind their departments (催办); each issue
goes through the issue service on its own, refusals are summarised with their reason."""

import pytest
from django.urls import reverse

from core.errors import ApplicationError, PermissionDenied
from core.models import AuditEntry
from issues.models import Issue, IssueEvent, Status
from issues.services import issues_bulk_transition

from .conftest import issue_in_state, raise_issue

pytestmark = pytest.mark.django_db


class TestService:
    def test_assign_many_new_and_reassign_one_with_a_department(self, world):
        new1, new2 = raise_issue(world), raise_issue(world)
        assigned = issue_in_state(world, Status.ASSIGNED)
        result = issues_bulk_transition(
            by=world.supervisor,
            issues=[new1, new2, assigned],
            action="assign",
            lead_department=world.other_dept,
            handler=world.handler_other.official,
        )
        assert len(result.done) == 3 and not result.failed
        for issue in Issue.objects.filter(pk__in=[new1.pk, new2.pk, assigned.pk]):
            assert (issue.lead_department, issue.handler) == (world.other_dept, world.handler_other.official)
        actions = list(IssueEvent.objects.filter(issue=assigned).values_list("action", flat=True))
        assert "reassign" in actions
        assert AuditEntry.objects.filter(object_id=str(new1.pk), action__contains="assign").exists()

    def test_one_refusal_does_not_undo_the_others(self, world):
        ok = raise_issue(world)
        stale = raise_issue(world)
        result = issues_bulk_transition(
            by=world.supervisor,
            issues=[ok, stale],
            action="assign",
            versions={stale.pk: stale.version + 5},
            lead_department=world.lead_dept,
        )
        assert [i.pk for i in result.done] == [ok.pk]
        assert [i.pk for i, _reason in result.failed] == [stale.pk]
        assert Issue.objects.get(pk=ok.pk).status == Status.ASSIGNED
        assert Issue.objects.get(pk=stale.pk).status == Status.NEW

    def test_remind_adds_an_event_for_the_owner_and_refuses_new_issues(self, world):
        assigned = issue_in_state(world, Status.ASSIGNED)
        new = raise_issue(world)
        version = Issue.objects.get(pk=assigned.pk).version
        result = issues_bulk_transition(by=world.supervisor, issues=[assigned, new], action="remind", note="周五前答复")
        assert [i.pk for i in result.done] == [assigned.pk]
        assert [i.pk for i, _reason in result.failed] == [new.pk]
        event = IssueEvent.objects.filter(issue=assigned, action="remind").get()
        assert event.note == "周五前答复"
        assert Issue.objects.get(pk=assigned.pk).status == Status.ASSIGNED
        assert Issue.objects.get(pk=assigned.pk).version >= version

    @pytest.mark.parametrize("who", ["leader", "staff", "handler", "official"])
    def test_only_supervisors(self, world, who):
        issue = raise_issue(world)
        with pytest.raises(PermissionDenied):
            issues_bulk_transition(by=world.user(who), issues=[issue], action="remind")

    def test_refusals_up_front(self, world):
        issue = raise_issue(world)
        with pytest.raises(ApplicationError):
            issues_bulk_transition(by=world.supervisor, issues=[issue], action="resolve")
        with pytest.raises(ApplicationError):
            issues_bulk_transition(by=world.supervisor, issues=[], action="remind")
        with pytest.raises(ApplicationError):
            issues_bulk_transition(by=world.supervisor, issues=[issue] * 101, action="remind")


class TestPages:
    def test_queue_offers_the_bulk_form_to_supervisors_only(self, client, world):
        raise_issue(world)
        client.force_login(world.supervisor)
        page = client.get(reverse("issues:queue")).content.decode()
        assert 'id="bulk-form"' in page and 'form="bulk-form" name="issues"' in page
        client.force_login(world.handler)
        assert 'id="bulk-form"' not in client.get(reverse("issues:queue")).content.decode()
        assert 'id="bulk-form"' not in client.get(reverse("issues:list")).content.decode()

    def test_assign_from_the_queue_and_summary(self, client, world):
        a, b = raise_issue(world), raise_issue(world)
        client.force_login(world.supervisor)
        response = client.post(
            reverse("issues:bulk"),
            {
                "action": "assign",
                "issues": [a.pk, b.pk],
                f"version-{a.pk}": a.version,
                f"version-{b.pk}": b.version + 1,
                "lead_department": world.lead_dept.pk,
                "handler": world.handler.official.pk,
                "next": reverse("issues:queue"),
            },
            follow=True,
        )
        page = response.content.decode()
        assert response.redirect_chain[-1][0] == reverse("issues:queue")
        assert "已交办 1 件问题" in page and f"#{b.pk}" in page
        assert Issue.objects.get(pk=a.pk).handler == world.handler.official
        assert Issue.objects.get(pk=b.pk).status == Status.NEW

    def test_form_errors_are_said_once_and_nothing_changes(self, client, world):
        a = raise_issue(world)
        client.force_login(world.supervisor)
        response = client.post(
            reverse("issues:bulk"),
            {"action": "assign", "issues": [a.pk], "handler": world.handler_other.official.pk},
            follow=True,
        )
        page = response.content.decode()
        assert page.count("请选择主办部门") == 1
        response = client.post(
            reverse("issues:bulk"),
            {
                "action": "assign",
                "issues": [a.pk],
                "lead_department": world.lead_dept.pk,
                "handler": world.handler_other.official.pk,
            },
            follow=True,
        )
        assert response.content.decode().count("经办人必须属于主办部门") == 1
        assert client.post(reverse("issues:bulk"), {"action": "remind"}, follow=True).status_code == 200
        assert Issue.objects.get(pk=a.pk).status == Status.NEW

    def test_others_are_refused_and_next_cannot_leave_the_site(self, client, world):
        a = raise_issue(world)
        client.force_login(world.leader)
        assert client.post(reverse("issues:bulk"), {"action": "remind", "issues": [a.pk]}).status_code == 403
        client.force_login(world.supervisor)
        response = client.post(
            reverse("issues:bulk"), {"action": "remind", "issues": [a.pk], "next": "https://evil.example/"}
        )
        assert response["Location"] == reverse("issues:queue")
        assert client.get(reverse("issues:bulk")).status_code == 405


def test_out_of_range_values_are_refused_not_500(client, world):
    a = raise_issue(world)
    client.force_login(world.supervisor)
    huge = str(2**70)
    for data in [
        {"action": "assign", "issues": [huge], "lead_department": world.lead_dept.pk},
        {"action": "assign", "issues": [a.pk], "lead_department": huge, "handler": huge},
        {"action": "remind", "issues": [a.pk], f"version-{a.pk}": "9" * 40},
        {"action": "x" * 1000, "issues": ["abc"]},
    ]:
        assert client.post(reverse("issues:bulk"), data, follow=True).status_code == 200
    assert Issue.objects.get(pk=a.pk).status == Status.NEW
