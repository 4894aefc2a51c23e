"""Sections that the apps above projects add to the project page (funding, location, intake and
dispatch list, and later approvals, suspension, safety …), through core.sections.

projects imports none of those apps: each registers its Section in its AppConfig.ready() with
`register`. A view of another app that handles a section's form and finds errors renders the
project page again with its bound form (`projects.views.render_project_page(..., bound={key:
{...}})`): the section's `context` receives that dict as `bound`.
"""

from core.sections import MAIN, SIDE, TOP, RenderedSection, Section, SectionRegistry

__all__ = [
    "MAIN",
    "PROJECT_PAGE",
    "SIDE",
    "TOP",
    "RenderedSection",
    "Section",
    "register",
    "registered",
    "sections_for",
]

PROJECT_PAGE = SectionRegistry("project")
register = PROJECT_PAGE.register
registered = PROJECT_PAGE.registered
sections_for = PROJECT_PAGE.sections_for
