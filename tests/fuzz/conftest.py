"""The fuzz tests run in the API tests' world (tests.api.conftest)."""

from tests.api.conftest import _frozen_time, world, world_objects  # noqa: F401 - fixtures
