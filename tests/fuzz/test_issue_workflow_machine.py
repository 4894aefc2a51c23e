"""Hypothesis state machine: random roles fire random workflow actions on one issue through
issues.services. Whatever happens, the status only moves along issues.workflow's table, the
version rises by exactly one with each successful action and never otherwise, a refused action
changes nothing, and the timeline has one event per successful action (after the raise)."""
# The version: +1 with every action that changes the issue; never changed by a refused one.

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from core.errors import ApplicationError
from issues import workflow
from issues.models import Issue, IssueEvent
from issues.services import issue_create, issue_transition

ROLES = ["leader", "official", "staff", "handler", "supervisor", "other_official"]


def _payload(transition, draw, department) -> dict:
    payload = {}
    for field in transition.fields:
        if field.kind == "department":
            payload[field.name] = department
        elif field.kind == "choice" and field.choices:
            values = [value for value, _label in field.choices]
            payload[field.name] = draw(st.sampled_from(values if field.required else ["", *values]))
    return payload


class IssueWorkflow(RuleBasedStateMachine):
    world = None  # set by the test (the API tests' world)

    @initialize()
    def raise_issue(self):
        world = self.world
        self.department = world.users["handler"].official.department
        self.issue = issue_create(
            by=world.users["staff"], enterprise=world.enterprise, category="approval", description="施工许可办理慢"
        )
        self.successes = 0
        self.base_events = IssueEvent.objects.filter(issue=self.issue).count()

    @rule(
        action=st.sampled_from(sorted(workflow.TRANSITIONS)),
        role=st.sampled_from(ROLES),
        stale=st.booleans(),
        data=st.data(),
    )
    def act(self, action, role, stale, data):
        transition = workflow.TRANSITIONS[action]
        before = Issue.objects.get(pk=self.issue.pk)
        version = before.version - 1 if stale and before.version > 1 else before.version
        try:
            after = issue_transition(
                issue=before,
                action=action,
                by=self.world.users[role],
                note="现场核实",
                expected_version=version,
                **_payload(transition, data.draw, self.department),
            )
        except ApplicationError:
            now = Issue.objects.get(pk=self.issue.pk)
            assert (now.status, now.version) == (before.status, before.version)
            return
        assert version == before.version  # a stale version is always refused
        assert before.status in transition.from_states
        assert after.status == (transition.to_status or before.status)
        if transition.to_status or transition.changes:
            assert after.version == before.version + 1
        else:  # a comment changes no field of the issue (h10res: every action advances it)
            assert after.version in (before.version, before.version + 1)
        self.successes += 1

    @invariant()
    def one_event_per_success(self):
        if getattr(self, "issue", None) is None:
            return
        events = IssueEvent.objects.filter(issue=self.issue).exclude(action="deadlines_recomputed").count()
        assert events - self.base_events == self.successes

    @invariant()
    def status_is_a_state(self):
        if getattr(self, "issue", None) is None:
            return
        assert Issue.objects.get(pk=self.issue.pk).status in workflow.ANY_STATE


@pytest.mark.django_db
def test_the_issue_workflow_under_random_actors(world_objects):
    world, _ids = world_objects
    world.team.enterprises.add(world.enterprise)
    IssueWorkflow.world = world
    run_state_machine_as_test(
        IssueWorkflow,
        settings=settings(
            max_examples=15,
            stateful_step_count=20,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
