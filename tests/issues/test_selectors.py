"""Scope per role, the handler's queue, filters, measures against hand counts, blocking, queries."""

import datetime

import pytest

from core.calendar import end_of_day
from core.rates import Rate
from issues import selectors, services
from issues.filters import IssueFilter
from issues.models import Outcome, Satisfaction, Status
from tests.factories import DepartmentFactory, EnterpriseFactory, IssueFactory, ParkFactory, VisitFactory
from tests.issues.conftest import NOW, SHANGHAI, issue_in_state, raise_issue

D = datetime.date
H = datetime.timedelta(hours=1)


# --- Scope --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("leader", {"mine", "foreign", "cohandled"}),
        ("supervisor", {"mine", "foreign", "cohandled"}),
        ("staff", {"mine", "cohandled"}),  # its team serves 中新钢铁
        ("staff_team", {"mine", "cohandled"}),
        ("staff_other", {"foreign"}),  # raised it, and its team serves 米尔化工
        ("handler", {"mine", "cohandled"}),  # lead department of both
        ("handler_other", {"cohandled"}),  # co-handles one
        ("official", {"mine"}),  # the issue of their project
    ],
)
def test_issues_visible_to(world, role, sees):
    issues = {
        "mine": issue_in_state(world, Status.ASSIGNED),
        "foreign": raise_issue(world, by=world.staff_other, enterprise=world.other_enterprise, project=None),
        "cohandled": raise_issue(
            world,
            by=world.supervisor,
            project=None,
            lead_department=world.lead_dept,
            co_departments=[world.other_dept],
        ),
    }
    visible = set(selectors.issues_visible_to(world.user(role)).values_list("pk", flat=True))
    assert visible == {issues[name].pk for name in sees}


def test_user_without_profile_sees_nothing(world):
    from tests.factories import UserFactory

    issue_in_state(world, Status.NEW)
    assert not selectors.issues_visible_to(UserFactory()).exists()


# --- Queue --------------------------------------------------------------------------------------


def test_handler_queue_overdue_first_then_nearest_deadline(world, frozen):
    old = issue_in_state(world, Status.ASSIGNED, category="electricity")
    frozen.move_to(NOW + datetime.timedelta(days=3))  # Monday 30 November
    newer = issue_in_state(world, Status.IN_PROGRESS, category="electricity")
    urgent = issue_in_state(world, Status.ASSIGNED, category="electricity", urgency="critical")
    issue_in_state(world, Status.RESOLVED)  # not waiting for the handler
    elsewhere = raise_issue(world, by=world.supervisor, project=None, lead_department=world.other_dept)
    # Thursday 3 December: old's response limit (Wed 2nd) and urgent's (Tue 1st) have passed.
    frozen.move_to(datetime.datetime(2026, 12, 3, 9, tzinfo=SHANGHAI))
    queue = list(selectors.issue_queue(user=world.handler))
    assert [i.pk for i in queue] == [urgent.pk, old.pk, newer.pk]
    assert [i.is_overdue for i in queue] == [True, True, False]
    assert elsewhere.pk not in [i.pk for i in queue]
    assert queue[1].current_deadline == old.response_deadline
    assert queue[2].current_deadline == newer.resolution_deadline


def test_queues_of_supervisor_and_staff(world):
    new = issue_in_state(world, Status.NEW)
    resolved = issue_in_state(world, Status.RESOLVED)
    issue_in_state(world, Status.CLOSED)
    assert [i.pk for i in selectors.issue_queue(user=world.supervisor)] == [new.pk]
    assert [i.pk for i in selectors.issue_queue(user=world.staff_team)] == [resolved.pk]
    assert list(selectors.issue_queue(user=world.staff_other)) == []
    assert list(selectors.issue_queue(user=world.leader)) == []


# --- Filters ------------------------------------------------------------------------------------


