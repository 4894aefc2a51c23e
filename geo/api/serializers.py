"""Serializers of the location API. Output in WGS-84 (as stored) with the GCJ-02 equivalent;
input in either datum (`datum`), converted by geo.services."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import RefSerializer, UserRefSerializer
from geo.coords import Datum
from geo.models import ParkBoundary, ProjectLocation
from geo.selectors import point_in
from projects.api.serializers import ProjectRefSerializer

GEOMETRY = {
    "type": "object",
    "description": "A GeoJSON geometry (WGS-84, [longitude, latitude] positions).",
    "properties": {"type": {"type": "string"}, "coordinates": {"type": "array", "items": {}}},
}


@extend_schema_field(GEOMETRY)
class GeometryField(serializers.JSONField):
    pass


class PointSerializer(serializers.Serializer):
    latitude = serializers.FloatField(read_only=True)
    longitude = serializers.FloatField(read_only=True)


class ProjectLocationSerializer(serializers.ModelSerializer):
    project = ProjectRefSerializer(read_only=True)
    latitude = serializers.DecimalField(max_digits=10, decimal_places=7, read_only=True, help_text=_("WGS-84."))
    longitude = serializers.DecimalField(max_digits=10, decimal_places=7, read_only=True, help_text=_("WGS-84."))
    gcj02 = serializers.SerializerMethodField(help_text=_("The same point in GCJ-02 (Chinese map apps)."))
    site = GeometryField(read_only=True, allow_null=True)
    updated_by = UserRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = ProjectLocation
        fields = [
            "project",
            "latitude",
            "longitude",
            "gcj02",
            "site",
            "address",
            "entered_datum",
            "updated_by",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(PointSerializer)
    def get_gcj02(self, location) -> dict:
        lat, lng = point_in(location, Datum.GCJ02)
        return {"latitude": round(lat, 7), "longitude": round(lng, 7)}


class ProjectLocationInputSerializer(serializers.Serializer):
    datum = serializers.ChoiceField(choices=Datum.choices, default=Datum.WGS84)
    latitude = serializers.DecimalField(max_digits=12, decimal_places=8)
    longitude = serializers.DecimalField(max_digits=12, decimal_places=8)
    site = GeometryField(required=False, allow_null=True, help_text=_("A GeoJSON Polygon in the same datum."))
    address = serializers.CharField(required=False, allow_blank=True, max_length=200)


class ParkBoundarySerializer(serializers.ModelSerializer):
    park = RefSerializer(read_only=True)
    geometry = GeometryField(read_only=True)
    updated_by = UserRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = ParkBoundary
        fields = ["park", "geometry", "entered_datum", "updated_by", "updated_at"]
        read_only_fields = fields


class ParkBoundaryInputSerializer(serializers.Serializer):
    datum = serializers.ChoiceField(choices=Datum.choices, default=Datum.WGS84)
    geometry = GeometryField(help_text=_("A GeoJSON Polygon or MultiPolygon in that datum."))
