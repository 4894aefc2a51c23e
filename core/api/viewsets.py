"""The base of the API's viewsets: input serializer → service → output serializer.

Viewsets stay thin: the input serializer checks types and shapes only; the service checks
permission and the rules of the domain and raises core.errors.ApplicationError, which the
exception handler turns into the one error shape. The queryset always comes from the app's
selector, for list and detail alike, so an object outside the user's scope is a 404.
"""

from rest_framework import status, viewsets
from rest_framework.response import Response


class ServiceViewSet(viewsets.GenericViewSet):
    def validated(self, serializer_class, *, partial: bool = False) -> dict:
        """Validate the request body with `serializer_class`; a type error is a 400 with fields."""
        serializer = serializer_class(data=self.request.data, partial=partial, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def respond(self, instance, *, status_code: int = status.HTTP_200_OK) -> Response:
        """Serialise `instance` as the detail endpoint shows it (re-read with its annotations)."""
        instance = self.get_queryset().get(pk=instance.pk)
        return Response(self.get_serializer(instance).data, status=status_code)
