"""Output serializers of the organisation directory, small references and errors."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.models import Department, Official, Park
from core.roles import official_of


class RefSerializer(serializers.Serializer):
    """A reference to a named object: enough to show it and link to it."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class UserRefSerializer(serializers.Serializer):
    """A login user, shown by the name of their official profile when they have one."""

    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(read_only=True)
    name = serializers.SerializerMethodField()

    def get_name(self, user) -> str:
        official = official_of(user)
        return official.name if official else user.get_username()


class DepartmentSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Department
        fields = ["id", "name", "short_name", "kind", "kind_label", "phone"]
        read_only_fields = fields


class ParkSerializer(serializers.ModelSerializer):
    committee = RefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Park
        fields = ["id", "name", "short_name", "level", "committee"]
        read_only_fields = fields


class OfficialSerializer(serializers.ModelSerializer):
    """The directory entry of an official: who they are, not how to reach them."""

    department = RefSerializer(read_only=True, allow_null=True)
    role_label = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = Official
        fields = ["id", "name", "title", "department", "role", "role_label"]
        read_only_fields = fields


class ErrorSerializer(serializers.Serializer):
    """The one error shape. Field-level errors come as extra keys: {"<field>": ["message", ...]}."""

    detail = serializers.CharField(help_text=_("A readable message in the user's language."))
    code = serializers.CharField(help_text=_("A stable machine-readable code, e.g. invalid, permission_denied."))
