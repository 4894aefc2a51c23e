"""Query parameters: the one validation of ids, whole numbers, dates, booleans and page numbers.

Every list reads its parameters through these pieces: the FilterSets (core.filters) that the
pages, the API and the exports share, and the API's own query-parameter serializers
(core.api.fields) and pagination (core.api.pagination). A value out of range is refused with a
field error in the user's language (a 400 in the API, a message on the page's filter bar), so it
never reaches the database, where a number beyond bigint or a date beyond year 9999 would be a
500.

The bounds live here and nowhere else.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# Primary keys are PostgreSQL bigints (DEFAULT_AUTO_FIELD = BigAutoField).
ID_MIN = 1
ID_MAX = 2**63 - 1
# Dates anyone may ask about: the system's records start after 2000, and nothing is planned
# beyond 2100. Also keeps date arithmetic (a day before, the end of a month) inside year 1..9999.
DATE_MIN = datetime.date(2000, 1, 1)
DATE_MAX = datetime.date(2100, 12, 31)
YEAR_MIN = DATE_MIN.year
YEAR_MAX = DATE_MAX.year
# The largest page an API client may ask for (`page_size`).
PAGE_SIZE_MAX = 200

TRUE_VALUES = frozenset({"true", "1", "on", "yes"})
FALSE_VALUES = frozenset({"false", "0", "off", "no"})

ID_INVALID = _("Enter a valid id (a whole number from 1).")
ID_TOO_LARGE = _("This id is too large.")
PAGE_INVALID = _("Enter a page number (a whole number from 1).")
PAGE_TOO_LARGE = _("This page number is too large.")
PAGE_SIZE_INVALID = _("Enter a page size between %(min)s and %(max)s.")
YEAR_INVALID = _("Enter a year between %(min)s and %(max)s.")
DATE_INVALID = _("Enter a date between %(min)s and %(max)s.")


@deconstructible
class RangeValidator:
    """`low` <= value <= `high`, else `message` (interpolated with min and max when shown, so it
    is translated into the language of the request, not of the import)."""

    def __init__(self, low, high, message, *, code="out_of_range", message_high=None):
        self.low, self.high, self.message, self.code = low, high, message, code
        self.message_high = message_high or message

    def __call__(self, value):
        if value is None:
            return
        if isinstance(value, datetime.datetime):
            value = value.date()
        if value < self.low:
            raise ValidationError(self.message, code=self.code, params=self.params)
        if value > self.high:
            raise ValidationError(self.message_high, code=self.code, params=self.params)

    @property
    def params(self) -> dict:
        return {"min": _shown(self.low), "max": _shown(self.high)}

    def __eq__(self, other):
        return isinstance(other, RangeValidator) and (self.low, self.high, self.code) == (
            other.low,
            other.high,
            other.code,
        )


def _shown(bound) -> str:
    return bound.isoformat() if isinstance(bound, datetime.date) else str(bound)


def id_validators() -> list:
    """Positive and within bigint: for form fields and API serializer fields alike."""
    return [RangeValidator(ID_MIN, ID_MAX, ID_INVALID, message_high=ID_TOO_LARGE)]


def page_validators() -> list:
    return [RangeValidator(1, ID_MAX, PAGE_INVALID, message_high=PAGE_TOO_LARGE)]


def page_size_validators() -> list:
    return [RangeValidator(1, PAGE_SIZE_MAX, PAGE_SIZE_INVALID)]


def year_validators() -> list:
    return [RangeValidator(YEAR_MIN, YEAR_MAX, YEAR_INVALID)]


def date_validators() -> list:
    return [RangeValidator(DATE_MIN, DATE_MAX, DATE_INVALID)]


def invalid(message, low, high) -> ValidationError:
    """The error of a value that is not even of the right type, with the range it should be in."""
    return ValidationError(message, code="invalid", params={"min": _shown(low), "max": _shown(high)})


def parse_boolean(value) -> bool | None:
    """True, False or None (empty) from a query string value; ValueError for anything else."""
    if value is True or value is False or value is None:
        return value
    text = str(value).strip().lower()
    if text == "":
        return None
    if text in TRUE_VALUES:
        return True
    if text in FALSE_VALUES:
        return False
    raise ValueError(value)


# --- Form fields (FilterSets and the pages' GET forms) ------------------------------------------


class _BoundedIntegerField(forms.IntegerField):
    """A whole number in a range; "1e5", "-2.03e+85", "abc" are refused with the range's message."""

    message = ID_INVALID
    low, high = ID_MIN, ID_MAX

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators = self.bounded_validators()

    def bounded_validators(self) -> list:
        raise NotImplementedError

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError:
            raise invalid(self.message, self.low, self.high) from None


