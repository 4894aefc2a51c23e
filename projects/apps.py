from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Projects")

    def ready(self):
        from core.menu import MAIN_MENU, MenuEntry
        from projects.selectors import sees_any_project

        MAIN_MENU.register(
            MenuEntry(
                key="projects",
                label=_("Projects"),
                url_name="projects:list",
                visible=sees_any_project,
                order=20,
                namespaces=("projects",),
            )
        )
        from core.sections import Section
        from enterprises.sections import ENTERPRISE_PAGE
        from projects.selectors import projects_visible_to, with_progress

        def enterprise_projects(request, enterprise, **_kwargs) -> dict:
            # Only the projects the user may see: the directory is open, project data is scoped by role.
            projects = with_progress(
                projects_visible_to(request.user).filter(enterprise=enterprise).select_related("park", "parent")
            ).order_by("code")
            return {"projects": projects}

        ENTERPRISE_PAGE.register(
            Section(
                key="projects",
                label=_("Projects"),
                template="projects/_enterprise_projects.html",
                context=enterprise_projects,
            )
        )
