"""One error type for the domain. Services raise it; views and the API turn it into a response.

`message` is for the user (already translated); `fields` maps field names to messages for
field-level display (a form's errors, a 400 in the API).
"""

from django.core.exceptions import ValidationError


class ApplicationError(Exception):
    status_code = 400

    def __init__(self, message: str, *, fields: dict[str, list[str]] | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message = str(message)
        self.fields = fields or {}
        self.code = code

    @classmethod
    def from_validation_error(cls, exc: ValidationError) -> "ApplicationError":
        if hasattr(exc, "error_dict"):
            fields = {name: [str(m) for e in errs for m in e.messages] for name, errs in exc.error_dict.items()}
            non_field = fields.pop("__all__", [])
            message = non_field[0] if non_field else next(iter(fields.values()))[0]
            if non_field:
                fields["non_field_errors"] = non_field
            return cls(message, fields=fields)
        return cls(exc.messages[0] if exc.messages else str(exc))


class PermissionDenied(ApplicationError):
    status_code = 403

    def __init__(self, message: str, *, code: str = "permission_denied"):
        super().__init__(message, code=code)


class Conflict(ApplicationError):
    """Someone else changed the object first: the user must reload and try again."""

    status_code = 409

    def __init__(self, message: str, *, code: str = "conflict"):
        super().__init__(message, code=code)
