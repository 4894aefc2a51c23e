"""The filters of the enterprise directory (page and API) and of the organisation directory
(officials, departments): one FilterSet per list (core.filters)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from core.filters import BooleanParamFilter, IdFilter, ListFilterSet, ModelIdFilter, SearchFilter
from core.models import Department, Official, Park, Role
from core.params import BooleanSelect
from enterprises.models import Enterprise, IndustryChain
from enterprises.selectors import chains_visible_to, enterprise_search_q


def _chains(request):
    # Chains are directory data, read by every role; without a request (a direct call) all of them.
    return chains_visible_to(request.user) if request is not None else IndustryChain.objects.all()


class EnterpriseFilter(ListFilterSet):
    """Over enterprises.selectors.enterprises_visible_to."""

    q = SearchFilter(method="filter_q", label=_("Name, short name, credit code or pinyin initials (e.g. zxgt)"))
    park = ModelIdFilter(queryset=Park.objects.all(), label=_("Park"), empty_label=_("All parks"))
    chain = ModelIdFilter(
        queryset=_chains, method="filter_chain", label=_("Industry chain"), empty_label=_("All chains")
    )
    is_key = BooleanParamFilter(
        label=_("Key enterprises"),
        widget=BooleanSelect(either=_("Key and other"), yes=_("Key enterprises only"), no=_("Other enterprises only")),
    )
    segment = IdFilter(method="filter_segment", label=_("Chain segment"), widget=forms.HiddenInput)

    class Meta:
        model = Enterprise
        fields = []

    def filter_q(self, queryset, name, value):
        return queryset.filter(enterprise_search_q(value))

    # Through a subquery, so an enterprise in several segments is listed once without DISTINCT.
    def filter_segment(self, queryset, name, value):
        return queryset.filter(pk__in=Enterprise.objects.filter(segments=value).values("pk"))

    def filter_chain(self, queryset, name, value):
        return queryset.filter(pk__in=Enterprise.objects.filter(segments__chain=value).values("pk"))


class OfficialFilter(ListFilterSet):
    department = IdFilter(field_name="department_id", label=_("Department"))
    role = django_filters.ChoiceFilter(choices=Role.choices, label=_("Role"))

    class Meta:
        model = Official
        fields = []


class DepartmentFilter(ListFilterSet):
    kind = django_filters.ChoiceFilter(choices=Department.Kind.choices, label=_("Kind"))

    class Meta:
        model = Department
        fields = []
