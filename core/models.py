"""Organisation: departments, parks, officials (with their role), and the audit trail."""

import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class Role(models.TextChoices):
    LEADER = "leader", _("City leader")
    OFFICIAL = "official", _("Project official")
    STAFF = "staff", _("Service-team staff")
    HANDLER = "handler", _("Department handler")
    SUPERVISOR = "supervisor", _("Supervisor")


class Department(TimeStamped):
    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("Government department")
        PARK_COMMITTEE = "park_committee", _("Park committee")
        UTILITY = "utility", _("Utility")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.GOVERNMENT)
    head = models.ForeignKey(
        "core.Official",
        verbose_name=_("head"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="headed_departments",
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    webhook_url = models.URLField(
        _("group-robot webhook"),
        blank=True,
        help_text=_("WeCom/DingTalk group robot URL that receives this department's reminders."),
    )
    sort_order = models.PositiveIntegerField(_("sort order"), default=100)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name


class Park(TimeStamped):
    name = models.CharField(_("name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    level = models.CharField(_("level"), max_length=30, blank=True, help_text=_("e.g. national, provincial"))
    committee = models.ForeignKey(
        Department,
        verbose_name=_("park committee"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="parks",
    )
    sort_order = models.PositiveIntegerField(_("sort order"), default=100)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("park")
        verbose_name_plural = _("parks")

    def __str__(self) -> str:
        return self.name


class Official(TimeStamped):
    """The profile of a login user: who they are in the organisation and what role they play."""

    class Language(models.TextChoices):
        ZH_HANS = "zh-hans", "简体中文"
        EN = "en", "English"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="official", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=50)
    title = models.CharField(_("title"), max_length=100, blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="officials",
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.OFFICIAL)
    language = models.CharField(_("language"), max_length=10, choices=Language.choices, default=Language.ZH_HANS)

    class Meta:
        ordering = ["name"]
        verbose_name = _("official")
        verbose_name_plural = _("officials")

    def __str__(self) -> str:
        # Demo people are named by their title only: don't print it twice.
        return f"{self.name}（{self.title}）" if self.title and self.title != self.name else self.name


# The audit trail is kept at least this long whatever the settings say (MLPS level 3: six months):
# the database refuses to delete a younger row (migration core.0004) and so does the model.
AUDIT_MIN_RETENTION_DAYS = 183
APPEND_ONLY = "The audit trail is append-only."


def display_name(user) -> str:
    """How a person is named in the history: their official's name (and title), else the login's
    full name, else the login name. Stored with each entry, so it survives a rename or a departure."""
    if user is None:
        return ""
    try:
        official = user.official
    except ObjectDoesNotExist:
        official = None
    name = str(official) if official is not None else (user.get_full_name() or user.get_username())
    return name[:150]


class AuditEntryQuerySet(models.QuerySet):
    """Rows are only ever added: no bulk update, and delete only what is past retention."""

    def update(self, **kwargs):
        raise TypeError(APPEND_ONLY)

    def delete(self):
        raise TypeError(APPEND_ONLY)

    def purge_before(self, cutoff) -> int:
        """Delete the entries older than `cutoff` (core.services.audit_purge_expired), never any
        younger than AUDIT_MIN_RETENTION_DAYS (the database refuses those too)."""
        floor = timezone.now() - datetime.timedelta(days=AUDIT_MIN_RETENTION_DAYS)
        if cutoff > floor:
            raise ValueError(f"Audit entries are kept at least {AUDIT_MIN_RETENTION_DAYS} days.")
        deleted, _detail = models.QuerySet.delete(self.filter(at__lt=cutoff))
        return deleted


class AuditEntry(models.Model):
    """Append-only record of a write that matters: who did what to which object, and the change.

    The actor is kept (PROTECT: a user with history is deactivated, never deleted) together with
    the name they had when they acted. Neither the app nor its database user can change a row or
    delete one younger than AUDIT_MIN_RETENTION_DAYS: the model and queryset refuse, and a
    trigger in the database does (PostgreSQL and SQLite, migration core.0004).
    """

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_entries",
    )
    actor_name = models.CharField(_("actor's name"), max_length=150, blank=True, default="", db_default="")
    action = models.CharField(_("action"), max_length=50, db_index=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=40)
    target = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(_("object"), max_length=200)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name or self.actor or ''} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError(APPEND_ONLY)
        if self.actor_id is not None and not self.actor_name:
            self.actor_name = display_name(self.actor)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError(APPEND_ONLY)


class Holiday(models.Model):
    """One day of the official PRC calendar that differs from the Monday–Friday rule.

    A public holiday (放假) is a day off even on a weekday; a make-up working day (调休上班) is a
    working day even on a weekend. A year with at least one row counts as known; a year without
    rows falls back to weekends only and the deadlines computed over it are provisional
    (core.calendar).
    """

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Public holiday (day off)")
        MAKEUP_WORKDAY = "makeup_workday", _("Make-up working day")

    class Source(models.TextChoices):
        LIBRARY = "chinesecalendar", _("chinesecalendar library")
        MANUAL = "manual", _("Entered by hand")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=50, blank=True, help_text=_("e.g. 国庆节"))
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.MANUAL)

    class Meta:
        ordering = ["date"]
        verbose_name = _("holiday or make-up working day")
        verbose_name_plural = _("holiday calendar")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.name}".strip()


def upload_to_pending(instance, filename):
    return f"pending/{instance.user_id}/{filename}"


class PendingUpload(models.Model):
    """A file chosen on a browser form whose submission failed validation: kept for the user who
    chose it, shown on the re-rendered form as kept, used when the form is sent again, removed
    then, or by beat after PENDING_UPLOAD_HOURS (core.pending)."""

    token = models.UUIDField(_("token"), unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    field = models.CharField(_("form field"), max_length=50)
    file = models.FileField(_("file"), upload_to=upload_to_pending)
    original_name = models.CharField(_("file name"), max_length=200)
    created_at = models.DateTimeField(_("chosen at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("pending upload")
        verbose_name_plural = _("pending uploads")

    def __str__(self) -> str:
        return self.original_name


# The Idempotency-Key store lives beside its middleware (core.idempotency).
from core.idempotency import IdempotencyRecord  # noqa: E402, F401
