"""Browser pages: the inbox, notification settings, the supervision list (督办), reminders that
had nobody to receive them, and failed deliveries. (The campaign pages and their reminder ladders are the campaigns app's.)

Views are thin: selectors read, services write and check permissions; a form with errors is
shown again with status 400.
"""

from urllib.parse import urlsplit, urlunsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import errors
from core.forms import add_service_errors
from core.roles import official_of
from notifications.forms import PreferencesForm, SupervisionCloseForm, SupervisionFilterForm
from notifications.models import Delivery, SupervisionItem
from notifications.permissions import can_manage_deliveries, can_manage_supervision, can_view_supervision
from notifications.selectors import (
    deliveries_needing_attention,
    delivery_backlog,
    notification_get_own,
    notifications_for,
    preference_for,
    supervision_items_visible_to,
    unread_count,
    unrouted_reminders_visible_to,
)
from notifications.services import (
    delivery_retry,
    notification_mark_read,
    notifications_mark_all_read,
    preferences_update,
    supervision_item_close,
)
from notifications.tasks import sweep_due_reminders
from ops.selectors import task_lag

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
def unrouted_list_view(request):
    """Reminders that had nobody to receive them (no handler, a department without a head, a
    deactivated account): each went to the supervision office instead."""
    if not can_view_supervision(request.user):
        raise PermissionDenied
    page = _page(request, unrouted_reminders_visible_to(request.user))
    return render(request, "notifications/unrouted_list.html", {"page": page, "items": page.object_list})


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
