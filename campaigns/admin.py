"""Admin for campaigns and reminder policies. A policy saved here goes through the service
(`campaigns.services.reminder_policy_set`): the same rules and audit trail as the pages."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, ReminderPolicy
from campaigns.permissions import can_edit_policy
from campaigns.services import POLICY_FIELDS, reminder_policy_set
from core.admin import AuditedAdmin
from core.errors import ApplicationError


@admin.register(Campaign)
class CampaignAdmin(AuditedAdmin):
    list_display = ["name", "start_date", "end_date", "project_count", "milestone_count"]
    search_fields = ["name"]
    date_hierarchy = "start_date"
    autocomplete_fields = ["projects"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(n_projects=Count("projects", distinct=True), n_milestones=Count("milestones", distinct=True))
        )

    @admin.display(description=_("projects"), ordering="n_projects")
    def project_count(self, campaign):
        return campaign.n_projects

    @admin.display(description=_("milestones"), ordering="n_milestones")
    def milestone_count(self, campaign):
        return campaign.n_milestones


@admin.register(ReminderPolicy)
class ReminderPolicyAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "scope",
        "days_before",
        "on_the_day",
        "repeat_every_days_overdue",
        "escalate_after_days_overdue",
    ]
    list_filter = ["scope"]
    autocomplete_fields = ["campaign"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    # The service's own rule (supervision office), so the admin never offers what the save refuses.
    def has_add_permission(self, request):
        return can_edit_policy(request.user)

    def has_change_permission(self, request, obj=None):
        return can_edit_policy(request.user)

    def save_model(self, request, obj, form, change):
        data = {name: getattr(obj, name) for name in POLICY_FIELDS}
        try:
            saved = reminder_policy_set(by=request.user, campaign=obj.campaign, scope=obj.scope, **data)
        except ApplicationError as exc:
            raise ValidationError(exc.message) from exc
        obj.pk = saved.pk
