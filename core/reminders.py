"""Deadlines that an app below notifications owns and notifications reminds, on the milestones'
ladder and escalation (a reminder ladder to the owner, then an escalation and a supervision item
after N days overdue).

notifications sits above the apps whose deadlines it reminds and must not be edited for each new
one: an app registers a `ReminderSource` in its AppConfig.ready(); the sweep
(notifications.reminders.registered_reminders) asks every source for its items due within the
ladder's lead and plans them exactly as it plans milestones. A source names its four kinds of
notification (upcoming, due today, overdue, escalated), which the notifications app lists among
its kinds and writes with the source's `label`.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class DueItem:
    """One deadline to remind. Officials are loaded with the paths the sweep asked for."""

    object_id: int
    title: str
    due_date: datetime.date
    project: object  # a projects.Project
    owner: object | None  # the core.Official reminded on the ladder
    escalate_to: tuple = ()  # the core.Officials told on escalation
    path: str = "/"
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class ReminderSource:
    key: str
    label: object  # what is due, e.g. "Approval" (a lazy translation)
    model: type  # the model whose rows are reminded (the notifications' content type)
    kinds: tuple[str, str, str, str]  # upcoming, due today, overdue, escalated
    # due_items(*, today, horizon, person_paths) -> [DueItem]: open deadlines on or before
    # `horizon`, in a fixed number of queries; person_paths(prefix) gives the select_related
    # paths that load an Official with everything a delivery needs.
    due_items: Callable[..., list[DueItem]]


SOURCES: dict[str, ReminderSource] = {}


def register(source: ReminderSource) -> None:
    """Add (or replace, on a repeated ready()) a source of deadlines."""
    SOURCES[source.key] = source


def registered() -> list[ReminderSource]:
    return [SOURCES[key] for key in sorted(SOURCES)]


def source_for_kind(kind: str) -> ReminderSource | None:
    return next((s for s in SOURCES.values() if kind in s.kinds), None)
