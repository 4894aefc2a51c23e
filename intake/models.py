"""Project intake (申报 → 审核 → 入库) and the yearly dispatch list (调度库).

A park committee or a department submits a candidate project; the supervision office returns it
with reasons, rejects it, or approves it into the project library at a level, which creates the
Project (projects.services). Every step is a CandidateEvent (intake.workflow is the table of
steps, intake.services.candidate_transition the only code that changes a candidate's status).
A project of the library is put on a year's dispatch list and taken off it again, each move a
DispatchEvent with who, when and why.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStamped, display_name
from enterprises.validators import validate_credit_code
from projects.models import MONEY, Level

QUANTITY = {"max_digits": 14, "decimal_places": 2}


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting review")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", _("Approved into the library")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")

    @classmethod
    def open_values(cls) -> list[str]:
        """A candidate still on its way (a second one of the same name and park is refused)."""
        return [cls.DRAFT, cls.SUBMITTED, cls.RETURNED]


class Candidate(TimeStamped):
    """A candidate project (申报项目) submitted by a unit for the project library."""

    name = models.CharField(_("project name"), max_length=200)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="candidates",
        help_text=_("An enterprise of the directory; for a new one, give its name and credit code."),
    )
    enterprise_name = models.CharField(_("new enterprise's name"), max_length=200, blank=True)
    credit_code = models.CharField(
        _("new enterprise's credit code"), max_length=18, blank=True, validators=[validate_credit_code]
    )
    park = models.ForeignKey("core.Park", verbose_name=_("park"), on_delete=models.PROTECT, related_name="candidates")
    segment = models.ForeignKey(
        "enterprises.ChainSegment",
        verbose_name=_("chain segment"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="candidates",
    )
    content = models.TextField(_("construction content"))
    total_investment = models.DecimalField(
        _("total investment (10k yuan)"), **MONEY, validators=[MinValueValidator(Decimal("0"))]
    )
    land_area = models.DecimalField(
        _("land needed (mu)"), **QUANTITY, null=True, blank=True, validators=[MinValueValidator(Decimal("0"))]
    )
    energy_tce = models.DecimalField(
        _("energy needed (tonnes of standard coal a year)"),
        **QUANTITY,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    expected_start = models.DateField(_("expected start"), null=True, blank=True)
    contact_name = models.CharField(_("contact"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    unit = models.ForeignKey(
        "core.Department",
        verbose_name=_("submitting unit"),
        on_delete=models.PROTECT,
        related_name="candidates",
        help_text=_("The park committee or department that submits the project."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    level = models.CharField(_("level in the library"), max_length=20, choices=Level.choices, blank=True)
    project = models.OneToOneField(
        "projects.Project",
        verbose_name=_("project in the library"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="candidate",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("candidate project")
        verbose_name_plural = _("candidate projects")
        constraints = [
            models.CheckConstraint(
                condition=Q(enterprise__isnull=False) | (~Q(enterprise_name="") & ~Q(credit_code="")),
                name="candidate_names_its_enterprise",
                violation_error_message=_("Choose the enterprise, or give a new enterprise's name and credit code."),
            ),
            models.CheckConstraint(
                condition=Q(total_investment__gte=0)
                & (Q(land_area__isnull=True) | Q(land_area__gte=0))
                & (Q(energy_tce__isnull=True) | Q(energy_tce__gte=0)),
                name="candidate_quantities_not_negative",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(level__in=Level.values),
                name="candidate_approved_has_level",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def enterprise_label(self) -> str:
        return self.enterprise.name if self.enterprise_id else self.enterprise_name


class CandidateEvent(models.Model):
    """One step of a candidate: who, when, from, to, note and the step's facts. Append-only."""

    candidate = models.ForeignKey(
        Candidate, verbose_name=_("candidate"), on_delete=models.CASCADE, related_name="events"
    )
    # PROTECT: someone with history is deactivated, never deleted (accounts.services.user_deactivate).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, null=True, blank=True
    )
    actor_name = models.CharField(_("by (name)"), max_length=150, blank=True, default="", db_default="")
    action = models.CharField(_("action"), max_length=30)
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["candidate", "at", "id"]
        verbose_name = _("candidate event")
        verbose_name_plural = _("candidate events")

    def __str__(self) -> str:
        return f"{self.candidate} {self.action} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.actor_id is not None and not self.actor_name:
            self.actor_name = display_name(self.actor)
        super().save(*args, **kwargs)


class DispatchEntry(models.Model):
    """A project on a year's dispatch list (调度库). Removed when taken off (DispatchEvent keeps
    the history)."""

    project = models.ForeignKey(
        "projects.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="dispatch_entries"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("added by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["-year", "project"]
        verbose_name = _("dispatch list entry")
        verbose_name_plural = _("dispatch list")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year"],
                name="dispatch_once_per_project_year",
                violation_error_message=_("The project is already on that year's dispatch list."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.project}"


class DispatchEvent(models.Model):
    """A move onto or off a year's dispatch list: who, when, why. Append-only."""

    class Action(models.TextChoices):
        ADD = "add", _("Put on the dispatch list")
        REMOVE = "remove", _("Taken off the dispatch list")

    project = models.ForeignKey(
        "projects.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="dispatch_events"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    reason = models.TextField(_("reason"), blank=True)
    # PROTECT: someone with history is deactivated, never deleted (accounts.services.user_deactivate).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, null=True, blank=True
    )
    actor_name = models.CharField(_("by (name)"), max_length=150, blank=True, default="", db_default="")
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["project", "at", "id"]
        verbose_name = _("dispatch list move")
        verbose_name_plural = _("dispatch list moves")

    def __str__(self) -> str:
        return f"{self.year} {self.project} {self.action}"

    def save(self, *args, **kwargs):
        if self.actor_id is not None and not self.actor_name:
            self.actor_name = display_name(self.actor)
        super().save(*args, **kwargs)


class CandidateImport(models.Model):
    """An uploaded candidate list (.xlsx): checked in a dry run, then committed all or nothing."""

    class Status(models.TextChoices):
        CHECKED = "checked", _("Checked")
        COMMITTED = "committed", _("Imported")

    # Under media's private/ folder, which the media view never serves.
    file = models.FileField(_("file"), upload_to="private/intake/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.CHECKED)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    created_count = models.PositiveIntegerField(_("candidates added"), default=0)
    committed_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("candidate list import")
        verbose_name_plural = _("candidate list imports")

    def __str__(self) -> str:
        return self.original_name

    @property
    def can_commit(self) -> bool:
        return self.status == self.Status.CHECKED and not self.errors and self.row_count > 0
