"""Who may change a project's funding: whoever may change the project
(projects.permissions.can_edit_project: the supervision office and the project's own unit).
Leaders and everyone else read the funding of the projects they may see (funding.selectors)."""

from projects.permissions import can_edit_project


def can_edit_funding(user, project) -> bool:
    return can_edit_project(user, project)
