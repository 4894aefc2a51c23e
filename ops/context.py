"""What the current log records belong to: the request (its id) and the Celery task, if any.

Context variables, so each thread (gunicorn, the test client) and each task keeps its own. The
request id travels from the web request into every task it enqueues (ops.celery_hooks).
"""

import contextlib
import re
import uuid
from contextvars import ContextVar

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
task_id: ContextVar[str | None] = ContextVar("task_id", default=None)
task_name: ContextVar[str | None] = ContextVar("task_name", default=None)

# What an incoming X-Request-ID may look like (a proxy's hex id, a UUID, a client's token); anything
# else is replaced, so a header cannot inject text into the logs.
VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._:@-]{1,128}")


def new_request_id() -> str:
    return uuid.uuid4().hex


def accepted_request_id(value: str | None) -> str:
    """The caller's id if it is a sensible token, else a new one."""
    if value and VALID_REQUEST_ID.fullmatch(value):
        return value
    return new_request_id()


@contextlib.contextmanager
def bound(**values):
    """Set context variables (request_id, task_id, task_name) for the duration of a block."""
    variables = {"request_id": request_id, "task_id": task_id, "task_name": task_name}
    tokens = [(variables[name], variables[name].set(value)) for name, value in values.items()]
    try:
        yield
    finally:
        for variable, token in reversed(tokens):
            variable.reset(token)
