"""Browser pages: the inbox, notification settings, the supervision list (督办), failed deliveries,
and campaigns (list, page with countdown and ranking, forms for supervisors).

Views are thin: selectors read, services write and check permissions; a form with errors is
shown again with status 400.
"""

from urllib.parse import urlsplit, urlunsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import errors
from core.forms import add_service_errors
from core.roles import official_of
from notifications.forms import (
    CampaignForm,
    PreferencesForm,
    ReminderPolicyForm,
    SupervisionCloseForm,
    SupervisionFilterForm,
)
from notifications.models import Delivery, ReminderPolicy, SupervisionItem
from notifications.permissions import (
    can_edit_policy,
    can_manage_deliveries,
    can_manage_supervision,
    can_view_supervision,
)
from notifications.policies import DEFAULT_LADDERS
from notifications.selectors import (
    deliveries_needing_attention,
    delivery_backlog,
    notification_get_own,
    notifications_for,
    policy_for_campaign,
    preference_for,
    supervision_items_visible_to,
    unread_count,
)
from notifications.services import (
    delivery_retry,
    notification_mark_read,
    notifications_mark_all_read,
    preferences_update,
    reminder_policy_set,
    supervision_item_close,
)
from notifications.tasks import sweep_due_reminders
from ops.selectors import task_lag
from projects.campaigns import (
    MILESTONE_STATUSES,
    campaign_create,
    campaign_milestones,
    campaign_ranking,
    campaign_statistics,
    campaign_update,
    campaigns_visible_to,
)
from projects.models import Campaign
from projects.permissions import can_manage_campaigns

PAGE_SIZE = 30


def _page(request, qs, size: int = PAGE_SIZE):
    return Paginator(qs, size).get_page(request.GET.get("page"))


# --- Inbox ------------------------------------------------------------------------------------------


@login_required
def inbox_view(request):
    unread_only = request.GET.get("unread") == "1"
    page = _page(request, notifications_for(request.user, unread=True if unread_only else None))
    return render(
        request,
        "notifications/inbox.html",
        {
            "page": page,
            "notifications": page.object_list,
            "unread_only": unread_only,
            "unread": unread_count(request.user),
            "can_view_supervision": can_view_supervision(request.user),
            "can_manage_deliveries": can_manage_deliveries(request.user),
        },
    )


@login_required
def notification_open_view(request, pk):
    """Follow a notification's link and count it as read (a read receipt, like opening a mail)."""
    notification = notification_get_own(user=request.user, pk=pk)
    notification_mark_read(notification=notification, by=request.user)
    # The stored link is absolute (for e-mail); stay on the host the user is using.
    parts = urlsplit(notification.link)
    return HttpResponseRedirect(urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment)))


@login_required
@require_POST
def notification_read_view(request, pk):
    notification = notification_get_own(user=request.user, pk=pk)
    notification_mark_read(notification=notification, by=request.user)
    if request.headers.get("HX-Request"):
        return render(
            request,
            "notifications/partials/notification.html",
            {"n": notification, "unread": unread_count(request.user), "oob_badge": True},
        )
    return redirect("notifications:inbox")


@login_required
@require_POST
def notifications_read_all_view(request):
    marked = notifications_mark_all_read(by=request.user)
    if marked:
        messages.success(request, _("All notifications marked read."))
    return redirect("notifications:inbox")


# --- Preferences ------------------------------------------------------------------------------------


@login_required
def preferences_view(request):
    preference = preference_for(request.user)
    official = official_of(request.user)
    initial = {
        "email": preference.email,
        "webhook": preference.webhook,
        "language": official.language if official else "zh-hans",
    }
    form = PreferencesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            preferences_update(user=request.user, by=request.user, **form.cleaned_data)
        except errors.ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your notification settings are saved."))
            return redirect("notifications:preferences")
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "has_profile": official is not None, "email": request.user.email},
        status=status,
    )


# --- Supervision list and failed deliveries ------------------------------------------------------------


