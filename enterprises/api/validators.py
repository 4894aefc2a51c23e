"""Input serializers of the enterprise API: types and shapes only.

The rules (credit-code check character, uniqueness, who may write) live in
enterprises.services and enterprises.validators, which report field-level errors themselves.
"""

from rest_framework import serializers

from core.models import Park
from enterprises.models import ChainSegment


class EnterpriseInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    short_name = serializers.CharField(max_length=50, required=False, allow_blank=True)
    # No length limit here: the domain validator explains what is wrong with a bad code.
    credit_code = serializers.CharField(max_length=64)
    park = serializers.PrimaryKeyRelatedField(queryset=Park.objects.all(), required=False, allow_null=True)
    industry = serializers.CharField(max_length=100, required=False, allow_blank=True)
    segments = serializers.PrimaryKeyRelatedField(queryset=ChainSegment.objects.all(), many=True, required=False)
    is_key = serializers.BooleanField(required=False)
    contact_name = serializers.CharField(max_length=50, required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
