"""The issue API: the same permissions as the services, errors in one shape, constant queries."""

import datetime

import pytest
from rest_framework.test import APIClient

from core.models import Department
from issues.models import Issue, IssueEvent, Status, TimeLimitRule, Visit
from tests.factories import IssueFactory, UserFactory
from tests.issues.conftest import issue_in_state, png_upload, raise_issue


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def url(issue=None, action=None):
    if issue is None:
        return "/api/v1/issues/"
    return f"/api/v1/issues/{issue.pk}/" + (f"{action}/" if action else "")


# --- Reading ------------------------------------------------------------------------------------


def test_anonymous_gets_401_or_403(world):
    issue = raise_issue(world)
    for path in (url(), url(issue), url(issue, "events"), "/api/v1/visits/", "/api/v1/time-limit-rules/"):
        assert client_for(None).get(path).status_code in (401, 403)


@pytest.mark.parametrize(
    ("role", "visible"),
    [
        ("supervisor", True),
        ("leader", True),
        ("staff", True),
        ("handler", True),
        ("official", True),
        ("staff_other", False),
        ("handler_other", False),
    ],
)
def test_list_and_detail_are_scoped(world, role, visible):
    issue = issue_in_state(world, Status.ASSIGNED)
    client = client_for(world.user(role))
    ids = [row["id"] for row in client.get(url()).json()["results"]]
    assert (issue.pk in ids) is visible
    response = client.get(url(issue))
    assert response.status_code == (200 if visible else 404)
    assert client.get(url(issue, "events")).status_code == (200 if visible else 404)


def test_detail_shows_state_deadlines_and_available_actions(world):
    issue = issue_in_state(world, Status.ASSIGNED)
    body = client_for(world.handler).get(url(issue)).json()
    assert body["status"] == "assigned"
    assert body["lead_department"] == {"id": world.lead_dept.pk, "name": world.lead_dept.name}
    assert body["response_deadline"] == "2026-12-02T23:59:59+08:00"
    assert body["current_deadline"] == "2026-12-02T23:59:59+08:00"
    assert body["is_overdue"] is False
    assert set(body["available_actions"]) == {"acknowledge", "return", "comment"}
    assert body["version"] == issue.version
    assert set(client_for(world.supervisor).get(url(issue)).json()["available_actions"]) == {
        "reassign",
        "remind",
        "escalate",
        "comment",
    }


def test_events_endpoint_is_the_timeline(world):
    issue = issue_in_state(world, Status.CLOSED)
    events = client_for(world.staff).get(url(issue, "events")).json()
    assert [e["action"] for e in events] == ["raise", "assign", "acknowledge", "resolve", "confirm"]
    assert events[3]["from_status"] == "in_progress" and events[3]["to_status"] == "resolved"
    assert events[3]["note"] == "已办理施工许可证"
    assert events[0]["actor"]["id"] == world.staff.pk


def test_open311_view(world):
    issue = issue_in_state(world, Status.IN_PROGRESS)
    body = client_for(world.staff).get(url(issue, "open311")).json()
    assert body["service_request_id"] == str(issue.pk)
    assert body["status"] == "open"
    assert body["agency_responsible"] == world.lead_dept.name
    assert body["expected_datetime"] == "2026-12-29T23:59:59+08:00"
    assert body["service_code"] == "approval"
    closed = issue_in_state(world, Status.CLOSED)
    body = client_for(world.staff).get(url(closed, "open311")).json()
    assert body["status"] == "closed" and body["expected_datetime"] is None
    assert "已办理施工许可证" in body["status_notes"]


def test_list_filters_and_ordering(world, frozen):
    assigned = issue_in_state(world, Status.ASSIGNED)
    new = raise_issue(world, category="electricity", urgency="critical")
    frozen.move_to(datetime.datetime(2026, 12, 10, 9, tzinfo=datetime.UTC))
    client = client_for(world.supervisor)

    def ids(query):
        return [row["id"] for row in client.get(url() + query).json()["results"]]

    assert ids("?status=new") == [new.pk]
    assert ids("?category=electricity") == [new.pk]
    assert set(ids("?overdue=true")) == {new.pk, assigned.pk}
    assert ids(f"?department={world.lead_dept.pk}") == [assigned.pk]
    assert ids(f"?park={world.park.pk}&ordering=raised_at") == [assigned.pk, new.pk]
    assert ids("?q=zxgt&ordering=-raised_at") == [new.pk, assigned.pk]
    assert client.get(url() + "?status=lost").status_code == 400