class IdField(_BoundedIntegerField):
    """An object id: a whole number from 1 within bigint."""

    def bounded_validators(self):
        return id_validators()


class PageField(_BoundedIntegerField):
    message = PAGE_INVALID
    low, high = 1, ID_MAX

    def bounded_validators(self):
        return page_validators()


class YearField(_BoundedIntegerField):
    message = YEAR_INVALID
    low, high = YEAR_MIN, YEAR_MAX

    def bounded_validators(self):
        return year_validators()


class IdCheckedChoiceMixin:
    """For a ModelChoiceField: the id is checked like IdField before the queryset is asked."""

    def to_python(self, value):
        if value not in self.empty_values and not isinstance(value, self.queryset.model):
            IdField(required=False).clean(value)
        return super().to_python(value)


class ModelIdField(IdCheckedChoiceMixin, forms.ModelChoiceField):
    """A choice among `queryset` by id."""


class BoundedDateField(forms.DateField):
    """A date (YYYY-MM-DD) within DATE_MIN .. DATE_MAX."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators = [*self.validators, *date_validators()]


# --- Widgets: the value reaches the field as sent, so the field can refuse it -------------------


def _is_true(value) -> bool:
    try:
        return parse_boolean(value) is True
    except ValueError:
        return False


class BooleanParamSelect(forms.NullBooleanSelect):
    """Django's either/yes/no select, but the value reaches the field as sent (Django's turns
    anything it does not know into "either", which would silently drop the filter)."""

    def value_from_datadict(self, data, files, name):
        return data.get(name)


class BooleanCheckbox(forms.CheckboxInput):
    """A checkbox for an on/empty filter (`overdue`, `mine`); it sends `true` when ticked."""

    def __init__(self, attrs=None):
        super().__init__(attrs, check_test=_is_true)

    def format_value(self, value):
        return "true"

    def value_from_datadict(self, data, files, name):
        return data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return name not in data


class BooleanSelect(forms.Select):
    """A three-way select (either / yes / no) with the labels of the page."""

    def __init__(self, attrs=None, *, either, yes, no):
        super().__init__(attrs, choices=[("", either), ("true", yes), ("false", no)])

    def format_value(self, value):
        try:
            parsed = parse_boolean(value[0] if isinstance(value, (list, tuple)) and value else value)
        except ValueError:
            return [""]
        return [{True: "true", False: "false"}.get(parsed, "")]


class OneOfSelect(forms.Select):
    """A one-choice select for a filter that takes several values (`?status=a&status=b` in the
    API): the page picks one, with an "all" option first."""

    def __init__(self, attrs=None, *, empty_label):
        super().__init__(attrs)
        self.empty_label = empty_label

    def value_from_datadict(self, data, files, name):
        values = data.getlist(name) if hasattr(data, "getlist") else data.get(name)
        if values is None:
            return []
        if not isinstance(values, (list, tuple)):
            values = [values]
        return [v for v in values if v not in ("", None)]

    def value_omitted_from_data(self, data, files, name):
        return name not in data

    def optgroups(self, name, value, attrs=None):
        choices = self.choices
        self.choices = [("", self.empty_label), *choices]
        try:
            return super().optgroups(name, value, attrs)
        finally:
            self.choices = choices


class BooleanParamField(forms.NullBooleanField):
    """true / false (also 1/0, on/off, yes/no) or empty; anything else is an error, not "all"."""

    widget = BooleanParamSelect
    default_error_messages = {"invalid": _("Enter true or false.")}

    def to_python(self, value):
        try:
            return parse_boolean(value)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

    def validate(self, value):
        if value is None and self.required:
            raise ValidationError(self.error_messages["required"], code="required")
