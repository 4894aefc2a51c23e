"""Query filters shared by the API: `q` is the search parameter everywhere, and a FilterSet's
refusal is a 400 with field errors (as DjangoFilterBackend answers) wherever it is applied."""

from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from rest_framework.filters import OrderingFilter, SearchFilter


class QSearchFilter(SearchFilter):
    """DRF's search under the name `q`, the same parameter the browser's search box uses."""

    search_param = "q"


DIRECTORY_BACKENDS = [DjangoFilterBackend, QSearchFilter, OrderingFilter]


def valid_or_400(filterset):
    """The FilterSet once its parameters are valid, or a 400 with the refused parameters (for views
    that apply it themselves to their own queryset with `filter_queryset`)."""
    if not filterset.is_valid():
        raise translate_validation(filterset.errors)
    return filterset


def filtered_or_400(filterset):
    """The FilterSet's queryset, or a 400 with the refused parameters (for views that apply a
    FilterSet themselves, outside DjangoFilterBackend)."""
    if not filterset.is_valid():
        raise translate_validation(filterset.errors)
    return filterset.qs
