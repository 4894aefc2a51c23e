from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IssuesConfig(AppConfig):
    name = "issues"
    verbose_name = _("Enterprise issues")

    def ready(self):
        # The project page lists the project's open issues and the visits about it (projects.sections).
        from issues import sections

        sections.register()
