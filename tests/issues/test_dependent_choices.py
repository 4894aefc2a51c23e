"""Forms that prevent errors (issue 12 item 6): the assign form lists only the handlers of the
lead department, a JSON endpoint (supervisors only, bounded parameter) gives the list for another
department, a mismatch is refused on the handler field once, and every page loads the one form
script (static/js/forms.js)."""

import pytest
from django.urls import reverse

from core.models import Role
from issues.models import Issue, Status
from tests.factories import user_with_role

from .conftest import issue_in_state

pytestmark = pytest.mark.django_db


class TestHandlersEndpoint:
    def test_lists_the_departments_handlers_only(self, client, world):
        client.force_login(world.supervisor)
        response = client.get(reverse("issues:handlers"), {"department": world.lead_dept.pk})
        assert response.status_code == 200
        ids = {row["id"] for row in response.json()["results"]}
        assert ids == {world.handler.official.pk, world.handler_colleague.official.pk}
        assert all(
            "自然资源" in row["label"] or world.lead_dept.name in row["label"] for row in response.json()["results"]
        )

    def test_deactivated_handlers_are_not_offered(self, client, world):
        world.handler_colleague.is_active = False
        world.handler_colleague.save()
        client.force_login(world.supervisor)
        response = client.get(reverse("issues:handlers"), {"department": world.lead_dept.pk})
        assert [row["id"] for row in response.json()["results"]] == [world.handler.official.pk]

    @pytest.mark.parametrize("value", ["", "abc", "0", "-1", str(2**70), "1.5", "1' OR '1'='1"])
    def test_bad_department_is_a_400(self, client, world, value):
        client.force_login(world.supervisor)
        response = client.get(reverse("issues:handlers"), {"department": value})
        assert response.status_code == 400
        assert "department" in response.json()["errors"]

    def test_unknown_department_is_empty(self, client, world):
        client.force_login(world.supervisor)
        response = client.get(reverse("issues:handlers"), {"department": 987654})
        assert response.json()["results"] == []

    @pytest.mark.parametrize("who", ["leader", "staff", "handler", "official"])
    def test_only_those_who_route_issues(self, client, world, who):
        client.force_login(world.user(who))
        response = client.get(reverse("issues:handlers"), {"department": world.lead_dept.pk})
        assert response.status_code == 403

    def test_anonymous_is_sent_to_log_in(self, client, world):
        response = client.get(reverse("issues:handlers"), {"department": world.lead_dept.pk})
        assert response.status_code == 302


class TestAssignForm:
    def test_reassign_lists_only_the_lead_departments_handlers(self, client, world):
        issue = issue_in_state(world, Status.ASSIGNED)
        client.force_login(world.supervisor)
        page = client.get(reverse("issues:detail", args=[issue.pk])).content.decode()
        assert 'data-depends-on="reassign-lead_department"' in page
        assert f'value="{world.handler.official.pk}"' in page
        assert f'value="{world.handler_other.official.pk}"' not in page
        assert 'src="/static/js/forms.js"' in page or "js/forms.js" in page

    def test_new_issue_without_department_offers_no_handler_yet(self, client, world):
        issue = issue_in_state(world, Status.NEW)
        client.force_login(world.supervisor)
        page = client.get(reverse("issues:detail", args=[issue.pk])).content.decode()
        assert f'value="{world.handler.official.pk}"' not in page
        assert 'data-depends-on="assign-lead_department"' in page

    def test_mismatch_is_refused_on_the_field_once(self, client, world):
        issue = issue_in_state(world, Status.NEW)
        client.force_login(world.supervisor)
        response = client.post(
            reverse("issues:action", args=[issue.pk, "assign"]),
            {
                "assign-version": issue.version,
                "assign-lead_department": world.lead_dept.pk,
                "assign-handler": world.handler_other.official.pk,
            },
        )
        assert response.status_code == 400
        page = response.content.decode()
        message = "经办人必须属于主办部门"
        assert page.count(message) == 1, page.count(message)
        issue.refresh_from_db()
        assert issue.status == Status.NEW

    def test_matching_handler_is_assigned(self, client, world):
        issue = issue_in_state(world, Status.NEW)
        client.force_login(world.supervisor)
        response = client.post(
            reverse("issues:action", args=[issue.pk, "assign"]),
            {
                "assign-version": issue.version,
                "assign-lead_department": world.lead_dept.pk,
                "assign-handler": world.handler.official.pk,
            },
        )
        assert response.status_code == 302
        issue = Issue.objects.get(pk=issue.pk)
        assert (issue.status, issue.handler) == (Status.ASSIGNED, world.handler.official)


@pytest.mark.parametrize("url_name", ["campaigns:list", "issues:home", "projects:list"])
def test_every_page_loads_the_form_script_with_its_messages(client, url_name):
    client.force_login(user_with_role(Role.SUPERVISOR))
    page = client.get(reverse(url_name), follow=True).content.decode()
    assert "js/forms.js" in page and "data-msg-required=" in page
