"""Browser pages for issues and site visits: who sees what (200 / 404 / 403), the logging form,
the workflow actions with their refusals, the visit form and its printable sheet, the project page's
"held up by" section, and constant queries for the queue and the list (5 vs 50 issues)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from issues import services
from issues.models import Issue, IssueEvent, IssuePhoto, Outcome, Satisfaction, Source, Status, Visit
from issues.workflow import TRANSITIONS
from tests.factories import IssueFactory

from .conftest import NOW, issue_in_state, png_upload, raise_issue

pytestmark = pytest.mark.django_db

TODAY = NOW.date()
# Everyone who may read an issue of world.enterprise / world.project once it is assigned to lead_dept.
READERS = ["staff", "staff_team", "handler", "handler_colleague", "leader", "supervisor", "official"]
OUTSIDERS = ["staff_other", "handler_other"]


def login(client, user):
    client.force_login(user)
    return client


def detail_url(issue):
    return reverse("issues:detail", args=[issue.pk])


def action_url(issue, action):
    return reverse("issues:action", args=[issue.pk, action])


def act(client, issue, action, **fields):
    """POST one workflow action the way the page's form does (fields prefixed with the action)."""
    data = {f"{action}-version": issue.version}
    for key, value in fields.items():
        data[f"{action}-{key}"] = value
    return client.post(action_url(issue, action), data)


def offered(response) -> list[str]:
    return [form.action for form in response.context["action_forms"]]


def form_of(response, action):
    return next(f for f in response.context["action_forms"] if f.action == action)


def snapshot(issue) -> tuple:
    issue.refresh_from_db()
    return issue.status, issue.version, issue.events.count()


# --- The issue page: who sees it ------------------------------------------------------------------


@pytest.mark.parametrize("name", READERS)
def test_issue_page_renders_for_everyone_who_may_read_it(client, world, name):
    issue = issue_in_state(world, Status.ASSIGNED, photos=[png_upload()])
    response = login(client, world.user(name)).get(detail_url(issue))
    assert response.status_code == 200
    text = response.text
    assert issue.title in text
    assert issue.description in text
    assert world.lead_dept.name in text
    assert IssuePhoto.objects.get(issue=issue).url in text
    # The whole timeline: raised, then assigned.
    assert [e.action for e in response.context["timeline"]] == ["raise", "assign"]


@pytest.mark.parametrize("name", OUTSIDERS)
def test_issue_outside_the_users_scope_is_404_and_not_listed(client, world, name):
    issue = issue_in_state(world, Status.ASSIGNED)
    login(client, world.user(name))
    assert client.get(detail_url(issue)).status_code == 404
    assert issue.title not in client.get(reverse("issues:list")).text


def test_anonymous_user_is_sent_to_the_login_page(client, world):
    issue = raise_issue(world)
    for url in (detail_url(issue), reverse("issues:list"), reverse("issues:new"), reverse("visits:list")):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_issue_page_shows_deadlines_with_a_working_day_countdown(client, world, frozen):
    # Raised Friday 2026-11-27: routing limit 1 working day (Mon 11-30), response 3 (Wed 12-02).
    issue = issue_in_state(world, Status.ASSIGNED)
    response = login(client, world.handler).get(detail_url(issue))
    deadlines = {d.key: d for d in response.context["deadlines"]}
    assert deadlines["assign"].met
    assert deadlines["response"].is_current
    assert deadlines["response"].days == 3
    assert not deadlines["response"].overdue

    # Tuesday 12-08: the response deadline (Wed 12-02) passed four working days ago. (A new
    # sign-in: the session of 11-27 has long expired, SESSION_IDLE_MINUTES.)
    frozen.move_to(datetime.datetime(2026, 12, 8, 9, 0, tzinfo=NOW.tzinfo))
    response = login(client, world.handler).get(detail_url(issue))
    response_deadline = {d.key: d for d in response.context["deadlines"]}["response"]
    assert response_deadline.overdue
    assert response_deadline.days == 4
    assert response.context["issue"].is_overdue


