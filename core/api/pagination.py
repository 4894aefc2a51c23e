"""The API's page-number pagination: `page` and `page_size` are checked like every other query
parameter (core.params): "abc", 0 or a page size of a billion is a 400 naming the parameter; a
page past the end stays DRF's 404 "Invalid page"."""

from rest_framework import pagination, serializers

from core.api.fields import PageParamField, PageSizeParamField
from core.params import PAGE_SIZE_MAX


def checked(field: serializers.Field, name: str, raw):
    """`raw` through `field`, or a 400 naming the parameter `name`."""
    try:
        return field.run_validation(raw)
    except serializers.ValidationError as exc:
        raise serializers.ValidationError({name: exc.detail}) from None


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = PAGE_SIZE_MAX

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw in (None, ""):
            return self.page_size
        return checked(PageSizeParamField(), self.page_size_query_param, raw)

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param)
        if raw in (None, ""):
            return 1
        if raw in self.last_page_strings:
            return paginator.num_pages
        return checked(PageParamField(), self.page_query_param, raw)
