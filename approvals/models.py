"""Pre-construction approvals (前期手续) of a project.

The approval item types (立项/备案, 用地预审与选址, 规划许可, 环评, 能评/节能审查, 施工许可, 消防, 安评 …)
and the project types that need them are data the supervision office edits (admin). Each project
has a checklist (`ApprovalChecklist`: its project type) whose items are generated from that type
(approvals.services.checklist_generate, idempotent). An item moves 未启动 → 办理中 → 已办结 or
未启动 → 不涉及 by the table of approvals.workflow; its due date is the applied date plus its time
limit in working days (core.calendar, the issues' calendar), computed in approvals.services and
stored; an item in progress past its due date is overdue (approvals.selectors.overdue_q: the one
definition). Every change is an ApprovalEvent and an audit entry.
"""

import sys

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import TimeStamped

MAX_TIME_LIMIT = 365


class Status(models.TextChoices):
    NOT_STARTED = "not_started", pgettext_lazy("approval status", "Not started")
    IN_PROGRESS = "in_progress", pgettext_lazy("approval status", "In progress")
    DONE = "done", pgettext_lazy("approval status", "Approved")
    NOT_APPLICABLE = "not_applicable", pgettext_lazy("approval status", "Not applicable")


class ProjectType(TimeStamped):
    """A kind of project as far as approvals go (新建工业项目, 技术改造项目 …): which items it needs."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    sort_order = models.PositiveIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("project type (approvals)")
        verbose_name_plural = _("project types (approvals)")

    def __str__(self) -> str:
        return self.name


class ItemType(TimeStamped):
    """One kind of approval (环评 …): its order in a checklist, the department that approves it,
    its default time limit in working days and the project types that need it."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    sort_order = models.PositiveIntegerField(_("order"), default=100)
    department = models.ForeignKey(
        "core.Department",
        verbose_name=_("approving department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approval_item_types",
    )
    time_limit_days = models.PositiveSmallIntegerField(
        _("time limit (working days)"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_TIME_LIMIT)],
        help_text=_("The statutory or promised time limit, counted from the day it is applied for."),
    )
    basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    project_types = models.ManyToManyField(
        ProjectType, verbose_name=_("needed by project types"), related_name="item_types", blank=True
    )
    active = models.BooleanField(_("in use"), default=True, help_text=_("Only item types in use go on new checklists."))

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("approval item type")
        verbose_name_plural = _("approval item types")
        constraints = [
            models.CheckConstraint(
                condition=Q(time_limit_days__gte=1) & Q(time_limit_days__lte=MAX_TIME_LIMIT),
                name="approval_type_time_limit_range",
            )
        ]

    def __str__(self) -> str:
        return self.name


class ApprovalChecklist(TimeStamped):
    """A project's approvals: the project type its items were generated from."""

    project = models.OneToOneField(
        "projects.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="approval_checklist"
    )
    project_type = models.ForeignKey(
        ProjectType, verbose_name=_("project type"), on_delete=models.PROTECT, related_name="checklists"
    )

    class Meta:
        verbose_name = _("approval checklist")
        verbose_name_plural = _("approval checklists")

    def __str__(self) -> str:
        return f"{self.project} · {self.project_type}"


class ApprovalItem(TimeStamped):
    """One approval of one project. `due_date` = applied_on + time limit in working days
    (approvals.services); `working_days_taken` = working days from applied to approved."""

    project = models.ForeignKey(
        "projects.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="approval_items"
    )
    item_type = models.ForeignKey(
        ItemType, verbose_name=_("approval item"), on_delete=models.PROTECT, related_name="items"
    )
    name = models.CharField(_("name"), max_length=100)
    sort_order = models.PositiveIntegerField(_("order"), default=100)
    department = models.ForeignKey(
        "core.Department",
        verbose_name=_("approving department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approval_items",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED, db_index=True
    )
    time_limit_days = models.PositiveSmallIntegerField(
        _("time limit (working days)"), validators=[MinValueValidator(1), MaxValueValidator(MAX_TIME_LIMIT)]
    )
    applied_on = models.DateField(_("applied on"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True, db_index=True)
    due_provisional = models.BooleanField(
        _("due date provisional"),
        default=False,
        help_text=_("The due date counts days of a year whose holiday schedule is not yet known."),
    )
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    working_days_taken = models.PositiveSmallIntegerField(_("working days taken"), null=True, blank=True)
    approval_number = models.CharField(_("approval document number"), max_length=100, blank=True)
    blocking_issue = models.ForeignKey(
        "issues.Issue",
        verbose_name=_("blocked by issue"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="blocked_approvals",
        help_text=_("An issue of this project that holds this approval up."),
    )
    note = models.TextField(_("note"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["project", "sort_order", "pk"]
        verbose_name = _("approval item")
        verbose_name_plural = _("approval items")
        indexes = [models.Index(fields=["status", "due_date"], name="approval_status_due")]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "item_type"],
                name="approval_one_item_per_type",
                violation_error_message=_("The project already has this approval item."),
            ),
            models.CheckConstraint(
                condition=Q(applied_on__isnull=True)
                | Q(approved_on__isnull=True)
                | Q(approved_on__gte=F("applied_on")),
                name="approval_approved_after_applied",
                violation_error_message=_("The approval date cannot be before the application date."),
            ),
            models.CheckConstraint(
                condition=~Q(status="in_progress") | (Q(applied_on__isnull=False) & Q(due_date__isnull=False)),
                name="approval_in_progress_applied",
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | (Q(applied_on__isnull=False) & Q(approved_on__isnull=False)),
                name="approval_done_dated",
            ),
            models.CheckConstraint(
                condition=Q(time_limit_days__gte=1) & Q(time_limit_days__lte=MAX_TIME_LIMIT),
                name="approval_time_limit_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.name}"

    @property
    def is_blocked(self) -> bool:
        """Held up by an issue still open (issues' definition of open)."""
        return self.blocking_issue_id is not None and self.blocking_issue.status in open_issue_states()


def open_issue_states() -> list[str]:
    """The issues app's open states (issues.models.Status.open_values), reached through the
    relation so that approvals imports nothing of its own layer."""
    issue_model = ApprovalItem._meta.get_field("blocking_issue").related_model
    return sys.modules[issue_model.__module__].Status.open_values()


class ApprovalEvent(models.Model):
    """One change of an approval item: who, when, the step, the note and what changed. Append-only."""

    item = models.ForeignKey(
        ApprovalItem, verbose_name=_("approval item"), on_delete=models.CASCADE, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.SET_NULL, null=True, blank=True
    )
    action = models.CharField(_("action"), max_length=30)
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["item", "at", "id"]
        verbose_name = _("approval event")
        verbose_name_plural = _("approval events")

    def __str__(self) -> str:
        return f"{self.item} {self.action}"


class ApprovalDocument(models.Model):
    """A document of an approval item (申请材料, 批复文件): PDF or image, under media's private/
    folder, served only by approvals.views.document_view to those who may see the item."""

    item = models.ForeignKey(
        ApprovalItem, verbose_name=_("approval item"), on_delete=models.CASCADE, related_name="documents"
    )
    file = models.FileField(_("file"), upload_to="private/approvals/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    title = models.CharField(_("title"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["item", "uploaded_at", "id"]
        verbose_name = _("approval document")
        verbose_name_plural = _("approval documents")

    def __str__(self) -> str:
        return self.title or self.original_name
