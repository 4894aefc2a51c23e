"""Query filters shared by the API: `q` is the search parameter everywhere."""

import django_filters
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.filters import OrderingFilter, SearchFilter

from core.models import Official, Role


class QSearchFilter(SearchFilter):
    """DRF's search under the name `q`, the same parameter the browser's search box uses."""

    search_param = "q"


DIRECTORY_BACKENDS = [DjangoFilterBackend, QSearchFilter, OrderingFilter]


class OfficialFilter(django_filters.FilterSet):
    department = django_filters.NumberFilter(field_name="department_id")
    role = django_filters.ChoiceFilter(choices=Role.choices)

    class Meta:
        model = Official
        fields = ["department", "role"]
