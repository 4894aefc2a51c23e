"""Permission before validation: every write route of the API, found by walking the URL
patterns (router routes, each @action, the workflow's endpoints, plain API views), is called
by every role with an empty body. A role that may not act gets 403 (or 404 when the object is
outside its scope) — never a 400 that would teach it the shape of the input — and nothing is
written. A role that may act may get the 400 (the body is empty), never a 5xx.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from core.models import AuditEntry
from issues.models import IssueEvent
from tests.api.conftest import ROLES

WRITE_METHODS = {"post", "put", "patch", "delete"}
# Routes every signed-in user may call on what is theirs (scoped by the queryset).
OPEN_TO_ALL = {"api-token", "api-logout", "notification-read-all"}
ALL = frozenset(ROLES)
SUP = frozenset({"supervisor"})
UNIT = frozenset({"official", "supervisor"})  # the project's own unit and the supervision office
ANY_OFFICIAL = frozenset({"official", "other_official", "supervisor"})

# route name -> the roles that may act on the world's objects (the others must get 403/404).
MAY_ACT = {
    "enterprise-list": SUP,
    "enterprise-detail": SUP,
    "project-list": SUP,
    "project-detail": UNIT,
    "project-stage": UNIT,
    "progress-report-list": ANY_OFFICIAL,  # which project: the body names it (then 400 / 403)
    "progress-report-detail": UNIT,
    "annual-target-list": SUP,
    "annual-target-detail": SUP,
    "milestone-list": ANY_OFFICIAL,
    "milestone-detail": UNIT,
    "milestone-complete": UNIT,
    "milestone-reopen": UNIT,
    "issue-list": frozenset({"leader", "official", "other_official", "staff", "supervisor"}),
    "issue-assign": SUP,
    "issue-reassign": SUP,
    "issue-acknowledge": frozenset({"handler"}),
    "issue-respond": frozenset({"handler"}),
    "issue-resolve": frozenset({"handler"}),
    "issue-return": frozenset({"handler"}),
    "issue-confirm": frozenset({"staff", "supervisor"}),
    "issue-reopen": frozenset({"staff", "supervisor"}),
    "issue-resolve_on_spot": frozenset({"leader", "staff"}),
    "issue-remind": SUP,
    "issue-escalate": frozenset({"leader", "supervisor"}),
    "issue-comment": frozenset({"leader", "official", "staff", "handler", "supervisor"}),
    "visit-list": frozenset({"leader", "supervisor"}),
    "time-limit-rule-detail": SUP,
    "candidate-list": ANY_OFFICIAL,
    "candidate-detail": frozenset({"official"}),
    "candidate-step": frozenset({"official", "supervisor"}),
    "dispatch-entry-list": SUP,
    "dispatch-entry-remove": SUP,
    "funding-line-list": ANY_OFFICIAL,
    "funding-line-detail": UNIT,
    "policy-support-list": ANY_OFFICIAL,
    "policy-support-detail": UNIT,
    "project-location-detail": UNIT,
    "park-boundary-detail": UNIT,
    "notification-read": frozenset({"official"}),
    "user-deactivate": SUP,  # its recipient; the others get 404
    "approval-item-detail": UNIT,
    "approval-item-transition": UNIT,
    "approval-item-documents": UNIT,
    "approval-item-generate": ANY_OFFICIAL,  # which project: the body names it (then 400 / 403)
}


def _write_routes():
    """(route name, URL regex, write methods) for every pattern under /api/ that writes."""
    routes = []

    def walk(patterns, prefix):
        for pattern in patterns:
            regex = prefix + str(pattern.pattern.regex.pattern).lstrip("^").rstrip("$").replace("\\Z", "")
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, regex)
                continue
            if not regex.startswith("api/") or not isinstance(pattern, URLPattern):
                continue
            callback = pattern.callback
            cls = getattr(callback, "cls", None)
            if cls is None:
                continue
            if getattr(callback, "actions", None) is not None:
                methods = {m for m in callback.actions if m in WRITE_METHODS}
            else:
                methods = {m for m in WRITE_METHODS if hasattr(cls, m)}
            methods &= set(getattr(cls, "http_method_names", WRITE_METHODS))
            if methods and not regex.endswith(r"\.(?P<format>[a-z0-9]+)/?"):
                routes.append((pattern.name, regex, frozenset(methods)))

    walk(get_resolver().url_patterns, "")
    return sorted({(n, r, m) for n, r, m in routes if "(?P<format>" not in r})


ROUTES = _write_routes()


def test_every_write_route_has_a_rule():
    names = {name for name, _regex, _methods in ROUTES}
    assert names - OPEN_TO_ALL == set(MAY_ACT), "a write route was added or removed: list who may act"
    assert len(ROUTES) >= 35


def _url(regex: str, name: str, ids: dict) -> str:
    basename = next(b for b in sorted(ids, key=len, reverse=True) if name.startswith(b + "-"))
    return "/" + re.sub(r"\(\?P<[a-z_]+>[^)]*\)", str(ids[basename]), regex).replace("\\", "")


def _counts() -> tuple:
    return AuditEntry.objects.count(), IssueEvent.objects.count()


@pytest.mark.parametrize(
    ("name", "regex", "methods"),
    [pytest.param(*route, id=route[0]) for route in ROUTES if route[0] not in OPEN_TO_ALL],
)
def test_a_role_that_may_not_act_is_refused_whatever_the_body(world_objects, name, regex, methods):
    world, ids = world_objects
    url = _url(regex, name, ids)
    # The supervisor last: a delete it may do must not hide the object from the others.
    for role in sorted(ROLES, key=lambda r: r == "supervisor"):
        client = world.client(role)
        for method in sorted(methods):
            for body in ({}, {"version": "x", "note": 7, "project": "abc"}):
                before = _counts()
                response = getattr(client, method)(url, body, format="json")
                status = response.status_code
                assert status < 500, (name, method, role, status)
                if role in MAY_ACT[name]:
                    continue
                assert status in (403, 404), (name, method, role, status, response.content[:300])
                assert _counts() == before, (name, method, role)


def test_an_api_url_that_matches_nothing_is_a_json_404(world):
    for url in ["/api/v1/campaigns/0.5/milestones/", "/api/v1/projects/abc/", "/api/v1/nothing/"]:
        response = world.client("supervisor").get(url)
        assert response.status_code == 404
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["code"] == "not_found"
