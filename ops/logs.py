"""Log records as one JSON object per line, each with the request id and task of its context.

Used by settings.LOGGING (web, worker, beat, management commands) and by gunicorn's own logger
(projects_tracker/gunicorn_conf.py). Imports nothing from Django: logging is configured before
the apps are loaded.
"""

import logging
from datetime import UTC, datetime

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter as _BaseJsonFormatter

from ops import context


class ContextFilter(logging.Filter):
    """Give every record `request_id`, `task_id` and `task_name`; `missing` (None: null in JSON)
    outside a request or task."""

    def __init__(self, missing: str | None = None):
        super().__init__()
        self.missing = missing

    def filter(self, record: logging.LogRecord) -> bool:
        for name, variable in (
            ("request_id", context.request_id),
            ("task_id", context.task_id),
            ("task_name", context.task_name),
        ):
            if getattr(record, name, None) is None:
                value = variable.get()
                setattr(record, name, self.missing if value is None else value)
        return True


class JsonFormatter(_BaseJsonFormatter):
    """{"time", "level", "logger", "message", "request_id", …, "exc_info"} on one line, UTF-8
    (Chinese stays readable). Extra attributes given to a log call (`extra=`) are added;
    Django's `request` attribute is left out (it would only repeat the path as a repr)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("fmt", "%(asctime)s %(levelname)s %(name)s %(message)s")
        kwargs.setdefault("rename_fields", {"asctime": "time", "levelname": "level", "name": "logger"})
        kwargs.setdefault("json_ensure_ascii", False)
        kwargs.setdefault("reserved_attrs", [*RESERVED_ATTRS, "request"])
        super().__init__(*args, **kwargs)

    def formatTime(self, record, datefmt=None):
        # ISO 8601 in UTC with milliseconds: sortable, and unambiguous across servers.
        return datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds")
