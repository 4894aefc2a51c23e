"""Hostile query parameters against every list: never a 500.

The endpoints and pages are discovered, not listed by hand, so a new list is covered as soon as
it exists: the API's GET operations from the OpenAPI schema (with each operation's documented
query parameters and their types), the browser's pages from the URL resolver (with the fields of
each page's filter form). Every refused value must come back as a field error: a 400 naming the
parameter in the API, a field error on the page's filter bar (the page itself answers 200).

Runs on the configured database (PostgreSQL in CI), where an id beyond bigint or a date beyond
year 9999 used to be a 500.
"""

import pytest
from django import forms
from django.core.paginator import Page
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator

from core.filters import FilterForm
from core.params import BooleanParamField, BoundedDateField, IdField, YearField
from dashboards.selectors import DRILL_FIGURES
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
HOSTILE_INTEGERS = ["-2.03e+85", "99999999999999999999", "0", "-1", "1.5", "abc", "9" * 5000]
HOSTILE_DATES = ["0001-01-01", "9999-12-31", "2026-02-30", "20261301", "abc"]
HOSTILE_BOOLEANS = ["perhaps", "2"]
HOSTILE_CHOICES = ["nonsense", "-2.03e+85"]
# Anything for a free-text parameter (search, ordering, a month): it may be refused or searched
# for, but never a 500.
ANYTHING = ["0001-01", "9999-12-31", "-2.03e+85", "x" * 5000, "%00'\"<>"]
PAGES = ["abc", "0", "-2.03e+85", "99999999999999999999"]
PAGE_SIZES = ["1000000000", "0", "abc"]


# --- The API, from its schema ---------------------------------------------------------------------


