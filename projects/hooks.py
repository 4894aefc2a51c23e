"""What the projects app announces to the apps above it (core.hooks), which subscribe in their
AppConfig.ready(): projects never imports them.

`project_changed` is sent after the commit of every write that can change what is derived from
a project (its health, its roll-up into the parent): the project itself, its stage, a progress
report, an annual target or a milestone. `project_ids` lists the projects written (a moved phase
names both its old and its new parent).
"""

from functools import partial

from django.db import transaction

from core.hooks import Hook

project_changed = Hook("project_changed")


def announce_changed(*project_ids) -> None:
    """Send `project_changed` for the projects named, once the current transaction commits."""
    ids = sorted({pk for pk in project_ids if pk is not None})
    if ids:
        transaction.on_commit(partial(project_changed.send, project_ids=ids), robust=True)
