"""Browser forms of campaigns and reminder ladders: they check shapes and types only; the
services (`campaigns.services`) check rules and permissions."""

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, WebhookStyle
from core.models import Official, Park, Role
from enterprises.models import IndustryChain
from projects.models import Project


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DaysField(forms.CharField):
    """ "7, 3, 1" (commas, spaces or 、) → [7, 3, 1]."""

    def to_python(self, value):
        text = super().to_python(value) or ""
        parts = [p for p in text.replace("、", ",").replace("，", ",").replace(" ", ",").split(",") if p]
        try:
            return [int(p) for p in parts]
        except ValueError as exc:
            raise forms.ValidationError(_("Enter whole numbers of days, e.g. 7, 3, 1.")) from exc

    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(str(v) for v in value)
        return value


class ReminderPolicyForm(forms.Form):
    days_before = DaysField(
        label=_("Remind … days before the due date"),
        required=False,
        help_text=_("Separate with commas, e.g. 7, 3, 1. Empty: no reminder before the day."),
    )
    on_the_day = forms.BooleanField(label=_("Remind on the day"), required=False)
    repeat_every_days_overdue = forms.IntegerField(
        label=_("Repeat every … days while overdue"),
        min_value=0,
        max_value=365,
        help_text=_("0: a single reminder on the first day overdue."),
    )
    escalate_after_days_overdue = forms.IntegerField(
        label=_("Escalate after … days overdue"),
        required=False,
        min_value=1,
        max_value=365,
        help_text=_("To the assigned leader and the responsible unit's head, with a supervision item. Empty: never."),
    )
    webhook_url = forms.URLField(
        label=_("Campaign group robot"),
        required=False,
        assume_scheme="https",
        help_text=_("WeCom/DingTalk robot URL; empty: each recipient's department's robot."),
    )
    webhook_style = forms.ChoiceField(label=_("Message style"), choices=WebhookStyle.choices)


class CampaignForm(forms.Form):
    """The campaign's own fields; its projects and milestones are planned on the plan page
    (a list of every project as checkboxes does not scale to thousands of projects)."""

    name = forms.CharField(label=_("Name"), max_length=200)
    start_date = forms.DateField(label=_("Start date"), widget=DateInput())
    end_date = forms.DateField(
        label=_("End date"), required=False, widget=DateInput(), help_text=_("Empty: 100 days, the start day included.")
    )
    goals = forms.CharField(label=_("Goals"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    goal_projects_to_start = forms.IntegerField(label=_("Projects to start"), required=False, min_value=0)
    goal_projects_to_sign = forms.IntegerField(label=_("Projects to sign"), required=False, min_value=0)
    goal_investment = forms.DecimalField(
        label=_("Investment to complete (10k yuan)"), required=False, min_value=0, max_digits=14, decimal_places=2
    )

    @classmethod
    def initial_for(cls, campaign: Campaign) -> dict:
        return {name: getattr(campaign, name) for name in cls.base_fields}


# --- Planning -------------------------------------------------------------------------------------


class OfficialChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Official) -> str:
        unit = obj.department.short_name or obj.department.name if obj.department else ""
        return f"{obj.name}（{unit}）" if unit else obj.name


def responsible_choices():
    """Officials who may be responsible for a milestone: active project officials and department handlers."""
    return (
        Official.objects.filter(user__is_active=True, role__in=[Role.OFFICIAL, Role.HANDLER])
        .select_related("department")
        .order_by("department__name", "name")
    )


class ProjectSearchForm(forms.Form):
    """Find projects to add: by name, code or pinyin initials, by park, by industry chain (GET)."""

    q = forms.CharField(
        label=_("Name, code or pinyin initials"),
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("e.g. 中新钢铁 or zxgt")}),
    )
    park = forms.ModelChoiceField(
        label=_("Park"), required=False, queryset=Park.objects.order_by("name"), empty_label=_("All parks")
    )
    chain = forms.ModelChoiceField(
        label=_("Industry chain"),
        required=False,
        queryset=IndustryChain.objects.order_by("name"),
        empty_label=_("All chains"),
    )

    def has_criteria(self) -> bool:
        return self.is_valid() and any(self.cleaned_data.get(k) for k in ("q", "park", "chain"))


class AddProjectsForm(forms.Form):
    projects = forms.ModelMultipleChoiceField(
        label=_("Projects"),
        queryset=Project.objects.all(),
        error_messages={"required": _("Tick at least one project to add.")},
    )

    def clean_projects(self):
        projects = self.cleaned_data["projects"]
        if len(projects) > 200:
            raise forms.ValidationError(_("At most 200 projects at a time."))
        return projects


class CampaignMilestoneForm(forms.Form):
    """A milestone of the campaign: the project (of the campaign), title, due date, responsible."""

    project = forms.ModelChoiceField(
        label=_("Project"), queryset=Project.objects.none(), empty_label=_("Choose a project")
    )
    title = forms.CharField(
        label=_("Milestone"), max_length=200, widget=forms.TextInput(attrs={"placeholder": _("e.g. 主体封顶")})
    )
    due_date = forms.DateField(label=_("Due date"), widget=DateInput())
    responsible = OfficialChoiceField(
        label=_("Responsible official"),
        required=False,
        queryset=Official.objects.none(),
        empty_label=_("The project's responsible official"),
    )

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = campaign.projects.order_by("code")
        self.fields["responsible"].queryset = responsible_choices()


class MilestoneEditForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=200)
    due_date = forms.DateField(label=_("Due date"), widget=DateInput())
    responsible = OfficialChoiceField(
        label=_("Responsible official"), required=False, queryset=Official.objects.none(), empty_label=_("Nobody yet")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = responsible_choices()


class PasteRowsForm(forms.Form):
    rows = forms.CharField(
        label=_("Rows copied from Excel"),
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text=_(
            "One milestone a row, columns: project (code or name), milestone, due date, responsible official "
            "(optional). Select the cells in Excel, copy, paste here."
        ),
        error_messages={"required": _("Paste at least one row.")},
    )


class TemplateForm(forms.Form):
    template = forms.CharField(
        label=_("Template milestones"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "开工\t2026-12-20\n主体封顶\t2027-03-31"}),
        help_text=_("One a line: the title, then the due date."),
        error_messages={"required": _("Enter at least one milestone of the template.")},
    )
    projects = forms.ModelMultipleChoiceField(
        label=_("Copy to"),
        queryset=Project.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one project.")},
    )

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["projects"].queryset = campaign.projects.order_by("code")


class AssignResponsibleForm(forms.Form):
    responsible = OfficialChoiceField(
        label=_("Responsible official"), queryset=Official.objects.none(), empty_label=_("Choose an official")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = responsible_choices()
