"""How the OpenAPI schema (drf-spectacular) describes the token authentication."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.auth.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": 'Token from POST /api/v1/auth/token/, sent as "Token <token>". It expires; '
            "POST /api/v1/auth/logout/ revokes it.",
        }
