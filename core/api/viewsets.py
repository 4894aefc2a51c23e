"""The base of the API's viewsets: input serializer → service → output serializer.

Viewsets stay thin: the action's WriteRule (core.api.permissions) is checked first, before the
body is read; the input serializer checks types and shapes only; the service checks
permission again and the rules of the domain and raises core.errors.ApplicationError, which the
exception handler turns into the one error shape. The queryset always comes from the app's
selector, for list and detail alike, so an object outside the user's scope is a 404.
"""

from rest_framework import status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from core.api.permissions import MayWrite, WriteRule


class ServiceViewSet(viewsets.GenericViewSet):
    """Permission comes before the body: every write action names its WriteRule in `write_rules`
    (core.api.permissions); the rule runs in initial() and in get_object(), before `validated()`."""

    permission_classes = [IsAuthenticated, MayWrite]
    write_rules: dict[str, WriteRule] = {}

    def validated(self, serializer_class, *, partial: bool = False) -> dict:
        """Validate the request body with `serializer_class`; a type error is a 400 with fields."""
        serializer = serializer_class(data=self.request.data, partial=partial, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def respond(self, instance, *, status_code: int = status.HTTP_200_OK) -> Response:
        """Serialise `instance` as the detail endpoint shows it (re-read with its annotations)."""
        instance = self.get_queryset().get(pk=instance.pk)
        return Response(self.get_serializer(instance).data, status=status_code)