def test_filters(world, frozen):
    visit = services.visit_create(
        by=world.leader,
        date=D(2026, 11, 20),
        leaders=[world.leader.official],
        instructions=[
            {
                "enterprise": world.enterprise,
                "category": "safety",
                "description": "压实安全生产责任",
                "lead_department": world.other_dept,
            }
        ],
    )
    instruction = visit.instructions.get()
    assigned = issue_in_state(world, Status.ASSIGNED)
    foreign = raise_issue(world, by=world.supervisor, enterprise=world.other_enterprise, project=None)
    frozen.move_to(datetime.datetime(2026, 12, 10, 9, tzinfo=SHANGHAI))
    user = world.supervisor

    def ids(**filters):
        return {i.pk for i in IssueFilter(filters, queryset=selectors.issue_list(user=user)).qs}

    assert ids(visit=visit.pk) == {instruction.pk}
    assert ids(source="site_visit") == {instruction.pk}
    assert ids(department=world.other_dept.pk) == {instruction.pk}
    assert ids(department=world.lead_dept.pk) == {assigned.pk}
    assert ids(park=world.park.pk) == {instruction.pk, assigned.pk}
    assert ids(category=["safety"]) == {instruction.pk}
    assert ids(status=["new"]) == {foreign.pk}
    assert ids(status=["new", "assigned"]) == {foreign.pk, assigned.pk, instruction.pk}
    assert ids(overdue=True) == {foreign.pk, assigned.pk, instruction.pk}
    assert ids(overdue=False) == set()
    assert ids(q="米尔") == {foreign.pk}
    assert ids(q="zxgt") == {instruction.pk, assigned.pk}  # pinyin initials of 中新钢铁
    assert ids(raised_from="2026-11-28") == set()
    assert ids(raised_to="2026-11-27") == {foreign.pk, assigned.pk, instruction.pk}


# --- Measures -----------------------------------------------------------------------------------


def world_enterprise():
    from enterprises.models import Enterprise

    return Enterprise.objects.get(short_name="中新钢铁")


def _make(dept, **fields):
    """An issue raised a fortnight before NOW with the given outcome fields (hand-built state)."""
    raised = datetime.datetime(2026, 11, 13, 9, tzinfo=SHANGHAI)
    base = {
        "enterprise": world_enterprise(),
        "lead_department": dept,
        "status": Status.ASSIGNED,
        "raised_at": raised,
        "response_deadline": end_of_day(D(2026, 11, 18)),
        "resolution_deadline": end_of_day(D(2026, 11, 24)),
    }
    base.update(fields)
    return IssueFactory(**base)


@pytest.fixture
def measured(world):
    """Hand-counted fixture. Department A (7 issues), B (1), one unassigned new issue.

    A: #1 answered on time, resolved on time, confirmed solved, satisfied, 3 working days
       #2 answered late, resolved late as unsolvable, confirmed basically satisfied, 10 days
       #3 answered on time, in progress
       #4 not answered, response limit passed
       #5 not answered, response limit not yet passed
       #6 answered on time, resolved solved on time, awaiting confirmation, 2 days
       #7 answered on time, reopened as unsatisfied (in progress)
    B: #8 not answered, response limit not yet passed
    -: #9 new, no department, routing and response limits passed (counts as due, unanswered)
    """
    a, b = world.lead_dept, world.other_dept
    on_time = datetime.datetime(2026, 11, 16, 10, tzinfo=SHANGHAI)
    late = datetime.datetime(2026, 11, 20, 10, tzinfo=SHANGHAI)
    future = end_of_day(D(2026, 12, 2))
    park2 = ParkFactory(name="高新技术产业开发区")
    other = EnterpriseFactory(park=park2)
    rows = [
        _make(
            a,
            status=Status.CLOSED,
            acknowledged_at=on_time,
            resolved_at=on_time + 24 * H,
            closed_at=on_time + 48 * H,
            outcome=Outcome.SOLVED,
            satisfaction=Satisfaction.SATISFIED,
            working_days_to_resolve=3,
            category="land",
        ),
        _make(
            a,
            status=Status.CLOSED,
            acknowledged_at=late,
            resolved_at=datetime.datetime(2026, 11, 26, 10, tzinfo=SHANGHAI),
            closed_at=datetime.datetime(2026, 11, 27, 9, tzinfo=SHANGHAI),
            outcome=Outcome.UNSOLVABLE,
            satisfaction=Satisfaction.BASICALLY,
            working_days_to_resolve=10,
            category="land",
            enterprise=other,
        ),
        _make(a, status=Status.IN_PROGRESS, acknowledged_at=on_time),
        _make(a),
        _make(a, response_deadline=future, resolution_deadline=future),
        _make(
            a,
            status=Status.RESOLVED,
            acknowledged_at=on_time,
            resolved_at=on_time + 2 * H,
            outcome=Outcome.SOLVED,
            working_days_to_resolve=2,
        ),
        _make(
            a,
            status=Status.IN_PROGRESS,
            acknowledged_at=on_time,
            satisfaction=Satisfaction.UNSATISFIED,
            category="land",
        ),
        _make(b, response_deadline=future, resolution_deadline=future, enterprise=other),
        _make(None, status=Status.NEW, assign_deadline=end_of_day(D(2026, 11, 16))),
    ]
    return rows


