"""Deeply nested JSON is a 400 with a message, never a RecursionError (issue 9 item 3b), and
validation errors of list items carry plain messages, never a Python repr (item 3e)."""

import pytest
from rest_framework.test import APIClient

from core.api.parsers import MAX_JSON_DEPTH, json_depth


@pytest.fixture
def api(world):
    client = APIClient()
    client.force_authenticate(world.users["supervisor"])
    return client


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 1_000, 200_000])
@pytest.mark.parametrize("opener", ["[", '{"a":'])
def test_deep_json_is_a_400_with_a_message(api, world, depth, opener):
    closer = "]" if opener == "[" else "}"
    body = opener * depth + "1" + closer * depth
    response = api.post(
        f"/api/v1/projects/{world.project.pk}/stage/",
        body,
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 400
    data = response.json()
    assert "嵌套" in data["detail"]
    assert data["code"] == "parse_error"


def test_ordinary_nesting_passes_the_parser(api, world):
    response = api.post(
        "/api/v1/issues/", {"enterprise": world.enterprise.pk, "description": "x", "category": "approval"}
    )
    assert response.status_code == 201, response.content


def test_depth_is_measured_without_recursion():
    value = 1
    for _ in range(100_000):
        value = [value]
    assert json_depth(value) > MAX_JSON_DEPTH
    assert json_depth({"a": [1, {"b": 2}]}) == 3
    assert json_depth(5) == 0


def test_list_item_errors_are_plain_messages(api, world):
    response = api.post(
        "/api/v1/issues/",
        {"enterprise": world.enterprise.pk, "description": "x", "category": "approval", "co_departments": ["abc", -5]},
        format="json",
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "ErrorDetail" not in text and "{0:" not in text
    body = response.json()
    assert isinstance(body["detail"], str) and "ErrorDetail" not in body["detail"]
