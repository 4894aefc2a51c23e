"""Output serializers of enterprises, industry chains and service teams."""

from rest_framework import serializers

from core.api.serializers import RefSerializer
from enterprises.models import ChainSegment, Enterprise, IndustryChain, ServiceTeam


class SegmentSerializer(serializers.ModelSerializer):
    position_label = serializers.CharField(source="get_position_display", read_only=True)

    class Meta:
        model = ChainSegment
        fields = ["id", "name", "position", "position_label", "sort_order"]
        read_only_fields = fields


class SegmentRefSerializer(serializers.ModelSerializer):
    """A segment with its chain, as shown on an enterprise or a project."""

    chain = RefSerializer(read_only=True)
    position_label = serializers.CharField(source="get_position_display", read_only=True)

    class Meta:
        model = ChainSegment
        fields = ["id", "name", "position", "position_label", "chain"]
        read_only_fields = fields


class ChainSerializer(serializers.ModelSerializer):
    chief = RefSerializer(read_only=True, allow_null=True)
    segments = SegmentSerializer(many=True, read_only=True)

    class Meta:
        model = IndustryChain
        fields = ["id", "name", "chief", "description", "segments"]
        read_only_fields = fields


class EnterpriseSerializer(serializers.ModelSerializer):
    park = RefSerializer(read_only=True, allow_null=True)
    segments = SegmentRefSerializer(many=True, read_only=True)

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "name",
            "short_name",
            "credit_code",
            "park",
            "industry",
            "segments",
            "is_key",
            "contact_name",
            "contact_phone",
            "address",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ServiceTeamSerializer(serializers.ModelSerializer):
    lead = RefSerializer(read_only=True, allow_null=True)
    members = RefSerializer(many=True, read_only=True)
    enterprises = RefSerializer(many=True, read_only=True)

    class Meta:
        model = ServiceTeam
        fields = ["id", "name", "lead", "members", "enterprises", "stationed"]
        read_only_fields = fields