def test_queue_endpoint(world):
    assigned = issue_in_state(world, Status.ASSIGNED)
    issue_in_state(world, Status.NEW)
    body = client_for(world.handler).get(url() + "queue/").json()
    assert [row["id"] for row in body["results"]] == [assigned.pk]


def test_measures_endpoint_scoped_with_total(world):
    issue_in_state(world, Status.CLOSED)
    issue_in_state(world, Status.ASSIGNED)
    rows = client_for(world.supervisor).get(url() + "measures/?group_by=department").json()
    dept_row = next(r for r in rows if r["key"] == str(world.lead_dept.pk))
    assert dept_row["raised"] == 2 and dept_row["resolution_rate"] == 0.5
    assert rows[-1]["label"] and rows[-1]["raised"] == 2
    other = client_for(world.handler_other).get(url() + "measures/?group_by=category").json()
    assert other[-1]["raised"] == 0 and other[-1]["resolution_rate"] is None
    assert client_for(world.supervisor).get(url() + "measures/?group_by=weather").status_code == 400


# --- Raising ------------------------------------------------------------------------------------


def test_staff_raises_an_issue_with_photos_by_multipart(world):
    response = client_for(world.staff).post(
        url(),
        {
            "enterprise": world.enterprise.pk,
            "project": world.project.pk,
            "category": "electricity",
            "urgency": "urgent",
            "description": "二期项目临时用电容量不足",
            "photos": [png_upload("a.png"), png_upload("b.png")],
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "new" and body["source"] == "service_team"
    assert len(body["photos"]) == 2 and body["photo_count"] == 2
    assert body["resolution_deadline"] == "2026-12-02T23:59:59+08:00"
    assert Issue.objects.get(pk=body["id"]).raised_by == world.staff


@pytest.mark.parametrize(
    ("role", "change", "status_code", "field"),
    [
        ("staff", {"enterprise": 999999}, 400, "enterprise"),  # unknown enterprise
        ("staff", {"description": ""}, 400, "description"),
        ("staff", {"description": "   "}, 400, "description"),
        ("staff", {"category": "weather"}, 400, "category"),
        ("leader", {"deadline": "2026-11-20", "lead_department": "lead"}, 400, "deadline"),
        ("leader", {"deadline": "not a date"}, 400, "deadline"),
        ("staff", {"lead_department": "lead"}, 403, None),
        ("staff_other", {}, 403, None),  # not an enterprise their team serves
        ("handler", {}, 403, None),
    ],
)
def test_bad_input_gets_a_clear_error_and_saves_nothing(world, role, change, status_code, field):
    body = {
        "enterprise": world.enterprise.pk,
        "category": "approval",
        "description": "施工许可证办理缓慢",
    }
    body.update({k: (world.lead_dept.pk if v == "lead" else v) for k, v in change.items()})
    response = client_for(world.user(role)).post(url(), body, format="json")
    assert response.status_code == status_code
    data = response.json()
    assert data["detail"] and data["code"]
    if field:
        assert field in data and data[field][0]
    assert not Issue.objects.exists()
    assert not IssueEvent.objects.exists()


def test_leader_instruction_by_api(world):
    response = client_for(world.leader).post(
        url(),
        {
            "enterprise": world.enterprise.pk,
            "category": "land",
            "description": "协调解决二期项目用地指标",
            "lead_department": world.lead_dept.pk,
            "co_departments": [world.other_dept.pk],
            "deadline": "2026-12-20",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["source"] == "leader_instruction" and body["status"] == "assigned"
    assert body["deadline_explicit"] and body["resolution_deadline"] == "2026-12-20T23:59:59+08:00"
    assert body["co_departments"] == [{"id": world.other_dept.pk, "name": world.other_dept.name}]


# --- Transitions --------------------------------------------------------------------------------


def test_the_whole_loop_over_the_api(world):
    issue = raise_issue(world)
    supervisor, handler, staff = (client_for(u) for u in (world.supervisor, world.handler, world.staff))
    body = supervisor.post(
        url(issue, "assign"), {"version": 1, "lead_department": world.lead_dept.pk}, format="json"
    ).json()
    assert body["status"] == "assigned" and body["version"] == 2
    body = handler.post(url(issue, "acknowledge"), {"version": 2}, format="json").json()
    assert body["status"] == "in_progress"
    body = handler.post(url(issue, "respond"), {"version": 3, "note": "已受理，正在办理"}, format="json").json()
    assert body["version"] == 4  # a reply advances the version too: a retried reply is a 409
    body = handler.post(
        url(issue, "resolve"), {"version": 4, "note": "已发证", "outcome": "solved"}, format="json"
    ).json()
    assert body["status"] == "resolved"
    body = staff.post(url(issue, "reopen"), {"version": 5, "note": "企业仍有疑问"}, format="json").json()
    assert body["status"] == "in_progress" and body["satisfaction"] == "unsatisfied"
    body = handler.post(
        url(issue, "resolve"), {"version": 6, "note": "已当面解释", "outcome": "solved"}, format="json"
    ).json()
    body = staff.post(url(issue, "confirm"), {"version": 7, "satisfaction": "satisfied"}, format="json").json()
    assert body["status"] == "closed" and body["satisfaction"] == "satisfied"
    actions = [e["action"] for e in staff.get(url(issue, "events")).json()]
    assert actions == ["raise", "assign", "acknowledge", "respond", "resolve", "reopen", "resolve", "confirm"]


def test_transition_errors(world):
    issue = issue_in_state(world, Status.ASSIGNED)
    handler = client_for(world.handler)
    # Out of order: resolving an issue not yet acknowledged.
    response = handler.post(url(issue, "resolve"), {"version": issue.version, "note": "x", "outcome": "solved"})
    assert response.status_code == 400 and response.json()["code"] == "invalid_transition"
    # Another department's issue: not visible to them at all.
    response = client_for(world.handler_other).post(url(issue, "acknowledge"), {"version": issue.version})
    assert response.status_code == 404
    # Visible but not theirs to act on.
    response = client_for(world.staff).post(url(issue, "acknowledge"), {"version": issue.version})
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    # Stale version.
    response = handler.post(url(issue, "acknowledge"), {"version": issue.version - 1})
    assert response.status_code == 409 and response.json()["code"] == "conflict"
    # Version is required.
    response = handler.post(url(issue, "acknowledge"), {})
    assert response.status_code == 400 and "version" in response.json()
    # A required note.
    response = handler.post(url(issue, "return"), {"version": issue.version, "note": ""})
    assert response.status_code == 400 and "note" in response.json()
    issue.refresh_from_db()
    assert issue.status == Status.ASSIGNED and issue.version == 2
    assert issue.events.count() == 2


def test_return_answers_even_when_the_issue_leaves_the_department(world):
    issue = issue_in_state(world, Status.ASSIGNED)
    response = client_for(world.handler).post(
        url(issue, "return"), {"version": issue.version, "note": "不属于本局职责"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "new" and response.json()["lead_department"] is None
    assert client_for(world.handler).get(url(issue)).status_code == 404


# --- Visits -------------------------------------------------------------------------------------


def test_visit_with_instructions_in_one_request(world):
    body = {
        "date": "2026-11-20",
        "leaders": [world.leader.official.pk],
        "location": "新沂经济开发区",
        "summary": "现场办公，研究中新钢铁二期项目推进",
        "attendees": "经开区、自然资源和规划局",
        "instructions": [
            {
                "enterprise": world.enterprise.pk,
                "project": world.project.pk,
                "category": "approval",
                "description": "加快二期项目审批",
                "lead_department": world.lead_dept.pk,
                "deadline": "2026-12-31",
            },
            {
                "enterprise": world.other_enterprise.pk,
                "category": "safety",
                "description": "压实安全生产责任",
                "lead_department": world.other_dept.pk,
            },
        ],
    }
    response = client_for(world.leader).post("/api/v1/visits/", body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["instruction_count"] == 2 and data["closed_off_count"] == 0
    assert [i["source"] for i in data["instructions"]] == ["site_visit", "site_visit"]
    assert [i["closed_off"] for i in data["instructions"]] == [False, False]
    visit = Visit.objects.get()
    # The handler of the lead department sees the visit with their instruction only.
    mine = client_for(world.handler).get(f"/api/v1/visits/{visit.pk}/").json()
    assert [i["description"] for i in mine["instructions"]] == ["加快二期项目审批"]
    ids = [i["id"] for i in client_for(world.handler).get(url() + f"?visit={visit.pk}").json()["results"]]
    assert len(ids) == 1


def test_visit_errors(world):
    base = {"date": "2026-11-20", "leaders": [world.leader.official.pk], "instructions": []}
    response = client_for(world.staff).post("/api/v1/visits/", base, format="json")
    assert response.status_code == 403
    bad = {
        **base,
        "instructions": [
            {
                "enterprise": world.enterprise.pk,
                "category": "land",
                "description": "",
                "lead_department": world.lead_dept.pk,
            }
        ],
    }
    response = client_for(world.leader).post("/api/v1/visits/", bad, format="json")
    assert response.status_code == 400 and "instructions" in response.json()
    response = client_for(world.leader).post("/api/v1/visits/", {**base, "date": "2026-12-30"}, format="json")
    assert response.status_code == 400 and "date" in response.json()
    assert not Visit.objects.exists() and not Issue.objects.exists()


# --- Time limits --------------------------------------------------------------------------------


def test_time_limit_rules_read_by_all_changed_by_supervisors(world):
    rules = client_for(world.staff).get("/api/v1/time-limit-rules/").json()
    assert len(rules) == 36
    rule = TimeLimitRule.objects.get(category="land", urgency="normal")
    path = f"/api/v1/time-limit-rules/{rule.pk}/"
    assert client_for(world.handler).patch(path, {"resolution_days": 30}, format="json").status_code == 403
    response = client_for(world.supervisor).patch(path, {"resolution_days": 30}, format="json")
    assert response.status_code == 200 and response.json()["resolution_days"] == 30
    response = client_for(world.supervisor).patch(path, {"response_days": 99}, format="json")
    assert response.status_code == 400
    assert client_for(world.supervisor).delete(path).status_code == 405


def test_time_limit_rules_are_not_read_without_a_role(world):
    rule = TimeLimitRule.objects.get(category="land", urgency="normal")
    client = client_for(UserFactory())
    assert client.get("/api/v1/time-limit-rules/").json() == []
    assert client.get(f"/api/v1/time-limit-rules/{rule.pk}/").status_code == 404


# --- Query counts ---------------------------------------------------------------------------------


def _many(world, n):
    dept = Department.objects.create(name=f"协办{n}")
    for i in range(n):
        issue = IssueFactory(
            enterprise=world.enterprise,
            project=world.project,
            raised_by=world.staff,
            lead_department=world.lead_dept,
            handler=world.handler.official,
            status=Status.ASSIGNED,
            blocks_milestone=world.milestone if i % 2 else None,
        )
        issue.co_departments.add(dept)


@pytest.mark.parametrize("path", ["", "queue/"])
def test_list_endpoints_constant_queries(world, django_assert_num_queries, path):
    client = client_for(world.handler)

    def count(n_expected):
        response = client.get(url() + path + "?page_size=100")
        assert response.status_code == 200
        assert response.json()["count"] == n_expected

    _many(world, 5)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        count(5)
    _many(world, 45)
    with CaptureQueriesContext(connection) as large:
        count(50)
    assert len(small.captured_queries) == len(large.captured_queries)
    assert len(large.captured_queries) <= 6
