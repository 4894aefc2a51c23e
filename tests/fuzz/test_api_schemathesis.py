"""Schemathesis over every operation of the OpenAPI schema (all methods), as several roles.

The schema is the one /api/schema/ serves (drf-spectacular, generated in-process); the requests go
to the Django WSGI application in-process, inside the test's database transaction, so nothing
leaves the machine and nothing persists. Every response must be below 500 and conform to the
schema (status code documented for errors aside: 401/403/404/405 are the API's documented shape).

Part of `make test`: the world is built once for the module (each operation runs in a savepoint
of its transaction), SCHEMATHESIS_MAX_EXAMPLES (default 2) examples per operation and role go
through schemathesis's examples and fuzzing phases; the whole run takes well under a minute.
`make fuzz` goes deeper: SCHEMATHESIS_COVERAGE=1 adds the coverage phase (every boundary case the
schema defines, hundreds per operation) and more examples (a few minutes).
"""

import datetime
import json
import os

import pytest
import schemathesis
import time_machine
from django.core import signals
from django.db import close_old_connections, transaction
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from accounts.models import ApiToken
from projects_tracker.wsgi import application
from tests.api.conftest import NOW, build_world, build_world_objects

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "2"))
# The coverage phase sends every boundary case the schema defines (hundreds per operation): `make fuzz`.
COVERAGE = os.environ.get("SCHEMATHESIS_COVERAGE") == "1"
ROLES = ["leader", "official", "staff", "handler", "supervisor"]


def _schema() -> dict:
    document = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(document, renderer_context={}))


schema = schemathesis.openapi.from_dict(
    _schema(), config=SchemathesisConfig.from_dict({"phases": {"coverage": {"enabled": COVERAGE}}})
)
schema.app = application


@pytest.fixture(scope="module")
def module_tokens(django_db_setup, django_db_blocker):
    """The API tests' world, built once for the module inside a transaction rolled back at its end,
    and a token per role. Each operation's test runs in a savepoint of its own (the `db` fixture
    below), so its writes are undone before the next operation. The WSGI handler must not close
    the database connection after each request (Django's test client does the same)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        with django_db_blocker.unblock(), time_machine.travel(NOW, tick=False), transaction.atomic():
            world, _ids = build_world_objects(build_world())
            yield {
                role: ApiToken.objects.issue(user=world.users[role], ttl=datetime.timedelta(hours=1))[1]
                for role in ROLES
            }
            transaction.set_rollback(True)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(module_tokens, db):
    return module_tokens


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_as_every_role(case, tokens):
    """Each generated request is sent as every role (one world per operation keeps the run short)."""
    for role in ROLES:
        response = case.call(headers={"Authorization": f"Token {tokens[role]}"})
        case.validate_response(response, checks=CHECKS)
