"""Push campaigns (专项行动) and the reminder policies (the ladders) officials tune.

A campaign groups projects and their milestones for a while (100 days by default). A reminder
policy says when the reminders about a deadline go out; the sweep of `notifications` reads the
policies in force (`campaigns.selectors.reminder_policies_in_force`) and only delivers.

Both models were moved here from `projects` and `notifications`; their tables were renamed with
the data kept (see the migrations of the three apps).
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStamped
from projects.models import MONEY


class Campaign(TimeStamped):
    """A push campaign (专项行动), e.g. 招商引资和项目建设"百日攻坚"行动: 100 days by default."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    goals = models.TextField(_("goals"), blank=True)
    goal_projects_to_start = models.PositiveIntegerField(_("projects to start"), null=True, blank=True)
    goal_projects_to_sign = models.PositiveIntegerField(_("projects to sign"), null=True, blank=True)
    goal_investment = models.DecimalField(
        _("investment to complete (10k yuan)"),
        **MONEY,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    projects = models.ManyToManyField(
        "projects.Project", verbose_name=_("projects"), blank=True, related_name="campaigns"
    )

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="campaign_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class WebhookStyle(models.TextChoices):
    """How a group robot's message is formatted (a policy chooses it; a delivery records it)."""

    TEXT = "text", _("Plain text (WeCom and DingTalk)")
    WECOM_MARKDOWN = "wecom_markdown", _("WeCom markdown")
    DINGTALK_MARKDOWN = "dingtalk_markdown", _("DingTalk markdown")


def validate_days_before(value) -> None:
    if not isinstance(value, list) or not all(isinstance(d, int) and not isinstance(d, bool) for d in value):
        raise ValidationError(_("Enter whole numbers of days, e.g. 7, 3, 1."))
    if any(d < 1 or d > 365 for d in value):
        raise ValidationError(_("Each number of days must be between 1 and 365."))
    if len(set(value)) != len(value):
        raise ValidationError(_("Each number of days may appear only once."))


def default_days_before() -> list[int]:
    return [7, 3, 1]


class ReminderPolicy(TimeStamped):
    """A reminder ladder. Officials tune it; the sweep of `notifications` reads it.

    Scope CAMPAIGN: the milestones of one campaign. MILESTONES: milestones outside any campaign
    (and campaigns without their own policy). ISSUES: the response and resolution time limits of
    enterprise issues. Without a row the built-in defaults (`DEFAULT_POLICIES`) apply.
    """

    class Scope(models.TextChoices):
        CAMPAIGN = "campaign", _("One campaign")
        MILESTONES = "milestones", _("Milestones outside campaigns")
        ISSUES = "issues", _("Issue time limits")

    scope = models.CharField(_("applies to"), max_length=20, choices=Scope.choices, default=Scope.CAMPAIGN)
    campaign = models.OneToOneField(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminder_policy",
    )
    days_before = models.JSONField(
        _("days before the due date"),
        default=default_days_before,
        blank=True,
        validators=[validate_days_before],
        help_text=_("A reminder this many days before the due date, e.g. 7, 3, 1."),
    )
    on_the_day = models.BooleanField(_("remind on the day"), default=True)
    repeat_every_days_overdue = models.PositiveSmallIntegerField(
        _("repeat every … days while overdue"),
        default=3,
        help_text=_("0: a single reminder on the first day overdue, no repeats."),
    )
    escalate_after_days_overdue = models.PositiveSmallIntegerField(
        _("escalate after … days overdue"),
        null=True,
        blank=True,
        default=7,
        help_text=_(
            "Notify the project's assigned leader and the responsible unit's head and open a supervision "
            "item. Empty: never."
        ),
    )
    webhook_url = models.URLField(
        _("group-robot webhook"),
        blank=True,
        help_text=_("WeCom/DingTalk group robot for this campaign; otherwise each recipient's department's."),
    )
    webhook_style = models.CharField(
        _("webhook message style"), max_length=20, choices=WebhookStyle.choices, default=WebhookStyle.TEXT
    )

    class Meta:
        ordering = ["scope", "id"]
        verbose_name = _("reminder policy")
        verbose_name_plural = _("reminder policies")
        constraints = [
            models.CheckConstraint(
                condition=(Q(scope="campaign") & Q(campaign__isnull=False))
                | (~Q(scope="campaign") & Q(campaign__isnull=True)),
                name="reminder_policy_campaign_iff_scope",
                violation_error_message=_("A campaign policy names its campaign; the others name none."),
            ),
            models.UniqueConstraint(
                fields=["scope"],
                condition=~Q(scope="campaign"),
                name="reminder_policy_one_default_per_scope",
                violation_error_message=_("There is already a policy for this scope."),
            ),
        ]

    def __str__(self) -> str:
        if self.campaign_id:
            return str(self.campaign)
        return str(self.get_scope_display())


#: The built-in ladders of the default scopes, in force until supervisors save a row of their own
#: (a campaign without a policy follows MILESTONES). Issue limits are a few working days long:
#: one day ahead, on the day, then daily.
DEFAULT_POLICIES = {
    ReminderPolicy.Scope.MILESTONES: {
        "days_before": [7, 3, 1],
        "on_the_day": True,
        "repeat_every_days_overdue": 3,
        "escalate_after_days_overdue": 7,
    },
    ReminderPolicy.Scope.ISSUES: {
        "days_before": [1],
        "on_the_day": True,
        "repeat_every_days_overdue": 1,
        "escalate_after_days_overdue": 3,
    },
}


def default_policy(scope: str) -> ReminderPolicy:
    """The built-in policy of a default scope, unsaved."""
    return ReminderPolicy(scope=scope, **DEFAULT_POLICIES[scope])
