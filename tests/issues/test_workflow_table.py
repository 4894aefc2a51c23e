"""The workflow table is complete, and the form, the API request, the OpenAPI schema, the timeline
and the audience of every action come from it (issues.workflow)."""

import dataclasses
import inspect

import pytest
from django.db import models
from django.utils import translation
from drf_spectacular.generators import SchemaGenerator

from issues import workflow
from issues.api.validators import TRANSITION_SERIALIZERS
from issues.forms import ACTION_FIELD_BUILDERS, IssueActionForm
from issues.models import Issue, Satisfaction, Status
from issues.permissions import ACTOR_RULES
from issues.views import DETAIL_FORMATS

COMMON_EFFECT_ARGUMENTS = {"by", "note", "now", "m2m"}
ISSUE_FIELDS = {f.name for f in Issue._meta.get_fields() if not f.auto_created}
TRANSITIONS = list(workflow.TRANSITIONS.values())
# Actions with a form of their own on the issue page (the others are offered through one).
FORM_ACTIONS = [t for t in TRANSITIONS if workflow.form_action(t.action) == t.action]


def _text(value) -> str:
    return str(value).strip() if value is not None else ""


def test_what_every_row_must_declare_has_no_default():
    """A transition cannot be written without its labels, effect, fields and audience (an empty
    audience is written out as `audience=()`)."""
    fields = {f.name: f for f in dataclasses.fields(workflow.Transition)}
    for name in ("label", "note_label", "event_label", "audience", "effect", "changes", "fields", "actors"):
        assert fields[name].default is dataclasses.MISSING, name
        assert fields[name].default_factory is dataclasses.MISSING, name
    fields = {f.name: f for f in dataclasses.fields(workflow.Event)}
    for name in ("event_label", "audience"):
        assert fields[name].default is dataclasses.MISSING, name


@pytest.mark.parametrize("transition", TRANSITIONS, ids=lambda t: t.action)
def test_every_action_is_complete(transition):
    t = transition
    for language in ("zh-hans", "en"):
        with translation.override(language):
            assert _text(t.label), "label"
            assert _text(t.note_label), "note label"
            assert _text(t.event_label), "event label"
    # Who, from where, to where.
    assert t.actors and set(t.actors) <= set(ACTOR_RULES)
    assert t.from_states and t.from_states <= set(Status.values)
    assert t.to_status is None or t.to_status in Status.values
    # The audience: a tuple of known names (possibly empty, but declared).
    assert isinstance(t.audience, tuple)
    assert set(t.audience) <= set(workflow.AUDIENCES)
    # The effect reads exactly the payload fields, and changes only fields of the issue.
    assert callable(t.effect)
    parameters = inspect.signature(t.effect).parameters
    positional = [p for p in parameters.values() if p.kind is p.POSITIONAL_OR_KEYWORD]
    keyword = {p.name for p in parameters.values() if p.kind is p.KEYWORD_ONLY}
    assert [p.name for p in positional] == ["issue"]
    assert keyword == COMMON_EFFECT_ARGUMENTS | t.field_names, "payload fields and effect disagree"
    assert t.changes <= ISSUE_FIELDS - {"status", "version", "id"}
    assert len(t.field_names) == len(t.fields), "a payload field is declared twice"
    for spec in t.fields:
        assert spec.kind in workflow.FIELD_KINDS
        assert _text(spec.label)
        assert bool(spec.choices) == (spec.kind == "choice")
        if spec.required:
            assert _text(spec.message), f"{spec.name}: a required field says what is missing"
    for detail in t.details:
        assert detail.show in workflow.DETAIL_SHOWS
    # A note that is required says what it is for.
    if t.note_required:
        assert _text(workflow.note_required_message(t.label))


def test_the_kinds_and_formats_are_covered_by_forms_serializers_and_the_timeline():
    from issues.api.validators import PAYLOAD_FIELD_BUILDERS

    assert set(ACTION_FIELD_BUILDERS) == workflow.FIELD_KINDS
    assert set(PAYLOAD_FIELD_BUILDERS) == workflow.FIELD_KINDS
    assert set(DETAIL_FORMATS) == workflow.DETAIL_SHOWS


def test_every_recorded_event_has_a_label_and_an_audience():
    assert {"raise", "deadlines_recomputed"} <= set(workflow.EVENTS)
    assert set(workflow.TRANSITIONS) <= set(workflow.EVENTS)
    for name, event in workflow.EVENTS.items():
        with translation.override("zh-hans"):
            assert _text(event.event_label), name
        assert isinstance(event.audience, tuple) and set(event.audience) <= set(workflow.AUDIENCES)
    with translation.override("zh-hans"):
        assert str(workflow.event_label("raise")) == "登记"
    with translation.override("en"):
        assert str(workflow.event_label("raise")) == "Logged"
    assert workflow.event_label("long_gone") == "long_gone"


