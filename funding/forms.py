"""Browser forms of funding: they parse the input; the rules live in funding.services."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from funding.models import PolicyLevel, PolicyStatus, Source

MONEY_INPUT = {"step": "0.01", "inputmode": "decimal"}
DATE_INPUT = {"type": "date"}


def _year_choices():
    this = timezone.localdate().year
    return [(y, str(y)) for y in range(this + 3, this - 6, -1)]


class FundingLineForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    source = forms.ChoiceField(label=_("Source"), choices=Source.choices)
    planned = forms.DecimalField(
        label=_("Planned (10k yuan)"), max_digits=14, widget=forms.NumberInput(attrs=MONEY_INPUT)
    )
    received = forms.DecimalField(
        label=_("Received (10k yuan)"),
        max_digits=14,
        required=False,
        widget=forms.NumberInput(attrs=MONEY_INPUT),
        help_text=_("Funds in place so far this year."),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"year": timezone.localdate().year})
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _year_choices()


class PolicySupportForm(forms.Form):
    name = forms.CharField(label=_("Policy"), max_length=200)
    level = forms.ChoiceField(label=_("Level"), choices=PolicyLevel.choices)
    amount_sought = forms.DecimalField(
        label=_("Amount sought (10k yuan)"), max_digits=14, widget=forms.NumberInput(attrs=MONEY_INPUT)
    )
    status = forms.ChoiceField(label=_("Status"), choices=PolicyStatus.choices)
    amount_granted = forms.DecimalField(
        label=_("Amount granted (10k yuan)"),
        max_digits=14,
        required=False,
        widget=forms.NumberInput(attrs=MONEY_INPUT),
    )
    applied_on = forms.DateField(label=_("Applied on"), required=False, widget=forms.DateInput(DATE_INPUT, "%Y-%m-%d"))
    approved_on = forms.DateField(
        label=_("Approved on"), required=False, widget=forms.DateInput(DATE_INPUT, "%Y-%m-%d")
    )
    disbursed_on = forms.DateField(
        label=_("Disbursed on"), required=False, widget=forms.DateInput(DATE_INPUT, "%Y-%m-%d")
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
