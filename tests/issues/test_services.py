"""Raising issues, deadlines by working days, recomputation, site visits, time limits."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from core.calendar import end_of_day
from core.errors import ApplicationError, PermissionDenied
from core.models import AuditEntry, Holiday
from issues import services
from issues.models import Issue, IssueEvent, IssuePhoto, Source, Status, TimeLimitRule, Visit
from tests.factories import EnterpriseFactory, MilestoneFactory, ProjectFactory
from tests.issues.conftest import SHANGHAI, build_world, issue_in_state, noisy_png, png_upload, raise_issue

D = datetime.date


def _nothing_saved(before_issues: int) -> None:
    assert Issue.objects.count() == before_issues
    assert not IssuePhoto.objects.exists()
    assert not IssueEvent.objects.exists()


# --- Raising ------------------------------------------------------------------------------------


def test_raise_by_staff_sets_limits_deadlines_event_and_audit(world):
    issue = raise_issue(world, photos=[png_upload(), png_upload("b.png")], urgency="normal")
    assert issue.status == Status.NEW and issue.source == Source.SERVICE_TEAM
    assert issue.title == "二期项目施工许可证办理缓慢，影响开工节点"
    # Raised Friday 27 November 2026: routed by Monday, answered by Wednesday,
    # approval is a complex category (22 working days) → Tuesday 29 December.
    assert (issue.assign_days, issue.response_days, issue.resolution_days) == (1, 3, 22)
    assert issue.assign_deadline == end_of_day(D(2026, 11, 30))
    assert issue.response_deadline == end_of_day(D(2026, 12, 2))
    assert issue.resolution_deadline == end_of_day(D(2026, 12, 29))
    assert issue.deadline_provisional is False
    assert issue.photos.count() == 2
    event = issue.events.get()
    assert (event.action, event.from_status, event.to_status, event.actor) == ("raise", "", "new", world.staff)
    assert AuditEntry.objects.filter(action="issue.create", object_id=str(issue.pk)).exists()


def test_time_limit_table_is_read_and_urgency_shortens(world):
    issue = raise_issue(world, category="electricity", urgency="urgent")
    assert (issue.response_days, issue.resolution_days) == (1, 3)
    assert issue.resolution_deadline == end_of_day(D(2026, 12, 2))
    TimeLimitRule.objects.filter(category="electricity", urgency="urgent").update(resolution_days=5)
    assert raise_issue(world, category="electricity", urgency="urgent").resolution_days == 5


def test_deadline_that_crosses_into_2027_is_provisional_then_recomputed(world):
    with time_machine.travel(datetime.datetime(2026, 12, 28, 9, tzinfo=SHANGHAI), tick=False):
        issue = raise_issue(world, category="electricity")  # ordinary: 7 working days
        assert issue.resolution_deadline == end_of_day(D(2027, 1, 6))  # weekends only
        assert issue.response_deadline == end_of_day(D(2026, 12, 31))
        assert issue.deadline_provisional is True
        closed = issue_in_state(world, Status.CLOSED, category="electricity")
        explicit = raise_issue(world, by=world.leader, category="electricity", deadline=D(2027, 1, 8))

        # A 2027 schedule is entered (hypothetical, for the test): 1 January off, Sunday 3 January
        # a make-up working day.
        Holiday.objects.create(date=D(2027, 1, 1), kind=Holiday.Kind.HOLIDAY, name="元旦")
        Holiday.objects.create(date=D(2027, 1, 3), kind=Holiday.Kind.MAKEUP_WORKDAY, name="元旦")
        changed = services.issue_deadlines_recompute(year=2027, by=world.supervisor)

    issue.refresh_from_db()
    # 29, 30, 31 Dec, (1 Jan off), 3 Jan (make-up Sunday), 4, 5, 6 → still the 6th but no longer provisional.
    assert issue.resolution_deadline == end_of_day(D(2027, 1, 6))
    assert issue.deadline_provisional is False
    event = issue.events.get(action="deadlines_recomputed")
    assert event.data["year"] == 2027 and event.actor == world.supervisor
    # Confirmed issues whose deadline was provisional are corrected too (measures read them).
    closed.refresh_from_db()
    assert closed.deadline_provisional is False
    explicit.refresh_from_db()
    assert explicit.resolution_deadline == end_of_day(D(2027, 1, 8))  # a leader's date stays
    assert changed == 2  # the explicit one kept its date and had nothing provisional


def test_recompute_moves_the_date_when_the_new_year_adds_days_off(world):
    with time_machine.travel(datetime.datetime(2026, 12, 28, 9, tzinfo=SHANGHAI), tick=False):
        issue = raise_issue(world, category="electricity")
        for day in (1, 4):
            Holiday.objects.create(date=D(2027, 1, day), kind=Holiday.Kind.HOLIDAY, name="元旦")
        services.issue_deadlines_recompute(year=2027)
    issue.refresh_from_db()
    assert issue.resolution_deadline == end_of_day(D(2027, 1, 8))
    assert not issue.deadline_provisional
    # Running again changes nothing and writes no second event.
    assert services.issue_deadlines_recompute(year=2027) == 0
    assert issue.events.filter(action="deadlines_recomputed").count() == 1


def test_holiday_change_and_seed_holidays_command_recompute(world, capsys):
    from django.core.management import call_command

    issue = raise_issue(world)
    assert issue.response_deadline == end_of_day(D(2026, 12, 2))
    # A supervisor declares Tuesday 1 December a day off: the response deadline moves a day.
    Holiday.objects.create(date=D(2026, 12, 1), kind=Holiday.Kind.HOLIDAY, name="停工")
    assert services.issue_deadlines_recompute(year=2026) == 1
    issue.refresh_from_db()
    assert issue.response_deadline == end_of_day(D(2026, 12, 3))

    # The row is removed (without recomputing), and a library row of 2026 is lost; the command
    # restores the library row, and recomputing 2026 puts the deadline back.
    Holiday.objects.filter(date=D(2026, 12, 1)).delete()
    Holiday.objects.filter(date=D(2026, 10, 1)).delete()
    call_command("seed_holidays")
    out = capsys.readouterr().out
    assert "2026" in out and "2027" in out  # changed year, and the warning about 2027
    issue.refresh_from_db()
    assert issue.response_deadline == end_of_day(D(2026, 12, 2))
    assert Holiday.objects.filter(date=D(2026, 10, 1), kind="holiday").exists()


def test_leader_instruction_with_explicit_deadline_is_created_assigned(world):
    issue = raise_issue(
        world,
        by=world.leader,
        lead_department=world.lead_dept,
        co_departments=[world.other_dept, world.lead_dept],
        deadline=D(2026, 12, 10),
    )
    assert issue.source == Source.LEADER_INSTRUCTION
    assert issue.status == Status.ASSIGNED and issue.lead_department == world.lead_dept
    assert list(issue.co_departments.all()) == [world.other_dept]
    assert issue.deadline_explicit and issue.resolution_days is None
    assert issue.resolution_deadline == end_of_day(D(2026, 12, 10))
    assert list(issue.events.values_list("action", flat=True)) == ["raise", "assign"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"enterprise": None}, "enterprise"),
        ({"description": "   "}, "description"),
        ({"category": "weather"}, "category"),
        ({"urgency": "asap"}, "urgency"),
        ({"by": "leader", "deadline": D(2026, 11, 27)}, "deadline"),  # today is not in the future
        ({"by": "leader", "deadline": D(2026, 11, 1)}, "deadline"),
        ({"by": "leader", "lead_department": "lead_dept", "handler": "handler_other"}, "handler"),
        ({"project": "foreign_project"}, "project"),
        ({"blocks_milestone": "foreign_milestone"}, "blocks_milestone"),
        ({"photos": ["not_an_image"]}, "photos"),
        ({"photos": ["too_big"]}, "photos"),
        ({"source": "site_visit"}, "source"),
        ({"source": "leader_instruction"}, "source"),
    ],
)
def test_bad_input_is_a_field_error_and_saves_nothing(world, settings, change, field):
    settings.MAX_UPLOAD_BYTES = 2000
    foreign_project = ProjectFactory(enterprise=world.other_enterprise)
    values = {
        "leader": world.leader,
        "lead_dept": world.lead_dept,
        "handler_other": world.handler_other.official,
        "foreign_project": foreign_project,
        "foreign_milestone": MilestoneFactory(project=foreign_project),
        "not_an_image": SimpleUploadedFile("x.jpg", b"not an image at all", content_type="image/jpeg"),
        "too_big": noisy_png(),
    }
    kwargs = {k: ([values[x] for x in v] if isinstance(v, list) else values.get(v, v)) for k, v in change.items()}
    with pytest.raises(ApplicationError) as exc:
        raise_issue(world, **kwargs)
    assert field in exc.value.fields
    assert exc.value.message
    _nothing_saved(0)


def test_unknown_enterprise_cannot_be_raised_for(world):
    stranger = EnterpriseFactory()
    with pytest.raises(PermissionDenied):
        raise_issue(world, enterprise=stranger, project=None)
    with pytest.raises(PermissionDenied):
        raise_issue(world, by=world.staff_other)
    with pytest.raises(PermissionDenied):
        raise_issue(world, by=world.handler)
    _nothing_saved(0)


def test_only_leaders_and_supervisors_instruct(world):
    with pytest.raises(PermissionDenied):
        raise_issue(world, lead_department=world.lead_dept)
    with pytest.raises(PermissionDenied):
        raise_issue(world, deadline=D(2026, 12, 31))
    _nothing_saved(0)


def test_official_raises_for_the_owner_of_their_project(world):
    issue = raise_issue(world, by=world.official)
    assert issue.raised_by == world.official


def test_blocking_milestone_sets_the_project(world):
    issue = raise_issue(world, project=None, blocks_milestone=world.milestone)
    assert issue.project == world.project


# --- Concurrency ----------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the row lock under test is PostgreSQL's; SQLite's in-memory test database locks whole tables "
    "and fails the second writer at once instead of making it wait (CI runs this on PostgreSQL)",
)
@pytest.mark.parametrize("with_version", [True, False])
def test_two_handlers_resolving_at_once_exactly_one_wins(frozen, with_version):
    import threading

    from django.db import connection

    world = build_world()
    issue = issue_in_state(world, Status.IN_PROGRESS)
    barrier = threading.Barrier(2)
    results: dict = {}

    def resolve(user, name):
        try:
            barrier.wait(timeout=10)
            services.issue_transition(
                issue=issue,
                action="resolve",
                by=user,
                note=f"{name} 已办结",
                outcome="solved",
                expected_version=issue.version if with_version else None,
            )
            results[name] = "ok"
        except Exception as exc:  # any failure is reported by the assertions below
            results[name] = exc
        finally:
            connection.close()

    threads = [
        threading.Thread(target=resolve, args=(world.handler, "a")),
        threading.Thread(target=resolve, args=(world.handler_colleague, "b")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    outcomes = sorted(results.values(), key=lambda r: r != "ok")
    assert len(outcomes) == 2, results
    assert outcomes[0] == "ok", results
    loser = outcomes[1]
    assert isinstance(loser, ApplicationError), repr(loser)
    if with_version:
        assert loser.code == "conflict" and loser.status_code == 409
    else:
        assert loser.code == "invalid_transition"
    issue.refresh_from_db()
    assert issue.status == Status.RESOLVED and issue.version == 4
    assert issue.events.filter(action="resolve").count() == 1


# --- Site visits --------------------------------------------------------------------------------


def _instruction(world, **kwargs):
    data = {
        "enterprise": world.enterprise,
        "project": world.project,
        "category": "approval",
        "description": "加快二期项目审批进度",
        "lead_department": world.lead_dept,
        "deadline": D(2026, 12, 31),
    }
    data.update(kwargs)
    return data


def test_visit_with_instructions_creates_assigned_site_visit_issues(world):
    visit = services.visit_create(
        by=world.leader,
        date=D(2026, 11, 20),
        leaders=[world.leader.official],
        location="新沂经济开发区",
        summary="调研中新钢铁二期项目",
        attendees="经开区、自然资源和规划局、生态环境局",
        instructions=[
            _instruction(world),
            _instruction(
                world,
                enterprise=world.other_enterprise,
                project=None,
                category="safety",
                description="压实安全生产责任",
                lead_department=world.other_dept,
                deadline=None,
            ),
        ],
    )
    issues = list(visit.instructions.order_by("pk"))
    assert [i.source for i in issues] == [Source.SITE_VISIT, Source.SITE_VISIT]
    assert [i.status for i in issues] == [Status.ASSIGNED, Status.ASSIGNED]
    assert issues[0].resolution_deadline == end_of_day(D(2026, 12, 31)) and issues[0].deadline_explicit
    assert not issues[1].deadline_explicit
    assert set(visit.enterprises.all()) == {world.enterprise, world.other_enterprise}
    assert list(visit.projects.all()) == [world.project]
    assert AuditEntry.objects.filter(action="visit.create", object_id=str(visit.pk)).exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"date": D(2026, 12, 1)}, "date"),
        ({"leaders": []}, "leaders"),
        ({"leaders": ["staff"]}, "leaders"),
        ({"instruction": {"deadline": D(2026, 11, 26)}}, "instructions"),
        ({"instruction": {"description": ""}}, "instructions"),
        ({"instruction": {"lead_department": None}}, "instructions"),
    ],
)
def test_visit_bad_input_saves_nothing(world, change, field):
    kwargs = {"by": world.leader, "date": D(2026, 11, 20), "leaders": [world.leader.official]}
    if "leaders" in change:
        kwargs["leaders"] = [world.user(name).official for name in change["leaders"]]
    if "date" in change:
        kwargs["date"] = change["date"]
    kwargs["instructions"] = [_instruction(world), _instruction(world, **change.get("instruction", {}))]
    with pytest.raises(ApplicationError) as exc:
        services.visit_create(**kwargs)
    assert field in exc.value.fields
    if field == "instructions":
        assert "2" in exc.value.message  # the number of the faulty instruction
    assert not Visit.objects.exists()
    _nothing_saved(0)


@pytest.mark.parametrize("role", ["staff", "handler", "official"])
def test_only_leaders_and_supervisors_record_visits(world, role):
    with pytest.raises(PermissionDenied):
        services.visit_create(by=world.user(role), date=D(2026, 11, 20), leaders=[world.leader.official])
    assert not Visit.objects.exists()


def test_supervisor_records_a_visit_for_a_leader(world):
    visit = services.visit_create(
        by=world.supervisor, date=D(2026, 11, 20), leaders=[world.leader.official], instructions=[_instruction(world)]
    )
    assert visit.instructions.get().raised_by == world.supervisor


# --- Time limits --------------------------------------------------------------------------------


def test_time_limit_rule_update_by_supervisor_only(world):
    rule = TimeLimitRule.objects.get(category="land", urgency="normal")
    with pytest.raises(PermissionDenied):
        services.time_limit_rule_update(rule=rule, by=world.leader, resolution_days=30)
    rule = services.time_limit_rule_update(rule=rule, by=world.supervisor, resolution_days=30)
    assert rule.resolution_days == 30
    assert AuditEntry.objects.filter(action="time_limit_rule.update").count() == 1
    with pytest.raises(ApplicationError) as exc:
        services.time_limit_rule_update(rule=rule, by=world.supervisor, response_days=40)
    assert exc.value.fields
    rule.refresh_from_db()
    assert rule.response_days == 3


def test_rule_change_does_not_move_issues_already_raised(world):
    issue = raise_issue(world)
    deadline = issue.resolution_deadline
    rule = TimeLimitRule.objects.get(category="approval", urgency="normal")
    services.time_limit_rule_update(rule=rule, by=world.supervisor, resolution_days=10)
    issue.refresh_from_db()
    assert issue.resolution_deadline == deadline


def test_reopen_gives_a_fresh_resolution_limit(world, frozen):
    issue = issue_in_state(world, Status.RESOLVED, category="electricity")
    frozen.move_to(datetime.datetime(2026, 12, 4, 9, tzinfo=SHANGHAI))
    issue = services.issue_transition(issue=issue, action="reopen", by=world.staff, note="仍未通电")
    assert issue.resolution_counted_from == D(2026, 12, 4)
    assert issue.resolution_deadline == end_of_day(D(2026, 12, 15))
