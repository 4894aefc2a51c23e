"""Browser forms of intake: they parse the input; the rules live in intake.services."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Department, Park
from enterprises.models import ChainSegment, Enterprise
from intake import workflow
from projects.models import Level

MONEY_INPUT = {"step": "0.01", "inputmode": "decimal"}


class CandidateForm(forms.Form):
    name = forms.CharField(label=_("Project name"), max_length=200)
    enterprise = forms.ModelChoiceField(
        label=_("Enterprise (in the directory)"),
        queryset=Enterprise.objects.order_by("name"),
        required=False,
        empty_label=_("A new enterprise (give its name and credit code)"),
    )
    enterprise_name = forms.CharField(label=_("New enterprise's name"), max_length=200, required=False)
    credit_code = forms.CharField(
        label=_("New enterprise's credit code"),
        max_length=18,
        required=False,
        help_text=_("18 characters; a code the directory knows picks that enterprise."),
    )
    park = forms.ModelChoiceField(label=_("Park"), queryset=Park.objects.all())
    segment = forms.ModelChoiceField(
        label=_("Chain segment"),
        queryset=ChainSegment.objects.select_related("chain").order_by("chain__sort_order", "sort_order"),
        required=False,
    )
    content = forms.CharField(label=_("Construction content"), widget=forms.Textarea(attrs={"rows": 3}))
    total_investment = forms.DecimalField(
        label=_("Total investment (10k yuan)"), max_digits=14, widget=forms.NumberInput(attrs=MONEY_INPUT)
    )
    land_area = forms.DecimalField(
        label=_("Land needed (mu)"), max_digits=14, required=False, widget=forms.NumberInput(attrs=MONEY_INPUT)
    )
    energy_tce = forms.DecimalField(
        label=_("Energy needed (tonnes of standard coal a year)"),
        max_digits=14,
        required=False,
        widget=forms.NumberInput(attrs=MONEY_INPUT),
    )
    expected_start = forms.DateField(
        label=_("Expected start"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    contact_name = forms.CharField(label=_("Contact"), max_length=50, required=False)
    contact_phone = forms.CharField(
        label=_("Contact phone"), max_length=30, required=False, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    unit = forms.ModelChoiceField(
        label=_("Submitting unit"),
        queryset=Department.objects.all(),
        required=False,
        help_text=_("Only the supervision office submits on a unit's behalf."),
    )

    def __init__(self, *args, choose_unit: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not choose_unit:
            del self.fields["unit"]


class StepForm(forms.Form):
    """One step of intake.workflow: its note, and the level and code when approving."""

    action = forms.ChoiceField(choices=[(s.action, s.label) for s in workflow.STEPS.values()], widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    level = forms.ChoiceField(label=_("Level in the library"), choices=[("", "—"), *Level.choices], required=False)
    code = forms.CharField(
        label=_("Project code"),
        required=False,
        max_length=40,
        help_text=_("Leave empty for a code given by the system."),
    )

    def __init__(self, *args, step: workflow.Step, **kwargs):
        kwargs.setdefault("initial", {"action": step.action})
        kwargs.setdefault("auto_id", f"id_{step.action}_%s")
        super().__init__(*args, **kwargs)
        self.step = step
        self.fields["note"].label = step.note_label
        self.fields["note"].required = step.note_required
        for name in ("level", "code"):
            if name not in step.fields:
                del self.fields[name]
        if "level" in self.fields:
            self.fields["level"].required = True

    def payload(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("action", None)
        return data


class DispatchAddForm(forms.Form):
    project = forms.ModelChoiceField(label=_("Project"), queryset=None)
    note = forms.CharField(label=_("Note"), required=False, max_length=200)

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects


class DispatchRemoveForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class CandidateImportForm(forms.Form):
    file = forms.FileField(
        label=_("Candidate list (.xlsx)"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"})
    )


def year_choices():
    this = timezone.localdate().year
    return [(y, str(y)) for y in range(this + 1, this - 5, -1)]
