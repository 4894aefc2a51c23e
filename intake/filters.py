"""The candidate list's filters: one FilterSet for the browser list (its filter bar) and the API
(DjangoFilterBackend), over a queryset already scoped by intake.selectors.candidates_visible_to."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.filters import ListFilterSet, ModelIdFilter, SearchFilter
from core.models import Department, Park
from intake.models import Candidate, Status

OPEN = "open"


class CandidateFilter(ListFilterSet):
    """Search (name, enterprise, credit code), status ("open": every candidate still on its way),
    park and submitting unit."""

    q = SearchFilter(method="filter_q")
    status = django_filters.ChoiceFilter(
        choices=[(OPEN, _("Under way")), *Status.choices],
        method="filter_status",
        label=_("Status"),
        empty_label=_("All"),
    )
    park = ModelIdFilter(queryset=Park.objects.all(), label=_("Park"), empty_label=_("All parks"))
    unit = ModelIdFilter(queryset=Department.objects.all(), label=_("Submitting unit"), empty_label=_("All units"))

    field_order = ["q", "status", "park", "unit"]

    class Meta:
        model = Candidate
        fields = []

    def filter_q(self, qs, name, value):
        value = (value or "").strip()
        if not value:
            return qs
        return qs.filter(
            Q(name__icontains=value)
            | Q(enterprise__name__icontains=value)
            | Q(enterprise_name__icontains=value)
            | Q(credit_code__icontains=value)
        )

    def filter_status(self, qs, name, value):
        if value == OPEN:
            return qs.filter(status__in=Status.open_values())
        return qs.filter(status=value) if value else qs
