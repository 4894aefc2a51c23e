"""Input serializers of the issue API: types and shapes only.

The rules (who may raise for which enterprise, the deadline in the future, the project of the
enterprise, the workflow) are checked by issues.services, which answers with field-level errors
of its own. References accept only objects the user can see; an unknown and an invisible id get
the same "does not exist" error.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.fields import DateParamField, ScopedPrimaryKeyRelatedField
from core.models import Department, Official, Role
from enterprises.models import Enterprise
from enterprises.selectors import enterprises_visible_to
from issues import workflow
from issues.models import Category, Source, Urgency
from issues.selectors import GROUPS
from projects.api.validators import visible_project
from projects.models import Milestone
from projects.selectors import milestones_visible_to


def visible_enterprise(**kwargs):
    return ScopedPrimaryKeyRelatedField(queryset=Enterprise.objects.all(), scope=enterprises_visible_to, **kwargs)


def visible_milestone(**kwargs):
    return ScopedPrimaryKeyRelatedField(queryset=Milestone.objects.all(), scope=milestones_visible_to, **kwargs)


def department(**kwargs):
    return serializers.PrimaryKeyRelatedField(queryset=Department.objects.all(), **kwargs)


def handler_official(**kwargs):
    return serializers.PrimaryKeyRelatedField(queryset=Official.objects.filter(role=Role.HANDLER), **kwargs)


class InstructionFieldsSerializer(serializers.Serializer):
    """What an issue or a leader's instruction says: the enterprise, the matter, who handles it."""

    enterprise = visible_enterprise()
    project = visible_project(required=False, allow_null=True)
    category = serializers.ChoiceField(choices=Category.choices)
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description = serializers.CharField(allow_blank=True, help_text=_("What the enterprise needs; required."))
    lead_department = department(required=False, allow_null=True)
    co_departments = department(many=True, required=False)
    handler = handler_official(required=False, allow_null=True)
    deadline = serializers.DateField(
        required=False, allow_null=True, help_text=_("Leaders and supervisors: an explicit resolution deadline.")
    )
    blocks_milestone = visible_milestone(required=False, allow_null=True)


class IssueCreateSerializer(InstructionFieldsSerializer):
    source = serializers.ChoiceField(
        choices=[c for c in Source.choices if c[0] != Source.SITE_VISIT],
        required=False,
        help_text=_("Default: service team; leader's instruction when a lead department or deadline is given."),
    )
    # Checked by the service (core.uploads): one plain message per refused file.
    photos = serializers.ListField(
        child=serializers.FileField(), required=False, help_text=_("Photos (multipart/form-data), images only.")
    )


# --- Workflow actions: one request serializer per action, generated from issues.workflow ------------


# A serializer field per kind of payload field (issues.workflow.FIELD_KINDS), given the keyword
# arguments every field gets (DRF copies declared fields by their constructor arguments).
PAYLOAD_FIELD_BUILDERS = {
    "department": lambda spec, **kw: department(allow_null=not spec.required, **kw),
    "departments": lambda spec, **kw: department(many=True, **kw),
    "handler": lambda spec, **kw: handler_official(allow_null=not spec.required, **kw),
    "choice": lambda spec, **kw: serializers.ChoiceField(choices=list(spec.choices), **kw),
}


class TransitionSerializer(serializers.Serializer):
    """The body of a workflow action: `version`, then the action's own fields and its note (the
    subclasses made by `transition_serializer`). A field that belongs to another action is an
    error, not silently dropped."""

    transition: workflow.Transition

    version = serializers.IntegerField(
        min_value=1, help_text=_("The version you last read; a stale version is refused with 409 (reload).")
    )

    def to_internal_value(self, data):
        foreign = sorted(name for name in workflow.PAYLOAD_NAMES - set(self.fields) if name in data)
        if foreign:
            message = workflow.unused_field_message(self.transition.label)
            raise serializers.ValidationError({name: [message] for name in foreign})
        return super().to_internal_value(data)


def _payload_field(spec: workflow.PayloadField) -> serializers.Field:
    kwargs = {"required": spec.required, "label": spec.label, "help_text": spec.help_text or None}
    if spec.message:
        kwargs["error_messages"] = {"required": spec.message, "null": spec.message}
    return PAYLOAD_FIELD_BUILDERS[spec.kind](spec, **kwargs)


def _note_field(transition: workflow.Transition) -> serializers.CharField:
    help_text = transition.note_help or None
    if not transition.note_required:
        return serializers.CharField(
            required=False, allow_blank=True, default="", label=transition.note_label, help_text=help_text
        )
    message = workflow.note_required_message(transition.label)
    return serializers.CharField(
        label=transition.note_label, help_text=help_text, error_messages={"required": message, "blank": message}
    )


def transition_serializer(transition: workflow.Transition) -> type[TransitionSerializer]:
    """The request serializer of one action: its payload fields and note, as the table declares."""
    attrs = {spec.name: _payload_field(spec) for spec in transition.fields}
    attrs["note"] = _note_field(transition)
    attrs["transition"] = transition
    attrs["__doc__"] = f"The request body of the workflow action “{transition.action}”."
    name = "".join(part.capitalize() for part in transition.action.split("_"))
    return type(f"Issue{name}Serializer", (TransitionSerializer,), attrs)


TRANSITION_SERIALIZERS: dict[str, type[TransitionSerializer]] = {
    action: transition_serializer(t) for action, t in workflow.TRANSITIONS.items()
}


class VisitInstructionSerializer(InstructionFieldsSerializer):
    lead_department = department()


class VisitCreateSerializer(serializers.Serializer):
    date = serializers.DateField()
    leaders = serializers.PrimaryKeyRelatedField(queryset=Official.objects.all(), many=True)
    location = serializers.CharField(max_length=200, required=False, allow_blank=True)
    attendees = serializers.CharField(required=False, allow_blank=True)
    summary = serializers.CharField(required=False, allow_blank=True)
    enterprises = visible_enterprise(many=True, required=False)
    projects = visible_project(many=True, required=False)
    instructions = VisitInstructionSerializer(many=True, required=False)


class TimeLimitRuleUpdateSerializer(serializers.Serializer):
    assign_days = serializers.IntegerField(required=False)
    response_days = serializers.IntegerField(required=False)
    resolution_days = serializers.IntegerField(required=False)


class MeasuresParamsSerializer(serializers.Serializer):
    group_by = serializers.ChoiceField(choices=sorted(GROUPS), default="department")
    start = DateParamField(required=False, help_text=_("Issues raised on or after this day."))
    end = DateParamField(required=False, help_text=_("Issues raised on or before this day."))
