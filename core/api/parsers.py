"""Request body parsers for the API: JSON with a bounded nesting depth.

No API body needs more than a few levels; a deeply nested one (a denial-of-service probe, or a
RecursionError in the decoder) is refused with a 400 in the user's language before any view
sees it.
"""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_JSON_DEPTH = 32


def _too_deep() -> ParseError:
    return ParseError(
        _("The JSON body is nested more than %(n)d levels deep; no request needs that.") % {"n": MAX_JSON_DEPTH}
    )


def json_depth(value) -> int:
    """The nesting depth of a parsed JSON value (a scalar is 0), without recursion."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        if deepest > MAX_JSON_DEPTH:
            return deepest
        stack.extend((child, depth + 1) for child in children)
    return deepest


class BoundedJSONParser(JSONParser):
    """DRF's JSON parser, refusing bodies nested deeper than MAX_JSON_DEPTH."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise _too_deep() from None
        if json_depth(data) > MAX_JSON_DEPTH:
            raise _too_deep()
        return data
