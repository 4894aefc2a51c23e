from tests.api.conftest import world  # noqa: F401  (the API tests' world: one project, one user per role)
