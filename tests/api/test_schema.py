"""The OpenAPI schema validates without warnings, documents every endpoint, and the docs pages
work without internet (every asset from /static/drf_spectacular_sidecar/)."""

import contextlib
import io
import re
from urllib.parse import quote

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import include, path
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from core.models import Role
from projects_tracker import api_urls
from tests.factories import user_with_role

EXPECTED_PATHS = {
    "/api/v1/auth/token/": {"post", "delete"},
    "/api/v1/auth/logout/": {"post"},
    "/api/v1/parks/": {"get"},
    "/api/v1/parks/{id}/": {"get"},
    "/api/v1/departments/": {"get"},
    "/api/v1/officials/": {"get"},
    "/api/v1/enterprises/": {"get", "post"},
    "/api/v1/enterprises/{id}/": {"get", "patch"},
    "/api/v1/chains/": {"get"},
    "/api/v1/chains/{id}/": {"get"},
    "/api/v1/service-teams/": {"get"},
    "/api/v1/projects/": {"get", "post"},
    "/api/v1/projects/{id}/": {"get", "patch"},
    "/api/v1/projects/{id}/stage/": {"post"},
    "/api/v1/projects/{id}/stage-history/": {"get"},
    "/api/v1/progress-reports/": {"get", "post"},
    "/api/v1/progress-reports/{id}/": {"get", "patch"},
    "/api/v1/annual-targets/": {"get", "post"},
    "/api/v1/annual-targets/{id}/": {"get", "patch", "delete"},
    "/api/v1/milestones/": {"get", "post"},
    "/api/v1/milestones/{id}/": {"get", "patch"},
    "/api/v1/milestones/{id}/complete/": {"post"},
    "/api/v1/milestones/{id}/reopen/": {"post"},
}


# The endpoints this slice of the API owns (other apps register theirs beside them).
SLICE_PREFIXES = tuple(url.removeprefix("/api/v1/").split("/")[0] for url in EXPECTED_PATHS)


def generate(patterns=None) -> tuple[dict, list[str]]:
    """Generate the schema in-process; return it with the generator's warnings and errors (what
    it reports on stderr; GENERATOR_STATS is true when it reported any)."""
    GENERATOR_STATS.reset()
    report = io.StringIO()
    with contextlib.redirect_stderr(report):
        schema = SchemaGenerator(patterns=patterns).get_schema(request=None, public=True)
    problems = [line for line in report.getvalue().splitlines() if line.strip()]
    if GENERATOR_STATS and not problems:
        problems = ["warnings or errors reported while output was silenced"]
    GENERATOR_STATS.reset()
    return schema, problems


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    """The schema of this slice's endpoints only, so that its checks do not depend on other apps."""
    slice_patterns = [p for p in api_urls.urlpatterns if str(p.pattern).lstrip("^").startswith(SLICE_PREFIXES)]
    with django_db_blocker.unblock():
        schema, problems = generate([path("api/v1/", include(slice_patterns))])
    assert problems == []
    validate_schema(schema)
    return schema


def test_the_whole_api_schema_validates_without_warnings(django_db_blocker, tmp_path):
    """What `manage.py spectacular --validate --fail-on-warn` checks, for every app's endpoints."""
    GENERATOR_STATS.reset()
    with django_db_blocker.unblock():
        call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "openapi.yaml"))
    schema = yaml.safe_load((tmp_path / "openapi.yaml").read_text())
    assert schema["openapi"].startswith("3.")
    assert all(path_.startswith("/api/v1/") for path_ in schema["paths"]), list(schema["paths"])


def test_schema_covers_every_endpoint_of_this_slice(schema):
    assert schema["openapi"].startswith("3.")
    for path_, methods in EXPECTED_PATHS.items():
        assert path_ in schema["paths"], path_
        assert methods <= set(schema["paths"][path_]), (path_, set(schema["paths"][path_]))


def parameter_names(operation) -> set[str]:
    return {p["name"] for p in operation.get("parameters", [])}


def test_filters_are_documented(schema):
    paths = schema["paths"]
    assert {"park", "stage", "chain", "level", "is_key", "mine", "q", "ordering", "page", "page_size"} <= (
        parameter_names(paths["/api/v1/projects/"]["get"])
    )
    assert {"q", "park", "is_key", "chain"} <= parameter_names(paths["/api/v1/enterprises/"]["get"])
    assert {"project", "month_from", "month_to"} <= parameter_names(paths["/api/v1/progress-reports/"]["get"])
    assert {"project", "campaign", "overdue", "done"} <= parameter_names(paths["/api/v1/milestones/"]["get"])


def test_writes_document_their_input_and_errors(schema):
    report_create = schema["paths"]["/api/v1/progress-reports/"]["post"]
    assert "multipart/form-data" in report_create["requestBody"]["content"]
    assert {"201", "400", "403"} <= set(report_create["responses"])
    complete = schema["paths"]["/api/v1/milestones/{id}/complete/"]["post"]
    assert {"200", "400", "403", "404"} <= set(complete["responses"])
    assert schema["components"]["securitySchemes"]["tokenAuth"]["type"] == "apiKey"


@pytest.fixture
def signed_in(db):
    client = APIClient()
    client.force_login(user_with_role(Role.OFFICIAL))
    return client


def test_schema_endpoint_serves_it_to_signed_in_users(signed_in):
    response = signed_in.get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/v1/projects/{id}/stage/" in response.content


@pytest.mark.django_db
def test_schema_and_docs_need_a_login():
    assert APIClient().get("/api/schema/").status_code == 401
    for url in ["/api/docs/", "/api/docs/?script", "/api/redoc/"]:
        response = APIClient().get(url)
        assert response.status_code == 302, url
        assert response["Location"] == f"/login/?next={quote(url)}"


EXTERNAL_URL = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", re.IGNORECASE)


@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_docs_pages_load_their_assets_locally(signed_in, url):
    response = signed_in.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/" in html
    assert not EXTERNAL_URL.search(html), html
    assert not re.search(r"https?://", html), re.findall(r"https?://\S+", html)
    for asset in re.findall(r"/static/((?:drf_spectacular_sidecar|css)/[^\"'\s]+)", html):
        assert finders.find(asset), asset


def test_redoc_forbids_the_browser_to_fetch_anything_from_outside(signed_in):
    """Redoc's bundle shows a logo from cdn.redoc.ly; the policy keeps the browser from asking."""
    policy = signed_in.get("/api/redoc/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "img-src 'self' data: blob:" in policy


def test_swagger_ui_has_no_inline_script_and_no_validator_badge(signed_in):
    """The start-up script is a second request (the site's CSP forbids inline script); the badge
    is an image from validator.swagger.io: switched off so the page stays offline."""
    html = signed_in.get("/api/docs/").content.decode()
    assert re.findall(r"<script(?![^>]*\bsrc=)", html) == []
    assert "<style" not in html
    script = signed_in.get("/api/docs/?script")
    assert script["Content-Type"].startswith("application/javascript")
    assert '"validatorUrl": null' in script.content.decode()
