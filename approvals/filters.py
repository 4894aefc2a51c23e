"""The approval items' filters: one FilterSet for the browser list (its filter bar), the API
(DjangoFilterBackend) and the .xlsx export, over a queryset already scoped by
approvals.selectors.items_visible_to. "overdue" is approvals.selectors.overdue_q."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from approvals.models import ApprovalItem, ItemType, Status
from approvals.selectors import overdue_q
from core.filters import BooleanParamFilter, IdFilter, ListFilterSet, ModelIdFilter, SearchFilter
from core.models import Department, Park
from core.params import BooleanCheckbox


class ApprovalItemFilter(ListFilterSet):
    """Search (project name or code, item name), status, overdue only, approving department,
    item type, park, project."""

    q = SearchFilter(method="filter_q")
    status = django_filters.ChoiceFilter(choices=Status.choices, label=_("Status"), empty_label=_("All"))
    overdue = BooleanParamFilter(method="filter_overdue", label=_("Overdue only"), widget=BooleanCheckbox)
    department = ModelIdFilter(
        queryset=Department.objects.all(), label=_("Approving department"), empty_label=_("All departments")
    )
    item_type = ModelIdFilter(queryset=ItemType.objects.all(), label=_("Approval item"), empty_label=_("All items"))
    park = ModelIdFilter(
        queryset=Park.objects.all(), field_name="project__park", label=_("Park"), empty_label=_("All parks")
    )
    project = IdFilter(field_name="project_id", label=_("Project"), help_text=_("Project id."))

    field_order = ["q", "status", "overdue", "department", "item_type", "park", "project"]

    class Meta:
        model = ApprovalItem
        fields = []

    def filter_q(self, qs, name, value):
        value = (value or "").strip()
        if not value:
            return qs
        return qs.filter(
            Q(project__name__icontains=value)
            | Q(project__code__icontains=value)
            | Q(project__name_initials__icontains=value.lower())
            | Q(name__icontains=value)
        )

    def filter_overdue(self, qs, name, value):
        if value is True:
            return qs.filter(overdue_q(timezone.localdate()))
        if value is False:
            return qs.exclude(overdue_q(timezone.localdate()))
        return qs
