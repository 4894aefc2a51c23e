"""Every transition of the workflow table, allowed and refused, per role and per state."""

import dataclasses

import pytest
from django.core.exceptions import ImproperlyConfigured

from core.errors import ApplicationError, PermissionDenied
from core.models import AuditEntry
from issues import hooks, services, workflow
from issues.models import Issue, IssueEvent, Outcome, Satisfaction, Status
from issues.workflow import TRANSITIONS
from tests.issues.conftest import issue_in_state

ROLES = [
    "leader",
    "supervisor",
    "staff",  # the raiser, member of the enterprise's service team
    "staff_team",  # another member of that team
    "staff_other",  # staff serving another enterprise
    "handler",  # lead department
    "handler_other",  # another department
    "official",  # responsible official of the issue's project
]

# Who may fire each action from its usual state. Everything else must be refused.
ALLOWED = {
    "assign": {"supervisor"},
    "reassign": {"supervisor"},
    "acknowledge": {"handler"},
    "respond": {"handler"},
    "resolve": {"handler"},
    "return": {"handler"},
    "confirm": {"supervisor", "staff", "staff_team"},
    "reopen": {"supervisor", "staff", "staff_team"},
    "resolve_on_spot": {"leader", "staff", "staff_team"},
    "escalate": {"supervisor", "leader"},
    "remind": {"supervisor"},
    "comment": {"leader", "supervisor", "staff", "staff_team", "handler", "official"},
}

# (state the issue is in, what the action needs besides the note)
SETUP = {
    "assign": (Status.NEW, {"lead_department": "lead_dept"}),
    "reassign": (Status.IN_PROGRESS, {"lead_department": "other_dept"}),
    "acknowledge": (Status.ASSIGNED, {}),
    "respond": (Status.IN_PROGRESS, {}),
    "resolve": (Status.IN_PROGRESS, {"outcome": Outcome.SOLVED}),
    "return": (Status.ASSIGNED, {}),
    "confirm": (Status.RESOLVED, {"satisfaction": Satisfaction.BASICALLY}),
    "reopen": (Status.RESOLVED, {}),
    "resolve_on_spot": (Status.NEW, {"satisfaction": Satisfaction.SATISFIED}),
    "escalate": (Status.IN_PROGRESS, {}),
    "remind": (Status.IN_PROGRESS, {}),
    "comment": (Status.CLOSED, {}),
}

EXPECTED_TARGET = {
    "assign": Status.ASSIGNED,
    "reassign": Status.ASSIGNED,
    "acknowledge": Status.IN_PROGRESS,
    "respond": Status.IN_PROGRESS,
    "resolve": Status.RESOLVED,
    "return": Status.NEW,
    "confirm": Status.CLOSED,
    "reopen": Status.IN_PROGRESS,
    "resolve_on_spot": Status.CLOSED,
    "escalate": Status.IN_PROGRESS,
    "remind": Status.IN_PROGRESS,
    "comment": Status.CLOSED,
}


def test_table_covers_every_action():
    assert set(ALLOWED) == set(TRANSITIONS) == set(SETUP) == set(EXPECTED_TARGET)


def _payload(world, action):
    _state, extra = SETUP[action]
    payload = {k: getattr(world, v) if k == "lead_department" else v for k, v in extra.items()}
    return {"note": "处理意见：已协调", **payload}


