"""Writes of the campaigns app: campaigns and reminder policies. One transaction each, the
permission checked here (`campaigns.permissions`), every change audited. Browser views, the API,
the admin and the demo all call these."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from campaigns.models import Campaign, ReminderPolicy
from campaigns.permissions import can_edit_policy, can_manage_campaigns
from core.errors import ApplicationError, PermissionDenied
from core.services import audit_record, full_clean, model_update
from projects.models import Project

DEFAULT_LENGTH_DAYS = 100
CAMPAIGN_FIELDS = [
    "name",
    "start_date",
    "end_date",
    "goals",
    "goal_projects_to_start",
    "goal_projects_to_sign",
    "goal_investment",
]
POLICY_FIELDS = [
    "days_before",
    "on_the_day",
    "repeat_every_days_overdue",
    "escalate_after_days_overdue",
    "webhook_url",
    "webhook_style",
]


# --- Campaigns ------------------------------------------------------------------------------------


def _require_manager(user) -> None:
    if not can_manage_campaigns(user):
        raise PermissionDenied(_("Only the supervision office may set up campaigns."))


@transaction.atomic
def campaign_create(*, by, projects: list[Project] | None = None, **data) -> Campaign:
    """Create a campaign (supervisors). Without an end date it lasts 100 days, the start day included."""
    _require_manager(by)
    values = {k: v for k, v in data.items() if k in CAMPAIGN_FIELDS}
    if values.get("start_date") and not values.get("end_date"):
        values["end_date"] = values["start_date"] + datetime.timedelta(days=DEFAULT_LENGTH_DAYS - 1)
    campaign = Campaign(**values)
    if not (campaign.name or "").strip():
        message = _("Enter a name.")
        raise ApplicationError(message, fields={"name": [message]})
    full_clean(campaign)
    campaign.save()
    if projects:
        campaign.projects.set(projects)
    audit_record(
        actor=by,
        action="campaign.create",
        obj=campaign,
        changes={**{k: getattr(campaign, k) for k in CAMPAIGN_FIELDS}, "projects": [p.pk for p in projects or []]},
    )
    return campaign


@transaction.atomic
def campaign_update(*, campaign: Campaign, by, projects: list[Project] | None = None, **data) -> Campaign:
    """Change a campaign's fields and (when given) its projects (supervisors)."""
    _require_manager(by)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    campaign, changes = model_update(instance=campaign, data=data, fields=CAMPAIGN_FIELDS)
    if projects is not None:
        before = set(campaign.projects.values_list("pk", flat=True))
        after = {p.pk for p in projects}
        if before != after:
            campaign.projects.set(projects)
            changes["projects"] = [sorted(before), sorted(after)]
    if changes:
        audit_record(actor=by, action="campaign.update", obj=campaign, changes=changes)
    return campaign


# --- Reminder policies ------------------------------------------------------------------------------


@transaction.atomic
def reminder_policy_set(*, by, campaign=None, scope: str = ReminderPolicy.Scope.CAMPAIGN, **data) -> ReminderPolicy:
    """Create or change the ladder of a campaign (or of a default scope). Supervisors only."""
    if not can_edit_policy(by):
        raise PermissionDenied(_("Only the supervision office may change reminder policies."))
    if campaign is not None:
        scope = ReminderPolicy.Scope.CAMPAIGN
        policy = ReminderPolicy.objects.select_for_update().filter(campaign=campaign).first()
    else:
        policy = ReminderPolicy.objects.select_for_update().filter(scope=scope, campaign__isnull=True).first()
    if "days_before" in data:
        data["days_before"] = sorted(data["days_before"] or [], reverse=True)
    created = policy is None
    if created:
        policy = ReminderPolicy(scope=scope, campaign=campaign)
        for name in POLICY_FIELDS:
            if name in data:
                setattr(policy, name, data[name])
        full_clean(policy)
        policy.save()
        changes = {name: getattr(policy, name) for name in POLICY_FIELDS}
    else:
        policy, changes = model_update(instance=policy, data=data, fields=POLICY_FIELDS)
    if changes:
        audit_record(
            actor=by,
            action="reminder_policy.create" if created else "reminder_policy.update",
            obj=policy,
            changes=changes,
        )
    return policy
