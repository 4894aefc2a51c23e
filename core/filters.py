"""The building blocks of every list's FilterSet (django-filter), and the pages' paging.

One FilterSet per list narrows a queryset that the app's selector has already scoped to the
user (`*_visible_to`). The same FilterSet serves the browser page (its form renders the filter
bar), the API (DjangoFilterBackend) and the exports, so "export with the current filters" is
exactly the list. Values are checked by core.params: on a page an invalid value is a field error
on the filter bar and the other filters still apply; in the API it is a 400 with field errors.
"""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django_filters import fields as filter_fields
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core.params import BooleanParamField, BoundedDateField, IdCheckedChoiceMixin, IdField, PageField, YearField

SEARCH_MAX_LENGTH = 100


class ModelIdChoiceField(IdCheckedChoiceMixin, filter_fields.ModelChoiceField):
    pass


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.NumberFilter):
    """An object id, without looking it up (an unknown and an invisible id both give no rows)."""

    field_class = IdField

    def get_max_validator(self):
        return None


@extend_schema_field(OpenApiTypes.INT)
class YearParamFilter(django_filters.NumberFilter):
    """A year that narrows the rows (a field holding a year), bounded like every year parameter."""

    field_class = YearField

    def get_max_validator(self):
        return None


@extend_schema_field(OpenApiTypes.INT)
class ModelIdFilter(django_filters.ModelChoiceFilter):
    """An object of `queryset` by id (a directory entry, or one the user may see)."""

    field_class = ModelIdChoiceField


@extend_schema_field(OpenApiTypes.DATE)
class DateParamFilter(django_filters.DateFilter):
    field_class = BoundedDateField


@extend_schema_field(OpenApiTypes.BOOL)
class BooleanParamFilter(django_filters.BooleanFilter):
    field_class = BooleanParamField


class SearchFilter(django_filters.CharFilter):
    """The search box (`q`); what it searches is the FilterSet's `method`."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Search"))
        kwargs.setdefault("max_length", SEARCH_MAX_LENGTH)
        super().__init__(*args, **kwargs)


class FilterForm(forms.Form):
    """The form of a list's FilterSet: the filter bar."""

    def top_errors(self) -> list[str]:
        """Errors shown above the filters: the page number's, and those of hidden filters (which
        links set, e.g. a project), each named."""
        return self._named_errors(self.hidden_fields())

    def all_errors(self) -> list[str]:
        """Every error, each named: for a page that shows its filters' values but not the fields
        (a drill-down list)."""
        return self._named_errors(list(self))

    def _named_errors(self, fields) -> list[str]:
        errors = list(self.non_field_errors())
        for field in fields:
            errors += [
                _("%(label)s: %(error)s") % {"label": capfirst(field.label), "error": error} for error in field.errors
            ]
        return errors


class ListFilterSet(django_filters.FilterSet):
    """A FilterSet for a list that pages, the API and exports share.

    `aliases` maps a parameter name that older links use to the filter's name (kept working, never
    shown); `normalise(data)` may rewrite the parameters once more before the form reads them.
    """

    aliases: dict[str, str] = {}
    # The order of the fields on the filter bar (default: the order the filters are declared in).
    field_order: list[str] | None = None

    def __init__(self, data=None, *args, **kwargs):
        if data is not None:
            data = self.normalise(self._with_aliases(data))
        super().__init__(data, *args, **kwargs)

    def _with_aliases(self, data):
        moved = {old: new for old, new in self.aliases.items() if old in data and new not in data}
        if not moved:
            return data
        data = _mutable(data)
        for old, new in moved.items():
            if isinstance(data, QueryDict):
                data.setlist(new, data.getlist(old))
            else:
                data[new] = data[old]
            del data[old]
        return data

    def normalise(self, data):
        return data

    def get_form_class(self):
        fields = {name: filter_.field for name, filter_ in self.filters.items()}
        return type(f"{type(self).__name__}Form", (FilterForm,), {**fields, "field_order": self.field_order})

    def valid_data(self) -> dict:
        """The filters whose values are valid (after `is_valid()`), empty ones left out."""
        self.is_valid()
        return {k: v for k, v in getattr(self.form, "cleaned_data", {}).items() if v not in (None, "", [], ())}

    def value(self, name: str):
        """The valid value of one filter, or None."""
        return self.valid_data().get(name)

    @property
    def active(self) -> bool:
        """Whether the filter panel should stay open: a filter besides the search box is set, or
        a value was refused."""
        data = self.valid_data()
        data.pop("q", None)
        return bool(data) or bool(self.form.errors)


def _mutable(data):
    if isinstance(data, QueryDict):
        return data.copy()
    return dict(data)


def page_of(request, queryset: QuerySet, per_page: int, filterset: ListFilterSet | None = None) -> Page:
    """The page of `queryset` asked for by `?page=`; a page number that is not one shows the
    first page, with the error on the filter bar (never an error page); past the end, the last."""
    raw = request.GET.get("page")
    number = 1
    if raw not in (None, ""):
        try:
            number = PageField().clean(raw)
        except ValidationError as exc:
            if filterset is not None:
                filterset.errors  # noqa: B018 - validate first: errors can only be added to a cleaned form
                filterset.form.add_error(None, ValidationError(_("Page: %(error)s"), params={"error": exc.messages[0]}))
    return Paginator(queryset, per_page).get_page(number)
