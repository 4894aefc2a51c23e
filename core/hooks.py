"""Hook registries: how a lower app announces events to the apps above it, which subscribe in
their AppConfig.ready() (a lower app never imports them). Hooks are sent after the commit of the
change they announce, and each subscriber runs on its own: one that fails is logged and the
others still run, and the user's change stands.
"""

import logging
from collections.abc import Callable

logger = logging.getLogger(__name__)


class Hook:
    """A named list of subscribers called with keyword arguments."""

    def __init__(self, name: str):
        self.name = name
        self._subscribers: list[Callable[..., object]] = []

    def connect(self, subscriber: Callable[..., object]) -> None:
        """Add `subscriber` (once; connecting it again changes nothing)."""
        if subscriber not in self._subscribers:
            self._subscribers.append(subscriber)

    def disconnect(self, subscriber: Callable[..., object]) -> None:
        if subscriber in self._subscribers:
            self._subscribers.remove(subscriber)

    @property
    def subscribers(self) -> tuple[Callable[..., object], ...]:
        return tuple(self._subscribers)

    def send(self, **kwargs) -> None:
        for subscriber in self.subscribers:
            try:
                subscriber(**kwargs)
            except Exception:
                logger.exception("%s: subscriber %r failed for %r", self.name, subscriber, kwargs)

    def __repr__(self) -> str:
        return f"<Hook {self.name}>"
