"""Browser forms for projects. They parse and type the input; the rules live in projects.services.

A form only checks what the HTML input itself promises (a number is a number, a date a date);
everything the domain decides — negative amounts, future months, duplicates, image checks,
moves back without a reason — is the service's, and its field errors are put back on the form
by `add_service_errors`.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import MultipleFileField, MultipleFileInput
from projects.models import Stage


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m")


class StageChangeForm(forms.Form):
    to_stage = forms.ChoiceField(label=_("New stage"), choices=Stage.choices)
    changed_on = forms.DateField(
        label=_("Effective date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Leave empty for today."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when moving back to an earlier stage, stopping the project or reviving a stopped one."),
    )
    # Set by the confirmation step (projects/stage_confirm.html): the user has read what the move affects.
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        if project is not None:
            # No stage preselected: a careless submit must not move the project anywhere.
            self.fields["to_stage"].choices = [
                ("", _("Choose the new stage")),
                *((v, label) for v, label in Stage.choices if v != project.stage),
            ]


class ProgressReportForm(forms.Form):
    month = forms.DateField(
        label=_("Month"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
        widget=MonthInput(),
        error_messages={"invalid": _("Enter a month, e.g. 2026-11.")},
    )
    investment = forms.DecimalField(
        label=_("Investment this month (10k yuan)"),
        max_digits=14,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )
    percent_complete = forms.IntegerField(
        label=_("Percent complete"),
        required=False,
        widget=forms.NumberInput(attrs={"min": 0, "max": 100, "inputmode": "numeric"}),
    )
    physical_progress = forms.CharField(label=_("Physical progress"), widget=forms.Textarea(attrs={"rows": 3}))
    next_steps = forms.CharField(label=_("Next steps"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    problems = forms.CharField(
        label=_("Problems needing help"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    photos = MultipleFileField(
        label=_("Photos"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"}),
        help_text=_("Up to 9 site photos (JPEG, PNG, GIF or WebP)."),
    )

    def __init__(self, *args, **kwargs):
        today = timezone.localdate()
        kwargs.setdefault("initial", {"month": today.replace(day=1)})
        super().__init__(*args, **kwargs)
        # A hint for the browser's month picker; the service makes the rule.
        self.fields["month"].widget.attrs["max"] = today.strftime("%Y-%m")


class MilestoneCompleteForm(forms.Form):
    completed_on = forms.DateField(
        label=_("Completed on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Leave empty for today."),
    )
    evidence = forms.CharField(label=_("Evidence"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    evidence_file = forms.FileField(
        label=_("Evidence photo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )


class ReportCorrectionForm(ProgressReportForm):
    """Correct a filed report: the same fields as filing, without the month (it cannot change),
    plus the photos to remove. Starts from the filed values."""

    remove_photos = forms.MultipleChoiceField(
        label=_("Remove photos"), required=False, widget=forms.CheckboxSelectMultiple, choices=()
    )

    def __init__(self, *args, report, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "investment": report.investment,
                "percent_complete": report.percent_complete,
                "physical_progress": report.physical_progress,
                "next_steps": report.next_steps,
                "problems": report.problems,
            },
        )
        super().__init__(*args, **kwargs)
        del self.fields["month"]
        self.fields["photos"].label = _("Add photos")
        self.fields["remove_photos"].choices = [(str(p.pk), p.caption or p.image.name) for p in report.photos.all()]
        if not self.fields["remove_photos"].choices:
            del self.fields["remove_photos"]

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["remove_photos"] = [int(pk) for pk in data.pop("remove_photos", [])]
        return data
