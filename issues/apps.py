from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IssuesConfig(AppConfig):
    name = "issues"
    verbose_name = _("Enterprise issues")

    def ready(self):
        from issues.selectors import stage_move_open_issues
        from projects import consequences

        # The confirmation before a project is stopped, moved back or revived lists its open issues.
        consequences.register(stage_move_open_issues)

        from core.menu import MAIN_MENU, MenuEntry
        from core.roles import has_role

        # Every role has issues (its queue or the list); visits: those with instructions it reads.
        MAIN_MENU.register(
            MenuEntry(
                key="issues",
                label=_("Issues"),
                url_name="issues:home",
                visible=has_role,
                order=40,
                namespaces=("issues",),
            )
        )
        MAIN_MENU.register(
            MenuEntry(
                key="visits",
                label=_("Site visits"),
                url_name="visits:list",
                visible=has_role,
                order=50,
                namespaces=("visits",),
            )
        )

        # The project page lists the project's open issues and the visits about it (projects.sections).
        from issues import sections

        sections.register()
