"""Serializer fields shared by every app's API."""

import datetime
import re

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core import params
from core.rates import Rate

MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$")


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}(-\d{2})?$", "example": "2026-10"})
class MonthField(serializers.Field):
    """A calendar month: accepts "YYYY-MM" or any date "YYYY-MM-DD" of the month, gives the 1st.

    Output is "YYYY-MM".
    """

    default_error_messages = {"invalid": _("Enter a month as YYYY-MM or a date as YYYY-MM-DD.")}

    def to_internal_value(self, data) -> datetime.date:
        if isinstance(data, datetime.date):
            return data.replace(day=1)
        match = MONTH_RE.match(str(data).strip())
        if not match:
            self.fail("invalid")
        year, month, day = int(match[1]), int(match[2]), int(match[3] or 1)
        try:
            datetime.date(year, month, day)
        except ValueError:
            self.fail("invalid")
        month = datetime.date(year, month, 1)
        for validator in params.date_validators():
            validator(month)
        return month

    def to_representation(self, value: datetime.date) -> str:
        return f"{value:%Y-%m}"


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A primary key that must name an object the requesting user may see.

    `scope(user) -> QuerySet` is the app's selector (e.g. projects_visible_to); an id outside it
    gets the same "does not exist" error as an unknown id, so existence is never disclosed.
    `queryset` is still given (any queryset of the model) so the schema knows the model.
    """

    def __init__(self, *, scope, **kwargs):
        self.scope = scope
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return self.scope(request.user if request is not None else None)


# --- Query parameters (core.params holds the bounds and the messages) -----------------------------


class _BoundedIntegerParam(serializers.IntegerField):
    message = params.ID_INVALID
    low, high = params.ID_MIN, params.ID_MAX

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators = [*self.validators, *self.bounded_validators()]

    def bounded_validators(self) -> list:
        return params.id_validators()

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError:
            raise serializers.ValidationError(
                self.message % {"min": self.low, "max": self.high}, code="invalid"
            ) from None


class IdParamField(_BoundedIntegerParam):
    """An object id: a whole number from 1 within bigint."""


class YearParamField(_BoundedIntegerParam):
    message = params.YEAR_INVALID
    low, high = params.YEAR_MIN, params.YEAR_MAX

    def bounded_validators(self):
        return params.year_validators()


class PageParamField(_BoundedIntegerParam):
    message = params.PAGE_INVALID
    low, high = 1, params.ID_MAX

    def bounded_validators(self):
        return params.page_validators()


class PageSizeParamField(_BoundedIntegerParam):
    message = params.PAGE_SIZE_INVALID
    low, high = 1, params.PAGE_SIZE_MAX

    def bounded_validators(self):
        return params.page_size_validators()


class DateParamField(serializers.DateField):
    """A date (YYYY-MM-DD) within core.params.DATE_MIN .. DATE_MAX."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators = [*self.validators, *params.date_validators()]


# --- Rates (core.rates) -----------------------------------------------------------------------------

RATE_FORMAT = _("A fraction from 0 to 1 (0.452 is 45.2%); null when the denominator is empty.")


@extend_schema_field({"type": "number", "format": "double", "nullable": True, "minimum": 0})
class RateFractionField(serializers.FloatField):
    """A rate (a core.rates.Rate, or a fraction stored as such) as its 0–1 fraction, null when its
    denominator is empty: the one format of a rate in the API."""

    def __init__(self, *, help_text="", **kwargs):
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("read_only", True)
        help_text = format_lazy("{} {}", help_text, RATE_FORMAT) if help_text else RATE_FORMAT
        super().__init__(help_text=help_text, **kwargs)

    def to_representation(self, value):
        if isinstance(value, Rate):
            value = value.value
        return None if value is None else float(value)


@extend_schema_field({"type": "string", "format": "uri", "nullable": True})
class ProtectedFileURLField(serializers.Field):
    """The absolute URL of an uploaded file's permission-checked view (core.files), from a
    property of the object (`url`, `evidence_url`); null when there is no file."""

    def __init__(self, *, source: str = "url", **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(source=source, **kwargs)

    def to_representation(self, value):
        if not value:
            return None
        request = self.context.get("request")
        return request.build_absolute_uri(value) if request is not None else value
