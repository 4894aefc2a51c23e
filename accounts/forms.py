"""Sign-in forms: Django's, saying when to retry when the account or address is locked."""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class LockoutMessageMixin:
    """authenticate() returned nobody: if a lock refused the attempt (accounts.backends), say so
    and when to retry, instead of "wrong user name or password"."""

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            refusal = getattr(self.request, "login_refusal", None)
            if refusal is not None:
                raise ValidationError(refusal.message, code="locked") from None
            raise


class LoginForm(LockoutMessageMixin, AuthenticationForm):
    pass


class AdminLoginForm(LockoutMessageMixin, AdminAuthenticationForm):
    pass


class CodeForm(forms.Form):
    """A six-digit code from the authenticator app."""

    code = forms.CharField(
        label=_("Verification code"),
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*", "autofocus": True}
        ),
        help_text=_("The six digits your authenticator app shows now."),
    )
