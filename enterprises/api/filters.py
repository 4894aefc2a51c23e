"""Query filters of the enterprise API (search by `q` is the selector's: enterprise_search)."""

import django_filters

from enterprises.models import Enterprise


class EnterpriseFilter(django_filters.FilterSet):
    park = django_filters.NumberFilter(field_name="park_id")
    is_key = django_filters.BooleanFilter()
    segment = django_filters.NumberFilter(method="filter_segment")
    chain = django_filters.NumberFilter(method="filter_chain")

    class Meta:
        model = Enterprise
        fields = ["park", "is_key", "segment", "chain"]

    def filter_segment(self, queryset, name, value):
        return queryset.filter(segments=value).distinct()

    def filter_chain(self, queryset, name, value):
        return queryset.filter(segments__chain=value).distinct()
