"""Reminders: notifications (one per reminder and recipient), deliveries (one per channel),
supervision items (督办) and each user's channel choices. The ladders (reminder policies) are
the campaigns app's (`campaigns.models.ReminderPolicy`); this app only delivers.

Exactly once rests on two unique keys, not on the broker:
- `Notification`: (object, kind, due date, step, recipient) — a re-run sweep, a second beat or a
  retried task inserts nothing new. `step` is the rung of the ladder in days relative to the due
  date (-7, -3, -1, 0, +1, +4 …), so one (object, kind, due date) carries one row per rung; a rung
  skipped while the system was down is recorded with `superseded=True` and never delivered.
- `Delivery.key`: (channel, target, and the notification's key without the recipient for the
  group webhook) — one post per group even when several recipients share the group.

Kinds planned by another app (the weekly briefing) go through the same rows and deliveries; what
only that app knows (their text, their e-mail attachments) is registered in
`notifications.registry`.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from campaigns.models import WebhookStyle
from core.models import TimeStamped


class Channel(models.TextChoices):
    INBOX = "inbox", _("In-app inbox")
    EMAIL = "email", _("E-mail")
    WEBHOOK = "webhook", _("Group-robot webhook")


class Kind(models.TextChoices):
    MILESTONE_UPCOMING = "milestone_upcoming", _("Milestone due soon")
    MILESTONE_DUE_TODAY = "milestone_due_today", _("Milestone due today")
    MILESTONE_OVERDUE = "milestone_overdue", _("Milestone overdue")
    MILESTONE_ESCALATED = "milestone_escalated", _("Overdue milestone escalated")
    ISSUE_RESPONSE_UPCOMING = "issue_response_upcoming", _("Issue response due soon")
    ISSUE_RESPONSE_DUE_TODAY = "issue_response_due_today", _("Issue response due today")
    ISSUE_RESPONSE_OVERDUE = "issue_response_overdue", _("Issue response overdue")
    ISSUE_RESOLUTION_UPCOMING = "issue_resolution_upcoming", _("Issue resolution due soon")
    ISSUE_RESOLUTION_DUE_TODAY = "issue_resolution_due_today", _("Issue resolution due today")
    ISSUE_RESOLUTION_OVERDUE = "issue_resolution_overdue", _("Issue resolution overdue")
    ISSUE_ESCALATED = "issue_escalated", _("Overdue issue escalated")
    ISSUE_EVENT = "issue_event", _("Issue update")
    REPORT_MISSING = "report_missing", _("Monthly report missing")
    # Deadlines of the apps below (core.reminders): approval items (approvals app).
    APPROVAL_UPCOMING = "approval_upcoming", _("Approval due soon")
    APPROVAL_DUE_TODAY = "approval_due_today", _("Approval due today")
    APPROVAL_OVERDUE = "approval_overdue", _("Approval overdue")
    APPROVAL_ESCALATED = "approval_escalated", _("Overdue approval escalated")
    # Recorded by dashboards (its text and workbook attachment are registered in
    # notifications.registry); one per leader and week: object = the leader's user, due date = Monday.
    WEEKLY_BRIEFING = "weekly_briefing", _("Weekly briefing")


class NotificationPreference(TimeStamped):
    """The channels a user chose. The inbox is always on; without a row e-mail and webhook are on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    email = models.BooleanField(_("e-mail"), default=True)
    webhook = models.BooleanField(
        _("group robot"), default=True, help_text=_("Post my reminders to my department's (or campaign's) group.")
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.user)


class Notification(models.Model):
    """One reminder (or event notice) for one recipient; its text is rendered once, in their language."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    content_type = models.ForeignKey(ContentType, verbose_name=_("object type"), on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField(_("object id"))
    target = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    due_date = models.DateField(_("due date"))
    step = models.SmallIntegerField(
        _("step"), default=0, help_text=_("Days relative to the due date: -7 before, 0 on the day, 3 overdue.")
    )
    superseded = models.BooleanField(
        _("superseded"),
        default=False,
        help_text=_("Missed while the system was down and replaced by a later step: recorded, never sent."),
    )
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"))
    link = models.CharField(_("link"), max_length=500)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # The sweep that inserted the row: lets an INSERT … ON CONFLICT DO NOTHING tell its own rows apart.
    batch = models.UUIDField(null=True, blank=True, editable=False, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "kind", "due_date", "step", "recipient"],
                name="notification_once_per_object_kind_due_step_recipient",
            )
        ]
        indexes = [models.Index(fields=["recipient", "superseded", "read_at"], name="notification_inbox_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Delivery(models.Model):
    """One notification over one channel. External channels go pending → sending → sent, or
    failed (retried with backoff) → gave_up. See `notifications.services` for the guarantees."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed, will retry")
        GAVE_UP = "gave_up", _("Gave up")

    notification = models.ForeignKey(
        Notification, verbose_name=_("notification"), on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    target = models.CharField(_("address"), max_length=500, blank=True)
    style = models.CharField(_("message style"), max_length=20, choices=WebhookStyle.choices, blank=True)
    key = models.CharField(max_length=64, unique=True, editable=False)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    enqueued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("sending since"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    batch = models.UUIDField(null=True, blank=True, editable=False, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="delivery_state_idx")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.target or self.notification.recipient_id}"


class SupervisionItem(TimeStamped):
    """督办: an overdue item escalated to the supervision office's list. One per object and due date."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    content_type = models.ForeignKey(ContentType, verbose_name=_("object type"), on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField(_("object id"))
    target = GenericForeignKey("content_type", "object_id")
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="supervision_items",
    )
    due_date = models.DateField(_("due date"))
    title = models.CharField(_("title"), max_length=300)
    link = models.CharField(_("link"), max_length=500, blank=True)
    opened_on = models.DateField(_("opened on"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["status", "-opened_on", "-id"]
        verbose_name = _("supervision item")
        verbose_name_plural = _("supervision items")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "due_date"], name="supervision_once_per_object_due"
            ),
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True) | Q(status="closed", closed_at__isnull=False),
                name="supervision_closed_at_iff_closed",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class UnroutedReminder(models.Model):
    """A reminder that had nobody to receive it — no responsible person and a department without
    a head, no department at all, or a deactivated account — and went to the supervision office
    instead (`notifications.reminders`). One row per reminder (object, kind, due date, rung),
    listed for supervisors on /notifications/unrouted/ and counted on the cockpit, so that a gap
    in the organisation never swallows a reminder silently."""

    class Reason(models.TextChoices):
        NO_HEAD = "no_head", _("No responsible person, and the department has no head")
        NO_DEPARTMENT = "no_department", _("No responsible person and no responsible department")
        INACTIVE = "inactive", _("The responsible person's account is deactivated")
        NO_ESCALATION = "no_escalation", _("Nobody to escalate to (no assigned leader, no department head)")

    content_type = models.ForeignKey(ContentType, verbose_name=_("object type"), on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField(_("object id"))
    target = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    due_date = models.DateField(_("due date"))
    step = models.SmallIntegerField(_("step"))
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    title = models.CharField(_("title"), max_length=300)
    link = models.CharField(_("link"), max_length=500, blank=True)
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    department = models.ForeignKey(
        "core.Department",
        verbose_name=_("department"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # How many supervisors received it instead (0: there is no supervisor either).
    routed_to = models.PositiveSmallIntegerField(_("sent to supervisors"), default=0)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("unrouted reminder")
        verbose_name_plural = _("unrouted reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "kind", "due_date", "step"], name="unrouted_once_per_reminder"
            )
        ]

    def __str__(self) -> str:
        return self.title
