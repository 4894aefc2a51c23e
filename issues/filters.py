"""The issue list's filters: one FilterSet for the browser list (its filter bar), the API
(DjangoFilterBackend) and the .xlsx export, over a queryset already scoped by
issues.selectors.issues_visible_to (and annotated by with_list_data: `is_overdue`)."""

import datetime

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.calendar import end_of_day
from core.filters import BooleanParamFilter, DateParamFilter, IdFilter, ListFilterSet, ModelIdFilter, SearchFilter
from core.models import Department, Park
from core.params import BooleanCheckbox, OneOfSelect, parse_boolean
from issues.models import Category, Issue, Source, Status, Urgency, Visit
from issues.selectors import visits_visible_to

OPEN = "open"
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _visits(request):
    # The choices are the visits the user may see; a direct call without a request (a selector
    # narrowing an already scoped list) may name any visit.
    if request is None:
        return Visit.objects.all()
    return visits_visible_to(request.user).order_by("-date", "-id")


class IssueFilter(ListFilterSet):
    """`status` takes several values (`?status=new&status=assigned`), `open` among them (not yet
    resolved); `open=true` is the same as `status=open`. `department` is the lead or a
    co-handling department. `enterprise`, `project`, `escalated` and `open` come from links (the
    page keeps them hidden)."""

    q = SearchFilter(method="filter_q")
    status = django_filters.MultipleChoiceFilter(
        choices=[(OPEN, _("Open (not yet resolved)")), *Status.choices],
        method="filter_status",
        label=_("Status"),
        widget=OneOfSelect(empty_label=_("All states")),
    )
    department = ModelIdFilter(
        queryset=Department.objects.all(),
        method="filter_department",
        label=_("Department"),
        empty_label=_("All departments"),
    )
    park = ModelIdFilter(
        queryset=Park.objects.all(), field_name="enterprise__park", label=_("Park"), empty_label=_("All parks")
    )
    category = django_filters.MultipleChoiceFilter(
        choices=Category.choices, label=_("Category"), widget=OneOfSelect(empty_label=_("All categories"))
    )
    source = django_filters.ChoiceFilter(choices=Source.choices, label=_("Source"), empty_label=_("All sources"))
    urgency = django_filters.ChoiceFilter(choices=Urgency.choices, label=_("Urgency"), empty_label=_("Any urgency"))
    visit = ModelIdFilter(queryset=_visits, label=_("Site visit"), empty_label=_("Any or none"))
    raised_from = DateParamFilter(method="filter_raised_from", label=_("Raised on or after"), widget=DATE_INPUT)
    raised_to = DateParamFilter(method="filter_raised_to", label=_("Raised on or before"), widget=DATE_INPUT)
    overdue = BooleanParamFilter(field_name="is_overdue", label=_("Overdue only"), widget=BooleanCheckbox)
    enterprise = IdFilter(field_name="enterprise_id", label=_("Enterprise"), widget=forms.HiddenInput)
    project = IdFilter(field_name="project_id", label=_("Project"), widget=forms.HiddenInput)
    escalated = BooleanParamFilter(label=_("Escalated"), widget=forms.HiddenInput)
    open = BooleanParamFilter(method="filter_open", label=_("Open (not yet resolved)"), widget=forms.HiddenInput)

    class Meta:
        model = Issue
        fields = []

    def normalise(self, data):
        """Links from the dashboards say `open=true`: the status "open" of the page's select."""
        try:
            wants_open = parse_boolean(data.get("open"))
        except ValueError:
            return data
        if wants_open and not data.get("status"):
            data = data.copy()
            data["status"] = OPEN
            del data["open"]
        return data

    def filter_status(self, qs, name, value):
        if not value:
            return qs
        statuses = {v for v in value if v != OPEN}
        if OPEN in value:
            statuses |= set(Status.open_values())
        return qs.filter(status__in=sorted(statuses))

    def filter_department(self, qs, name, value):
        if value is None:
            return qs
        cohandled = Issue.co_departments.through.objects.filter(department=value).values("issue_id")
        return qs.filter(Q(lead_department=value) | Q(pk__in=cohandled))

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
