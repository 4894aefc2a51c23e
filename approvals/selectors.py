"""Reads of approvals, scoped by role, with the figures computed in the database.

Overdue (超期) is defined once, here: an item in progress whose due date is before the day
(`overdue_q`). An item is visible to whoever may see its project (projects.selectors), and to the
handlers of the department that approves it.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Avg, BooleanField, Case, Count, F, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from approvals.models import ApprovalChecklist, ApprovalDocument, ApprovalEvent, ApprovalItem, ItemType, Status
from core.models import Department, Role
from core.roles import department_id_of, role_of
from projects.selectors import visibility_q


def overdue_q(today: datetime.date, prefix: str = "") -> Q:
    """In progress and past its due date on `today`."""
    return Q(**{f"{prefix}status": Status.IN_PROGRESS, f"{prefix}due_date__lt": today})


def items_visible_to(user) -> QuerySet[ApprovalItem]:
    qs = ApprovalItem.objects.all()
    q = visibility_q(user, prefix="project__")
    if q is None:
        return qs
    if role_of(user) == Role.HANDLER and department_id_of(user) is not None:
        q |= Q(department_id=department_id_of(user))
    return qs.filter(q)


def sees_any_item(user) -> bool:
    """Whether the approvals list would show the user anything (the menu entry's rule); no query
    for leaders and supervisors."""
    if role_of(user) is None:
        return False
    if visibility_q(user, prefix="project__") is None:
        return True
    return items_visible_to(user).exists()


def with_item_state(qs: QuerySet[ApprovalItem], *, today: datetime.date | None = None) -> QuerySet[ApprovalItem]:
    """Annotate `overdue` and load what a list shows (project, department, blocking issue)."""
    today = today or timezone.localdate()
    return qs.select_related(
        "project__park", "project__enterprise", "department", "blocking_issue", "item_type", "updated_by__official"
    ).annotate(
        overdue=Case(When(overdue_q(today), then=Value(True)), default=Value(False), output_field=BooleanField()),
    )


def item_list(*, user, today: datetime.date | None = None) -> QuerySet[ApprovalItem]:
    return with_item_state(items_visible_to(user), today=today).order_by("project__code", "sort_order", "pk")


def item_get_visible(*, user, pk) -> ApprovalItem:
    try:
        return with_item_state(items_visible_to(user)).get(pk=pk)
    except (ApprovalItem.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def project_items(*, project, today: datetime.date | None = None) -> QuerySet[ApprovalItem]:
    """The project's checklist in its order, with each item's documents."""
    return (
        with_item_state(ApprovalItem.objects.filter(project=project), today=today)
        .prefetch_related(Prefetch("documents", queryset=ApprovalDocument.objects.order_by("uploaded_at", "pk")))
        .order_by("sort_order", "pk")
    )


def checklist_of(project) -> ApprovalChecklist | None:
    return ApprovalChecklist.objects.select_related("project_type").filter(project=project).first()


def item_timeline(*, item) -> QuerySet[ApprovalEvent]:
    return ApprovalEvent.objects.filter(item=item).select_related("actor__official").order_by("at", "pk")


def documents_visible_to(user) -> QuerySet[ApprovalDocument]:
    return ApprovalDocument.objects.filter(item__in=items_visible_to(user).values("pk")).select_related("item")


@dataclass(frozen=True)
class ChecklistSummary:
    total: int
    done: int
    in_progress: int
    overdue: int
    not_started: int
    not_applicable: int

    @property
    def needed(self) -> int:
        """Items the project needs (not 不涉及)."""
        return self.total - self.not_applicable


def summary_counts(today: datetime.date) -> dict:
    return {
        "total": Count("pk"),
        "done": Count("pk", filter=Q(status=Status.DONE)),
        "in_progress": Count("pk", filter=Q(status=Status.IN_PROGRESS)),
        "overdue": Count("pk", filter=overdue_q(today)),
        "not_started": Count("pk", filter=Q(status=Status.NOT_STARTED)),
        "not_applicable": Count("pk", filter=Q(status=Status.NOT_APPLICABLE)),
    }


def checklist_summary(items: QuerySet[ApprovalItem], *, today: datetime.date | None = None) -> ChecklistSummary:
    """Counts by status over `items` (one query)."""
    today = today or timezone.localdate()
    return ChecklistSummary(**items.order_by().aggregate(**summary_counts(today)))


@dataclass(frozen=True)
class DepartmentFigures:
    department: Department | None
    in_progress: int
    overdue: int
    done: int
    done_late: int
    average_days: float | None  # working days from applied to approved, over approved items

    @property
    def pk(self):
        return self.department.pk if self.department else None


def department_figures(
    items: QuerySet[ApprovalItem], *, today: datetime.date | None = None, year: int | None = None
) -> list[DepartmentFigures]:
    """Per approving department (审批提速): items in progress, of them overdue, approved (in
    `year` when given), approved after their due date, and the average working days to approve.
    Two queries; departments with no item are left out; most overdue first."""
    today = today or timezone.localdate()
    done = Q(status=Status.DONE)
    if year is not None:
        done &= Q(approved_on__year=year)
    rows = (
        items.order_by()
        .values("department")
        .annotate(
            in_progress=Count("pk", filter=Q(status=Status.IN_PROGRESS)),
            overdue=Count("pk", filter=overdue_q(today)),
            done=Count("pk", filter=done),
            done_late=Count("pk", filter=done & Q(approved_on__gt=F("due_date"))),
            average_days=Avg("working_days_taken", filter=done),
        )
    )
    rows = [r for r in rows if r["in_progress"] or r["done"]]
    departments = Department.objects.in_bulk([r["department"] for r in rows if r["department"]])
    result = [
        DepartmentFigures(
            department=departments.get(r["department"]),
            in_progress=r["in_progress"],
            overdue=r["overdue"],
            done=r["done"],
            done_late=r["done_late"],
            average_days=round(float(r["average_days"]), 1) if r["average_days"] is not None else None,
        )
        for r in rows
    ]
    return sorted(
        result,
        key=lambda f: (-f.overdue, -f.in_progress, f.department.sort_order if f.department else 10**6, f.pk or 0),
    )


def item_types_in_use() -> QuerySet[ItemType]:
    return ItemType.objects.filter(active=True).select_related("department").prefetch_related("project_types")