def test_measures_by_department_match_hand_counts(world, measured):
    rows = {r.key: r for r in selectors.issue_measures(group_by="department")}
    a = rows[world.lead_dept.pk]
    assert a.label == world.lead_dept.name
    assert (a.raised, a.response_due, a.responded_in_time) == (7, 6, 4)
    assert (a.resolved, a.solved, a.resolved_on_time) == (3, 1, 2)
    assert (a.rated, a.satisfied) == (3, 2)
    assert a.response_rate == Rate(4, 6)
    assert a.resolution_rate == Rate(3, 7)
    assert a.solution_rate == Rate(1, 7)
    assert a.on_time_rate == Rate(2, 3)
    assert a.satisfaction_rate == Rate(2, 3)
    assert a.response_rate.fraction == pytest.approx(4 / 6)
    assert str(a.mean_working_days) == "5.0"

    b = rows[world.other_dept.pk]
    assert b.raised == 1
    # Empty denominators are None ("—"), never 0% or 100%.
    assert b.response_rate.value is None
    assert b.on_time_rate.value is None
    assert b.satisfaction_rate.value is None
    assert str(b.satisfaction_rate) == "—"
    assert b.mean_working_days is None
    assert b.resolution_rate.value == 0

    unassigned = rows[None]
    assert (unassigned.raised, unassigned.response_due, unassigned.responded_in_time) == (1, 1, 0)


def test_measures_by_category_and_park(world, measured):
    by_category = {r.key: r for r in selectors.issue_measures(group_by="category")}
    land = by_category["land"]
    assert land.label == "用地" or land.label == "Land"
    assert (land.raised, land.resolved, land.solved, land.rated, land.satisfied) == (3, 2, 1, 3, 2)
    assert by_category["approval"].raised == 6

    by_park = {r.key: r for r in selectors.issue_measures(group_by="park")}
    assert by_park[world.park.pk].raised == 7
    other_park = next(r for k, r in by_park.items() if k != world.park.pk)
    assert other_park.label == "高新技术产业开发区"
    assert (other_park.raised, other_park.resolved, other_park.solved) == (2, 1, 0)


def test_measures_total_period_and_scope(world, measured):
    total = selectors.issue_measures_total()
    assert (total.raised, total.resolved, total.solved, total.rated) == (9, 3, 1, 3)
    assert total.as_dict()["response_rate"] == pytest.approx(4 / 7)
    empty = selectors.issue_measures_total(start=D(2026, 11, 20))
    assert empty.raised == 0
    assert empty.as_dict()["resolution_rate"] is None
    assert selectors.issue_measures_total(start=D(2026, 11, 13), end=D(2026, 11, 13)).raised == 9
    scoped = selectors.issue_measures_total(queryset=selectors.issues_visible_to(world.handler_other))
    assert scoped.raised == 1


def test_measures_are_one_query(world, measured, django_assert_num_queries):
    with django_assert_num_queries(1):
        selectors.issue_measures(group_by="department")
    with django_assert_num_queries(1):
        selectors.issue_measures_total()


def test_measures_reject_unknown_grouping(world):
    with pytest.raises(ValueError):
        selectors.issue_measures(group_by="weather")


def test_measures_from_the_real_workflow(world, frozen):
    """The stored values that the measures read come out right from the services."""
    issue_in_state(world, Status.CLOSED)
    unsolvable = issue_in_state(world, Status.IN_PROGRESS)
    frozen.move_to(datetime.datetime(2026, 12, 7, 9, tzinfo=SHANGHAI))
    services.issue_transition(
        issue=unsolvable, action="resolve", by=world.handler, note="无法解决", outcome="unsolvable"
    )
    total = selectors.issue_measures_total()
    assert (total.raised, total.response_due, total.responded_in_time) == (2, 2, 2)
    assert (total.resolved, total.solved, total.resolved_on_time) == (2, 1, 2)
    assert str(total.mean_working_days) == "3.0"  # 0 and 6 working days


# --- Blocking -------------------------------------------------------------------------------------


