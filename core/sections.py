"""Sections that higher apps add to a lower app's page, so the lower app imports none of them.

A page (the project page, the enterprise page …) owns a `SectionRegistry`. An app above it
registers a `Section` in its AppConfig.ready(); the page renders the registered sections in
`order`, in the main column or the side column, each from its own template with the context its
`context` function returns (None leaves the section out). A view of another app that handles a
section's form and finds errors renders the page again with its bound form: the section's
`context` receives that dict as `bound`.
"""

from collections.abc import Callable
from dataclasses import dataclass

# TOP: across the page above both columns (e.g. the project's health), then the two columns.
MAIN, SIDE, TOP = "main", "side", "top"


@dataclass(frozen=True, kw_only=True)
class Section:
    key: str  # the anchor (#key) and the key of its bound forms
    label: object  # the section navigation's link text (a lazy translation)
    template: str
    # context(request, obj, *, can_edit, bound) -> dict, or None to leave the section out
    context: Callable[..., dict | None]
    column: str = MAIN
    order: int = 100


@dataclass(frozen=True)
class RenderedSection:
    section: Section
    context: dict

    @property
    def key(self) -> str:
        return self.section.key

    @property
    def label(self):
        return self.section.label

    @property
    def template(self) -> str:
        return self.section.template


class SectionRegistry:
    """The sections of one page."""

    def __init__(self, page: str):
        self.page = page
        self._sections: dict[str, Section] = {}

    def register(self, section: Section) -> None:
        """Add (or replace, on a repeated ready()) a section of the page."""
        if section.column not in (MAIN, SIDE, TOP):
            raise ValueError(f"unknown column {section.column!r}")
        self._sections[section.key] = section

    def registered(self) -> list[Section]:
        return sorted(self._sections.values(), key=lambda s: (s.order, s.key))

    def sections_for(self, request, obj, *, can_edit: bool, bound: dict | None = None) -> dict[str, list]:
        """The sections to show on `obj`'s page, by column."""
        bound = bound or {}
        result: dict[str, list[RenderedSection]] = {TOP: [], MAIN: [], SIDE: []}
        for section in self.registered():
            context = section.context(request, obj, can_edit=can_edit, bound=bound.get(section.key) or {})
            if context is not None:
                result[section.column].append(RenderedSection(section, context))
        return result
