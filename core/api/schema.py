"""OpenAPI pieces shared by the API views: the documented error responses."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse

from core.api.serializers import ErrorSerializer

BAD_INPUT = OpenApiResponse(ErrorSerializer, description=_("Bad input: field-level errors under the field names."))
FORBIDDEN = OpenApiResponse(ErrorSerializer, description=_("Not allowed for this user's role or unit."))
NOT_FOUND = OpenApiResponse(ErrorSerializer, description=_("No such object, or not visible to this user."))
CONFLICT = OpenApiResponse(ErrorSerializer, description=_("Changed by someone else meanwhile: reload and retry."))


def write_responses(ok_status: int, ok_serializer, *, detail: bool = True) -> dict:
    """Responses of a write endpoint: the success body and the error shapes it can answer with."""
    responses = {ok_status: ok_serializer, 400: BAD_INPUT, 403: FORBIDDEN}
    if detail:
        responses[404] = NOT_FOUND
    return responses


class FilterSetSchema(AutoSchema):
    """For an API view that applies a FilterSet itself (core.api.filters.filtered_or_400) and
    answers with one object: the FilterSet's filters are its query parameters all the same."""

    def get_filter_backends(self):
        return getattr(self.view, "filter_backends", [])
