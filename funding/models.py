"""A project's funding (资金): where the money comes from, planned and received by year, and
the policy funds sought for it (争取政策资金) with their status.

Amounts are in 万元 as Decimal. What is "in place" (到位) is the received amount; the rate of
funds in place is received ÷ planned of the lines with a plan (funding.selectors: the one
definition).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStamped
from projects.models import MONEY


class Source(models.TextChoices):
    SELF_RAISED = "self_raised", _("Enterprise's own funds")
    BANK_LOAN = "bank_loan", _("Bank loans")
    SPECIAL_BOND = "special_bond", _("Special-purpose bonds")
    CENTRAL_BUDGET = "central_budget", _("Central budget investment")
    PROVINCIAL_SPECIAL = "provincial_special", _("Provincial special funds")
    LOCAL_MATCHING = "local_matching", _("City and county matching funds")
    OTHER = "other", _("Other")


class FundingLine(TimeStamped):
    """One source of a project's funds in one year: planned and received (到位)."""

    project = models.ForeignKey(
        "projects.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="funding_lines"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    source = models.CharField(_("source"), max_length=30, choices=Source.choices)
    planned = models.DecimalField(
        _("planned (10k yuan)"), **MONEY, default=Decimal("0"), validators=[MinValueValidator(Decimal("0"))]
    )
    received = models.DecimalField(
        _("received (10k yuan)"), **MONEY, default=Decimal("0"), validators=[MinValueValidator(Decimal("0"))]
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["project", "-year", "source"]
        verbose_name = _("funding line")
        verbose_name_plural = _("funding lines")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year", "source"],
                name="funding_one_line_per_project_year_source",
                violation_error_message=_("This project already has a line for that source and year."),
            ),
            models.CheckConstraint(condition=Q(planned__gte=0) & Q(received__gte=0), name="funding_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.year} {self.get_source_display()}"


class PolicyLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    CITY = "city", _("City")


class PolicyStatus(models.TextChoices):
    PLANNING = "planning", _("Being prepared")
    APPLYING = "applying", _("Applied for")
    APPROVED = "approved", _("Approved")
    DISBURSED = "disbursed", _("Disbursed")
    REJECTED = "rejected", _("Not granted")


class PolicySupport(TimeStamped):
    """A policy fund sought for a project (争取政策资金): 谋划 → 申报中 → 已批复 → 已拨付, or 未获批."""

    project = models.ForeignKey(
        "projects.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="policy_supports"
    )
    name = models.CharField(_("policy"), max_length=200, help_text=_("e.g. 中央预算内投资 先进制造业专项"))
    level = models.CharField(_("level"), max_length=20, choices=PolicyLevel.choices)
    amount_sought = models.DecimalField(
        _("amount sought (10k yuan)"), **MONEY, validators=[MinValueValidator(Decimal("0"))]
    )
    amount_granted = models.DecimalField(
        _("amount granted (10k yuan)"),
        **MONEY,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    status = models.CharField(
        _("status"), max_length=20, choices=PolicyStatus.choices, default=PolicyStatus.PLANNING, db_index=True
    )
    applied_on = models.DateField(_("applied on"), null=True, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    disbursed_on = models.DateField(_("disbursed on"), null=True, blank=True)
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
        ordering = ["project", "-created_at", "-id"]
        verbose_name = _("policy fund sought")
        verbose_name_plural = _("policy funds sought")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_sought__gte=0) & (Q(amount_granted__isnull=True) | Q(amount_granted__gte=0)),
                name="policy_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(applied_on__isnull=True)
                | Q(approved_on__isnull=True)
                | Q(approved_on__gte=F("applied_on")),
                name="policy_approved_after_applied",
                violation_error_message=_("The approval date cannot be before the application date."),
            ),
            models.CheckConstraint(
                condition=Q(approved_on__isnull=True)
                | Q(disbursed_on__isnull=True)
                | Q(disbursed_on__gte=F("approved_on")),
                name="policy_disbursed_after_approved",
                violation_error_message=_("The disbursement date cannot be before the approval date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.name}"
