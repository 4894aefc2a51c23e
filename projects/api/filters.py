"""Query filters of the progress-report, annual-target and milestone lists.

The project list's filters are the selector's own (projects.selectors.project_list), validated
by projects.api.validators.ProjectListParamsSerializer.
"""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError as DRFValidationError

from core.api.fields import MonthField
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


class ProgressReportFilter(django_filters.FilterSet):
    project = django_filters.NumberFilter(field_name="project_id")
    month_from = MonthFilter(field_name="month", lookup_expr="gte", label=_("From month (YYYY-MM), inclusive"))
    month_to = MonthFilter(field_name="month", lookup_expr="lte", label=_("To month (YYYY-MM), inclusive"))

    class Meta:
        model = ProgressReport
        fields = ["project", "month_from", "month_to"]


class AnnualTargetFilter(django_filters.FilterSet):
    project = django_filters.NumberFilter(field_name="project_id")
    year = django_filters.NumberFilter()

    class Meta:
        model = AnnualTarget
        fields = ["project", "year"]


class MilestoneFilter(django_filters.FilterSet):
    project = django_filters.NumberFilter(field_name="project_id")
    campaign = django_filters.NumberFilter(field_name="campaign_id")
    overdue = django_filters.BooleanFilter(field_name="overdue", label=_("Not done and past the due date"))
    done = django_filters.BooleanFilter(method="filter_done", label=_("Done"))

    class Meta:
        model = Milestone
        fields = ["project", "campaign", "overdue", "done"]

    def filter_done(self, queryset, name, value):
        return queryset.filter(completed_on__isnull=not value)
