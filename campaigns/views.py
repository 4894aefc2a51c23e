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
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.forms import CampaignForm, ReminderPolicyForm
from campaigns.models import Campaign
from campaigns.permissions import can_edit_policy, can_manage_campaigns
from campaigns.selectors import (
    MILESTONE_STATUSES,
    campaign_milestones,
    campaign_ranking,
    campaign_statistics,
    campaigns_visible_to,
    policy_in_force_for_campaign,
)
from campaigns.services import campaign_create, campaign_update, reminder_policy_set
from core import errors
from core.forms import add_service_errors
from projects.milestones import timeline_strip

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
        projects = list(data.pop("projects"))
        try:
            if campaign is None:
                campaign = campaign_create(by=request.user, projects=projects, **data)
            else:
                if not data.get("end_date"):
                    data.pop("end_date")
                campaign = campaign_update(campaign=campaign, by=request.user, projects=projects, **data)
        except errors.ApplicationError as exc:
            add_service_errors(form, exc)
        else:
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
