"""Browser forms of approvals: they parse the input; the rules live in approvals.services.
A step's form is built from its row of approvals.workflow (note label, required, payload)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from approvals.models import MAX_TIME_LIMIT, ApprovalItem, ProjectType
from core.models import Department

DATE_INPUT = {"type": "date"}


def _date_field(label, required=False):
    return forms.DateField(label=label, required=required, widget=forms.DateInput(DATE_INPUT, "%Y-%m-%d"))


class ChecklistForm(forms.Form):
    project_type = forms.ModelChoiceField(
        label=_("Project type"),
        queryset=ProjectType.objects.all(),
        help_text=_("The checklist gets the approval items this type needs; items already there stay."),
    )


PAYLOAD_FIELDS = {
    "applied_on": lambda: _date_field(_("Applied on"), required=True),
    "approved_on": lambda: _date_field(_("Approved on"), required=True),
    "approval_number": lambda: forms.CharField(label=_("Approval document number"), max_length=100, required=False),
}


class StepForm(forms.Form):
    """The form of one step: its payload fields and the note."""

    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, step, **kwargs):
        super().__init__(*args, **kwargs)
        self.step = step
        for name in step.fields:
            self.fields[name] = PAYLOAD_FIELDS[name]()
        self.fields["note"].label = step.note_label
        self.fields["note"].required = step.note_required
        self.order_fields([*step.fields, "note"])


def _issues_of(project):
    issue_model = ApprovalItem._meta.get_field("blocking_issue").related_model
    return issue_model.objects.filter(project=project).order_by("-raised_at")


class ItemUpdateForm(forms.Form):
    time_limit_days = forms.IntegerField(
        label=_("Time limit (working days)"), min_value=1, max_value=MAX_TIME_LIMIT, widget=forms.NumberInput()
    )
    applied_on = _date_field(_("Applied on"))
    approved_on = _date_field(_("Approved on"))
    approval_number = forms.CharField(label=_("Approval document number"), max_length=100, required=False)
    blocking_issue = forms.ModelChoiceField(
        label=_("Blocked by issue"), queryset=ApprovalItem.objects.none(), required=False, empty_label=_("None")
    )
    department = forms.ModelChoiceField(label=_("Approving department"), queryset=Department.objects.all())
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, item, can_change_department: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        self.fields["blocking_issue"].queryset = _issues_of(item.project)
        if not can_change_department:
            del self.fields["department"]
        if item.applied_on is None:
            del self.fields["applied_on"]
        if item.approved_on is None:
            del self.fields["approved_on"]
            del self.fields["approval_number"]

    @classmethod
    def initial_for(cls, item) -> dict:
        return {
            "time_limit_days": item.time_limit_days,
            "applied_on": item.applied_on,
            "approved_on": item.approved_on,
            "approval_number": item.approval_number,
            "blocking_issue": item.blocking_issue_id,
            "department": item.department_id,
            "note": item.note,
        }


class DocumentForm(forms.Form):
    file = forms.FileField(label=_("File"), help_text=_("PDF or image (JPEG, PNG, GIF, WebP)."))
    title = forms.CharField(label=_("Title"), max_length=200, required=False, help_text=_("e.g. 环评批复"))