def _api_operations() -> list[tuple[str, list[dict]]]:
    """(path, query parameters) of every GET operation without path parameters."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = []
    for path, methods in schema["paths"].items():
        get = methods.get("get")
        if get is None or "{" in path:
            continue
        params = [p for p in get.get("parameters", []) if p["in"] == "query"]
        operations.append((path, params))
    return sorted(operations)


def _hostile_for(param: dict) -> tuple[list[str], bool]:
    """The hostile values for a documented parameter, and whether each must be refused."""
    name, schema = param["name"], param["schema"]
    kind = schema.get("type")
    if kind == "array":
        schema = schema["items"]
        kind = schema.get("type")
    if name == "page":
        return PAGES, True
    if name == "page_size":
        return PAGE_SIZES, True
    if kind == "integer":
        return HOSTILE_INTEGERS, True
    if kind == "boolean":
        return HOSTILE_BOOLEANS, True
    if schema.get("format") == "date":
        return HOSTILE_DATES, True
    if "enum" in schema:
        return HOSTILE_CHOICES, True
    return ANYTHING, False


API_OPERATIONS = _api_operations()


def test_the_api_is_discovered():
    paths = {path for path, _params in API_OPERATIONS}
    assert {"/api/v1/projects/", "/api/v1/issues/", "/api/v1/dashboard/summary/", "/api/v1/officials/"} <= paths
    params = {(path, p["name"]) for path, ps in API_OPERATIONS for p in ps}
    assert ("/api/v1/issues/measures/", "start") in params
    assert ("/api/v1/enterprises/", "segment") in params


@pytest.mark.parametrize(("path", "params"), API_OPERATIONS, ids=[path for path, _p in API_OPERATIONS])
def test_hostile_query_parameters_get_a_400_naming_them(path, params):
    client = Client()
    client.force_login(user_with_role("supervisor"))
    for param in params:
        values, refused = _hostile_for(param)
        for value in values:
            response = client.get(path, {param["name"]: value}, **EN)
            assert response.status_code < 500, (path, param["name"], value)
            if refused:
                assert response.status_code == 400, (path, param["name"], value, response.status_code)
                body = response.json()
                assert body.get(param["name"]), (path, param["name"], value, body)
                assert all(isinstance(m, str) and m for m in body[param["name"]])


def test_a_refused_parameter_speaks_the_users_language():
    client = Client()
    client.force_login(user_with_role("supervisor"))
    body = client.get("/api/v1/issues/", {"raised_from": "0001-01-01"}).json()
    assert body["raised_from"] == ["请输入 2000-01-01 至 2100-12-31 之间的日期。"]
    body = client.get("/api/v1/officials/", {"department": "-2.03e+85"}, **EN).json()
    assert body["department"] == ["Enter a valid id (a whole number from 1)."]
    body = client.get("/api/v1/projects/", {"page_size": 10**9}, **EN).json()
    assert body["page_size"] == ["Enter a page size between 1 and 200."]


# --- The browser's pages, from the URL resolver -----------------------------------------------------


def _pages(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    """Every page path without parameters in the URL, outside the admin and the API."""
    resolver = resolver or get_resolver()
    paths = []
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if route.startswith(("admin/", "api/", "^admin", "^api")):
            continue
        if isinstance(pattern, URLResolver):
            paths += _pages(pattern, route)
        elif isinstance(pattern, URLPattern) and "<" not in route and "(?P" not in route:
            paths.append("/" + route.lstrip("^").rstrip("$"))
    return sorted(set(paths))


def _list_pages() -> list[str]:
    # The pages with a figure in the URL: each of the dashboard's drill-down lists and exports.
    parameterised = [f"/dashboard/drill/{figure}/" for figure in DRILL_FIGURES]
    exports = [f"/dashboard/export/{kind}.xlsx" for kind in ("projects", "issues", "milestones", *DRILL_FIGURES)]
    return [*_pages(), *parameterised, *exports]


PAGE_PATHS = _list_pages()
# Every parameter any list understands (the pages read the API's names).
_ALL_PARAMETERS = sorted(
    {
        "page",
        "page_size",
        "q",
        "year",
        "week",
        "chain",
        "campaign",
        "status",
        "unread",
        "format",
        "color",
        "rule",
        "state",
        *(p["name"] for _path, ps in API_OPERATIONS for p in ps),
    }
)


def _field_hostile(field: forms.Field) -> list[str]:
    if isinstance(field, (IdField, YearField, forms.ModelChoiceField)):
        return HOSTILE_INTEGERS
    if isinstance(field, BoundedDateField):
        return HOSTILE_DATES
    if isinstance(field, BooleanParamField):
        return HOSTILE_BOOLEANS
    if isinstance(field, (forms.ChoiceField, forms.MultipleChoiceField)):
        return HOSTILE_CHOICES
    if isinstance(field, forms.CharField) and field.max_length:
        return ["x" * (field.max_length + 1)]
    return []


def test_the_pages_are_discovered():
    assert {"/projects/", "/issues/all/", "/enterprises/", "/dashboard/", "/dashboard/briefing/"} <= set(PAGE_PATHS)


@pytest.mark.parametrize("path", PAGE_PATHS)
def test_hostile_query_parameters_on_a_page_are_field_errors(path):
    client = Client()
    client.force_login(user_with_role("supervisor"))
    response = client.get(path, **EN)
    assert response.status_code < 500, path
    form = (response.context or {}).get("form") if response.status_code == 200 else None
    # Every parameter any list understands, all at once, with a value of the wrong kind: pages
    # that read a parameter without a form must not fail either.
    for value in ["-2.03e+85", "99999999999999999999", "0001-01-01", "9999-12-31", "abc"]:
        params = dict.fromkeys(_ALL_PARAMETERS, value)
        assert client.get(path, params, **EN).status_code < 500, (path, value)
    if not isinstance(form, forms.BaseForm) or not form.fields:
        return
    probe = client.get(path, {next(iter(form.fields)): ""}, **EN)
    if not probe.context["form"].is_bound:
        return  # a form that is posted, not a list's filters
    # A list page: each field of its filter form, one hostile value at a time, is a field error
    # on the page (which still answers 200), and a bad page number an error above the filters.
    for name, field in form.fields.items():
        for value in _field_hostile(field):
            response = client.get(path, {name: value}, **EN)
            assert response.status_code == 200, (path, name, value, response.status_code)
            assert name in response.context["form"].errors, (path, name, value)
    if isinstance(form, FilterForm) and isinstance(response.context.get("page"), Page):
        for value in PAGES[:3]:
            response = client.get(path, {"page": value}, **EN)
            assert response.status_code == 200, (path, value)
            assert response.context["form"].non_field_errors(), (path, value)
