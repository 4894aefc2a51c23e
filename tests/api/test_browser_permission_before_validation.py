"""Permission before validation in the browser: every page that takes a POST, posted an empty
form by every role. A role that may not act gets 403 (or 404 out of its scope), never the form
back with field errors (400), and nothing is written.
"""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from core.models import AuditEntry
from issues.models import IssueEvent
from tests.api.conftest import ROLES

SUP = frozenset({"supervisor"})
UNIT = frozenset({"official", "supervisor"})
OFFICIALS = frozenset({"official", "other_official", "supervisor"})

# route (namespace:name) -> (path with {ids}, the roles that may act on the world's objects)
WRITES = {
    "projects:change_stage": ("/projects/{project}/stage/", UNIT),
    "projects:submit_report": ("/projects/{project}/reports/", UNIT),
    "projects:complete_milestone": ("/projects/{project}/milestones/{milestone}/complete/", UNIT),
    "issues:new": ("/issues/new/", frozenset({"leader", "official", "other_official", "staff", "supervisor"})),
    "issues:action": ("/issues/{issue}/actions/acknowledge/", frozenset({"handler"})),
    "visits:new": ("/visits/new/", frozenset({"leader", "supervisor"})),
    "notifications:supervision_close": ("/notifications/supervision/{project}/close/", SUP),
    "notifications:delivery_retry": ("/notifications/deliveries/{project}/retry/", SUP),
    "campaigns:create": ("/campaigns/new/", SUP),
    "campaigns:policy": ("/campaigns/{project}/reminders/", SUP),
    "dashboards:league_publish": ("/dashboard/league/publish/", SUP),
    "dashboards:import": ("/dashboard/import/", SUP),
    "dashboards:import_commit": ("/dashboard/import/{project}/commit/", SUP),
    "intake:create": ("/intake/new/", OFFICIALS),
    "intake:edit": ("/intake/{candidate}/edit/", frozenset({"official"})),
    "intake:step": ("/intake/{candidate}/step/", UNIT),
    "intake:dispatch_add": ("/intake/dispatch/add/", SUP),
    "intake:dispatch_remove": ("/intake/dispatch/{project}/remove/", SUP),
    "intake:import": ("/intake/import/", OFFICIALS),
    "intake:import_commit": ("/intake/import/{project}/commit/", OFFICIALS),
    "funding:line_set": ("/funding/projects/{project}/lines/", UNIT),
    "funding:line_delete": ("/funding/lines/{funding-line}/delete/", UNIT),
    "funding:policy_create": ("/funding/projects/{project}/policies/", UNIT),
    "funding:policy_update": ("/funding/policies/{policy-support}/", UNIT),
    "funding:policy_delete": ("/funding/policies/{policy-support}/delete/", UNIT),
    "geo:project_location": ("/geo/projects/{project}/location/", UNIT),
    "geo:project_location_clear": ("/geo/projects/{project}/location/clear/", UNIT),
    "geo:park_boundary": ("/geo/parks/{park-boundary}/boundary/", UNIT),
    "notifications:read": ("/notifications/{notification}/read/", frozenset({"official"})),
    "notifications:open": ("/notifications/{notification}/open/", frozenset({"official"})),
}


def _names() -> set:
    names = set()

    def walk(patterns, namespace, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace, route)
            elif isinstance(pattern, URLPattern) and pattern.name and not route.startswith(("api/", "admin/")):
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns, None, "")
    return names


def test_the_listed_pages_exist():
    assert set(WRITES) <= _names()


def _url(template: str, ids: dict) -> str:
    return re.sub(r"\{([a-z-]+)\}", lambda m: str(ids[m.group(1)]), template)


@pytest.mark.parametrize("name", sorted(WRITES))
def test_a_role_that_may_not_act_gets_403_before_the_form(world_objects, name):
    world, ids = world_objects
    template, may_act = WRITES[name]
    url = _url(template, ids)
    for role in sorted(ROLES, key=lambda r: r == "supervisor"):
        client = Client()
        client.force_login(world.users[role])
        before = AuditEntry.objects.count(), IssueEvent.objects.count()
        response = client.post(url, {})
        assert response.status_code < 500, (name, role, response.status_code)
        if role in may_act:
            continue
        assert response.status_code in (403, 404), (name, role, response.status_code)
        assert (AuditEntry.objects.count(), IssueEvent.objects.count()) == before, (name, role)
