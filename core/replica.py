"""Reads from a PostgreSQL read replica, for the read-heavy pages that can bear a moment's lag.

With DATABASE_REPLICA_URL set, settings add the "replica" database alias and `ReplicaRouter`.
Nothing reads from the replica by default: a view opts in with `@reads_from_replica` (the
cockpit, the chain map, the league tables, the map, the briefing, the dashboard API), and only
its reads made outside a transaction go there — inside `transaction.atomic()` (a write, and
whatever it reads to decide) every query stays on the primary, so a user never reads a stale
row they are about to change. Writes always go to the primary; migrations run on it only.
Without the setting the decorator does nothing.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"

_reading_from_replica: ContextVar[bool] = ContextVar("reading_from_replica", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def read_replica() -> Iterator[None]:
    """Reads inside this block (outside transactions) go to the replica, if one is configured."""
    token = _reading_from_replica.set(True)
    try:
        yield
    finally:
        _reading_from_replica.reset(token)


def reads_from_replica(view: Callable) -> Callable:
    """A view (function, or a class-based view's `dispatch`) whose reads may use the replica."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        with read_replica():
            return view(*args, **kwargs)

    return wrapped


class ReplicaRouter:
    """Reads in a `read_replica()` block outside transactions → "replica"; all else → "default"."""

    def db_for_read(self, model, **hints):
        if _reading_from_replica.get() and replica_configured() and not connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the same rows as the primary.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS
