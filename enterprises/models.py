"""Enterprises, industry chains with their segments, and the service teams that serve them."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimeStamped
from core.text import pinyin_initials
from enterprises.validators import validate_credit_code


class IndustryChain(TimeStamped):
    name = models.CharField(_("name"), max_length=50, unique=True)
    chief = models.ForeignKey(
        "core.Official",
        verbose_name=_("chain chief"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="chains_led",
        help_text=_("The city leader acting as chain chief (链长)."),
    )
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=100)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("industry chain")
        verbose_name_plural = _("industry chains")

    def __str__(self) -> str:
        return self.name


class ChainSegment(TimeStamped):
    class Position(models.TextChoices):
        UPSTREAM = "upstream", _("Upstream")
        MIDSTREAM = "midstream", _("Midstream")
        DOWNSTREAM = "downstream", _("Downstream")
        SUPPORTING = "supporting", _("Supporting")

    chain = models.ForeignKey(
        IndustryChain, verbose_name=_("industry chain"), on_delete=models.CASCADE, related_name="segments"
    )
    name = models.CharField(_("name"), max_length=100)
    position = models.CharField(_("position"), max_length=20, choices=Position.choices)
    sort_order = models.PositiveIntegerField(_("sort order"), default=100)

    class Meta:
        ordering = ["chain", "sort_order", "name"]
        constraints = [models.UniqueConstraint(fields=["chain", "name"], name="segment_unique_per_chain")]
        verbose_name = _("chain segment")
        verbose_name_plural = _("chain segments")

    def __str__(self) -> str:
        return f"{self.chain.name} · {self.name}"


class Enterprise(TimeStamped):
    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    name_initials = models.CharField(_("pinyin initials"), max_length=100, blank=True, db_index=True, editable=False)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, validators=[validate_credit_code]
    )
    park = models.ForeignKey(
        "core.Park", verbose_name=_("park"), on_delete=models.PROTECT, null=True, blank=True, related_name="enterprises"
    )
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    segments = models.ManyToManyField(
        ChainSegment, verbose_name=_("chain segments"), blank=True, related_name="enterprises"
    )
    is_key = models.BooleanField(_("key enterprise"), default=False)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")

    def __str__(self) -> str:
        return self.short_name or self.name

    def save(self, *args, **kwargs):
        # Derived search key: kept in step with the name wherever the row is saved from.
        self.credit_code = (self.credit_code or "").strip().upper()
        self.name_initials = pinyin_initials(self.short_name or self.name) + " " + pinyin_initials(self.name)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = set(kwargs["update_fields"]) | {"name_initials", "credit_code"}
        super().save(*args, **kwargs)


class ServiceTeam(TimeStamped):
    """A dedicated service team (服务专班) serving one or more key enterprises and their projects."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    lead = models.ForeignKey(
        "core.Official",
        verbose_name=_("team lead"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="teams_led",
    )
    members = models.ManyToManyField(
        "core.Official", verbose_name=_("members"), blank=True, related_name="service_teams"
    )
    enterprises = models.ManyToManyField(
        Enterprise, verbose_name=_("enterprises served"), blank=True, related_name="service_teams"
    )
    stationed = models.BooleanField(_("stationed at the enterprise"), default=False)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("service team")
        verbose_name_plural = _("service teams")

    def __str__(self) -> str:
        return self.name