def _snapshot(issue):
    issue = Issue.objects.get(pk=issue.pk)
    return (
        issue.status,
        issue.version,
        issue.lead_department_id,
        issue.handler_id,
        issue.resolved_at,
        issue.closed_at,
        issue.satisfaction,
        issue.escalated,
        IssueEvent.objects.filter(issue=issue).count(),
        AuditEntry.objects.count(),
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(ALLOWED))
def test_transition_per_role(world, action, role):
    state, _extra = SETUP[action]
    issue = issue_in_state(world, state)
    user = world.user(role)
    events_before = issue.events.count()
    if role in ALLOWED[action]:
        updated = services.issue_transition(
            issue=issue, action=action, by=user, expected_version=issue.version, **_payload(world, action)
        )
        updated.refresh_from_db()
        assert updated.status == EXPECTED_TARGET[action]
        event = updated.events.order_by("-id").first()
        assert updated.events.count() == events_before + 1
        assert (event.action, event.from_status, event.to_status, event.actor) == (
            action,
            state,
            EXPECTED_TARGET[action],
            user,
        )
        assert AuditEntry.objects.filter(action=f"issue.{action}", object_id=str(issue.pk)).exists()
        # Every action, a reply or a comment too, advances the version (a repeat is a 409).
        assert updated.version == issue.version + 1
    else:
        before = _snapshot(issue)
        with pytest.raises(PermissionDenied):
            services.issue_transition(issue=issue, action=action, by=user, **_payload(world, action))
        assert _snapshot(issue) == before


OUT_OF_ORDER = [
    (action, state) for action, t in TRANSITIONS.items() for state in Status.values if state not in t.from_states
]


@pytest.mark.parametrize(("action", "state"), OUT_OF_ORDER)
def test_transition_out_of_order_is_refused_and_changes_nothing(world, action, state):
    issue = issue_in_state(world, state)
    allowed_user = world.user(sorted(ALLOWED[action])[0])
    before = _snapshot(issue)
    with pytest.raises(ApplicationError) as exc:
        services.issue_transition(issue=issue, action=action, by=allowed_user, **_payload(world, action))
    assert exc.value.code == "invalid_transition"
    assert Issue.objects.get(pk=issue.pk).get_status_display() in exc.value.message
    assert _snapshot(issue) == before


def test_unknown_action_is_refused(world):
    issue = issue_in_state(world, Status.NEW)
    with pytest.raises(ApplicationError) as exc:
        services.issue_transition(issue=issue, action="delete", by=world.supervisor)
    assert exc.value.code == "unknown_action"


@pytest.mark.parametrize("action", [a for a, t in TRANSITIONS.items() if t.note_required])
def test_note_required(world, action):
    state, _extra = SETUP[action]
    issue = issue_in_state(world, state)
    user = world.user(sorted(ALLOWED[action])[0])
    payload = _payload(world, action)
    payload["note"] = "   "
    before = _snapshot(issue)
    with pytest.raises(ApplicationError) as exc:
        services.issue_transition(issue=issue, action=action, by=user, **payload)
    assert "note" in exc.value.fields
    assert _snapshot(issue) == before


def test_stale_version_is_a_conflict(world):
    issue = issue_in_state(world, Status.IN_PROGRESS)
    stale = issue.version
    services.issue_transition(issue=issue, action="escalate", by=world.supervisor, expected_version=stale)
    before = _snapshot(issue)
    with pytest.raises(services.Conflict) as exc:
        services.issue_transition(
            issue=issue, action="resolve", by=world.handler, note="完成", outcome="solved", expected_version=stale
        )
    assert exc.value.status_code == 409
    assert _snapshot(issue) == before


def test_cohandling_department_may_comment_but_not_resolve(world):
    issue = issue_in_state(world, Status.NEW)
    services.issue_transition(
        issue=issue,
        action="assign",
        by=world.supervisor,
        lead_department=world.lead_dept,
        co_departments=[world.other_dept],
    )
    issue = services.issue_transition(issue=issue, action="acknowledge", by=world.handler_colleague)
    services.issue_transition(issue=issue, action="comment", by=world.handler_other, note="环评方面已配合")
    with pytest.raises(PermissionDenied):
        services.issue_transition(issue=issue, action="resolve", by=world.handler_other, note="x", outcome="solved")


def test_payload_errors_are_field_errors_and_change_nothing(world):
    issue = issue_in_state(world, Status.IN_PROGRESS)
    before = _snapshot(issue)
    with pytest.raises(ApplicationError) as exc:
        services.issue_transition(issue=issue, action="resolve", by=world.handler, note="完成", outcome="maybe")
    assert "outcome" in exc.value.fields
    with pytest.raises(ApplicationError) as exc:
        services.issue_transition(
            issue=issue, action="resolve", by=world.handler, note="完成", outcome="solved", satisfaction="satisfied"
        )
    assert "satisfaction" in exc.value.fields
    assert _snapshot(issue) == before


