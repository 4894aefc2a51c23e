"""OpenAPI pieces shared by the API views: the documented error responses."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from core.api.serializers import ErrorSerializer
from core.idempotency import HEADER as IDEMPOTENCY_HEADER
from core.idempotency import UNSAFE_METHODS

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


IDEMPOTENCY_KEY = OpenApiParameter(
    IDEMPOTENCY_HEADER,
    type=str,
    location=OpenApiParameter.HEADER,
    required=False,
    description=_(
        "Optional, 1-255 visible ASCII characters (e.g. a UUID), new for each new request. Send the "
        "request again with the same key after a timeout or a lost answer: within 24 hours the "
        "first answer is returned (same status, header Idempotent-Replayed: true) and nothing is "
        "done twice. The same key with a different body: 422 (idempotency_key_reused); while the "
        "first request still runs: 409 (idempotency_key_in_use)."
    ),
)


class AutoSchema(SpectacularAutoSchema):
    """The schema class of every API view: state-changing calls document the Idempotency-Key
    header (core.idempotency) that the middleware accepts on each of them."""

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if self.method.upper() in UNSAFE_METHODS:
            parameters.append(IDEMPOTENCY_KEY)
        return parameters


class FilterSetSchema(AutoSchema):
    """For an API view that applies a FilterSet itself (core.api.filters.filtered_or_400) and
    answers with one object: the FilterSet's filters are its query parameters all the same."""

    def get_filter_backends(self):
        return getattr(self.view, "filter_backends", [])
