"""Browser forms: they check shapes and types only; the services check rules and permissions."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import Official
from notifications.models import SupervisionItem


class PreferencesForm(forms.Form):
    email = forms.BooleanField(label=_("E-mail"), required=False, help_text=_("To the address of your login."))
    webhook = forms.BooleanField(
        label=_("Group robot"),
        required=False,
        help_text=_("Post my reminders to my department's (or the campaign's) WeCom/DingTalk group."),
    )
    language = forms.ChoiceField(label=_("Language of reminders"), choices=Official.Language.choices)


class SupervisionCloseForm(forms.Form):
    note = forms.CharField(label=_("How it was settled"), widget=forms.Textarea(attrs={"rows": 2}))


class SupervisionFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *SupervisionItem.Status.choices]
    )
