"""Browser forms for issues and site visits. They parse and type the input; the rules live in
issues.services (who may raise for which enterprise, deadlines after today, the project of the
enterprise, the workflow), whose field errors are put back on the form by `add_service_errors`.

Choices are scoped to what the user may see; an id outside the scope is "not one of the choices".
"""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.forms import MultipleFileField, MultipleFileInput, add_service_errors
from core.models import Department, Official, Role
from core.params import id_validators
from enterprises.models import Enterprise
from enterprises.selectors import enterprises_visible_to
from issues import deadlines, workflow
from issues.models import Category, Issue, Urgency
from issues.permissions import can_instruct
from issues.selectors import enterprises_for_raising, issues_visible_to
from projects.models import Milestone, Project
from projects.selectors import projects_visible_to

__all__ = [
    "InstructionForm",
    "InstructionFormSet",
    "IssueActionForm",
    "IssueForm",
    "VisitForm",
    "add_service_errors",
]

DATE_INPUT = {"type": "date"}


def _date_field(label, *, required=False, help_text=""):
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d"),
    )


class EnterpriseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Enterprise) -> str:
        return obj.name


class ProjectChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Project) -> str:
        return f"{obj.name}（{obj.enterprise.short_name or obj.enterprise.name}）"


class MilestoneChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Milestone) -> str:
        return f"{obj.project.name} · {obj.title}"


def handler_label(obj: Official) -> str:
    """A handler as the choices show them: name (department)."""
    return f"{obj.name}（{obj.department.short_name or obj.department.name}）" if obj.department else obj.name


class HandlerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Official) -> str:
        return handler_label(obj)


def _department_field(label, *, required=True, empty_label=None):
    return forms.ModelChoiceField(
        label=label,
        queryset=Department.objects.all(),
        required=required,
        empty_label=empty_label or _("Choose a department"),
    )


def _co_departments_field(label=None):
    return forms.ModelMultipleChoiceField(
        label=label or _("Co-handling departments"),
        queryset=Department.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "check-list"}),
    )


def _handler_field(label, *, empty_label):
    return HandlerChoiceField(
        label=label,
        queryset=Official.objects.filter(role=Role.HANDLER).select_related("department").order_by("department", "name"),
        required=False,
        empty_label=empty_label,
    )


def _unknown_enterprise():
    return _("Unknown enterprise: pick one from the suggestions or the list.")


# --- Logging an issue ------------------------------------------------------------------------------


