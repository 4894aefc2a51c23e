"""Output and input serializers of the approvals API. Inputs check types and shapes only; the
rules (who may, which step from which status, dates, the blocking issue's project) are
approvals.services'."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from approvals import workflow
from approvals.models import MAX_TIME_LIMIT, ApprovalDocument, ApprovalItem, ItemType, ProjectType
from core.api.serializers import RefSerializer, UserRefSerializer
from core.models import Department
from projects.api.serializers import ProjectRefSerializer
from projects.api.validators import visible_project

ISSUE_MODEL = ApprovalItem._meta.get_field("blocking_issue").related_model


class DocumentSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="original_name", read_only=True)
    url = serializers.SerializerMethodField()
    uploaded_by = UserRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = ApprovalDocument
        fields = ["id", "name", "title", "content_type", "size", "url", "uploaded_by", "uploaded_at"]
        read_only_fields = fields

    def get_url(self, document) -> str:
        return reverse("approvals:document", args=[document.pk])


class IssueRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)


class ApprovalItemSerializer(serializers.ModelSerializer):
    project = ProjectRefSerializer(read_only=True)
    item_type = RefSerializer(read_only=True)
    department = RefSerializer(read_only=True, allow_null=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    overdue = serializers.BooleanField(read_only=True, help_text=_("In progress and past its due date."))
    blocked = serializers.BooleanField(source="is_blocked", read_only=True, help_text=_("Held up by an open issue."))
    blocking_issue = IssueRefSerializer(read_only=True, allow_null=True)
    documents = DocumentSerializer(many=True, read_only=True)
    updated_by = UserRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = ApprovalItem
        fields = [
            "id",
            "project",
            "item_type",
            "name",
            "sort_order",
            "department",
            "status",
            "status_label",
            "overdue",
            "blocked",
            "time_limit_days",
            "applied_on",
            "due_date",
            "due_provisional",
            "approved_on",
            "working_days_taken",
            "approval_number",
            "blocking_issue",
            "note",
            "documents",
            "updated_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class TransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=[(s.action, s.label) for s in workflow.STEPS.values()])
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    applied_on = serializers.DateField(required=False, help_text=_("For “start”: the day it was applied for."))
    approved_on = serializers.DateField(required=False, help_text=_("For “approve”: the day it was approved."))
    approval_number = serializers.CharField(required=False, allow_blank=True, max_length=100)


class ItemUpdateSerializer(serializers.Serializer):
    time_limit_days = serializers.IntegerField(min_value=1, max_value=MAX_TIME_LIMIT)
    applied_on = serializers.DateField()
    approved_on = serializers.DateField()
    approval_number = serializers.CharField(allow_blank=True, max_length=100)
    blocking_issue = serializers.PrimaryKeyRelatedField(queryset=ISSUE_MODEL.objects.all(), allow_null=True)
    note = serializers.CharField(allow_blank=True, max_length=2000)
    department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all())


class ChecklistSerializer(serializers.Serializer):
    project = visible_project()
    project_type = serializers.PrimaryKeyRelatedField(queryset=ProjectType.objects.all())


class DocumentUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    title = serializers.CharField(required=False, allow_blank=True, max_length=200)


class ItemTypeSerializer(serializers.ModelSerializer):
    department = RefSerializer(read_only=True, allow_null=True)
    project_types = RefSerializer(many=True, read_only=True)

    class Meta:
        model = ItemType
        fields = ["id", "name", "sort_order", "department", "time_limit_days", "basis", "project_types", "active"]
        read_only_fields = fields


class DepartmentFiguresSerializer(serializers.Serializer):
    department = RefSerializer(allow_null=True)
    in_progress = serializers.IntegerField()
    overdue = serializers.IntegerField()
    done = serializers.IntegerField(help_text=_("Approved this year."))
    done_late = serializers.IntegerField(help_text=_("Approved this year after the due date."))
    average_days = serializers.FloatField(
        allow_null=True, help_text=_("Average working days from application to approval (this year).")
    )
