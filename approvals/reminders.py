"""Overdue approval items on the milestones' reminder ladder and escalation (core.reminders).

Reminded: the approving department's head (who must act), else the project's responsible
official; on escalation the project's assigned leader and the responsible unit's head, and a
supervision item (督办) is opened, as for a milestone. Items of stopped projects are not reminded.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from approvals.models import ApprovalItem, Status
from core import reminders
from projects.models import Stage

KINDS = ("approval_upcoming", "approval_due_today", "approval_overdue", "approval_escalated")


def due_items(*, today, horizon, person_paths) -> list[reminders.DueItem]:
    rows = (
        ApprovalItem.objects.filter(status=Status.IN_PROGRESS, due_date__lte=horizon)
        .exclude(project__stage=Stage.STOPPED)
        .select_related(
            "project",
            "department",
            *person_paths("department__head"),
            *person_paths("project__responsible_official"),
            *person_paths("project__assigned_leader"),
            *person_paths("project__responsible_unit__head"),
        )
        .order_by("pk")
    )
    result = []
    for item in rows:
        project = item.project
        unit = project.responsible_unit
        owner = (item.department.head if item.department else None) or project.responsible_official
        result.append(
            reminders.DueItem(
                object_id=item.pk,
                title=item.name,
                due_date=item.due_date,
                project=project,
                owner=owner,
                escalate_to=(project.assigned_leader, unit.head if unit else None),
                path=reverse("approvals:item", args=[item.pk]),
                extra={
                    "responsible": owner.name if owner else "",
                    "department": item.department.name if item.department else "",
                },
            )
        )
    return result


def register() -> None:
    reminders.register(
        reminders.ReminderSource(
            key="approval", label=_("Approval"), model=ApprovalItem, kinds=KINDS, due_items=due_items
        )
    )
