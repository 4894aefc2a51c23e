"""The main menu: each app registers its entries, each with the rule deciding who is shown it.

A lower app (core) renders the menu of apps above it without importing them: an app registers a
`MenuEntry` in its AppConfig.ready(), with `visible(user)`, the same permission or visibility
rule its page applies (e.g. `projects.selectors.sees_any_project`), so nobody is offered a link
that answers 403 or an empty page by design (a handler whose department answers for no project
is not shown 驾驶舱 or 项目). `entries_for(request)` evaluates each distinct rule once per page.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True, kw_only=True)
class MenuEntry:
    key: str
    label: object  # a lazy translation
    url_name: str  # e.g. "projects:list"
    visible: Callable[[object], bool]
    order: int = 100
    # The namespaces (app_name of the resolved URL) whose pages mark this entry current, and URL
    # names ("dashboards:map") that belong to another entry although in one of those namespaces.
    namespaces: tuple[str, ...] = ()
    url_names: tuple[str, ...] = ()
    except_url_names: tuple[str, ...] = ()

    def is_current(self, match) -> bool:
        if match is None:
            return False
        full = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
        if full in self.except_url_names:
            return False
        return full in self.url_names or (match.app_name or "") in self.namespaces


@dataclass(frozen=True)
class ShownEntry:
    key: str
    label: object
    url: str
    current: bool


class Menu:
    def __init__(self):
        self._entries: dict[str, MenuEntry] = {}

    def register(self, entry: MenuEntry) -> None:
        """Add (or replace, on a repeated ready()) an entry."""
        self._entries[entry.key] = entry

    def registered(self) -> list[MenuEntry]:
        return sorted(self._entries.values(), key=lambda e: (e.order, e.key))

    def entries_for(self, request) -> list[ShownEntry]:
        """The entries `request.user` may open, in order, the current one marked."""
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return []
        match = getattr(request, "resolver_match", None)
        verdicts: dict[Callable, bool] = {}
        shown = []
        for entry in self.registered():
            if entry.visible not in verdicts:
                verdicts[entry.visible] = bool(entry.visible(user))
            if verdicts[entry.visible]:
                shown.append(ShownEntry(entry.key, entry.label, reverse(entry.url_name), entry.is_current(match)))
        return shown


MAIN_MENU = Menu()
