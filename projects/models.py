"""Major projects: stage and its history, monthly progress reports, annual targets, milestones.

Derived values are never stored by hand: cumulative investment is a sum over reports
(`projects.selectors`), a milestone's state (met / due / overdue) comes from its dates
(`projects.milestones`). Campaigns live in their own app (`campaigns`), above this one.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import TimeStamped
from core.text import pinyin_initials
from projects.milestones import State, state_of

MONEY = {"max_digits": 14, "decimal_places": 2}


class Stage(models.TextChoices):
    """Ordered: the order of the members is the order of the life cycle; STOPPED stands apart."""

    PLANNED = "planned", _("Planned / reserve")
    NEGOTIATING = "negotiating", _("Negotiating")
    SIGNED = "signed", _("Signed")
    STARTED = "started", _("Started")
    UNDER_CONSTRUCTION = "under_construction", _("Under construction")
    COMPLETED = "completed", _("Completed")
    IN_PRODUCTION = "in_production", _("In production")
    AT_CAPACITY = "at_capacity", _("At design capacity")
    STOPPED = "stopped", _("Stopped")

    @classmethod
    def rank(cls, value: str) -> int:
        """Position in the life cycle; STOPPED ranks -1 (outside it)."""
        order = [s.value for s in cls if s != cls.STOPPED]
        return order.index(value) if value in order else -1

    @classmethod
    def is_backwards(cls, from_stage: str, to_stage: str) -> bool:
        """A move that needs a reason: to STOPPED, or to an earlier stage of the life cycle
        (a project without a stage yet counts as PLANNED; leaving STOPPED is never backwards)."""
        return to_stage == cls.STOPPED or cls.rank(to_stage) < cls.rank(from_stage or cls.PLANNED)

    @classmethod
    def started_values(cls) -> list[str]:
        """Stages at or past 开工 (the project has broken ground)."""
        return [s.value for s in cls if cls.rank(s.value) >= cls.rank(cls.STARTED)]

    @classmethod
    def production_values(cls) -> list[str]:
        return [s.value for s in cls if cls.rank(s.value) >= cls.rank(cls.IN_PRODUCTION)]


class Level(models.TextChoices):
    PROVINCIAL_MAJOR = "provincial_major", _("Provincial major project")
    CITY_MAJOR = "city_major", _("City major project")
    CITY_KEY = "city_key", _("City key project")


class Project(TimeStamped):
    code = models.CharField(_("project code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_initials = models.CharField(_("pinyin initials"), max_length=100, blank=True, db_index=True, editable=False)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("owner enterprise"), on_delete=models.PROTECT, related_name="projects"
    )
    park = models.ForeignKey("core.Park", verbose_name=_("park"), on_delete=models.PROTECT, related_name="projects")
    segment = models.ForeignKey(
        "enterprises.ChainSegment",
        verbose_name=_("chain segment"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, default=Level.CITY_MAJOR)
    total_investment = models.DecimalField(
        _("total investment (10k yuan)"), **MONEY, validators=[MinValueValidator(Decimal("0"))]
    )
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_completion = models.DateField(_("planned completion"), null=True, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="phases",
        help_text=_("For a phase (e.g. phase II), the project it belongs to."),
    )
    phase_label = models.CharField(_("phase"), max_length=20, blank=True, help_text=_("e.g. 一期, 二期"))
    construction_content = models.TextField(_("construction content"), blank=True)
    assigned_leader = models.ForeignKey(
        "core.Official",
        verbose_name=_("assigned leader"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects_assigned",
    )
    responsible_unit = models.ForeignKey(
        "core.Department",
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
    )
    responsible_official = models.ForeignKey(
        "core.Official",
        verbose_name=_("responsible official"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects_responsible",
    )
    service_team = models.ForeignKey(
        "enterprises.ServiceTeam",
        verbose_name=_("service team"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
    )
    is_key = models.BooleanField(_("key project"), default=False)
    key_label = models.CharField(_("key label"), max_length=50, blank=True, help_text=_("e.g. 1号产业"))
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.PLANNED, db_index=True)
    stage_changed_on = models.DateField(_("stage since"), default=timezone.localdate)
    stopped_reason = models.TextField(_("reason stopped"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.CheckConstraint(condition=Q(total_investment__gte=0), name="project_investment_not_negative"),
            models.CheckConstraint(
                condition=Q(planned_start__isnull=True)
                | Q(planned_completion__isnull=True)
                | Q(planned_completion__gte=F("planned_start")),
                name="project_completion_after_start",
                violation_error_message=_("The planned completion date cannot be before the planned start date."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_initials = pinyin_initials(self.name)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = set(kwargs["update_fields"]) | {"name_initials"}
        super().save(*args, **kwargs)


class StageChange(models.Model):
    """One row per stage move: the project's stage timeline. Append-only."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="stage_changes"
    )
    from_stage = models.CharField(_("from"), max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=20, choices=Stage.choices)
    changed_on = models.DateField(_("effective date"))
    reason = models.TextField(_("reason"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), on_delete=models.SET_NULL, null=True, blank=True
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["project", "changed_on", "id"]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")

    def __str__(self) -> str:
        return f"{self.project} {self.from_stage}→{self.to_stage} {self.changed_on}"

    @property
    def is_backwards(self) -> bool:
        return Stage.is_backwards(self.from_stage, self.to_stage)


class ProgressReport(TimeStamped):
    """The monthly progress report (月度进度填报). Cumulative investment is derived, never stored."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="progress_reports"
    )
    month = models.DateField(_("month"), help_text=_("First day of the reported month."))
    investment = models.DecimalField(
        _("investment this month (10k yuan)"), **MONEY, validators=[MinValueValidator(Decimal("0"))]
    )
    physical_progress = models.TextField(_("physical progress"))
    percent_complete = models.PositiveSmallIntegerField(
        _("percent complete"), validators=[MaxValueValidator(100)], null=True, blank=True
    )
    next_steps = models.TextField(_("next steps"), blank=True)
    problems = models.TextField(_("problems"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        ordering = ["project", "-month"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "month"],
                name="one_report_per_project_month",
                violation_error_message=_("A report for this project and month already exists."),
            ),
            models.CheckConstraint(condition=Q(investment__gte=0), name="report_investment_not_negative"),
            models.CheckConstraint(condition=Q(month__day=1), name="report_month_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.month:%Y-%m}"


def upload_to_report(instance, filename):
    return f"reports/{instance.report.project_id}/{instance.report.month:%Y-%m}/{filename}"


class ProgressPhoto(models.Model):
    report = models.ForeignKey(
        ProgressReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="photos"
    )
    # Stored under a server-chosen name (core.files); the uploader's name is kept for display.
    image = models.ImageField(_("photo"), upload_to=upload_to_report)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("progress photo")
        verbose_name_plural = _("progress photos")

    def __str__(self) -> str:
        return self.caption or self.original_name or self.image.name

    @property
    def url(self) -> str:
        """Served only to users who may see the project (projects.views.report_photo_view)."""
        return reverse("projects:report_photo", args=[self.pk])


class AnnualTarget(TimeStamped):
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="annual_targets"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    planned_investment = models.DecimalField(
        _("planned investment (10k yuan)"), **MONEY, validators=[MinValueValidator(Decimal("0"))]
    )
    first_half_investment = models.DecimalField(
        _("planned for the first half (10k yuan)"),
        **MONEY,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("The second half is the rest of the year's plan."),
    )
    target_start = models.DateField(_("target start date"), null=True, blank=True)
    target_completion = models.DateField(_("target completion date"), null=True, blank=True)
    target_production = models.DateField(_("target production date"), null=True, blank=True)
    output_value_target = models.DecimalField(
        _("output value target (10k yuan)"),
        **MONEY,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        ordering = ["project", "-year"]
        verbose_name = _("annual target")
        verbose_name_plural = _("annual targets")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year"],
                name="one_target_per_project_year",
                violation_error_message=_("This project already has a target for that year."),
            ),
            models.CheckConstraint(condition=Q(planned_investment__gte=0), name="target_investment_not_negative"),
            models.CheckConstraint(
                condition=Q(first_half_investment__isnull=True) | Q(first_half_investment__lte=F("planned_investment")),
                name="target_first_half_within_year",
                violation_error_message=_("The first-half plan cannot exceed the year's plan."),
            ),
            models.CheckConstraint(
                condition=Q(target_start__isnull=True)
                | Q(target_completion__isnull=True)
                | Q(target_completion__gte=F("target_start")),
                name="target_completion_after_start",
                violation_error_message=_("The target completion date cannot be before the target start date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.year}"

    @property
    def second_half_investment(self):
        if self.first_half_investment is None:
            return None
        return self.planned_investment - self.first_half_investment


def upload_to_evidence(instance, filename):
    return f"milestones/{instance.project_id}/{filename}"


class Milestone(TimeStamped):
    """A dated node (节点) of a project's schedule. Its state (met / due / overdue) is derived
    from the dates by `projects.milestones`, never stored."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="milestones")
    # A string reference: campaigns sits above projects and is never imported here.
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("campaign"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="milestones",
    )
    title = models.CharField(_("title"), max_length=200)
    due_date = models.DateField(_("due date"), db_index=True)
    responsible = models.ForeignKey(
        "core.Official",
        verbose_name=_("responsible official"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="milestones",
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    evidence_file = models.ImageField(_("evidence photo"), upload_to=upload_to_evidence, blank=True)
    evidence_file_name = models.CharField(_("evidence file name"), max_length=200, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("completed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    sort_order = models.PositiveIntegerField(_("sort order"), default=100)

    class Meta:
        ordering = ["due_date", "sort_order", "id"]
        # The league tables, campaign statistics and health rules count a project's milestones
        # due in a period: one range scan of this index instead of ANDing two bitmaps per project.
        indexes = [models.Index(fields=["project", "due_date"], name="milestone_project_due_idx")]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return f"{self.project} · {self.title}"

    @property
    def evidence_url(self) -> str:
        """Served only to users who may see the project (projects.views.milestone_evidence_view)."""
        return reverse("projects:milestone_evidence", args=[self.pk]) if self.evidence_file else ""

    @property
    def is_done(self) -> bool:
        return self.completed_on is not None

    def is_overdue(self, today=None) -> bool:
        return state_of(self, today or timezone.localdate()) == State.OVERDUE

    def days_left(self, today=None) -> int:
        today = today or timezone.localdate()
        return (self.due_date - today).days
