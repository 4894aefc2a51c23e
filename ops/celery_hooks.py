"""Celery signal receivers: the request id travels with each task, and periodic tasks leave a
heartbeat when they succeed.

- before_task_publish (web or worker process): the message gets a `request_id` header, the id of
  the request (or task) that enqueues it.
- task_prerun / task_postrun (worker): the task's logs carry that request id, its task id and name.
- task_success (worker): a task of beat's schedule records its heartbeat (ops.models.Heartbeat).
"""

import logging

from celery import signals
from django.conf import settings
from django.db import DatabaseError

from ops import context

logger = logging.getLogger(__name__)
HEADER = "request_id"
_tokens: dict[str, list] = {}


def _add_request_id(headers=None, **kwargs):
    current = context.request_id.get()
    if current and headers is not None:
        headers.setdefault(HEADER, current)


def _enter_task(task_id=None, task=None, **kwargs):
    # In eager mode the task runs inside the request: keep the request's id.
    carried = getattr(task.request, HEADER, None) or context.request_id.get()
    _tokens[task_id] = [
        (context.request_id, context.request_id.set(carried)),
        (context.task_id, context.task_id.set(task_id)),
        (context.task_name, context.task_name.set(task.name)),
    ]


def _leave_task(task_id=None, **kwargs):
    for variable, token in reversed(_tokens.pop(task_id, [])):
        variable.reset(token)


def _record_heartbeat(sender=None, **kwargs):
    if sender is None or sender.name not in {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()}:
        return
    from ops.services import heartbeat_record

    try:
        heartbeat_record(name=sender.name)
    except DatabaseError:
        # The task itself succeeded; a missed heartbeat only makes the lag look larger.
        logger.warning("Could not record the heartbeat of %s", sender.name, exc_info=True)


def connect() -> None:
    signals.before_task_publish.connect(_add_request_id, weak=False, dispatch_uid="ops.request_id.publish")
    signals.task_prerun.connect(_enter_task, weak=False, dispatch_uid="ops.request_id.prerun")
    signals.task_postrun.connect(_leave_task, weak=False, dispatch_uid="ops.request_id.postrun")
    signals.task_success.connect(_record_heartbeat, weak=False, dispatch_uid="ops.heartbeat")
