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
from projects.models import Milestone, Project
from projects.services import milestone_create, milestone_update

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


# --- Planning: projects and milestones of a campaign -------------------------------------------------
#
# Supervisors plan a campaign in the browser: add projects, add and edit milestones (one by one,
# by pasting rows copied from Excel, or by copying a template of milestones to many projects) and
# assign the responsible officials. Each write goes through `projects.services` for the milestone
# itself (its own checks and audit) and records a campaign-level audit entry.

MAX_PASTE_ROWS = 500
MAX_TEMPLATE_ROWS = 50
MAX_TEMPLATE_PROJECTS = 500


@transaction.atomic
def campaign_add_projects(*, campaign: Campaign, by, projects: list[Project]) -> list[Project]:
    """Add projects to the campaign (supervisors); those already in it are left alone. Returns the added."""
    _require_manager(by)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    existing = set(campaign.projects.values_list("pk", flat=True))
    added = [p for p in dict.fromkeys(projects) if p.pk not in existing]
    if added:
        campaign.projects.add(*added)
        audit_record(
            actor=by, action="campaign.projects_add", obj=campaign, changes={"projects": [p.pk for p in added]}
        )
    return added


@transaction.atomic
def campaign_remove_project(*, campaign: Campaign, by, project: Project) -> int:
    """Take a project out of the campaign. Its milestones stay on the project but leave the
    campaign (they no longer count in its figures). Returns how many milestones left it."""
    _require_manager(by)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if not campaign.projects.filter(pk=project.pk).exists():
        raise ApplicationError(_("This project is not in the campaign."), code="not_in_campaign")
    milestones = list(Milestone.objects.filter(campaign=campaign, project=project).values_list("pk", flat=True))
    Milestone.objects.filter(pk__in=milestones).update(campaign=None)
    campaign.projects.remove(project)
    audit_record(
        actor=by,
        action="campaign.project_remove",
        obj=campaign,
        changes={"project": project.pk, "milestones_detached": milestones},
    )
    return len(milestones)


def _check_milestone_fields(*, title: str, due_date, campaign: Campaign) -> str:
    title = (title or "").strip()
    if not title:
        message = _("Enter a title.")
        raise ApplicationError(message, fields={"title": [message]})
    if due_date is None:
        message = _("Enter a due date.")
        raise ApplicationError(message, fields={"due_date": [message]})
    return title


@transaction.atomic
def campaign_milestone_add(
    *, campaign: Campaign, by, project: Project, title: str, due_date: datetime.date, responsible=None
) -> Milestone:
    """A milestone of the campaign for one project (supervisors). The project joins the campaign
    if it is not in it yet; without a responsible official the project's own is taken."""
    _require_manager(by)
    title = _check_milestone_fields(title=title, due_date=due_date, campaign=campaign)
    if Milestone.objects.filter(campaign=campaign, project=project, title=title).exists():
        message = _("This project already has a milestone of that title in the campaign.")
        raise ApplicationError(message, fields={"title": [message]})
    campaign_add_projects(campaign=campaign, by=by, projects=[project])
    return milestone_create(
        project=project,
        by=by,
        campaign=campaign,
        title=title,
        due_date=due_date,
        responsible=responsible or project.responsible_official,
    )


@transaction.atomic
def campaign_milestone_edit(*, campaign: Campaign, milestone: Milestone, by, **data) -> Milestone:
    """Change a campaign milestone's title, due date or responsible official (supervisors)."""
    _require_manager(by)
    if milestone.campaign_id != campaign.pk:
        raise ApplicationError(_("This milestone is not in the campaign."), code="not_in_campaign")
    values = {k: v for k, v in data.items() if k in {"title", "due_date", "responsible"}}
    if "title" in values or "due_date" in values:
        values["title"] = _check_milestone_fields(
            title=values.get("title", milestone.title),
            due_date=values.get("due_date", milestone.due_date),
            campaign=campaign,
        )
        clash = Milestone.objects.filter(campaign=campaign, project=milestone.project_id, title=values["title"])
        if clash.exclude(pk=milestone.pk).exists():
            message = _("This project already has a milestone of that title in the campaign.")
            raise ApplicationError(message, fields={"title": [message]})
    return milestone_update(milestone=milestone, by=by, **values)


@transaction.atomic
def campaign_assign_responsible(*, campaign: Campaign, by, milestones: list[Milestone], responsible) -> int:
    """Make one official responsible for several of the campaign's open milestones. Returns the count changed."""
    _require_manager(by)
    changed = 0
    fresh = Milestone.objects.select_for_update().select_related("project").filter(pk__in=[m.pk for m in milestones])
    for milestone in fresh.order_by("pk"):
        if milestone.campaign_id != campaign.pk:
            raise ApplicationError(_("This milestone is not in the campaign."), code="not_in_campaign")
        if milestone.responsible_id != (responsible.pk if responsible else None):
            milestone_update(milestone=milestone, by=by, responsible=responsible)
            changed += 1
    return changed


@transaction.atomic
def campaign_milestones_import(*, campaign: Campaign, by, rows: list) -> list[Milestone]:
    """Create the milestones of checked rows (`campaigns.planning.PlanRow`, every one without
    errors), all or nothing. The rows' projects join the campaign."""
    _require_manager(by)
    if not rows:
        message = _("Paste at least one row.")
        raise ApplicationError(message, fields={"rows": [message]})
    if any(row.errors for row in rows):
        message = _("Fix the rows marked in red first; nothing was saved.")
        raise ApplicationError(message, fields={"rows": [message]})
    created = [
        campaign_milestone_add(
            campaign=campaign,
            by=by,
            project=row.project,
            title=row.title,
            due_date=row.due_date,
            responsible=row.responsible,
        )
        for row in rows
    ]
    audit_record(
        actor=by, action="campaign.milestones_import", obj=campaign, changes={"milestones": [m.pk for m in created]}
    )
    return created


@transaction.atomic
def campaign_template_apply(
    *, campaign: Campaign, by, template: list[tuple[str, datetime.date]], projects: list[Project]
) -> tuple[list[Milestone], int]:
    """Copy a template (title, due date) to each project: each gets those milestones, its own
    responsible official responsible. A project that already has a milestone of that title in the
    campaign keeps it (counted as skipped). Returns (created, skipped)."""
    _require_manager(by)
    if not template:
        message = _("Enter at least one milestone of the template.")
        raise ApplicationError(message, fields={"template": [message]})
    if len(template) > MAX_TEMPLATE_ROWS:
        message = _("At most %(n)d milestones in a template.") % {"n": MAX_TEMPLATE_ROWS}
        raise ApplicationError(message, fields={"template": [message]})
    if not projects:
        message = _("Choose at least one project.")
        raise ApplicationError(message, fields={"projects": [message]})
    if len(projects) > MAX_TEMPLATE_PROJECTS:
        message = _("At most %(n)d projects at a time.") % {"n": MAX_TEMPLATE_PROJECTS}
        raise ApplicationError(message, fields={"projects": [message]})
    existing = set(Milestone.objects.filter(campaign=campaign, project__in=projects).values_list("project_id", "title"))
    created, skipped = [], 0
    for project in projects:
        for title, due_date in template:
            if (project.pk, title) in existing:
                skipped += 1
                continue
            created.append(
                campaign_milestone_add(campaign=campaign, by=by, project=project, title=title, due_date=due_date)
            )
    audit_record(
        actor=by,
        action="campaign.template_apply",
        obj=campaign,
        changes={
            "template": [[t, d] for t, d in template],
            "projects": [p.pk for p in projects],
            "created": len(created),
            "skipped": skipped,
        },
    )
    return created, skipped