def test_a_deadline_in_a_year_without_holiday_data_is_marked_provisional(client, world, frozen):
    # 22 working days after 2026-12-15 fall in January 2027, a year the calendar does not know yet.
    frozen.move_to(datetime.datetime(2026, 12, 15, 10, 0, tzinfo=NOW.tzinfo))
    issue = issue_in_state(world, Status.ASSIGNED, category="land")
    assert issue.deadline_provisional
    assert issue.resolution_deadline.year == 2027
    response = login(client, world.handler).get(detail_url(issue))
    assert "badge--warning" in response.text
    assert response.context["deadlines"][2].days is not None


# --- Logging an issue -------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "status"), [("staff", 200), ("official", 200), ("leader", 200), ("handler", 403)])
def test_logging_form_is_for_the_roles_that_raise_issues(client, world, name, status):
    response = login(client, world.user(name)).get(reverse("issues:new"))
    assert response.status_code == status
    if status == 200:
        assert 'capture="environment"' in response.text
        assert 'accept="image/*"' in response.text


def test_staff_sees_only_their_enterprises_first_and_no_instruction_fields(client, world):
    response = login(client, world.staff).get(reverse("issues:new"))
    assert [e.name for e in response.context["preferred"]] == [world.enterprise.name]
    assert "lead_department" not in response.context["form"].fields
    leader_form = login(client, world.leader).get(reverse("issues:new")).context["form"]
    assert "lead_department" in leader_form.fields
    assert "deadline" in leader_form.fields


def issue_data(world, **overrides):
    data = {
        "enterprise": world.enterprise.pk,
        "project": world.project.pk,
        "category": "electricity",
        "urgency": "urgent",
        "title": "",
        "description": "二期余热发电机组并网需要供电公司配合\n请尽快安排",
    }
    data.update(overrides)
    return data


def test_staff_logs_an_issue_with_photos(client, world):
    login(client, world.staff)
    data = issue_data(world, photos=[png_upload("a.png"), png_upload("b.png")])
    response = client.post(reverse("issues:new"), data)
    issue = Issue.objects.get()
    assert response.status_code == 302
    assert response.url == detail_url(issue)
    assert issue.status == Status.NEW
    assert issue.source == Source.SERVICE_TEAM
    assert issue.urgency == "urgent"
    assert issue.title == "二期余热发电机组并网需要供电公司配合"
    assert issue.raised_by == world.staff
    assert issue.photos.count() == 2
    assert list(issue.events.values_list("action", flat=True)) == ["raise"]
    page = client.get(response.url)
    assert f"#{issue.pk}" in page.text
    assert len(page.context["photos"]) == 2


def test_leader_logs_an_instruction_with_lead_department_and_deadline(client, world):
    login(client, world.leader)
    data = issue_data(
        world, lead_department=world.lead_dept.pk, co_departments=[world.other_dept.pk], deadline="2026-12-10"
    )
    response = client.post(reverse("issues:new"), data)
    assert response.status_code == 302
    issue = Issue.objects.get()
    assert issue.status == Status.ASSIGNED
    assert issue.source == Source.LEADER_INSTRUCTION
    assert issue.deadline_explicit
    assert list(issue.co_departments.all()) == [world.other_dept]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"enterprise": "999999"}, "enterprise"),
        ({"enterprise": ""}, "enterprise"),
        ({"description": "   "}, "description"),
        ({"category": ""}, "category"),
        ({"photos": [png_upload("x.png")], "project": "999999"}, "project"),
    ],
)
def test_bad_input_shows_the_error_on_the_field_and_saves_nothing(client, world, overrides, field):
    login(client, world.staff)
    response = client.post(reverse("issues:new"), issue_data(world, **overrides))
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors[field]
    assert str(form.errors[field][0]) in response.text
    assert Issue.objects.count() == 0
    assert IssuePhoto.objects.count() == 0
    if "photos" in overrides:
        # The photos are kept for the resubmission; the form says so.
        assert "已选文件：x.png（保留）" in response.text


def test_staff_cannot_log_for_an_enterprise_their_team_does_not_serve(client, world):
    login(client, world.staff)
    response = client.post(reverse("issues:new"), issue_data(world, enterprise=world.other_enterprise.pk, project=""))
    assert response.status_code == 400
    assert response.context["form"].errors["enterprise"]
    # The enterprise stays selected in the list, so the user sees what they picked.
    assert response.context["selected_enterprise"] == world.other_enterprise
    assert Issue.objects.count() == 0


