"""Rules kept as data (health thresholds, league weights), frozen league snapshots and project
imports.

Everything a leader sees on the cockpit is derived (dashboards.selectors); only what officials
tune (HealthRule, LeagueFormula) and what must not change after the fact (LeagueSnapshot,
ProjectImport) is stored. The weekly briefings sent are notifications (kind weekly_briefing) of
the notifications app.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.colors import Color
from core.models import TimeStamped


class HealthRule(TimeStamped):
    """One threshold of the red/yellow/green health of a project (红黄绿灯).

    A rule fires when the project's measure of `kind` reaches `threshold` (≥ when `inclusive`,
    > otherwise). A project is red when any active red rule fires, yellow when any active yellow
    rule fires, green otherwise; every fired rule is shown as a reason. Measures and units:

    - start_late: whole months since the month the project was due to start, while not started
      (0 = due to start this month);
    - investment_lag: percentage points by which the year's investment completion rate trails
      the time-elapsed share of the year (序时进度); projects with a plan for the year only;
    - milestone_overdue: days the oldest undone milestone is past its due date;
    - blocking_issue_overdue: days the oldest issue that blocks a milestone is past its current
      deadline (issues.selectors: blocking and overdue are defined there).
    """

    class Kind(models.TextChoices):
        START_LATE = "start_late", _("Not started after the planned start")
        INVESTMENT_LAG = "investment_lag", _("Investment behind the time-elapsed share")
        MILESTONE_OVERDUE = "milestone_overdue", _("Milestone overdue")
        BLOCKING_ISSUE_OVERDUE = "blocking_issue_overdue", _("Blocking issue overdue")

    UNITS = {
        Kind.START_LATE: _("months"),
        Kind.INVESTMENT_LAG: _("percentage points"),
        Kind.MILESTONE_OVERDUE: _("days"),
        Kind.BLOCKING_ISSUE_OVERDUE: _("days"),
    }

    kind = models.CharField(_("measure"), max_length=30, choices=Kind.choices)
    color = models.CharField(
        _("colour"), max_length=10, choices=[(Color.RED, Color.RED.label), (Color.YELLOW, Color.YELLOW.label)]
    )
    threshold = models.DecimalField(
        _("threshold"),
        max_digits=7,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("36500"))],
        help_text=_("In the measure's unit: months, percentage points or days."),
    )
    inclusive = models.BooleanField(
        _("threshold included"),
        default=True,
        help_text=_("Fire when the measure equals the threshold (≥); otherwise only above it (>)."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["kind", "color"]
        verbose_name = _("health rule")
        verbose_name_plural = _("health rules")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "color"],
                name="health_rule_one_per_kind_and_colour",
                violation_error_message=_("There is already a rule of this colour for this measure."),
            ),
            models.CheckConstraint(condition=Q(threshold__gte=0), name="health_rule_threshold_not_negative"),
            models.CheckConstraint(condition=Q(color__in=["red", "yellow"]), name="health_rule_colour_red_or_yellow"),
        ]

    def __str__(self) -> str:
        return f"{self.get_color_display()} · {self.condition_text}"

    @property
    def unit(self) -> str:
        return str(self.UNITS.get(self.kind, ""))

    @property
    def condition_text(self) -> str:
        """The rule in words, e.g. "Milestone overdue > 0 days"."""
        operator = "≥" if self.inclusive else ">"
        threshold = self.threshold.normalize() if self.threshold == self.threshold.to_integral() else self.threshold
        return f"{self.get_kind_display()} {operator} {threshold:f} {self.unit}"


class LeagueFormula(TimeStamped):
    """The points formula of the league table (红黑榜) of parks or of departments.

    score = 100 × Σ(weight × rate) ÷ Σ(weight of the rates that exist). A rate whose
    denominator is empty (no milestone due, no issue rated …) leaves the sum and its weight,
    so a unit is never rewarded or punished for having nothing to measure.
    """

    class Kind(models.TextChoices):
        PARK = "park", _("Parks")
        DEPARTMENT = "department", _("Departments")

    kind = models.CharField(_("ranked"), max_length=20, choices=Kind.choices, unique=True)
    weight_milestones = models.PositiveSmallIntegerField(
        _("weight: milestones met on time"), default=30, validators=[MaxValueValidator(100)]
    )
    weight_investment = models.PositiveSmallIntegerField(
        _("weight: investment against the time-elapsed share"), default=30, validators=[MaxValueValidator(100)]
    )
    weight_response = models.PositiveSmallIntegerField(
        _("weight: issues answered in time"), default=15, validators=[MaxValueValidator(100)]
    )
    weight_resolution = models.PositiveSmallIntegerField(
        _("weight: issues resolved on time"), default=15, validators=[MaxValueValidator(100)]
    )
    weight_satisfaction = models.PositiveSmallIntegerField(
        _("weight: satisfaction"), default=10, validators=[MaxValueValidator(100)]
    )
    red_count = models.PositiveSmallIntegerField(
        _("places on the red list"), default=3, help_text=_("The best ranked are commended (红榜).")
    )
    black_count = models.PositiveSmallIntegerField(
        _("places on the black list"), default=3, help_text=_("The lowest ranked are named (黑榜).")
    )

    class Meta:
        ordering = ["kind"]
        verbose_name = _("league formula")
        verbose_name_plural = _("league formulas")
        constraints = [
            models.CheckConstraint(
                condition=Q(weight_milestones__gt=0)
                | Q(weight_investment__gt=0)
                | Q(weight_response__gt=0)
                | Q(weight_resolution__gt=0)
                | Q(weight_satisfaction__gt=0),
                name="league_formula_some_weight",
                violation_error_message=_("At least one weight must be above zero."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}"

    def weights(self) -> dict[str, int]:
        return {
            "milestones": self.weight_milestones,
            "investment": self.weight_investment,
            "response": self.weight_response,
            "resolution": self.weight_resolution,
            "satisfaction": self.weight_satisfaction,
        }


class LeagueSnapshot(models.Model):
    """A published league table: rows computed once and stored, never recomputed.

    The weights used are copied in, so a later change of the formula or of the underlying data
    leaves the published table as it was announced.
    """

    kind = models.CharField(_("ranked"), max_length=20, choices=LeagueFormula.Kind.choices)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    title = models.CharField(_("title"), max_length=100)
    weights = models.JSONField(_("weights used"), default=dict)
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-period_end", "kind"]
        verbose_name = _("league table snapshot")
        verbose_name_plural = _("league table snapshots")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "period_start", "period_end"],
                name="league_snapshot_one_per_period",
                violation_error_message=_("A league table for this period has already been published."),
            ),
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="league_period_ordered"),
        ]

    def __str__(self) -> str:
        return self.title


class Band(models.TextChoices):
    RED = "red", _("Red list")
    BLACK = "black", _("Black list")
    NONE = "", _("Neither")


class LeagueSnapshotRow(models.Model):
    """One ranked unit of a snapshot, with the counts behind each rate (so it can be checked)."""

    snapshot = models.ForeignKey(LeagueSnapshot, on_delete=models.CASCADE, related_name="rows")
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)
    park = models.ForeignKey("core.Park", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    department = models.ForeignKey(
        "core.Department", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("name"), max_length=100)
    milestones_due = models.PositiveIntegerField(_("milestones due"), default=0)
    milestones_on_time = models.PositiveIntegerField(_("milestones met on time"), default=0)
    year_plan = models.DecimalField(_("year's plan (10k yuan)"), max_digits=16, decimal_places=2, default=0)
    year_done = models.DecimalField(_("completed (10k yuan)"), max_digits=16, decimal_places=2, default=0)
    time_share = models.DecimalField(_("time-elapsed share"), max_digits=7, decimal_places=4, default=0)
    response_due = models.PositiveIntegerField(_("issues due an answer"), default=0)
    response_in_time = models.PositiveIntegerField(_("answered in time"), default=0)
    resolved = models.PositiveIntegerField(_("issues resolved"), default=0)
    resolved_on_time = models.PositiveIntegerField(_("resolved on time"), default=0)
    rated = models.PositiveIntegerField(_("issues rated"), default=0)
    satisfied = models.PositiveIntegerField(_("satisfied"), default=0)
    rates = models.JSONField(_("rates"), default=dict, help_text=_("Each rate 0–1, or null when not measurable."))
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)
    band = models.CharField(_("list"), max_length=10, choices=Band.choices, blank=True)

    class Meta:
        ordering = ["snapshot", "rank", "name"]
        verbose_name = _("league table row")
        verbose_name_plural = _("league table rows")

    def __str__(self) -> str:
        return f"{self.snapshot} #{self.rank} {self.name}"


class ProjectImport(models.Model):
    """An uploaded project list (.xlsx): checked in a dry run, then committed all or nothing."""

    class Status(models.TextChoices):
        CHECKED = "checked", _("Checked")
        COMMITTED = "committed", _("Imported")

    # Under media's private/ folder, which the media view never serves: the workbook may hold
    # data of projects the downloader may not see.
    file = models.FileField(_("file"), upload_to="private/imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.CHECKED)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    created_count = models.PositiveIntegerField(_("projects added"), default=0)
    updated_count = models.PositiveIntegerField(_("projects updated"), default=0)
    committed_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("project import")
        verbose_name_plural = _("project imports")

    def __str__(self) -> str:
        return self.original_name

    @property
    def can_commit(self) -> bool:
        return self.status == self.Status.CHECKED and not self.errors and self.row_count > 0


class ProjectHealth(models.Model):
    """A project's health as last computed (dashboards.health: the rules kept as data), stored so
    the cockpit, the project list and the project page read it instead of deriving it on every
    request. Refreshed after the commit of every write that can change it (projects.hooks,
    issues.hooks) and nightly for the rules that move with the date (序时进度, overdue); `manage.py
    rebuild_project_health` recomputes every project.

    `color` is "" for a stopped project. `since` is when the colour began to hold (first seen);
    the measures are the figures the rules read, as of `as_of`; the fired rules are
    `ProjectHealthReason` rows. A parent project's colour is the worst of its own and its
    sub-items' (`worst_child_color`).
    """

    project = models.OneToOneField(
        "projects.Project", on_delete=models.CASCADE, primary_key=True, related_name="health_record"
    )
    color = models.CharField(_("health"), max_length=10, choices=Color.choices, blank=True, db_index=True)
    own_color = models.CharField(_("own health"), max_length=10, choices=Color.choices, blank=True)
    worst_child_color = models.CharField(_("worst sub-item health"), max_length=10, choices=Color.choices, blank=True)
    severity = models.PositiveSmallIntegerField(_("severity"), default=3, db_index=True)
    since = models.DateTimeField(_("colour since"))
    computed_at = models.DateTimeField(_("computed at"))
    as_of = models.DateField(_("judged at"))
    year = models.PositiveSmallIntegerField(_("year"))
    start_due = models.DateField(null=True, blank=True)
    year_plan = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    year_done = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    overdue_milestone_count = models.PositiveIntegerField(default=0)
    oldest_overdue_due = models.DateField(null=True, blank=True)
    blocking_overdue_count = models.PositiveIntegerField(default=0)
    oldest_blocking_deadline = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("project health")
        verbose_name_plural = _("project health")
        indexes = [models.Index(fields=["color", "project"], name="project_health_color_idx")]

    def __str__(self) -> str:
        return f"{self.project_id} {self.color or '-'}"


class ProjectHealthReason(models.Model):
    """A rule that fired for a project at its last computation, with the rule's parameters then."""

    health = models.ForeignKey(ProjectHealth, on_delete=models.CASCADE, related_name="reasons")
    rule = models.ForeignKey(HealthRule, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30, choices=HealthRule.Kind.choices)
    color = models.CharField(max_length=10, choices=Color.choices)
    threshold = models.DecimalField(max_digits=7, decimal_places=2)
    inclusive = models.BooleanField(default=True)

    class Meta:
        ordering = ["health", "color", "kind"]
        verbose_name = _("health reason")
        verbose_name_plural = _("health reasons")
        constraints = [models.UniqueConstraint(fields=["health", "rule"], name="health_reason_one_per_rule")]
        indexes = [models.Index(fields=["rule", "health"], name="health_reason_rule_idx")]

    def __str__(self) -> str:
        return f"{self.health_id} {self.kind} {self.color}"
