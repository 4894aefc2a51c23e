"""Reads of the notifications app. Every list runs a constant number of queries."""

import datetime
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, Min, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from notifications.models import Delivery, Notification, NotificationPreference, SupervisionItem, UnroutedReminder
from notifications.permissions import can_manage_deliveries, can_view_supervision
from projects.milestones import met_q
from projects.models import Milestone


def notifications_for(user, *, unread: bool | None = None) -> QuerySet[Notification]:
    """The user's own inbox, newest first; superseded (never sent) reminders are left out."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    qs = Notification.objects.filter(recipient=user, superseded=False)
    if unread is True:
        qs = qs.filter(read_at__isnull=True)
    elif unread is False:
        qs = qs.filter(read_at__isnull=False)
    return qs.order_by("-created_at", "-id")


def notification_get_own(*, user, pk) -> Notification:
    try:
        return notifications_for(user).get(pk=pk)
    except (Notification.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def unread_count(user) -> int:
    """The header badge: one COUNT on an index."""
    return notifications_for(user, unread=True).count()


def preference_for(user) -> NotificationPreference:
    """The user's channel choices (defaults, unsaved, when they never chose)."""
    return NotificationPreference.objects.filter(user=user).first() or NotificationPreference(user=user)


def supervision_items_visible_to(user, *, status: str | None = None) -> QuerySet[SupervisionItem]:
    """The supervision list (督办) for supervisors and leaders; `target_done` tells whether the
    escalated milestone has been completed since."""
    if not can_view_supervision(user):
        return SupervisionItem.objects.none()
    qs = SupervisionItem.objects.all()
    if status:
        qs = qs.filter(status=status)
    milestone_type = ContentType.objects.get_for_model(Milestone)
    done = Milestone.objects.filter(met_q(timezone.localdate()), pk=OuterRef("object_id"))
    return (
        qs.select_related("project__responsible_unit", "project__assigned_leader", "closed_by__official")
        .annotate(
            target_done=ExpressionWrapper(Q(content_type=milestone_type) & Exists(done), output_field=BooleanField())
        )
        .order_by("status", "-opened_on", "-id")
    )


def deliveries_needing_attention(user) -> QuerySet[Delivery]:
    """Deliveries that gave up or are failing, for supervisors (others: none)."""
    if not can_manage_deliveries(user):
        return Delivery.objects.none()
    return (
        Delivery.objects.filter(state__in=[Delivery.State.GAVE_UP, Delivery.State.FAILED])
        .select_related("notification__recipient__official")
        .order_by("state", "-created_at", "-id")
    )


def recipients_notified(*, kind: str, due_date) -> set[int]:
    """Ids of the users already holding a notification of `kind` for `due_date` (one query):
    lets a planner skip the work for them; the unique key is what guarantees once."""
    return set(Notification.objects.filter(kind=kind, due_date=due_date).values_list("recipient_id", flat=True))


# --- Delivery backlog (supervisors' deliveries page, /metrics) ----------------------------------

UNFINISHED_DELIVERY_STATES = [
    Delivery.State.PENDING,
    Delivery.State.SENDING,
    Delivery.State.FAILED,
    Delivery.State.GAVE_UP,
]


def delivery_state_counts() -> dict[tuple[str, str], int]:
    """{(state, channel): deliveries} for the states that are not done (queued = pending,
    sending, failed and waiting to retry, gave up). One query, on the state index."""
    rows = (
        Delivery.objects.filter(state__in=UNFINISHED_DELIVERY_STATES)
        .order_by()
        .values_list("state", "channel")
        .annotate(n=Count("pk"))
    )
    return {(state, channel): n for state, channel, n in rows}


@dataclass(frozen=True)
class DeliveryBacklog:
    queued: int
    sending: int
    failed: int
    gave_up: int
    oldest_waiting_at: datetime.datetime | None  # creation of the oldest delivery not yet sent or given up


def delivery_backlog() -> DeliveryBacklog:
    """Unfinished deliveries per state over every channel, and the oldest one still waiting."""
    waiting = [Delivery.State.PENDING, Delivery.State.SENDING, Delivery.State.FAILED]
    figures = Delivery.objects.filter(state__in=UNFINISHED_DELIVERY_STATES).aggregate(
        queued=Count("pk", filter=Q(state=Delivery.State.PENDING)),
        sending=Count("pk", filter=Q(state=Delivery.State.SENDING)),
        failed=Count("pk", filter=Q(state=Delivery.State.FAILED)),
        gave_up=Count("pk", filter=Q(state=Delivery.State.GAVE_UP)),
        oldest_waiting_at=Min("created_at", filter=Q(state__in=waiting)),
    )
    return DeliveryBacklog(**figures)


def unrouted_reminders_visible_to(user) -> QuerySet[UnroutedReminder]:
    """Reminders that had nobody to receive them and went to the supervision office, newest
    first: for the supervision office and city leaders (others: none)."""
    if not can_view_supervision(user):
        return UnroutedReminder.objects.none()
    return UnroutedReminder.objects.select_related("project", "department", "content_type").order_by(
        "-recorded_at", "-id"
    )


def unrouted_count(user, *, days: int = 30) -> int | None:
    """How many reminders found nobody in the last `days` days (one query); None for a user who
    may not see the list."""
    if not can_view_supervision(user):
        return None
    since = timezone.now() - datetime.timedelta(days=days)
    return UnroutedReminder.objects.filter(recorded_at__gte=since).count()
