"""The issue list's filters, shared by the browser list and the API (one definition)."""

import datetime

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.calendar import end_of_day
from core.models import Park
from issues.models import Category, Issue, Source, Status, Urgency, Visit


class IssueFilter(django_filters.FilterSet):
    """Filters over a queryset from issues.selectors.with_list_data (needs `is_overdue`)."""

    status = django_filters.MultipleChoiceFilter(choices=Status.choices, label=_("status"))
    department = django_filters.NumberFilter(method="filter_department", label=_("department (lead or co-handling)"))
    park = django_filters.ModelChoiceFilter(queryset=Park.objects.all(), field_name="enterprise__park", label=_("park"))
    category = django_filters.MultipleChoiceFilter(choices=Category.choices, label=_("category"))
    urgency = django_filters.ChoiceFilter(choices=Urgency.choices, label=_("urgency"))
    source = django_filters.ChoiceFilter(choices=Source.choices, label=_("source"))
    visit = django_filters.ModelChoiceFilter(queryset=Visit.objects.all(), label=_("site visit"))
    enterprise = django_filters.NumberFilter(field_name="enterprise_id", label=_("enterprise"))
    project = django_filters.NumberFilter(field_name="project_id", label=_("project"))
    overdue = django_filters.BooleanFilter(field_name="is_overdue", label=_("overdue"))
    escalated = django_filters.BooleanFilter(label=_("escalated"))
    open = django_filters.BooleanFilter(method="filter_open", label=_("open (not yet resolved)"))
    raised_from = django_filters.DateFilter(method="filter_raised_from", label=_("raised on or after"))
    raised_to = django_filters.DateFilter(method="filter_raised_to", label=_("raised on or before"))
    q = django_filters.CharFilter(method="filter_q", label=_("search"))

    class Meta:
        model = Issue
        fields = []

    def filter_department(self, qs, name, value):
        if value is None:
            return qs
        cohandled = Issue.co_departments.through.objects.filter(department_id=value).values("issue_id")
        return qs.filter(Q(lead_department_id=value) | Q(pk__in=cohandled))

    def filter_open(self, qs, name, value):
        if value is None:
            return qs
        return qs.filter(status__in=Status.open_values()) if value else qs.exclude(status__in=Status.open_values())

    def filter_raised_from(self, qs, name, value):
        return qs.filter(raised_at__gt=end_of_day(value - datetime.timedelta(days=1)))

    def filter_raised_to(self, qs, name, value):
        return qs.filter(raised_at__lte=end_of_day(value))

    def filter_q(self, qs, name, value):
        value = (value or "").strip()
        if not value:
            return qs
        return qs.filter(
            Q(title__icontains=value)
            | Q(description__icontains=value)
            | Q(enterprise__name__icontains=value)
            | Q(enterprise__name_initials__icontains=value.lower())
        )
