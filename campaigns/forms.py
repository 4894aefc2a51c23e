"""Browser forms of campaigns and reminder ladders: they check shapes and types only; the
services (`campaigns.services`) check rules and permissions."""

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, WebhookStyle
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
    projects = forms.ModelMultipleChoiceField(
        label=_("Projects"),
        required=False,
        queryset=Project.objects.order_by("code"),
        widget=forms.CheckboxSelectMultiple,
    )

    @classmethod
    def initial_for(cls, campaign: Campaign) -> dict:
        return {
            **{name: getattr(campaign, name) for name in cls.base_fields if name != "projects"},
            "projects": list(campaign.projects.values_list("pk", flat=True)),
        }
