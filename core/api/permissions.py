"""Permission before validation: who may call a write action, checked before its body is read.

A viewset of core.api.viewsets.ServiceViewSet declares, for every action that writes, a
`WriteRule` made of the app's own can_* functions (the ones its services call):

- `user(user)`: may this user's role do it at all? On a collection action (create) it is
  checked in DRF's `initial()`, so a role that may never add a project gets 403 whatever the
  body holds; on a detail action, together with `obj`.
- `obj(user, obj)`: may this user do it to this object? Checked when the view fetches the
  object (`get_object()`, or `check_object_permissions` on the object it fetched itself), which
  every write view does before it validates the body. An object outside the user's scope is
  a 404 before that (the queryset is the app's selector), so existence is never disclosed.

The service still checks the same rule (with what the body names, e.g. the project of a new
report): the rule here only moves the refusal in front of validation, so a body never teaches
a caller who may not act the shape of the input. A write action without a rule is refused
(fail closed); tests/api/test_permission_before_validation.py walks every route.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

NOT_ALLOWED = _("You may not do this.")


@dataclass(frozen=True)
class WriteRule:
    user: Callable | None = None
    obj: Callable | None = None
    message: str = NOT_ALLOWED


def anyone_with_a_role(user) -> bool:
    """Actions on one's own things (mark my notification read): every signed-in user."""
    return getattr(user, "is_authenticated", False)


class MayWrite(BasePermission):
    """Reads pass (their scope is the queryset); a write needs its action's WriteRule."""

    message = NOT_ALLOWED

    def _rule(self, request, view) -> WriteRule | None:
        return getattr(view, "write_rules", {}).get(getattr(view, "action", None))

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        if getattr(view, "action", None) is None:
            return True  # no handler for this method: DRF answers 405
        rule = self._rule(request, view)
        if rule is None:
            return False  # fail closed: a write action nobody declared a rule for
        if getattr(view, "detail", False):
            return True  # the object's scope (404) first, then the rule (has_object_permission)
        return self._allows(rule, rule.user, request.user)

    def _allows(self, rule: WriteRule, check, *args) -> bool:
        if check is not None and not check(*args):
            self.message = rule.message
            return False
        return True

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in SAFE_METHODS:
            return True
        rule = self._rule(request, view)
        if rule is None:
            return False
        return self._allows(rule, rule.user, request.user) and self._allows(rule, rule.obj, request.user, obj)
