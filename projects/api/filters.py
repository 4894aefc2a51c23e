"""Query filters of the progress-report, annual-target and milestone lists (core.filters; the
project list's FilterSet is projects.filters.ProjectFilter, shared with the pages)."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError as DRFValidationError

from core.api.fields import MonthField
from core.filters import BooleanParamFilter, IdFilter, ListFilterSet, YearParamFilter
from projects.models import AnnualTarget, Milestone, ProgressReport


class MonthFormField(forms.Field):
    """A month as "YYYY-MM" or a date "YYYY-MM-DD", cleaned to its first day (as MonthField)."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return MonthField().to_internal_value(value)
        except DRFValidationError as exc:
            raise ValidationError(exc.detail[0], code="invalid") from exc


@extend_schema_field(OpenApiTypes.STR)
class MonthFilter(django_filters.Filter):
    field_class = MonthFormField


class ProgressReportFilter(ListFilterSet):
    project = IdFilter(field_name="project_id")
    month_from = MonthFilter(field_name="month", lookup_expr="gte", label=_("From month (YYYY-MM), inclusive"))
    month_to = MonthFilter(field_name="month", lookup_expr="lte", label=_("To month (YYYY-MM), inclusive"))

    class Meta:
        model = ProgressReport
        fields = []


class AnnualTargetFilter(ListFilterSet):
    project = IdFilter(field_name="project_id")
    year = YearParamFilter()

    class Meta:
        model = AnnualTarget
        fields = []


class MilestoneFilter(ListFilterSet):
    project = IdFilter(field_name="project_id")
    campaign = IdFilter(field_name="campaign_id")
    overdue = BooleanParamFilter(field_name="overdue", label=_("Not done and past the due date"))
    done = BooleanParamFilter(method="filter_done", label=_("Done"))

    class Meta:
        model = Milestone
        fields = []

    def filter_done(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(completed_on__isnull=not value)
