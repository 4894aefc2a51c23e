"""One definition of "the deadline that applies now" (issues.deadlines): the database annotation and
the Python evaluation agree in every state, and every page names the deadline it shows."""

import pytest
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from issues import deadlines, services
from issues.models import Issue, Status
from issues.selectors import with_deadline_state

from .conftest import issue_in_state

pytestmark = pytest.mark.django_db


def _reassigned_after_acknowledging(world):
    issue = issue_in_state(world, Status.IN_PROGRESS)
    return services.issue_transition(
        issue=issue, action="reassign", by=world.supervisor, lead_department=world.other_dept
    )


def _every_state(world) -> dict[str, Issue]:
    spot = issue_in_state(world, Status.NEW)
    spot = services.issue_transition(issue=spot, action="resolve_on_spot", by=world.leader, note="现场协调解决")
    return {
        "new": issue_in_state(world, Status.NEW),
        "assigned": issue_in_state(world, Status.ASSIGNED),
        "reassigned after the first response": _reassigned_after_acknowledging(world),
        "in progress": issue_in_state(world, Status.IN_PROGRESS),
        "resolved": issue_in_state(world, Status.RESOLVED),
        "closed": issue_in_state(world, Status.CLOSED),
        "resolved on the spot": spot,
    }


EXPECTED = {
    "new": "assign",
    "assigned": "response",
    "reassigned after the first response": "resolution",
    "in progress": "resolution",
    "resolved": None,
    "closed": None,
    "resolved on the spot": None,
}


def test_the_annotation_and_the_python_evaluation_agree_in_every_state(world):
    issues = _every_state(world)
    annotated = {i.pk: i for i in with_deadline_state(Issue.objects.filter(pk__in=[i.pk for i in issues.values()]))}
    for name, issue in issues.items():
        issue = Issue.objects.get(pk=issue.pk)
        kind = deadlines.current_kind(issue)
        row = annotated[issue.pk]
        assert (kind.key if kind else None) == row.current_deadline_kind == EXPECTED[name], name
        assert deadlines.current_deadline(issue) == row.current_deadline, name
        if kind is not None:
            assert row.current_deadline == getattr(issue, kind.field)
        # The issue page marks the same deadline as current.
        current = [r.key for r in deadlines.deadline_rows(issue, now=issue.raised_at) if r.is_current]
        assert current == ([EXPECTED[name]] if EXPECTED[name] else []), name


def test_each_deadline_says_which_it_is():
    with translation.override("zh-hans"):
        assert [str(k.label) for k in deadlines.KINDS] == ["签收期限", "答复期限", "办结期限"]
    with translation.override("en"):
        assert [str(k.label) for k in deadlines.KINDS] == [
            "Routing deadline",
            "Response deadline",
            "Resolution deadline",
        ]
        assert deadlines.label_of("response") == "Response deadline"
    assert deadlines.label_of(None) == ""


def test_the_issue_page_names_its_three_deadlines(client, world):
    issue = issue_in_state(world, Status.ASSIGNED)
    client.force_login(world.handler)
    response = client.get(reverse("issues:detail", args=[issue.pk]))
    assert [str(d.label) for d in response.context["deadlines"]] == ["签收期限", "答复期限", "办结期限"]


def test_the_list_shows_the_current_deadline_with_its_kind(client, world):
    new = issue_in_state(world, Status.NEW)
    assigned = issue_in_state(world, Status.ASSIGNED)
    in_progress = issue_in_state(world, Status.IN_PROGRESS)
    client.force_login(world.supervisor)
    html = client.get(reverse("issues:list")).text
    assert "当前期限" in html and "办理期限" not in html
    for issue, label in ((new, "签收期限"), (assigned, "答复期限"), (in_progress, "办结期限")):
        row = html.split(f'id="issue-row-{issue.pk}"', 1)[1].split("</tr>", 1)[0]
        assert f'<div class="small muted deadline-kind">{label}</div>' in row


def test_the_assignment_sheet_shows_the_resolution_deadline_under_its_name(client, world):
    visit = services.visit_create(
        by=world.leader,
        date=world.milestone.due_date.replace(month=11, day=20),
        leaders=[world.leader.official],
        instructions=[
            {
                "enterprise": world.enterprise,
                "category": "approval",
                "description": "加快二期施工许可办理",
                "lead_department": world.lead_dept,
            }
        ],
    )
    client.force_login(world.leader)
    for url in (reverse("visits:detail", args=[visit.pk]), reverse("visits:sheet", args=[visit.pk])):
        html = client.get(url).text
        assert '<th scope="col">办结期限</th>' in html
        assert "办理期限" not in html
        # Not answered yet: the response deadline is the one that runs, and the row says so.
        assert "当前：答复期限" in html


def test_the_api_names_the_current_deadline(world):
    issue = issue_in_state(world, Status.ASSIGNED)
    client = APIClient()
    client.force_authenticate(world.handler)
    body = client.get(f"/api/v1/issues/{issue.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["current_deadline_kind"] == "response"
    assert body["current_deadline"] == body["response_deadline"]
    row = client.get("/api/v1/issues/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()["results"][0]
    assert (row["current_deadline_kind"], row["current_deadline_label"]) == ("response", "答复期限")