def test_milestone_and_project_show_blocking_issues(world):
    from projects.models import Milestone, Project

    blocking = raise_issue(world, blocks_milestone=world.milestone)
    unsolvable = issue_in_state(world, Status.IN_PROGRESS, blocks_milestone=world.milestone)
    services.issue_transition(
        issue=unsolvable, action="resolve", by=world.handler, note="不能解决", outcome="unsolvable"
    )
    solved = issue_in_state(world, Status.RESOLVED, blocks_milestone=world.milestone)
    milestone = selectors.with_blocking_issues(Milestone.objects.filter(pk=world.milestone.pk)).get()
    assert milestone.blocking_issue_count == 2
    assert [i.pk for i in milestone.blocking] == [blocking.pk, unsolvable.pk]
    project = selectors.with_blocking_issues(Project.objects.filter(pk=world.project.pk), via="project").get()
    assert project.blocking_issue_count == 2
    assert solved.pk not in {i.pk for i in selectors.issues_blocking(project=world.project)}
    assert {i.pk for i in selectors.issues_blocking(milestone=world.milestone)} == {blocking.pk, unsolvable.pk}


def test_blocking_annotation_is_constant_in_queries(world, django_assert_num_queries):
    from projects.models import Milestone
    from tests.factories import MilestoneFactory

    for _ in range(5):
        raise_issue(world, blocks_milestone=MilestoneFactory(project=world.project))
    with django_assert_num_queries(2):
        list(selectors.with_blocking_issues(Milestone.objects.all()))
    for _ in range(20):
        raise_issue(world, blocks_milestone=MilestoneFactory(project=world.project))
    with django_assert_num_queries(2):
        list(selectors.with_blocking_issues(Milestone.objects.all()))


# --- Visits -------------------------------------------------------------------------------------


def test_visit_instructions_show_closed_off(world):
    visit = services.visit_create(
        by=world.leader,
        date=D(2026, 11, 20),
        leaders=[world.leader.official],
        instructions=[
            {
                "enterprise": world.enterprise,
                "category": "approval",
                "description": f"交办事项{n}",
                "lead_department": world.lead_dept,
            }
            for n in range(3)
        ],
    )
    first, second, _third = visit.instructions.order_by("pk")
    services.issue_transition(issue=first, action="acknowledge", by=world.handler)
    services.issue_transition(issue=first, action="resolve", by=world.handler, note="已办", outcome="solved")
    services.issue_transition(issue=first, action="confirm", by=world.leader, satisfaction="satisfied")
    services.issue_transition(issue=second, action="acknowledge", by=world.handler)
    rows = list(selectors.visit_instructions(visit=visit))
    assert [r.closed_off for r in rows] == [True, False, False]
    listed = selectors.with_visit_data(selectors.visits_visible_to(world.leader)).get()
    assert (listed.instruction_count, listed.closed_off_count) == (3, 1)


def test_visits_visible_to(world):
    visit = services.visit_create(
        by=world.leader,
        date=D(2026, 11, 20),
        leaders=[world.leader.official],
        instructions=[
            {
                "enterprise": world.enterprise,
                "category": "land",
                "description": "用地",
                "lead_department": world.lead_dept,
            }
        ],
    )
    VisitFactory()  # a visit without instructions
    assert selectors.visits_visible_to(world.supervisor).count() == 2
    assert list(selectors.visits_visible_to(world.handler)) == [visit]
    assert list(selectors.visits_visible_to(world.handler_other)) == []
    assert list(selectors.visits_visible_to(world.staff)) == [visit]


# --- Query counts ---------------------------------------------------------------------------------


def _issues(world, n):
    dept = DepartmentFactory()
    for i in range(n):
        issue = IssueFactory(
            enterprise=world.enterprise,
            project=world.project,
            raised_by=world.staff,
            lead_department=world.lead_dept,
            status=Status.ASSIGNED if i % 2 else Status.IN_PROGRESS,
            acknowledged_at=None if i % 2 else NOW,
        )
        issue.co_departments.add(dept)


@pytest.mark.parametrize("selector", ["queue", "list"])
def test_constant_queries_for_5_and_50_issues(world, django_assert_num_queries, selector):
    def run():
        if selector == "queue":
            rows = list(selectors.issue_queue(user=world.handler))
        else:
            rows = list(IssueFilter({"overdue": "false"}, queryset=selectors.issue_list(user=world.handler)).qs)
        shown = [
            (row.enterprise.park, row.project, row.lead_department, row.handler, row.raised_by.official) for row in rows
        ]
        assert all(len(row.co_departments.all()) == 1 for row in rows)
        return len(shown)

    _issues(world, 5)
    with django_assert_num_queries(2) as small:
        assert run() == 5
    _issues(world, 45)
    with django_assert_num_queries(2) as large:
        assert run() == 50
    assert len(small.captured_queries) == len(large.captured_queries)
