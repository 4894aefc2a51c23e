"""Enterprise issues (问题/诉求) and their closed loop, site visits, and the time-limit table.

Nothing outside `issues.services.issue_transition` sets `Issue.status`; the allowed moves are the
table in `issues.workflow`. Deadlines are aware datetimes at the end of a working day
(23:59:59 Asia/Shanghai, see core.calendar) computed from the day of raising plus the working
days of the matching TimeLimitRule, unless a leader set an explicit one.

办结 (the department closed it: `resolved_at` is set) is kept apart from 解决 (the enterprise
confirmed it solved: status closed with outcome "solved"). A department may close an issue as
unsolvable with an explanation: that counts as 办结 but never as 解决.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import TimeStamped, display_name


class Source(models.TextChoices):
    SITE_VISIT = "site_visit", _("Site visit")
    SERVICE_TEAM = "service_team", _("Service team")
    ENTERPRISE = "enterprise", _("Reported by the enterprise")
    LEADER_INSTRUCTION = "leader_instruction", _("Leader's instruction")


class Category(models.TextChoices):
    LAND = "land", _("Land")
    PLANNING = "planning", _("Planning")
    APPROVAL = "approval", _("Approval")
    ENVIRONMENTAL_ENERGY = "environmental_energy", _("Environmental and energy assessment")
    ELECTRICITY = "electricity", _("Electricity")
    WATER_GAS = "water_gas", _("Water and gas")
    FINANCING = "financing", _("Financing")
    LABOUR_TALENT = "labour_talent", _("Labour and talent")
    LOGISTICS = "logistics", _("Logistics and transport")
    POLICY = "policy", _("Policy fulfilment")
    SAFETY = "safety", _("Work safety")
    OTHER = "other", _("Other")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")
    CRITICAL = "critical", _("Critical")


class Status(models.TextChoices):
    NEW = "new", pgettext_lazy("issue status", "New (to be assigned)")
    ASSIGNED = "assigned", pgettext_lazy("issue status", "Assigned")
    IN_PROGRESS = "in_progress", pgettext_lazy("issue status", "In progress")
    RESOLVED = "resolved", pgettext_lazy("issue status", "Resolved")
    CLOSED = "closed", pgettext_lazy("issue status", "Closed")

    @classmethod
    def open_values(cls) -> list[str]:
        """States in which the department still owes work (the issue counts as open)."""
        return [cls.NEW, cls.ASSIGNED, cls.IN_PROGRESS]


class Outcome(models.TextChoices):
    SOLVED = "solved", _("Solved")
    UNSOLVABLE = "unsolvable", _("Closed as unsolvable (with explanation)")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY = "basically", _("Basically satisfied")
    UNSATISFIED = "unsatisfied", _("Unsatisfied")


class TimeLimitRule(TimeStamped):
    """Default time limits in working days for one category × urgency ("13710" by default).

    Copied onto an issue when it is raised, so a later change of the table never moves the
    deadlines of issues already in hand; a change of the holiday calendar does.
    """

    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices)
    assign_days = models.PositiveSmallIntegerField(
        _("routing limit (working days)"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(250)],
        help_text=_("The supervision office assigns the issue to a department within this many working days."),
    )
    response_days = models.PositiveSmallIntegerField(
        _("response limit (working days)"),
        validators=[MinValueValidator(1), MaxValueValidator(250)],
        help_text=_("The lead department gives its first response (回音) within this many working days."),
    )
    resolution_days = models.PositiveSmallIntegerField(
        _("resolution limit (working days)"),
        validators=[MinValueValidator(1), MaxValueValidator(250)],
        help_text=_("The lead department resolves the issue within this many working days."),
    )

    class Meta:
        ordering = ["category", "urgency"]
        verbose_name = _("time-limit rule")
        verbose_name_plural = _("time-limit rules")
        constraints = [
            models.UniqueConstraint(
                fields=["category", "urgency"],
                name="time_limit_rule_unique",
                violation_error_message=_("There is already a rule for this category and urgency."),
            ),
            models.CheckConstraint(
                condition=Q(response_days__lte=models.F("resolution_days")),
                name="time_limit_response_within_resolution",
                violation_error_message=_("The response limit cannot be longer than the resolution limit."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} · {self.get_urgency_display()}"


class Visit(TimeStamped):
    """An on-site working visit (现场办公/调研) by city leaders; its instructions are Issues."""

    date = models.DateField(_("date"))
    leaders = models.ManyToManyField("core.Official", verbose_name=_("leaders"), related_name="visits_led")
    attendees = models.TextField(_("attendees"), blank=True, help_text=_("Departments and people present."))
    enterprises = models.ManyToManyField(
        "enterprises.Enterprise", verbose_name=_("enterprises visited"), blank=True, related_name="visits"
    )
    projects = models.ManyToManyField(
        "projects.Project", verbose_name=_("projects visited"), blank=True, related_name="visits"
    )
    location = models.CharField(_("location"), max_length=200, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("site visit")
        verbose_name_plural = _("site visits")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.location or _('site visit')}"


class Issue(TimeStamped):
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="issues"
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issues",
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.SERVICE_TEAM)
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))

    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("raised by"),
        on_delete=models.PROTECT,
        related_name="issues_raised",
    )
    raised_at = models.DateTimeField(_("raised at"), db_index=True)
    visit = models.ForeignKey(
        Visit,
        verbose_name=_("site visit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="instructions",
    )
    blocks_milestone = models.ForeignKey(
        "projects.Milestone",
        verbose_name=_("blocks milestone"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="blocking_issues",
        help_text=_("The project milestone this issue holds up, shown on the milestone and the project."),
    )

    lead_department = models.ForeignKey(
        "core.Department",
        verbose_name=_("lead department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issues_led",
    )
    co_departments = models.ManyToManyField(
        "core.Department", verbose_name=_("co-handling departments"), blank=True, related_name="issues_cohandled"
    )
    handler = models.ForeignKey(
        "core.Official",
        verbose_name=_("handler"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="issues_handled",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW, db_index=True)
    version = models.PositiveIntegerField(
        _("version"), default=1, help_text=_("Raised by one on every change; a stale version is refused.")
    )

    # Time limits (working days, copied from TimeLimitRule when raised) and the deadlines derived
    # from them by core.calendar. `deadline_explicit`: a leader set the resolution deadline.
    assign_days = models.PositiveSmallIntegerField(_("routing limit (working days)"))
    response_days = models.PositiveSmallIntegerField(_("response limit (working days)"))
    resolution_days = models.PositiveSmallIntegerField(_("resolution limit (working days)"), null=True, blank=True)
    resolution_counted_from = models.DateField(
        _("resolution time counted from"), help_text=_("The day of raising, or of reopening.")
    )
    assign_deadline = models.DateTimeField(_("routing deadline"))
    response_deadline = models.DateTimeField(_("response deadline"), db_index=True)
    resolution_deadline = models.DateTimeField(_("resolution deadline"), db_index=True)
    deadline_explicit = models.BooleanField(_("deadline set by a leader"), default=False)
    deadline_provisional = models.BooleanField(
        _("deadline provisional"),
        default=False,
        help_text=_("Counted over a year without holiday data (weekends only); recomputed when it is entered."),
    )

    acknowledged_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    resolution = models.TextField(_("result"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    working_days_to_resolve = models.PositiveIntegerField(
        _("working days to resolve"), null=True, blank=True, editable=False
    )
    satisfaction = models.CharField(_("satisfaction"), max_length=20, choices=Satisfaction.choices, blank=True)
    reopened_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    escalated = models.BooleanField(_("escalated (督办)"), default=False)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        verbose_name = _("issue")
        verbose_name_plural = _("issues")
        indexes = [models.Index(fields=["lead_department", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["resolved", "closed"]) | (Q(resolved_at__isnull=False) & ~Q(outcome="")),
                name="issue_resolved_has_outcome",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["resolved", "closed"]) | (Q(resolved_at__isnull=True) & Q(outcome="")),
                name="issue_open_has_no_outcome",
            ),
            models.CheckConstraint(
                condition=Q(status="closed", closed_at__isnull=False) | Q(~Q(status="closed"), closed_at__isnull=True),
                name="issue_closed_at_iff_closed",
            ),
            models.CheckConstraint(
                # Only a new (or returned) issue and one resolved on the spot have no lead department.
                condition=Q(status__in=["new", "closed"]) | Q(lead_department__isnull=False),
                name="issue_assigned_has_department",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in Status.open_values()


def upload_to_issue(instance, filename):
    return f"issues/{instance.issue_id}/{filename}"


class IssuePhoto(models.Model):
    issue = models.ForeignKey(Issue, verbose_name=_("issue"), on_delete=models.CASCADE, related_name="photos")
    # Stored under a server-chosen name (core.files); the uploader's name is kept for display.
    image = models.ImageField(_("photo"), upload_to=upload_to_issue)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("issue photo")
        verbose_name_plural = _("issue photos")

    def __str__(self) -> str:
        return self.original_name or self.image.name

    @property
    def url(self) -> str:
        """Served only to users who may see the issue (issues.views.issue_photo_view)."""
        return reverse("issues:photo", args=[self.pk])


class IssueEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Issue events are append-only.")

    def delete(self):
        raise TypeError("Issue events are append-only.")


class IssueEvent(models.Model):
    """One entry of an issue's timeline: every transition, comment and recomputation. Append-only."""

    issue = models.ForeignKey(Issue, verbose_name=_("issue"), on_delete=models.CASCADE, related_name="events")
    # PROTECT: someone with history is deactivated, never deleted (accounts.services.user_deactivate).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_name = models.CharField(_("by (name)"), max_length=150, blank=True, default="", db_default="")
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    action = models.CharField(_("action"), max_length=30)
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    objects = IssueEventQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("issue event")
        verbose_name_plural = _("issue events")

    def __str__(self) -> str:
        return f"{self.issue_id} {self.action} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Issue events are append-only.")
        if self.actor_id is not None and not self.actor_name:
            self.actor_name = display_name(self.actor)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Issue events are append-only.")