def test_a_project_of_another_enterprise_is_refused_by_the_service(client, world):
    other_project = world.project.__class__.objects.create(
        code="X-1",
        name="另一企业的项目",
        enterprise=world.other_enterprise,
        park=world.park,
        total_investment=1,
    )
    login(client, world.leader)
    response = client.post(reverse("issues:new"), issue_data(world, project=other_project.pk))
    assert response.status_code == 400
    assert response.context["form"].errors["project"]
    assert Issue.objects.count() == 0


def test_an_explicit_deadline_in_the_past_is_refused(client, world):
    login(client, world.leader)
    data = issue_data(
        world, lead_department=world.lead_dept.pk, deadline=(TODAY - datetime.timedelta(days=1)).isoformat()
    )
    response = client.post(reverse("issues:new"), data)
    assert response.status_code == 400
    assert response.context["form"].errors["deadline"]
    assert Issue.objects.count() == 0


def test_a_non_image_photo_is_refused(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    login(client, world.staff)
    fake = SimpleUploadedFile("photo.png", b"not an image", content_type="image/png")
    response = client.post(reverse("issues:new"), issue_data(world, photos=[fake]))
    assert response.status_code == 400
    assert response.context["form"].errors["photos"]
    assert Issue.objects.count() == 0


def test_enterprise_suggestions_match_pinyin_initials_within_what_the_user_may_log_for(client, world):
    login(client, world.staff)
    response = client.get(reverse("issues:enterprise_suggest"), {"q": "zxgt"})
    assert response.status_code == 200
    assert [e.pk for e in response.context["enterprises"]] == [world.enterprise.pk]
    assert f'data-pick-enterprise="{world.enterprise.pk}"' in response.text
    # Another team's enterprise is not offered to this member, by name or initials.
    assert not client.get(reverse("issues:enterprise_suggest"), {"q": "米尔"}).context["enterprises"]
    # A leader may log for any enterprise.
    login(client, world.leader)
    found = client.get(reverse("issues:enterprise_suggest"), {"q": "mehg"}).context["enterprises"]
    assert [e.pk for e in found] == [world.other_enterprise.pk]
    assert client.get(reverse("issues:enterprise_suggest"), {"q": ""}).context["enterprises"] == []


# --- The workflow in the browser ------------------------------------------------------------------------


def test_each_role_is_offered_only_the_actions_the_workflow_allows(client, world):
    issue = issue_in_state(world, Status.ASSIGNED)
    assert offered(login(client, world.handler).get(detail_url(issue))) == ["acknowledge", "return", "comment"]
    assert offered(login(client, world.supervisor).get(detail_url(issue))) == [
        "reassign",
        "escalate",
        "remind",
        "comment",
    ]
    assert offered(login(client, world.staff).get(detail_url(issue))) == ["comment"]
    assert offered(login(client, world.leader).get(detail_url(issue))) == ["escalate", "comment"]

    resolved = issue_in_state(world, Status.RESOLVED)
    # The raiser confirms with a rating; "reopen" is the same form with 不满意.
    assert offered(login(client, world.staff).get(detail_url(resolved))) == ["confirm", "comment"]
    assert offered(login(client, world.handler).get(detail_url(resolved))) == ["comment"]


def test_supervisor_assigns_then_handler_acknowledges_responds_and_resolves(client, world):
    issue = raise_issue(world)
    login(client, world.supervisor)
    response = act(client, issue, "assign", lead_department=world.lead_dept.pk, handler=world.handler.official.pk)
    assert response.status_code == 302
    issue.refresh_from_db()
    assert (issue.status, issue.lead_department, issue.handler) == (
        Status.ASSIGNED,
        world.lead_dept,
        world.handler.official,
    )

    login(client, world.handler)
    assert act(client, issue, "acknowledge", note="已收到，正在对接").status_code == 302
    issue.refresh_from_db()
    assert issue.status == Status.IN_PROGRESS
    assert act(client, issue, "respond", note="已约企业现场踏勘").status_code == 302
    issue.refresh_from_db()
    response = act(client, issue, "resolve", note="已完成并网验收", outcome=Outcome.SOLVED)
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.status == Status.RESOLVED
    assert issue.resolution == "已完成并网验收"
    page = client.get(detail_url(issue))
    assert [e.action for e in page.context["timeline"]] == ["raise", "assign", "acknowledge", "respond", "resolve"]
    assert "已完成并网验收" in page.text


def test_department_may_close_as_unsolvable_with_an_explanation(client, world):
    issue = issue_in_state(world, Status.IN_PROGRESS)
    login(client, world.handler)
    response = act(client, issue, "resolve", note="", outcome=Outcome.UNSOLVABLE)
    assert response.status_code == 400
    assert form_of(response, "resolve").errors["note"]
    assert snapshot(issue)[0] == Status.IN_PROGRESS
    assert (
        act(client, issue, "resolve", note="用地指标今年已用完，列入明年计划", outcome=Outcome.UNSOLVABLE).status_code
        == 302
    )
    issue.refresh_from_db()
    assert (issue.status, issue.outcome) == (Status.RESOLVED, Outcome.UNSOLVABLE)


def test_resolve_without_an_outcome_is_a_field_error(client, world):
    issue = issue_in_state(world, Status.IN_PROGRESS)
    before = snapshot(issue)
    response = act(login(client, world.handler), issue, "resolve", note="办完了")
    assert response.status_code == 400
    resolve_form = next(f for f in response.context["action_forms"] if f.action == "resolve")
    assert resolve_form.errors["outcome"]
    assert snapshot(issue) == before


def test_return_needs_a_reason(client, world):
    issue = issue_in_state(world, Status.ASSIGNED)
    before = snapshot(issue)
    login(client, world.handler)
    response = act(client, issue, "return", note="  ")
    assert response.status_code == 400
    form = next(f for f in response.context["action_forms"] if f.action == "return")
    assert form.errors["note"]
    assert snapshot(issue) == before
    assert act(client, issue, "return", note="属供电公司职责").status_code == 302
    issue.refresh_from_db()
    assert (issue.status, issue.lead_department) == (Status.NEW, None)


def test_raiser_confirms_unsatisfied_and_the_issue_reopens(client, world):
    issue = issue_in_state(world, Status.RESOLVED)
    login(client, world.staff)
    # 不满意 needs to say what is still wrong.
    response = act(client, issue, "confirm", satisfaction=Satisfaction.UNSATISFIED, note="")
    assert response.status_code == 400
    assert snapshot(issue)[0] == Status.RESOLVED
    response = act(client, issue, "confirm", satisfaction=Satisfaction.UNSATISFIED, note="许可证仍未拿到")
    assert response.status_code == 302
    issue.refresh_from_db()
    assert (issue.status, issue.satisfaction, issue.reopened_count) == (
        Status.IN_PROGRESS,
        Satisfaction.UNSATISFIED,
        1,
    )
    assert issue.events.last().action == "reopen"
    reopened = client.get(detail_url(issue)).context["timeline"][-1]
    assert reopened.label == TRANSITIONS["reopen"].label
    # A fresh resolution limit counted from today.
    due = timezone.localtime(issue.resolution_deadline).date()
    assert any(f"{due.year}年{due.month}月{due.day}日" in detail for detail in reopened.details)


def test_raiser_confirms_satisfied_and_the_issue_closes(client, world):
    issue = issue_in_state(world, Status.RESOLVED)
    response = act(login(client, world.staff), issue, "confirm", satisfaction=Satisfaction.BASICALLY)
    assert response.status_code == 302
    issue.refresh_from_db()
    assert (issue.status, issue.satisfaction) == (Status.CLOSED, Satisfaction.BASICALLY)


def test_an_action_out_of_order_is_refused_with_the_services_message(client, world):
    issue = issue_in_state(world, Status.ASSIGNED)
    before = snapshot(issue)
    # Resolve before acknowledging: not offered on the page; posted anyway.
    response = act(login(client, world.handler), issue, "resolve", note="办完了", outcome=Outcome.SOLVED)
    assert response.status_code == 400
    message = response.context["action_error"]
    assert message
    assert message in response.text
    assert snapshot(issue) == before


def test_an_action_the_user_may_not_fire_is_403_with_the_message(client, world):
    issue = issue_in_state(world, Status.ASSIGNED)
    before = snapshot(issue)
    response = act(login(client, world.staff), issue, "acknowledge")
    assert response.status_code == 403
    assert response.context["action_error"] in response.text
    assert snapshot(issue) == before


def test_another_departments_issue(client, world):
    issue = issue_in_state(world, Status.ASSIGNED)
    before = snapshot(issue)
    # Not co-handling: the issue does not exist for them.
    assert act(login(client, world.handler_other), issue, "acknowledge").status_code == 404
    assert snapshot(issue) == before
    # Co-handling: they see it, but only the lead department acknowledges.
    issue.co_departments.add(world.other_dept)
    response = act(client, issue, "acknowledge")
    assert response.status_code == 403
    assert response.context["action_error"] in response.text
    assert snapshot(issue) == before


def test_a_stale_page_gets_the_conflict_message(client, world):
    issue = issue_in_state(world, Status.IN_PROGRESS)
    stale_version = issue.version
    services.issue_transition(issue=issue, action="reassign", by=world.supervisor, lead_department=world.lead_dept)
    before = snapshot(issue)
    login(client, world.handler)
    response = client.post(
        action_url(issue, "resolve"),
        {"resolve-version": stale_version, "resolve-note": "已办结", "resolve-outcome": Outcome.SOLVED},
    )
    assert response.status_code == 409
    assert response.context["action_error"] in response.text
    assert response.context["action_error_reload"]
    assert snapshot(issue) == before


def test_two_handlers_on_the_same_page_only_the_first_wins(client, world):
    issue = issue_in_state(world, Status.IN_PROGRESS)
    version = issue.version
    data = {"resolve-version": version, "resolve-note": "已办结", "resolve-outcome": Outcome.SOLVED}
    assert login(client, world.handler).post(action_url(issue, "resolve"), data).status_code == 302
    second = login(client, world.handler_colleague).post(action_url(issue, "resolve"), data)
    assert second.status_code == 409
    assert issue.events.filter(action="resolve").count() == 1


def test_unknown_action_is_404(client, world):
    issue = issue_in_state(world, Status.ASSIGNED)
    login(client, world.handler)
    assert client.post(action_url(issue, "delete")).status_code == 404
    # "reopen" is fired through the confirmation form, never on its own URL.
    assert client.post(action_url(issue, "reopen")).status_code == 404


def test_supervisor_escalates_and_comments(client, world):
    issue = issue_in_state(world, Status.ASSIGNED)
    login(client, world.supervisor)
    assert act(client, issue, "escalate", note="超期未回音，督办").status_code == 302
    issue.refresh_from_db()
    assert act(client, issue, "comment", note="请本周内反馈").status_code == 302
    issue.refresh_from_db()
    assert issue.escalated
    assert list(issue.events.values_list("action", flat=True))[-2:] == ["escalate", "comment"]


def test_timeline_labels_follow_the_users_language(client, world):
    issue = issue_in_state(world, Status.ASSIGNED)
    login(client, world.supervisor)
    labels = [e.label for e in client.get(detail_url(issue)).context["timeline"]]
    assert labels[:2] == ["登记", "交办"]
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    labels = [e.label for e in client.get(detail_url(issue)).context["timeline"]]
    assert labels[:2] == ["Logged", "Assign"]


# --- Queue and list ---------------------------------------------------------------------------------------


def test_handler_queue_puts_overdue_first_and_offers_acknowledge(client, world, frozen):
    early = issue_in_state(world, Status.ASSIGNED, description="早到期的问题")
    frozen.move_to(datetime.datetime(2026, 12, 3, 9, 0, tzinfo=NOW.tzinfo))
    later = issue_in_state(world, Status.ASSIGNED, description="晚到期的问题")
    elsewhere = issue_in_state(world, Status.NEW)
    response = login(client, world.handler).get(reverse("issues:queue"))
    assert response.status_code == 200
    rows = response.context["issues"]
    assert [i.pk for i in rows] == [early.pk, later.pk]
    assert rows[0].is_overdue and not rows[1].is_overdue
    assert rows[0].quick_action == "acknowledge"
    assert action_url(early, "acknowledge") in response.text
    assert elsewhere.title not in response.text


def test_queue_per_role(client, world):
    new = raise_issue(world)
    resolved = issue_in_state(world, Status.RESOLVED, description="已办结待确认")
    assert [i.pk for i in login(client, world.supervisor).get(reverse("issues:queue")).context["issues"]] == [new.pk]
    assert [i.pk for i in login(client, world.staff).get(reverse("issues:queue")).context["issues"]] == [resolved.pk]
    assert list(login(client, world.leader).get(reverse("issues:queue")).context["issues"]) == []


@pytest.mark.parametrize(("name", "target"), [("handler", "issues:queue"), ("leader", "issues:list")])
def test_the_issues_menu_opens_the_queue_for_roles_that_have_one(client, world, name, target):
    response = login(client, world.user(name)).get(reverse("issues:home"))
    assert response.status_code == 302
    assert response.url == reverse(target)


def test_list_filters(client, world, frozen):
    assigned = issue_in_state(world, Status.ASSIGNED, description="用地问题", category="land")
    new = raise_issue(world, description="用电问题", category="electricity")
    other_park = raise_issue(
        world, by=world.leader, enterprise=world.other_enterprise, project=None, description="米尔化工"
    )
    visit = services.visit_create(
        by=world.leader,
        date=TODAY,
        leaders=[world.leader.official],
        instructions=[
            {
                "enterprise": world.enterprise,
                "category": "safety",
                "description": "抓好安全生产",
                "lead_department": world.other_dept,
            }
        ],
    )
    instruction = visit.instructions.get()
    frozen.move_to(datetime.datetime(2026, 12, 10, 9, 0, tzinfo=NOW.tzinfo))
    fresh = raise_issue(world, description="今天刚登记的问题", category="other")
    login(client, world.supervisor)

    def listed(**params):
        response = client.get(reverse("issues:list"), params)
        assert response.status_code == 200
        return {i.pk for i in response.context["issues"]}

    everything = {assigned.pk, new.pk, other_park.pk, instruction.pk, fresh.pk}
    assert listed() == everything
    assert listed(status="assigned") == {assigned.pk, instruction.pk}
    assert listed(status="new") == {new.pk, other_park.pk, fresh.pk}
    assert listed(status="open") == everything
    assert listed(department=world.lead_dept.pk) == {assigned.pk}
    assert listed(park=world.other_enterprise.park.pk) == {other_park.pk}
    assert listed(category="land") == {assigned.pk}
    assert listed(source=Source.SITE_VISIT) == {instruction.pk}
    assert listed(source=Source.LEADER_INSTRUCTION) == set()
    assert listed(visit=visit.pk) == {instruction.pk}
    assert listed(overdue="on") == everything - {fresh.pk}
    assert listed(q="zxgt") == everything - {other_park.pk}
    assert listed(q="zxgt", status="new", category="other") == {fresh.pk}
    assert listed(raised_from="2026-12-10") == {fresh.pk}
    assert listed(raised_to="2026-11-27") == everything - {fresh.pk}
    # The dashboards' drill-down links use the API filter's names.
    assert listed(open="true", department=world.lead_dept.pk) == {assigned.pk}
    assert listed(overdue="true", status="new") == {new.pk, other_park.pk}
    # Unknown values are ignored, never an error page.
    assert listed(department="abc", status="nonsense") == everything


def test_list_is_paginated(client, world):
    for _ in range(55):
        IssueFactory(enterprise=world.enterprise, raised_by=world.staff)
    login(client, world.supervisor)
    first = client.get(reverse("issues:list"))
    assert len(first.context["issues"]) == 50
    assert first.context["page"].paginator.count == 55
    second = client.get(reverse("issues:list"), {"page": 2, "status": "new"})
    assert len(second.context["issues"]) == 5
    # The page links keep the filters.
    assert "status=new" in second.text


def make_issues(world, n):
    for i in range(n):
        issue = IssueFactory(
            enterprise=world.enterprise,
            project=world.project,
            raised_by=world.staff,
            status=Status.ASSIGNED,
            lead_department=world.lead_dept,
            handler=world.handler.official,
        )
        if i % 2:
            issue.co_departments.add(world.other_dept)
            IssuePhoto.objects.create(issue=issue, image=png_upload())


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(("name", "url_name"), [("handler", "issues:queue"), ("supervisor", "issues:list")])
def test_queue_and_list_run_a_constant_number_of_queries(client, world, name, url_name):
    login(client, world.user(name))
    url = reverse(url_name)
    make_issues(world, 5)
    count_queries(client, url)  # warm up: the session, the translation catalogue
    five = count_queries(client, url)
    make_issues(world, 45)
    assert len(client.get(url).context["issues"]) == 50
    assert count_queries(client, url) == five


# --- Site visits -------------------------------------------------------------------------------------------


def visit_data(world, rows, **overrides):
    data = {
        "date": TODAY.isoformat(),
        "location": "新沂经济开发区",
        "leaders": [world.leader.official.pk],
        "attendees": "经开区管委会、自然资源和规划局、生态环境局",
        "enterprises": [world.enterprise.pk],
        "projects": [world.project.pk],
        "summary": "市委书记现场调研中新钢铁二期项目，要求加快建设进度。",
        "instructions-TOTAL_FORMS": str(len(rows)),
        "instructions-INITIAL_FORMS": "0",
        "instructions-MIN_NUM_FORMS": "0",
        "instructions-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"instructions-{i}-{key}"] = value
    data.update(overrides)
    return data


def instruction_row(world, **overrides):
    row = {
        "description": "加快二期项目施工许可办理",
        "enterprise": world.enterprise.pk,
        "project": world.project.pk,
        "category": "approval",
        "lead_department": world.lead_dept.pk,
        "deadline": "",
    }
    row.update(overrides)
    return row


@pytest.mark.parametrize(("name", "status"), [("leader", 200), ("supervisor", 200), ("staff", 403), ("handler", 403)])
def test_visit_form_is_for_leaders_and_the_supervision_office(client, world, name, status):
    assert login(client, world.user(name)).get(reverse("visits:new")).status_code == status


def test_leader_records_a_visit_with_instructions(client, world):
    login(client, world.leader)
    rows = [
        instruction_row(world),
        instruction_row(
            world,
            description="做好安全生产工作",
            category="safety",
            lead_department=world.other_dept.pk,
            project="",
            deadline="2026-12-18",
        ),
        # A blank row is left out.
        {"description": "", "enterprise": "", "project": "", "category": "", "lead_department": "", "deadline": ""},
    ]
    response = client.post(reverse("visits:new"), visit_data(world, rows))
    visit = Visit.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("visits:detail", args=[visit.pk])
    instructions = list(visit.instructions.order_by("pk"))
    assert [i.lead_department for i in instructions] == [world.lead_dept, world.other_dept]
    assert all(i.source == Source.SITE_VISIT and i.status == Status.ASSIGNED for i in instructions)
    assert instructions[1].deadline_explicit

    page = client.get(response.url)
    assert page.status_code == 200
    assert page.context["closed_off"] == 0
    assert "加快二期项目施工许可办理" in page.text

    sheet = client.get(reverse("visits:sheet", args=[visit.pk]))
    assert sheet.status_code == 200
    for text in (world.lead_dept.name, world.other_dept.name, "2026年12月18日", "市委书记现场调研", "data-print"):
        assert text in sheet.text


def test_visit_page_shows_which_instructions_are_closed_off(client, world):
    login(client, world.leader)
    client.post(reverse("visits:new"), visit_data(world, [instruction_row(world), instruction_row(world)]))
    visit = Visit.objects.get()
    first = visit.instructions.order_by("pk").first()
    services.issue_transition(issue=first, action="acknowledge", by=world.handler)
    first.refresh_from_db()
    services.issue_transition(issue=first, action="resolve", by=world.handler, note="已办结", outcome=Outcome.SOLVED)
    first.refresh_from_db()
    services.issue_transition(issue=first, action="confirm", by=world.supervisor, satisfaction=Satisfaction.SATISFIED)
    page = client.get(reverse("visits:detail", args=[visit.pk]))
    assert page.context["closed_off"] == 1
    assert [i.closed_off for i in page.context["instructions"]] == [True, False]
    assert "1 / 2" in page.text


def test_a_past_deadline_in_an_instruction_is_shown_on_its_row_and_nothing_is_saved(client, world):
    login(client, world.leader)
    rows = [instruction_row(world), instruction_row(world, deadline=(TODAY - datetime.timedelta(days=3)).isoformat())]
    response = client.post(reverse("visits:new"), visit_data(world, rows))
    assert response.status_code == 400
    second = response.context["formset"].forms[1]
    assert second.errors["deadline"]
    assert str(second.errors["deadline"][0]) in response.text
    assert Visit.objects.count() == 0
    assert Issue.objects.count() == 0


def test_visit_form_errors_on_the_visit_and_unknown_enterprise_in_a_row(client, world):
    login(client, world.leader)
    rows = [instruction_row(world, enterprise="999999")]
    response = client.post(reverse("visits:new"), visit_data(world, rows, leaders=[], date="2030-01-01"))
    assert response.status_code == 400
    assert response.context["form"].errors["leaders"]
    assert response.context["formset"].forms[0].errors["enterprise"]
    assert Visit.objects.count() == 0
    # A future date is refused by the service.
    response = client.post(reverse("visits:new"), visit_data(world, [instruction_row(world)], date="2030-01-01"))
    assert response.status_code == 400
    assert response.context["form"].errors["date"]
    assert Visit.objects.count() == 0


def test_add_row_without_javascript_adds_a_blank_row_and_saves_nothing(client, world):
    login(client, world.leader)
    data = visit_data(world, [instruction_row(world)], add_row="1")
    response = client.post(reverse("visits:new"), data)
    assert response.status_code == 200
    formset = response.context["formset"]
    assert formset.total_form_count() == 2
    assert 'value="加快二期项目施工许可办理"' in response.text or "加快二期项目施工许可办理" in response.text
    assert Visit.objects.count() == 0


def test_visit_pages_per_role(client, world):
    visit = services.visit_create(
        by=world.leader,
        date=TODAY,
        leaders=[world.leader.official],
        instructions=[
            {
                "enterprise": world.enterprise,
                "category": "land",
                "description": "用地报批",
                "lead_department": world.lead_dept,
            },
            {
                "enterprise": world.enterprise,
                "category": "safety",
                "description": "安全生产",
                "lead_department": world.other_dept,
            },
        ],
    )
    for name in ("leader", "supervisor"):
        login(client, world.user(name))
        assert len(client.get(reverse("visits:detail", args=[visit.pk])).context["instructions"]) == 2
        assert client.get(reverse("visits:list")).status_code == 200
    # A handler sees the visit through their department's instruction, and only that one.
    login(client, world.handler)
    page = client.get(reverse("visits:detail", args=[visit.pk]))
    assert [i.description for i in page.context["instructions"]] == ["用地报批"]
    assert "安全生产" not in client.get(reverse("visits:sheet", args=[visit.pk])).text
    # Staff of another team see nothing of it.
    login(client, world.staff_other)
    assert client.get(reverse("visits:detail", args=[visit.pk])).status_code == 404
    assert client.get(reverse("visits:sheet", args=[visit.pk])).status_code == 404
    assert list(client.get(reverse("visits:list")).context["visits"]) == []


# --- The project page: held up by issues -------------------------------------------------------------


def test_project_page_shows_the_open_issues_holding_up_its_milestones(client, world):
    url = reverse("projects:detail", args=[world.project.pk])
    solved = issue_in_state(world, Status.CLOSED, blocks_milestone=world.milestone, description="已解决的许可问题")
    assert 'id="blocking-issues"' not in login(client, world.official).get(url).text

    stuck = raise_issue(world, blocks_milestone=world.milestone, description="施工许可证未办理")
    page = client.get(url)
    assert page.status_code == 200
    assert 'id="blocking-issues"' in page.text
    assert detail_url(stuck) in page.text
    assert detail_url(solved) not in page.text
    # Under the milestone itself too, and first in the page's list of open issues.
    assert page.text.count(detail_url(stuck)) == 3
    assert 'id="issues"' in page.text


def test_a_refused_action_leaves_no_event(client, world):
    issue = issue_in_state(world, Status.ASSIGNED)
    count = IssueEvent.objects.count()
    login(client, world.handler)
    assert act(client, issue, "confirm", satisfaction=Satisfaction.SATISFIED).status_code == 400
    assert act(client, issue, "assign", lead_department=world.other_dept.pk).status_code == 400
    assert IssueEvent.objects.count() == count