class IssueForm(forms.Form):
    """Log an issue on site. Leaders and supervisors also see the instruction fields (lead
    department, co-handlers, an explicit deadline); the issue then starts assigned."""

    enterprise = EnterpriseChoiceField(
        label=_("Enterprise"),
        queryset=Enterprise.objects.none(),
        empty_label=_("Choose an enterprise"),
        error_messages={"required": _("Choose the enterprise."), "invalid_choice": _unknown_enterprise()},
    )
    project = ProjectChoiceField(
        label=_("Project"), queryset=Project.objects.none(), required=False, empty_label=_("No particular project")
    )
    category = forms.ChoiceField(
        label=_("Category"),
        choices=[("", _("Choose a category")), *Category.choices],
        error_messages={"required": _("Choose a category.")},
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL, widget=forms.RadioSelect
    )
    title = forms.CharField(
        label=_("Title"),
        required=False,
        max_length=200,
        help_text=_("Leave empty to use the start of the description."),
    )
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Describe the issue.")},
    )
    photos = MultipleFileField(
        label=_("Photos"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"}),
        help_text=_("Up to 9 photos from the camera (JPEG, PNG, GIF or WebP)."),
    )
    blocks_milestone = MilestoneChoiceField(
        label=_("Holds up milestone"),
        queryset=Milestone.objects.none(),
        required=False,
        empty_label=_("None"),
        help_text=_("The project milestone this issue holds up; shown on the project page."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # Any enterprise of the directory parses; whether this user may log for it is the
        # service's rule (its message is shown on the field).
        self.fields["enterprise"].queryset = enterprises_visible_to(user).order_by("name")
        raisable = enterprises_for_raising(user)
        self.preferred_enterprises = raisable.order_by("name")
        projects = projects_visible_to(user).select_related("enterprise").order_by("name")
        if not can_instruct(user):
            projects = projects.filter(enterprise__in=raisable)
        self.fields["project"].queryset = projects
        self.fields["blocks_milestone"].queryset = (
            Milestone.objects.filter(project__in=projects, completed_on__isnull=True)
            .select_related("project")
            .order_by("project__name", "due_date")
        )
        if can_instruct(user):
            self.fields["lead_department"] = _department_field(
                _("Lead department"), required=False, empty_label=_("Not yet: the supervision office routes it")
            )
            self.fields["co_departments"] = _co_departments_field()
            self.fields["deadline"] = _date_field(
                deadlines.RESOLUTION.label,
                help_text=_("Optional: an explicit resolution deadline instead of the time limit."),
            )

    @property
    def is_instruction(self) -> bool:
        return "lead_department" in self.fields

    def selected_enterprise(self):
        """The enterprise currently chosen (for a bound form re-shown with errors), or None."""
        value = self["enterprise"].value()
        if not value:
            return None
        return self.fields["enterprise"].queryset.filter(pk=value).first() if str(value).isdigit() else None

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        if not data.get("lead_department"):
            data.pop("co_departments", None)
        return {k: v for k, v in data.items() if v not in (None, "")}


# --- Workflow actions ------------------------------------------------------------------------------


def _choice_field(action: str, spec: workflow.PayloadField) -> forms.ChoiceField:
    choices = workflow.form_choices(action, spec)
    if spec.blank_label:
        choices = [("", spec.blank_label), *choices]
    return forms.ChoiceField(label=spec.label, choices=choices, widget=forms.RadioSelect)


# A form field per kind of payload field (issues.workflow.FIELD_KINDS).
ACTION_FIELD_BUILDERS = {
    "department": lambda action, spec: _department_field(spec.label),
    "departments": lambda action, spec: _co_departments_field(spec.label),
    "handler": lambda action, spec: _handler_field(spec.label, empty_label=spec.blank_label),
    "choice": _choice_field,
}


class IssueActionForm(forms.Form):
    """One workflow action's input: the issue's `version` as read, the action's own fields and
    the note, all as declared in issues.workflow (a parameter, not a class per action); use
    `prefix=action` so several forms live on one page.

    An action offered through another's form (reopen: the confirmation's 不满意 rating) has no
    form of its own; `workflow_action()` names the action the submitted values fire.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, action: str, issue, **kwargs):
        kwargs.setdefault("prefix", action)
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("version", issue.version)
        super().__init__(*args, **kwargs)
        self.action = action
        self.transition = transition = workflow.TRANSITIONS[action]
        for spec in transition.fields:
            field = ACTION_FIELD_BUILDERS[spec.kind](action, spec)
            field.required = spec.required
            if spec.help_text:
                field.help_text = spec.help_text
            if spec.message:
                field.error_messages["required"] = spec.message
            self.fields[spec.name] = field
            if spec.prefill:
                self.initial.setdefault(spec.name, getattr(issue, Issue._meta.get_field(spec.name).attname))
        self._link_handler_to_department(issue)
        # The note last: what was decided first, then why.
        self.fields["note"] = forms.CharField(
            label=transition.note_label,
            help_text=transition.note_help,
            required=transition.note_required,
            widget=forms.Textarea(attrs={"rows": 3}),
            error_messages={"required": workflow.note_required_message(transition.label)},
        )

    def _link_handler_to_department(self, issue) -> None:
        """A handler field follows the department field beside it: it lists only the handlers of
        the chosen lead department (static/js/forms.js refreshes the list when the department
        changes, from `issues:handlers`), and a handler of another department is refused on the
        handler field, once. The service checks the same rule (issues.workflow)."""
        if "handler" not in self.fields or "lead_department" not in self.fields:
            return
        handler = self.fields["handler"]
        if self.is_bound:
            value = self.data.get(self.add_prefix("lead_department"))
        else:
            value = self.initial.get("lead_department")
        value = getattr(value, "pk", value)
        try:
            department = int(value)
        except (TypeError, ValueError):
            department = None
        if department is not None and 0 < department < 2**63:
            handler.queryset = handler.queryset.filter(department_id=department)
        elif not self.is_bound:
            handler.queryset = handler.queryset.none()
        handler.error_messages["invalid_choice"] = _("The handler must belong to the lead department.")
        handler.widget.attrs.update(
            {
                "data-depends-on": self.add_prefix("lead_department"),
                "data-options-url": reverse("issues:handlers"),
            }
        )

    def workflow_action(self) -> str:
        """The workflow action to fire: "reopen" for an unsatisfied confirmation."""
        return workflow.fired_action(self.action, self.cleaned_data)

    def payload(self) -> dict:
        """The keyword arguments for issues.services.issue_transition besides issue/action/by."""
        data = dict(self.cleaned_data)
        payload = {"note": data.pop("note", ""), "expected_version": data.pop("version")}
        if "co_departments" in data:
            data["co_departments"] = list(data["co_departments"])
        payload.update({k: v for k, v in data.items() if v not in (None, "")})
        return payload


# --- Site visits --------------------------------------------------------------------------------


class LeaderChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Official) -> str:
        return str(obj)


class VisitForm(forms.Form):
    date = _date_field(_("Date"), required=True)
    location = forms.CharField(label=_("Location"), required=False, max_length=200)
    leaders = LeaderChoiceField(
        label=_("Leaders"),
        queryset=Official.objects.filter(role=Role.LEADER).order_by("name"),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "check-list"}),
        error_messages={"required": _("Name at least one leader.")},
    )
    attendees = forms.CharField(
        label=_("Attendees"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Departments and people present."),
    )
    enterprises = forms.ModelMultipleChoiceField(
        label=_("Enterprises visited"),
        queryset=Enterprise.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "check-list"}),
        help_text=_("The enterprises of the instructions are added by themselves."),
    )
    projects = forms.ModelMultipleChoiceField(
        label=_("Projects visited"),
        queryset=Project.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "check-list"}),
    )
    summary = forms.CharField(label=_("Summary (minutes)"), required=False, widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprises"].queryset = enterprises_visible_to(user).order_by("-is_key", "name")
        self.fields["projects"].queryset = projects_visible_to(user).order_by("-is_key", "name")


class InstructionForm(forms.Form):
    """One instruction given during the visit: it becomes an issue assigned to its lead department."""

    description = forms.CharField(
        label=_("Instruction"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Describe the issue.")},
    )
    enterprise = EnterpriseChoiceField(
        label=_("Enterprise"),
        queryset=Enterprise.objects.none(),
        empty_label=_("Choose an enterprise"),
        error_messages={"required": _("Choose the enterprise."), "invalid_choice": _unknown_enterprise()},
    )
    project = ProjectChoiceField(
        label=_("Project"), queryset=Project.objects.none(), required=False, empty_label=_("No particular project")
    )
    category = forms.ChoiceField(
        label=_("Category"),
        choices=[("", _("Choose a category")), *Category.choices],
        error_messages={"required": _("Choose a category.")},
    )
    lead_department = _department_field(_("Lead department"))
    deadline = _date_field(
        deadlines.RESOLUTION.label, help_text=_("Optional; otherwise the time limit of the category.")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises_visible_to(user).order_by("-is_key", "name")
        self.fields["project"].queryset = projects_visible_to(user).select_related("enterprise").order_by("name")
        self.fields["lead_department"].error_messages["required"] = _("Choose the lead department.")


class BaseInstructionFormSet(forms.BaseFormSet):
    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        # Every blank row may stay blank, also one brought back by "add a row" as initial data.
        return {**super().get_form_kwargs(index), "user": self.user, "empty_permitted": True}

    @property
    def empty_form(self):
        form = self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            empty_permitted=True,
            use_required_attribute=False,
            user=self.user,
            renderer=self.renderer,
        )
        self.add_fields(form, None)
        return form

    def instructions(self) -> list[dict]:
        """The filled-in rows as keyword arguments for issues.services.visit_instruction_add."""
        rows = []
        for form in self.forms:
            if not form.has_changed() or not getattr(form, "cleaned_data", None):
                continue
            rows.append({k: v for k, v in form.cleaned_data.items() if v not in (None, "")})
        return rows

    def changed_forms(self) -> list:
        """The forms in the order their rows reach the service (numbered from 1 in its errors)."""
        return [form for form in self.forms if form.has_changed()]


InstructionFormSet = forms.formset_factory(
    InstructionForm, formset=BaseInstructionFormSet, extra=1, max_num=30, validate_max=True
)


class DepartmentParamForm(forms.Form):
    """The `department` query parameter of the handlers endpoint: a bounded id."""

    department = forms.IntegerField(validators=id_validators())


# --- Bulk actions ----------------------------------------------------------------------------------


class IssueBulkForm(forms.Form):
    """Ticked issues of the queue or the list, and what to do to all of them (supervisors):
    route them to a department (and a handler of it), or remind their departments."""

    action = forms.ChoiceField(
        label=_("With the ticked issues"),
        choices=[("assign", _("Assign to a department")), ("remind", _("Remind their departments"))],
        initial="assign",
        widget=forms.RadioSelect,
    )
    issues = forms.ModelMultipleChoiceField(
        label=_("Issues"),
        queryset=Issue.objects.none(),
        widget=forms.MultipleHiddenInput,
        error_messages={"required": _("Tick at least one issue.")},
    )
    lead_department = _department_field(_("Lead department"), required=False)
    handler = _handler_field(_("Handler"), empty_label=_("Any handler of the lead department"))
    note = forms.CharField(
        label=_("Note for the departments"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issues"].queryset = issues_visible_to(user)
        handler = self.fields["handler"]
        department = self.data.get("lead_department") if self.is_bound else None
        if department and str(department).isdigit() and 0 < int(department) < 2**63:
            handler.queryset = handler.queryset.filter(department_id=int(department))
        else:
            handler.queryset = handler.queryset.none()
        handler.error_messages["invalid_choice"] = _("The handler must belong to the lead department.")
        handler.widget.attrs.update(
            {"data-depends-on": "lead_department", "data-options-url": reverse("issues:handlers")}
        )

    def clean_issues(self):
        issues = self.cleaned_data["issues"]
        if len(issues) > 100:
            raise forms.ValidationError(_("At most %(n)d issues at a time.") % {"n": 100})
        return issues

    def clean(self):
        data = super().clean()
        if data.get("action") == "assign" and not data.get("lead_department"):
            self.add_error("lead_department", _("Choose the lead department."))
        return data

    def versions(self) -> dict[int, int]:
        """The version of each ticked issue as the page showed it (`version-<id>`)."""
        versions = {}
        for issue in self.cleaned_data.get("issues", []):
            value = self.data.get(f"version-{issue.pk}", "")
            if value.isdigit() and len(value) < 12:
                versions[issue.pk] = int(value)
        return versions

    def payload(self) -> dict:
        data = self.cleaned_data
        if data["action"] == "assign":
            return {"lead_department": data["lead_department"], "handler": data.get("handler")}
        return {}