def test_an_offered_action_is_consistent_with_the_form_that_offers_it():
    offered = [t for t in TRANSITIONS if t.offered_by]
    assert [t.action for t in offered] == ["reopen"]
    for t in offered:
        host = workflow.TRANSITIONS[t.offered_by.action]
        assert host.offered_by is None
        assert (host.from_states, host.actors) == (t.from_states, t.actors)
        own = t.payload_field(t.offered_by.field)
        assert own is not None and t.offered_by.value in dict(own.choices)
        assert host.payload_field(t.offered_by.field) is not None
        assert t.offered_by.value not in dict(host.payload_field(t.offered_by.field).choices)
    assert workflow.fired_action("confirm", {"satisfaction": Satisfaction.UNSATISFIED}) == "reopen"
    assert workflow.fired_action("confirm", {"satisfaction": Satisfaction.SATISFIED}) == "confirm"


# --- Derived: the form ----------------------------------------------------------------------------


def _issue():
    return Issue(pk=1, version=3, status=Status.ASSIGNED)


@pytest.mark.parametrize("transition", FORM_ACTIONS, ids=lambda t: t.action)
def test_the_form_of_every_action_comes_from_the_table(transition):
    form = IssueActionForm(action=transition.action, issue=_issue())
    assert list(form.fields) == ["version", *(f.name for f in transition.fields), "note"]
    note = form.fields["note"]
    assert (note.label, note.help_text, note.required) == (
        transition.note_label,
        transition.note_help,
        transition.note_required,
    )
    for spec in transition.fields:
        field = form.fields[spec.name]
        assert field.label == spec.label
        assert field.required == spec.required
        if spec.kind == "choice":
            values = [value for value, _label in field.choices if value != ""]
            assert values == [value for value, _label in workflow.form_choices(transition.action, spec)]


def test_the_confirmation_form_offers_the_unsatisfied_rating_that_reopens():
    form = IssueActionForm(action="confirm", issue=_issue())
    assert [v for v, _label in form.fields["satisfaction"].choices] == [
        Satisfaction.SATISFIED,
        Satisfaction.BASICALLY,
        Satisfaction.UNSATISFIED,
    ]


# --- Derived: the API request and its schema --------------------------------------------------------


@pytest.mark.parametrize("transition", TRANSITIONS, ids=lambda t: t.action)
def test_the_request_serializer_of_every_action_comes_from_the_table(transition):
    fields = TRANSITION_SERIALIZERS[transition.action]().fields
    assert set(fields) == {"version", "note", *transition.field_names}
    assert fields["version"].required
    assert fields["note"].required == transition.note_required
    assert fields["note"].label == transition.note_label
    for spec in transition.fields:
        assert fields[spec.name].required == spec.required
        assert fields[spec.name].label == spec.label
        if spec.kind == "choice":
            assert list(fields[spec.name].choices) == [value for value, _label in spec.choices]


@pytest.mark.django_db
def test_the_schema_documents_each_actions_own_fields():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    for t in TRANSITIONS:
        operation = schema["paths"][f"/api/v1/issues/{{id}}/{t.action}/"]["post"]
        reference = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        body = components[reference.rsplit("/", 1)[-1]]
        assert set(body["properties"]) == {"version", "note", *t.field_names}, t.action
        required = {"version", *(f.name for f in t.fields if f.required)} | ({"note"} if t.note_required else set())
        assert set(body.get("required", [])) == required, t.action


def test_a_field_of_another_action_is_refused_by_the_api_serializer():
    serializer = TRANSITION_SERIALIZERS["resolve"](
        data={"version": 2, "note": "已办结", "outcome": "solved", "handler": 1}
    )
    assert not serializer.is_valid()
    assert set(serializer.errors) == {"handler"}
    serializer = TRANSITION_SERIALIZERS["return"](data={"version": 2, "note": "  "})
    assert not serializer.is_valid()
    assert "note" in serializer.errors


# --- The effects change only what they declare ----------------------------------------------------------


def test_changes_name_real_fields_and_reach_every_field_the_old_list_covered():
    changed_anywhere = set().union(*(t.changes for t in TRANSITIONS))
    concrete = {f.name for f in Issue._meta.get_fields() if isinstance(f, models.Field)}
    assert changed_anywhere <= concrete
    assert {"lead_department", "handler", "acknowledged_at", "resolved_at", "closed_at", "satisfaction"} <= (
        changed_anywhere
    )