@login_required
def supervision_list_view(request):
    if not can_view_supervision(request.user):
        raise PermissionDenied
    form = SupervisionFilterForm(request.GET or {"status": SupervisionItem.Status.OPEN})
    status = form.cleaned_data["status"] if form.is_valid() else SupervisionItem.Status.OPEN
    page = _page(request, supervision_items_visible_to(request.user, status=status or None))
    return render(
        request,
        "notifications/supervision_list.html",
        {
            "form": form,
            "status": status,
            "page": page,
            "items": page.object_list,
            "can_close": can_manage_supervision(request.user),
            "close_form": SupervisionCloseForm(),
        },
    )


@login_required
@require_POST
def supervision_close_view(request, pk):
    if not can_manage_supervision(request.user):
        raise PermissionDenied
    item = get_object_or_404(supervision_items_visible_to(request.user), pk=pk)
    form = SupervisionCloseForm(request.POST)
    if form.is_valid():
        try:
            supervision_item_close(item=item, by=request.user, note=form.cleaned_data["note"])
        except errors.ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Supervision item closed."))
    else:
        messages.error(request, _("Say how the item was settled."))
    return redirect("notifications:supervision")


@login_required
def deliveries_view(request):
    if not can_manage_deliveries(request.user):
        raise PermissionDenied
    page = _page(request, deliveries_needing_attention(request.user))
    context = {
        "page": page,
        "deliveries": page.object_list,
        "backlog": delivery_backlog(),
        "sweep": task_lag(sweep_due_reminders.name),
    }
    return render(request, "notifications/deliveries.html", context)


@login_required
@require_POST
def delivery_retry_view(request, pk):
    if not can_manage_deliveries(request.user):
        raise PermissionDenied
    delivery = get_object_or_404(Delivery, pk=pk)
    try:
        delivery_retry(delivery=delivery, by=request.user)
    except errors.ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The delivery will be sent again."))
    return redirect("notifications:deliveries")


# --- Campaigns ----------------------------------------------------------------------------------------


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
        "notifications/campaign_list.html",
        {"campaigns": campaigns, "today": today, "can_manage": can_manage_campaigns(request.user)},
    )


@login_required
def campaign_detail_view(request, pk):
    today = timezone.localdate()
    campaign = _campaign_or_404(request, pk)
    status = request.GET.get("status") if request.GET.get("status") in MILESTONE_STATUSES else None
    page = _page(request, campaign_milestones(campaign=campaign, user=request.user, status=status, today=today), 50)
    policy = policy_for_campaign(campaign)
    return render(
        request,
        "notifications/campaign_detail.html",
        {
            "campaign": campaign,
            "today": today,
            "stats": campaign_statistics(campaign=campaign, today=today),
            "ranking_parks": campaign_ranking(campaign=campaign, by="park", today=today),
            "ranking_units": campaign_ranking(campaign=campaign, by="unit", today=today),
            "status": status,
            "page": page,
            "milestones": page.object_list,
            "policy": policy,
            "default_ladder": DEFAULT_LADDERS[ReminderPolicy.Scope.MILESTONES],
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
    return render(request, "notifications/campaign_form.html", {"form": form, "campaign": campaign}, status=status)


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
    policy = policy_for_campaign(campaign)
    ladder = DEFAULT_LADDERS[ReminderPolicy.Scope.MILESTONES]
    initial = (
        {name: getattr(policy, name) for name in ReminderPolicyForm.base_fields}
        if policy
        else {
            "days_before": list(ladder.days_before),
            "on_the_day": ladder.on_the_day,
            "repeat_every_days_overdue": ladder.repeat_every,
            "escalate_after_days_overdue": ladder.escalate_after,
            "webhook_style": ladder.webhook_style,
        }
    )
    form = ReminderPolicyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            reminder_policy_set(by=request.user, campaign=campaign, **form.cleaned_data)
        except errors.ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Reminder policy saved."))
            return redirect("campaigns:detail", pk=campaign.pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "notifications/policy_form.html", {"form": form, "campaign": campaign}, status=status)
