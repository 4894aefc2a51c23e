"""The reminder ladder: which rung is due on a given day, read from the reminder policies in
force (`campaigns.selectors.reminder_policies_in_force`: the rows officials saved, else the
built-in defaults of `campaigns.models.DEFAULT_POLICIES`).

A ladder for a deadline D has rungs, in days relative to D: one per "days before" value
(-7, -3, -1), the day itself (0), the first day overdue (+1) and then every K days while overdue
(+1+K, +1+2K …). Escalation (after N days overdue) is a separate, single rung.

On day T the *current* rung is the latest rung r with D + r <= T. Only the current rung is
delivered; earlier rungs that were never recorded (the sweep did not run on their day) are
recorded as superseded. After a week down, the user therefore gets the one reminder that fits
today ("due in 1 day"), not the 7-day and 3-day ones as well.
"""

from dataclasses import dataclass

from campaigns.models import DEFAULT_POLICIES, ReminderPolicy, default_policy
from campaigns.selectors import reminder_policies_in_force
from notifications.models import Kind, WebhookStyle


@dataclass(frozen=True)
class Ladder:
    days_before: tuple[int, ...]
    on_the_day: bool
    repeat_every: int
    escalate_after: int | None
    webhook_url: str = ""
    webhook_style: str = WebhookStyle.TEXT

    @classmethod
    def from_policy(cls, policy: ReminderPolicy) -> "Ladder":
        return cls(
            days_before=tuple(sorted({int(d) for d in policy.days_before or []}, reverse=True)),
            on_the_day=policy.on_the_day,
            repeat_every=policy.repeat_every_days_overdue,
            escalate_after=policy.escalate_after_days_overdue,
            webhook_url=policy.webhook_url,
            webhook_style=policy.webhook_style,
        )

    @property
    def lead_days(self) -> int:
        """How many days before the deadline the first rung falls (0 when there is none before)."""
        return max(self.days_before, default=0)

    def rungs_until(self, days_since_due: int) -> list[int]:
        """Every rung on or before `days_since_due` (negative: days still left), ascending."""
        rungs = [-d for d in self.days_before if -d <= days_since_due]
        if self.on_the_day and days_since_due >= 0:
            rungs.append(0)
        if days_since_due >= 1:
            rungs.append(1)
            if self.repeat_every > 0:
                rungs.extend(range(1 + self.repeat_every, days_since_due + 1, self.repeat_every))
        return sorted(set(rungs))

    def current_rung(self, days_since_due: int) -> tuple[int | None, list[int]]:
        """(the rung to deliver today or None, the earlier rungs it supersedes)."""
        rungs = self.rungs_until(days_since_due)
        if not rungs:
            return None, []
        return rungs[-1], rungs[:-1]

    def escalation_due(self, days_since_due: int) -> bool:
        return self.escalate_after is not None and days_since_due >= self.escalate_after


# The built-in ladders of the default scopes (their policies are the campaigns app's).
DEFAULT_LADDERS = {scope: Ladder.from_policy(default_policy(scope)) for scope in DEFAULT_POLICIES}


@dataclass(frozen=True)
class Ladders:
    """All ladders in force, loaded with one query."""

    by_campaign: dict[int, Ladder]
    milestones: Ladder
    issues: Ladder

    @classmethod
    def load(cls) -> "Ladders":
        policies = reminder_policies_in_force()
        return cls(
            by_campaign={pk: Ladder.from_policy(policies.for_campaign(pk)) for pk in policies.by_campaign},
            milestones=Ladder.from_policy(policies.for_campaign(None)),
            issues=Ladder.from_policy(policies.defaults[ReminderPolicy.Scope.ISSUES]),
        )

    def for_campaign(self, campaign_id: int | None) -> Ladder:
        """As `campaigns.selectors.PoliciesInForce.for_campaign`: its own, else the default."""
        return self.by_campaign.get(campaign_id) or self.milestones

    @property
    def milestone_lead_days(self) -> int:
        return max([self.milestones.lead_days, *(ladder.lead_days for ladder in self.by_campaign.values())])


MILESTONE_KINDS = (Kind.MILESTONE_UPCOMING, Kind.MILESTONE_DUE_TODAY, Kind.MILESTONE_OVERDUE)
ISSUE_RESPONSE_KINDS = (Kind.ISSUE_RESPONSE_UPCOMING, Kind.ISSUE_RESPONSE_DUE_TODAY, Kind.ISSUE_RESPONSE_OVERDUE)
ISSUE_RESOLUTION_KINDS = (
    Kind.ISSUE_RESOLUTION_UPCOMING,
    Kind.ISSUE_RESOLUTION_DUE_TODAY,
    Kind.ISSUE_RESOLUTION_OVERDUE,
)


def kind_for_rung(kinds: tuple[str, str, str], rung: int) -> str:
    """Pick the (upcoming, due today, overdue) kind for a rung."""
    upcoming, today, overdue = kinds
    if rung < 0:
        return upcoming
    return today if rung == 0 else overdue
