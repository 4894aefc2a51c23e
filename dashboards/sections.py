"""The health section of the project page (projects.sections): the stored colour
(dashboards.models.ProjectHealth), the rules that fired in words with their figures, since when
the colour holds, and for a parent project the colours of its sub-items (a parent is as red as
its worst sub-item)."""

from django.utils.translation import gettext_lazy as _

from dashboards.health import stored_reasons
from dashboards.models import ProjectHealth
from projects import sections
from projects.selectors import projects_visible_to, with_health


def health_context(request, project, *, can_edit: bool, bound: dict) -> dict:
    record = ProjectHealth.objects.filter(project=project).prefetch_related("reasons").first()
    sub_items = list(
        with_health(projects_visible_to(request.user).filter(parent=project)).order_by("health_severity", "code")
    )
    return {
        "project": project,
        "record": record,
        "color": record.color if record else "",
        "reasons": stored_reasons(record) if record else [],
        "sub_items": sub_items,
        "from_sub_items": bool(record and record.worst_child_color and record.color != record.own_color),
    }


def register() -> None:
    sections.register(
        sections.Section(
            key="health",
            label=_("Health"),
            template="dashboards/_project_health.html",
            context=health_context,
            column=sections.TOP,
            order=10,
        )
    )
