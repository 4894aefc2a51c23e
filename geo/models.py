"""Where projects are (a point, optionally the site's outline) and where parks are (their
boundary). Stored in WGS-84 as plain decimals and GeoJSON, so SQLite and PostgreSQL alike hold
them without PostGIS; geo.coords converts what users type in GCJ-02.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStamped
from geo.coords import Datum

DEGREES = {"max_digits": 10, "decimal_places": 7}


class ProjectLocation(TimeStamped):
    """A project's point (WGS-84) and, optionally, its site outline (a GeoJSON Polygon)."""

    project = models.OneToOneField(
        "projects.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="location"
    )
    latitude = models.DecimalField(
        _("latitude (WGS-84)"),
        **DEGREES,
        validators=[MinValueValidator(Decimal("-90")), MaxValueValidator(Decimal("90"))],
    )
    longitude = models.DecimalField(
        _("longitude (WGS-84)"),
        **DEGREES,
        validators=[MinValueValidator(Decimal("-180")), MaxValueValidator(Decimal("180"))],
    )
    site = models.JSONField(_("site outline"), null=True, blank=True, help_text=_("A GeoJSON Polygon in WGS-84."))
    address = models.CharField(_("address"), max_length=200, blank=True)
    entered_datum = models.CharField(
        _("entered as"),
        max_length=10,
        choices=Datum.choices,
        default=Datum.WGS84,
        help_text=_("The datum the coordinates were typed in; they are stored in WGS-84."),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["project"]
        verbose_name = _("project location")
        verbose_name_plural = _("project locations")
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="project_location_in_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.project} ({self.latitude}, {self.longitude})"


class ParkBoundary(TimeStamped):
    """A park's boundary: a GeoJSON Polygon or MultiPolygon in WGS-84."""

    park = models.OneToOneField("core.Park", verbose_name=_("park"), on_delete=models.CASCADE, related_name="boundary")
    geometry = models.JSONField(_("boundary"), help_text=_("A GeoJSON Polygon or MultiPolygon in WGS-84."))
    entered_datum = models.CharField(_("entered as"), max_length=10, choices=Datum.choices, default=Datum.WGS84)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["park"]
        verbose_name = _("park boundary")
        verbose_name_plural = _("park boundaries")

    def __str__(self) -> str:
        return str(self.park)