def test_assign_checks_the_handler_belongs_to_the_lead_department(world):
    issue = issue_in_state(world, Status.NEW)
    before = _snapshot(issue)
    with pytest.raises(ApplicationError) as exc:
        services.issue_transition(
            issue=issue,
            action="assign",
            by=world.supervisor,
            lead_department=world.lead_dept,
            handler=world.handler_other.official,
        )
    assert "handler" in exc.value.fields
    with pytest.raises(ApplicationError) as exc:
        services.issue_transition(issue=issue, action="assign", by=world.supervisor)
    assert "lead_department" in exc.value.fields
    assert _snapshot(issue) == before


def test_confirm_refuses_unsatisfied_and_reopen_refuses_satisfied(world):
    issue = issue_in_state(world, Status.RESOLVED)
    before = _snapshot(issue)
    with pytest.raises(ApplicationError) as exc:
        services.issue_transition(issue=issue, action="confirm", by=world.staff, satisfaction="unsatisfied")
    assert "satisfaction" in exc.value.fields
    with pytest.raises(ApplicationError):
        services.issue_transition(issue=issue, action="reopen", by=world.staff, note="x", satisfaction="satisfied")
    assert _snapshot(issue) == before


def test_full_loop_with_reopen_keeps_every_event(world, frozen):
    issue = issue_in_state(world, Status.RESOLVED)
    issue = services.issue_transition(issue=issue, action="reopen", by=world.staff, note="企业反映仍未拿到许可证")
    assert issue.status == Status.IN_PROGRESS
    assert issue.satisfaction == Satisfaction.UNSATISFIED
    assert issue.resolved_at is None and issue.outcome == "" and issue.reopened_count == 1
    issue = services.issue_transition(
        issue=issue, action="resolve", by=world.handler_colleague, note="许可证已发放", outcome="solved"
    )
    issue = services.issue_transition(issue=issue, action="confirm", by=world.staff_team, satisfaction="satisfied")
    assert issue.status == Status.CLOSED and issue.satisfaction == Satisfaction.SATISFIED
    actions = list(issue.events.order_by("id").values_list("action", flat=True))
    assert actions == ["raise", "assign", "acknowledge", "resolve", "reopen", "resolve", "confirm"]


def test_return_clears_the_assignment_and_goes_back_to_new(world):
    issue = issue_in_state(world, Status.NEW)
    services.issue_transition(
        issue=issue,
        action="assign",
        by=world.supervisor,
        lead_department=world.lead_dept,
        co_departments=[world.other_dept],
        handler=world.handler.official,
    )
    issue = services.issue_transition(
        issue=issue, action="return", by=world.handler, note="不属于本局职责，应由供电公司办理"
    )
    assert issue.status == Status.NEW
    assert issue.lead_department is None and issue.handler is None
    assert not issue.co_departments.exists()
    event = issue.events.order_by("-id").first()
    assert event.note.startswith("不属于本局职责")
    assert event.data["lead_department"] == world.lead_dept.name


def test_resolve_unsolvable_counts_as_resolved_not_solved(world):
    issue = issue_in_state(world, Status.IN_PROGRESS)
    issue = services.issue_transition(
        issue=issue,
        action="resolve",
        by=world.handler,
        note="用地指标今年已用完，明年优先安排",
        outcome=Outcome.UNSOLVABLE,
    )
    assert issue.resolved_at is not None and issue.outcome == Outcome.UNSOLVABLE
    issue = services.issue_transition(issue=issue, action="confirm", by=world.staff, satisfaction="basically")
    assert issue.status == Status.CLOSED and issue.outcome == Outcome.UNSOLVABLE


