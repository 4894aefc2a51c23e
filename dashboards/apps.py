from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = _("Dashboards and briefings")

    def ready(self):
        from core.menu import MAIN_MENU, MenuEntry
        from core.roles import is_supervisor
        from projects.selectors import sees_any_project

        # Figures over the projects the user may read: offered only to those who read some.
        MAIN_MENU.register(
            MenuEntry(
                key="cockpit",
                label=_("Cockpit"),
                url_name="dashboards:cockpit",
                visible=sees_any_project,
                order=10,
                namespaces=("dashboards",),
                except_url_names=("dashboards:map", "dashboards:audit", "dashboards:audit_export"),
            )
        )
        MAIN_MENU.register(
            MenuEntry(
                key="map",
                label=_("Battle map"),
                url_name="dashboards:map",
                visible=sees_any_project,
                order=90,
                url_names=("dashboards:map",),
            )
        )
        MAIN_MENU.register(
            MenuEntry(
                key="audit",
                label=_("Audit log"),
                url_name="dashboards:audit",
                visible=is_supervisor,
                order=200,
                url_names=("dashboards:audit",),
            )
        )

        # The weekly briefing is a notification kind: tell the notifications app (which never
        # imports dashboards) how to write it and what to attach to its e-mail.
        from dashboards.notices import briefing_attachments, briefing_text
        from notifications.models import Kind
        from notifications.registry import register_kind

        register_kind(Kind.WEEKLY_BRIEFING, text=briefing_text, attachments=briefing_attachments)

        # The stored health of a project follows every write that can change it (after commit).
        from dashboards.services import health_on_issue_event, health_on_project_changed
        from issues.hooks import issue_event_committed
        from projects.hooks import project_changed

        project_changed.connect(health_on_project_changed)
        issue_event_committed.connect(health_on_issue_event)
        post_migrate.connect(fill_missing_health, sender=self)

        # The project page shows the stored health (projects.sections).
        from dashboards import sections

        sections.register()


def fill_missing_health(*, using="default", **kwargs):
    """After `migrate`: compute the health of projects that have no stored row yet (the first
    deployment of the stored table, a database restored from an older backup)."""
    from django.db import connections

    from dashboards.models import HealthRule, ProjectHealth
    from dashboards.services import project_health_refresh
    from projects.models import Project

    tables = set(connections[using].introspection.table_names())
    needed = {ProjectHealth._meta.db_table, Project._meta.db_table, HealthRule._meta.db_table}
    if not needed <= tables:  # migrated back to before the stored table
        return
    if Project.objects.using(using).filter(health_record__isnull=True).exists():
        project_health_refresh()
