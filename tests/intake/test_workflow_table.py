"""The intake table is consistent: every actor is a rule, every effect takes exactly its
payload fields, every step has a label and a reachable state."""

import inspect

from intake import workflow
from intake.models import Status
from intake.permissions import ACTOR_RULES

COMMON = {"by", "note", "now"}


def test_every_actor_is_a_permission_rule():
    for step in workflow.STEPS.values():
        assert step.actors and set(step.actors) <= set(ACTOR_RULES), step.action


def test_every_effect_takes_exactly_its_payload_fields():
    for step in workflow.STEPS.values():
        if step.effect is None:
            assert step.fields == (), step.action
            continue
        params = set(inspect.signature(step.effect).parameters) - {"candidate"}
        assert params - COMMON == set(step.fields), step.action


def test_states_and_labels():
    for step in workflow.STEPS.values():
        assert step.from_states <= set(Status.values) and step.to_status in Status.values
        assert str(step.label) and str(step.note_label)
    reached = {s.to_status for s in workflow.STEPS.values()} | {Status.DRAFT}
    assert reached == set(Status.values)
    assert workflow.event_label("create") and workflow.event_label("unknown") == "unknown"
    # Decisions need a reason except approval (whose level and project are the record).
    assert workflow.STEPS["return"].note_required and workflow.STEPS["reject"].note_required
