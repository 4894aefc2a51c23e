"""Form pieces every app's browser forms share. Forms parse and type the input; the rules live
in the services, whose field errors `add_service_errors` puts back on the form."""

from django import forms

from core.errors import ApplicationError


def add_service_errors(form: forms.Form, exc: ApplicationError) -> None:
    """Show a service's ApplicationError on the form: on its fields, or above the form."""
    if not exc.fields:
        form.add_error(None, exc.message)
        return
    for field, messages in exc.fields.items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by the service (images only, size limit)."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []
