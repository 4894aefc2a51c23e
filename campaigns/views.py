"""Browser pages of campaigns: the list, the page (countdown, milestones met / due / overdue,
goals, the ranking and the reminder ladder) and the supervision office's forms.

Views are thin: selectors read, services write and check permissions; a form with errors is
shown again with status 400.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from campaigns.forms import (
    AddProjectsForm,
    AssignResponsibleForm,
    CampaignForm,
    CampaignMilestoneForm,
    MilestoneEditForm,
    PasteRowsForm,
    ProjectSearchForm,
    ReminderPolicyForm,
    TemplateForm,
)
from campaigns.models import Campaign
from campaigns.permissions import can_edit_policy, can_manage_campaigns
from campaigns.planning import TooManyRows, check_rows, parse_template
from campaigns.selectors import (
    CANDIDATES_LIMIT,
    MILESTONE_STATUSES,
    campaign_milestones,
    campaign_plan,
    campaign_project_candidates,
    campaign_ranking,
    campaign_statistics,
    campaigns_visible_to,
    policy_in_force_for_campaign,
)
from campaigns.services import (
    MAX_PASTE_ROWS,
    MAX_TEMPLATE_ROWS,
    campaign_add_projects,
    campaign_assign_responsible,
    campaign_create,
    campaign_milestone_add,
    campaign_milestone_edit,
    campaign_milestones_import,
    campaign_remove_project,
    campaign_template_apply,
    campaign_update,
    reminder_policy_set,
)
from core import errors
from core.forms import add_service_errors
from projects.milestones import timeline_strip
from projects.models import Milestone

MILESTONES_PER_PAGE = 50


def _campaign_or_404(request, pk):
    try:
        return campaigns_visible_to(request.user).get(pk=pk)
    except Campaign.DoesNotExist as exc:
        raise Http404 from exc


@login_required
def campaign_list_view(request):
    today = timezone.localdate()
    campaigns = list(campaigns_visible_to(request.user, today=today))
    return render(
        request,
        "campaigns/list.html",
        {"campaigns": campaigns, "today": today, "can_manage": can_manage_campaigns(request.user)},
    )


@login_required
def campaign_detail_view(request, pk):
    today = timezone.localdate()
    campaign = _campaign_or_404(request, pk)
    status = request.GET.get("status") if request.GET.get("status") in MILESTONE_STATUSES else None
    milestones = campaign_milestones(campaign=campaign, user=request.user, status=status, today=today)
    page = Paginator(milestones, MILESTONES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "campaigns/detail.html",
        {
            "campaign": campaign,
            "today": today,
            "stats": campaign_statistics(campaign=campaign, today=today),
            "ranking_parks": campaign_ranking(campaign=campaign, by="park", today=today),
            "ranking_units": campaign_ranking(campaign=campaign, by="unit", today=today),
            "status": status,
            "page": page,
            "milestones": page.object_list,
            # The page's milestones on one time axis, each named by its project (planned against done).
            "strip": timeline_strip(page.object_list, today=today, label=lambda m: m.project.name),
            # The ladder its milestones follow: its own (saved with the campaign) or the default.
            "policy": policy_in_force_for_campaign(campaign),
            "can_manage": can_manage_campaigns(request.user),
            "can_edit_policy": can_edit_policy(request.user),
        },
    )


def _campaign_form_view(request, campaign=None):
    if not can_manage_campaigns(request.user):
        raise PermissionDenied
    initial = CampaignForm.initial_for(campaign) if campaign else {"start_date": timezone.localdate()}
    form = CampaignForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        created = campaign is None
        try:
            if campaign is None:
                campaign = campaign_create(by=request.user, **data)
            else:
                if not data.get("end_date"):
                    data.pop("end_date")
                campaign = campaign_update(campaign=campaign, by=request.user, **data)
        except errors.ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            if created:
                messages.success(request, _("Campaign created. Now add its projects and milestones."))
                return redirect("campaigns:plan", pk=campaign.pk)
            messages.success(request, _("Campaign saved."))
            return redirect("campaigns:detail", pk=campaign.pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "campaigns/form.html", {"form": form, "campaign": campaign}, status=status)


@login_required
def campaign_create_view(request):
    return _campaign_form_view(request)


@login_required
def campaign_edit_view(request, pk):
    return _campaign_form_view(request, _campaign_or_404(request, pk))


@login_required
def campaign_policy_view(request, pk):
    if not can_edit_policy(request.user):
        raise PermissionDenied
    campaign = _campaign_or_404(request, pk)
    # The form starts from the ladder in force: the campaign's own, else the default one.
    policy = policy_in_force_for_campaign(campaign)
    form = ReminderPolicyForm(
        request.POST or None, initial={name: getattr(policy, name) for name in ReminderPolicyForm.base_fields}
    )
    if request.method == "POST" and form.is_valid():
        try:
            reminder_policy_set(by=request.user, campaign=campaign, **form.cleaned_data)
        except errors.ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Reminder policy saved."))
            return redirect("campaigns:detail", pk=campaign.pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "campaigns/policy_form.html", {"form": form, "campaign": campaign}, status=status)


# --- Planning (supervisors) ---------------------------------------------------------------------------


def _plannable_or_404(request, pk):
    if not can_manage_campaigns(request.user):
        raise PermissionDenied
    return _campaign_or_404(request, pk)


def _render_plan(request, campaign, *, status=200, **forms):
    search = ProjectSearchForm(request.GET or None)
    candidates = []
    if search.has_criteria():
        candidates = campaign_project_candidates(
            campaign=campaign,
            q=search.cleaned_data["q"],
            park=search.cleaned_data["park"],
            chain=search.cleaned_data["chain"],
        )
    plan = campaign_plan(campaign=campaign)
    context = {
        "campaign": campaign,
        "today": timezone.localdate(),
        "plan": plan,
        "milestone_total": sum(len(p.plan_milestones) for p in plan),
        "search": search,
        "searched": search.has_criteria(),
        "candidates": candidates,
        "candidates_limit": CANDIDATES_LIMIT,
        "milestone_form": forms.get("milestone_form") or CampaignMilestoneForm(campaign=campaign),
        "paste_form": forms.get("paste_form") or PasteRowsForm(),
        "preview": forms.get("preview"),
        "preview_ok": bool(forms.get("preview")) and not any(row.errors for row in forms["preview"]),
        "template_form": forms.get("template_form") or TemplateForm(campaign=campaign),
        # Rendered once per project: read the officials once.
        "assign_choices": [
            (str(value), label) for value, label in AssignResponsibleForm().fields["responsible"].choices
        ],
        "add_form": forms.get("add_form"),
    }
    return render(request, "campaigns/plan.html", context, status=status)


@login_required
def campaign_plan_view(request, pk):
    return _render_plan(request, _plannable_or_404(request, pk))


def _back_to_plan(campaign, anchor=""):
    return redirect(reverse("campaigns:plan", args=[campaign.pk]) + anchor)


@login_required
@require_POST
def campaign_add_projects_view(request, pk):
    campaign = _plannable_or_404(request, pk)
    form = AddProjectsForm(request.POST)
    if not form.is_valid():
        return _render_plan(request, campaign, status=400, add_form=form)
    added = campaign_add_projects(campaign=campaign, by=request.user, projects=list(form.cleaned_data["projects"]))
    messages.success(
        request,
        ngettext("%(n)d project added.", "%(n)d projects added.", len(added)) % {"n": len(added)}
        if added
        else _("Those projects were already in the campaign."),
    )
    return _back_to_plan(campaign, "#plan")


@login_required
@require_POST
def campaign_remove_project_view(request, pk, project_pk):
    campaign = _plannable_or_404(request, pk)
    project = get_object_or_404(campaign.projects, pk=project_pk)
    try:
        detached = campaign_remove_project(campaign=campaign, by=request.user, project=project)
    except errors.ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("%(project)s left the campaign; %(n)d of its milestones no longer count in it.")
            % {"project": project.name, "n": detached},
        )
    return _back_to_plan(campaign, "#plan")


@login_required
@require_POST
def campaign_milestone_add_view(request, pk):
    campaign = _plannable_or_404(request, pk)
    form = CampaignMilestoneForm(request.POST, campaign=campaign)
    if form.is_valid():
        try:
            milestone = campaign_milestone_add(campaign=campaign, by=request.user, **form.cleaned_data)
        except errors.ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Milestone added: %(title)s.") % {"title": milestone.title})
            return _back_to_plan(campaign, f"#project-{milestone.project_id}")
    return _render_plan(request, campaign, status=400, milestone_form=form)


@login_required
def campaign_milestone_edit_view(request, pk, milestone_pk):
    campaign = _plannable_or_404(request, pk)
    milestone = get_object_or_404(Milestone.objects.select_related("project"), pk=milestone_pk, campaign=campaign)
    initial = {"title": milestone.title, "due_date": milestone.due_date, "responsible": milestone.responsible_id}
    form = MilestoneEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            campaign_milestone_edit(campaign=campaign, milestone=milestone, by=request.user, **form.cleaned_data)
        except errors.ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Milestone saved."))
            return _back_to_plan(campaign, f"#project-{milestone.project_id}")
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "campaigns/milestone_form.html",
        {"campaign": campaign, "milestone": milestone, "form": form},
        status=status,
    )


@login_required
@require_POST
def campaign_paste_view(request, pk):
    """Pasted rows: "preview" checks them and shows each row with its errors; "save" creates them
    all (only when every row is right)."""
    campaign = _plannable_or_404(request, pk)
    form = PasteRowsForm(request.POST)
    preview = None
    if form.is_valid():
        try:
            preview = check_rows(campaign=campaign, text=form.cleaned_data["rows"], limit=MAX_PASTE_ROWS)
        except TooManyRows:
            form.add_error("rows", _("At most %(n)d rows at a time.") % {"n": MAX_PASTE_ROWS})
        else:
            if not preview:
                form.add_error("rows", _("Paste at least one row."))
            elif request.POST.get("save") and not any(row.errors for row in preview):
                try:
                    created = campaign_milestones_import(campaign=campaign, by=request.user, rows=preview)
                except errors.ApplicationError as exc:
                    add_service_errors(form, exc)
                else:
                    messages.success(
                        request,
                        ngettext("%(n)d milestone added.", "%(n)d milestones added.", len(created))
                        % {"n": len(created)},
                    )
                    return _back_to_plan(campaign, "#plan")
    bad = form.errors or (preview and any(row.errors for row in preview))
    return _render_plan(request, campaign, status=400 if bad else 200, paste_form=form, preview=preview)


@login_required
@require_POST
def campaign_template_view(request, pk):
    campaign = _plannable_or_404(request, pk)
    form = TemplateForm(request.POST, campaign=campaign)
    if form.is_valid():
        template, problems = parse_template(form.cleaned_data["template"], limit=MAX_TEMPLATE_ROWS)
        for problem in problems:
            form.add_error("template", problem)
        if not problems:
            try:
                created, skipped = campaign_template_apply(
                    campaign=campaign, by=request.user, template=template, projects=list(form.cleaned_data["projects"])
                )
            except errors.ApplicationError as exc:
                add_service_errors(form, exc)
            else:
                text = ngettext("%(n)d milestone added.", "%(n)d milestones added.", len(created)) % {"n": len(created)}
                if skipped:
                    text += " " + ngettext(
                        "%(n)d was already there and kept.", "%(n)d were already there and kept.", skipped
                    ) % {"n": skipped}
                messages.success(request, text)
                return _back_to_plan(campaign, "#plan")
    return _render_plan(request, campaign, status=400, template_form=form)


@login_required
@require_POST
def campaign_assign_view(request, pk, project_pk):
    """Make one official responsible for all open milestones of a project in the campaign."""
    campaign = _plannable_or_404(request, pk)
    project = get_object_or_404(campaign.projects, pk=project_pk)
    form = AssignResponsibleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an official."))
        return _back_to_plan(campaign, f"#project-{project.pk}")
    milestones = list(Milestone.objects.filter(campaign=campaign, project=project, completed_on__isnull=True))
    changed = campaign_assign_responsible(
        campaign=campaign, by=request.user, milestones=milestones, responsible=form.cleaned_data["responsible"]
    )
    messages.success(
        request,
        ngettext("%(n)d milestone reassigned.", "%(n)d milestones reassigned.", changed) % {"n": changed},
    )
    return _back_to_plan(campaign, f"#project-{project.pk}")