def test_resolve_on_spot_sets_every_timestamp(world, frozen):
    issue = issue_in_state(world, Status.NEW)
    issue = services.issue_transition(issue=issue, action="resolve_on_spot", by=world.leader, note="现场协调解决")
    assert issue.status == Status.CLOSED
    assert issue.acknowledged_at == issue.resolved_at == issue.closed_at
    assert issue.outcome == Outcome.SOLVED and issue.working_days_to_resolve == 0


def test_escalate_marks_the_issue(world):
    issue = issue_in_state(world, Status.ASSIGNED)
    issue = services.issue_transition(issue=issue, action="escalate", by=world.leader, note="请加快办理")
    assert issue.escalated and issue.escalated_at is not None and issue.status == Status.ASSIGNED


def test_acknowledge_takes_the_handler_and_records_first_response(world, frozen):
    issue = issue_in_state(world, Status.ASSIGNED)
    issue = services.issue_transition(issue=issue, action="acknowledge", by=world.handler_colleague)
    assert issue.handler == world.handler_colleague.official
    first = issue.acknowledged_at
    issue = services.issue_transition(
        issue=issue, action="reassign", by=world.supervisor, lead_department=world.lead_dept
    )
    issue = services.issue_transition(issue=issue, action="acknowledge", by=world.handler)
    # The first response is what the response-rate measures; a later one does not replace it.
    assert issue.acknowledged_at == first


def test_event_hook_runs_after_commit_only(world, django_capture_on_commit_callbacks):
    seen = []

    def subscriber(*, event_id):
        seen.append(IssueEvent.objects.get(pk=event_id).action)

    hooks.issue_event_committed.connect(subscriber)
    try:
        issue = issue_in_state(world, Status.NEW)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            services.issue_transition(
                issue=issue, action="assign", by=world.supervisor, lead_department=world.lead_dept
            )
        assert seen == []
        for callback in callbacks:
            callback()
        assert seen == ["assign"]
    finally:
        hooks.issue_event_committed.disconnect(subscriber)


def test_a_failing_subscriber_neither_undoes_the_change_nor_silences_the_others(
    world, django_capture_on_commit_callbacks, caplog
):
    seen = []

    def broken(*, event_id):
        raise RuntimeError("subscriber down")

    def listening(*, event_id):
        seen.append(event_id)

    hooks.issue_event_committed.connect(broken)
    hooks.issue_event_committed.connect(listening)
    try:
        issue = issue_in_state(world, Status.NEW)
        with django_capture_on_commit_callbacks(execute=True):
            issue = services.issue_transition(
                issue=issue, action="assign", by=world.supervisor, lead_department=world.lead_dept
            )
    finally:
        hooks.issue_event_committed.disconnect(broken)
        hooks.issue_event_committed.disconnect(listening)
    assert Issue.objects.get(pk=issue.pk).status == Status.ASSIGNED
    assert seen == [issue.events.order_by("-id").first().pk]
    assert "subscriber down" in caplog.text


def test_notifications_subscribes_to_issue_events():
    from notifications.services import notify_issue_event

    assert notify_issue_event in hooks.issue_event_committed.subscribers


def test_events_are_append_only(world):
    issue = issue_in_state(world, Status.NEW)
    event = issue.events.first()
    event.note = "改写"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        IssueEvent.objects.filter(issue=issue).update(note="x")
    with pytest.raises(TypeError):
        IssueEvent.objects.filter(issue=issue).delete()


def test_an_effect_that_changes_an_undeclared_field_is_refused_and_saves_nothing(world, monkeypatch):
    """`changes` is what the service saves: an effect reaching beyond it is a programming error,
    caught before anything is written."""
    escalate = workflow.TRANSITIONS["escalate"]
    monkeypatch.setitem(
        workflow.TRANSITIONS, "escalate", dataclasses.replace(escalate, changes=frozenset({"escalated"}))
    )
    issue = issue_in_state(world, Status.ASSIGNED)
    before = _snapshot(issue)
    with pytest.raises(ImproperlyConfigured, match="escalated_at"):
        services.issue_transition(issue=issue, action="escalate", by=world.supervisor)
    assert _snapshot(issue) == before
