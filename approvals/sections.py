"""The approvals section of the project page (projects.sections): how many of the approvals the
project needs are obtained, the overdue ones, each item's status; a link to the checklist."""

from django.utils.translation import gettext_lazy as _

from approvals.models import Status
from approvals.permissions import can_generate_checklist
from approvals.selectors import ChecklistSummary, project_items
from projects import sections


def approvals_context(request, project, *, can_edit: bool, bound: dict) -> dict:
    items = list(project_items(project=project))
    counts = {s.value: sum(1 for i in items if i.status == s) for s in Status}
    summary = ChecklistSummary(
        total=len(items),
        done=counts[Status.DONE],
        in_progress=counts[Status.IN_PROGRESS],
        overdue=sum(1 for i in items if i.overdue),
        not_started=counts[Status.NOT_STARTED],
        not_applicable=counts[Status.NOT_APPLICABLE],
    )
    return {
        "project": project,
        "items": [i for i in items if i.status != Status.NOT_APPLICABLE],
        "summary": summary,
        "can_edit": can_generate_checklist(request.user, project),
    }


def register() -> None:
    sections.register(
        sections.Section(
            key="approvals",
            label=_("Approvals"),
            template="approvals/_project_approvals.html",
            context=approvals_context,
            column=sections.MAIN,
            order=15,
        )
    )
