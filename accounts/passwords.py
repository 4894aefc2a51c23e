"""Password validators (settings.AUTH_PASSWORD_VALIDATORS) beyond Django's own."""

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's, with the message under the msgid its translations know: Django 5.2 changed the
    msgid ("%d character") and its zh_Hans catalogue only has the older one, so users would
    read this one refusal in English."""

    def get_error_message(self):
        return ngettext(
            "This password is too short. It must contain at least %(min_length)d character.",
            "This password is too short. It must contain at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}
