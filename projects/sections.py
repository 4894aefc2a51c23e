"""Sections that the apps above projects add to the project page (funding, location, intake and
dispatch list, and later approvals, suspension, safety …).

projects imports none of those apps: each registers its Section in its AppConfig.ready(), and
the project page renders the registered sections in `order`, in the main column or the side
column, each from its own template with the context its `context` function returns. A view of
another app that handles a section's form and finds errors renders the project page again with
its bound form (`projects.views.render_project_page(..., bound={key: {...}})`): the section's
`context` receives that dict as `bound`.
"""

from collections.abc import Callable
from dataclasses import dataclass

MAIN, SIDE = "main", "side"


@dataclass(frozen=True, kw_only=True)
class Section:
    key: str  # the anchor (#key) and the key of its bound forms
    label: object  # the section navigation's link text (a lazy translation)
    template: str
    # context(request, project, *, can_edit, bound) -> dict, or None to leave the section out
    context: Callable[..., dict | None]
    column: str = MAIN
    order: int = 100


_SECTIONS: dict[str, Section] = {}


def register(section: Section) -> None:
    """Add (or replace, on a repeated ready()) a section of the project page."""
    if section.column not in (MAIN, SIDE):
        raise ValueError(f"unknown column {section.column!r}")
    _SECTIONS[section.key] = section


def registered() -> list[Section]:
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))


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


def sections_for(request, project, *, can_edit: bool, bound: dict | None = None) -> dict[str, list[RenderedSection]]:
    """The sections to show on `project`'s page, by column."""
    bound = bound or {}
    result: dict[str, list[RenderedSection]] = {MAIN: [], SIDE: []}
    for section in registered():
        context = section.context(request, project, can_edit=can_edit, bound=bound.get(section.key) or {})
        if context is not None:
            result[section.column].append(RenderedSection(section, context))
    return result
