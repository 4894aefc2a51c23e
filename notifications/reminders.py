"""What is due: the sweep's reads. Each planner returns the notifications to record for one day.

Every planner runs a fixed number of queries whatever the number of rows: one for the candidates
(with every person, department and preference joined in), one for the notifications already
recorded for them. Nothing here writes; `notifications.services.reminders_sweep` stores the plan.
"""

import datetime
from dataclasses import dataclass, field, replace

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone

from core.models import Official, Role
from core.reminders import registered as reminder_sources
from issues import deadlines
from issues.models import Issue, Status
from notifications.models import Kind, Notification, SupervisionItem, UnroutedReminder, WebhookStyle
from notifications.policies import (
    ISSUE_RESOLUTION_KINDS,
    ISSUE_RESPONSE_KINDS,
    MILESTONE_KINDS,
    Ladder,
    Ladders,
    kind_for_rung,
)
from notifications.texts import Subject, page_path
from projects.milestones import open_q
from projects.models import Milestone, Project, Stage
from projects.selectors import report_deadline, report_missing_q, report_month_due

# select_related paths that bring an Official with everything a delivery needs.
_PERSON = ("user__notification_preference", "department")


def _person_paths(prefix: str) -> list[str]:
    return [f"{prefix}__{p}" for p in _PERSON]


@dataclass(frozen=True)
class Recipient:
    user_id: int
    name: str
    email: str
    language: str
    email_on: bool
    webhook_on: bool
    department_webhook: str


def recipient_of(official) -> Recipient | None:
    """The delivery facts of an Official (loaded with `_person_paths`), or None if nobody to tell."""
    if official is None:
        return None
    user = official.user
    if not user.is_active:
        return None
    try:
        preference = user.notification_preference
    except ObjectDoesNotExist:
        preference = None
    department = official.department
    return Recipient(
        user_id=user.pk,
        name=official.name,
        email=user.email or "",
        language=official.language,
        email_on=preference.email if preference else True,
        webhook_on=preference.webhook if preference else True,
        department_webhook=(department.webhook_url if department else "") or "",
    )


@dataclass
class Planned:
    """One notification row to insert (and, unless superseded, deliver)."""

    content_type_id: int
    object_id: int
    kind: str
    due_date: datetime.date
    step: int
    recipient: Recipient
    subject: Subject
    superseded: bool = False
    webhook_url: str = ""
    webhook_style: str = WebhookStyle.TEXT
    # What a group post is about: recipients who share a robot get one post per topic. Default
    # (empty): the notification's object, kind, due date and step.
    webhook_topic: tuple = ()

    @property
    def key(self) -> tuple:
        return (self.content_type_id, self.object_id, self.kind, self.due_date, self.step, self.recipient.user_id)


@dataclass
class Plan:
    notifications: list[Planned]
    supervision: list[SupervisionItem]
    unrouted: list[UnroutedReminder] = field(default_factory=list)

    def extend(self, other: "Plan") -> None:
        self.notifications.extend(other.notifications)
        self.supervision.extend(other.supervision)
        self.unrouted.extend(other.unrouted)


# --- Reminders with nobody to receive them ----------------------------------------------------------


class Office:
    """The supervision office (督查室): who receives a reminder that has nobody else. Read once,
    when a planner first needs it (one query)."""

    def __init__(self):
        self._recipients: list[Recipient] | None = None

    @property
    def recipients(self) -> list[Recipient]:
        if self._recipients is None:
            officials = (
                Official.objects.filter(role=Role.SUPERVISOR, user__is_active=True)
                .select_related("user", *_PERSON)
                .order_by("pk")
            )
            self._recipients = [r for r in map(recipient_of, officials) if r is not None]
        return self._recipients


def why_unrouted(person, department) -> str:
    """Why nobody receives a reminder meant for `person` (else the head of `department`)."""
    if person is not None:
        return UnroutedReminder.Reason.INACTIVE
    if department is None:
        return UnroutedReminder.Reason.NO_DEPARTMENT
    return UnroutedReminder.Reason.NO_HEAD


def _to_office(
    plan: "Plan",
    office: Office,
    *,
    reason: str,
    items: list[Planned],
    existing: set[tuple],
    project=None,
    department=None,
) -> None:
    """Send `items` (planned for nobody: their recipient is a placeholder) to every supervisor
    instead, the text saying why, and record the reminder on the unrouted list (once: its
    unique key)."""
    current = [item for item in items if not item.superseded]
    if not current:
        return
    for supervisor in office.recipients:
        for item in items:
            subject = replace(item.subject, extra={**item.subject.extra, "unrouted": reason})
            routed = replace(item, recipient=supervisor, subject=subject)
            if routed.key not in existing:
                plan.notifications.append(routed)
    item = current[-1]
    plan.unrouted.append(
        UnroutedReminder(
            content_type_id=item.content_type_id,
            object_id=item.object_id,
            kind=item.kind,
            due_date=item.due_date,
            step=item.step,
            reason=reason,
            title=item.subject.title[:300]
            if not item.subject.project
            else f"{item.subject.project} · {item.subject.title}"[:300],
            link=item.subject.path[:500],
            project=project,
            department=department,
            routed_to=len(office.recipients),
        )
    )


# A stand-in recipient while planning a reminder that has nobody (replaced by each supervisor).
NOBODY = Recipient(
    user_id=0, name="", email="", language="zh-hans", email_on=False, webhook_on=False, department_webhook=""
)


def _existing(content_type_id: int, object_ids, kinds) -> set[tuple]:
    """Keys already recorded for these objects (one query; `object_ids` may be a subquery)."""
    rows = Notification.objects.filter(
        content_type_id=content_type_id, object_id__in=object_ids, kind__in=list(kinds)
    ).values_list("object_id", "kind", "due_date", "step", "recipient_id")
    return {(content_type_id, *row) for row in rows}


def _ladder_plan(
    *,
    ladder: Ladder,
    kinds: tuple[str, str, str],
    today: datetime.date,
    content_type_id: int,
    object_id: int,
    due_date: datetime.date,
    recipient: Recipient | None,
    subject: Subject,
    existing: set[tuple],
    webhook_url: str = "",
) -> list[Planned]:
    """The current rung (if not yet recorded) and the earlier unrecorded rungs it supersedes."""
    if recipient is None:
        return []
    days = (today - due_date).days
    rung, earlier = ladder.current_rung(days)
    if rung is None:
        return []
    planned = []
    for step, superseded in [*((r, True) for r in earlier), (rung, False)]:
        kind = kind_for_rung(kinds, step)
        item = Planned(
            content_type_id=content_type_id,
            object_id=object_id,
            kind=kind,
            due_date=due_date,
            step=step,
            recipient=recipient,
            subject=replace(subject, kind=kind, days=days),
            superseded=superseded,
            webhook_url=webhook_url,
            webhook_style=ladder.webhook_style,
        )
        if item.key not in existing:
            planned.append(item)
    # Nothing new for today's rung: the earlier ones were handled (sent or superseded) before.
    if not planned or planned[-1].step != rung:
        return []
    return planned


def _unique(officials) -> list:
    seen, result = set(), []
    for official in officials:
        if official is not None and official.pk not in seen:
            seen.add(official.pk)
            result.append(official)
    return result


def project_path(project_id: int) -> str:
    return page_path("projects:detail", project_id, fallback=page_path("notifications:inbox"))


# --- Milestones ------------------------------------------------------------------------------------


def milestone_reminders(*, today: datetime.date, ladders: Ladders) -> Plan:
    """Ladder reminders to the milestone's responsible official (else the project's, else the
    unit head), and after N days overdue an escalation to the project's assigned leader and the
    responsible unit's head plus a supervision item."""
    content_type = ContentType.objects.get_for_model(Milestone)
    horizon = today + datetime.timedelta(days=ladders.milestone_lead_days)
    # Not met today (projects.milestones) and due within the longest ladder's lead.
    candidates = Milestone.objects.filter(open_q(today), due_date__lte=horizon).exclude(project__stage=Stage.STOPPED)
    rows = list(
        candidates.select_related(
            "project",
            *_person_paths("responsible"),
            *_person_paths("project__responsible_official"),
            *_person_paths("project__assigned_leader"),
            *_person_paths("project__responsible_unit__head"),
        ).order_by("id")
    )
    plan, office = Plan([], []), Office()
    if not rows:
        return plan
    ids = candidates.values("pk")
    existing = _existing(content_type.pk, ids, [*MILESTONE_KINDS, Kind.MILESTONE_ESCALATED])
    supervised = set(
        SupervisionItem.objects.filter(content_type=content_type, object_id__in=ids).values_list(
            "object_id", "due_date"
        )
    )
    for milestone in rows:
        project = milestone.project
        ladder = ladders.for_campaign(milestone.campaign_id)
        unit = project.responsible_unit
        head = unit.head if unit else None
        owner = milestone.responsible or project.responsible_official or head
        subject = Subject(
            kind="",
            title=milestone.title,
            due_date=milestone.due_date,
            project=project.name,
            path=project_path(project.pk),
            extra={"responsible": owner.name if owner else ""},
        )
        recipient = recipient_of(owner)
        items = _ladder_plan(
            ladder=ladder,
            kinds=MILESTONE_KINDS,
            today=today,
            content_type_id=content_type.pk,
            object_id=milestone.pk,
            due_date=milestone.due_date,
            recipient=recipient or NOBODY,
            subject=subject,
            existing=existing,
            webhook_url=ladder.webhook_url,
        )
        if recipient is None:
            reason = why_unrouted(owner, unit)
            _to_office(plan, office, reason=reason, items=items, existing=existing, project=project, department=unit)
        else:
            plan.notifications += items
        days = (today - milestone.due_date).days
        if not ladder.escalation_due(days):
            continue
        escalated = [r for r in map(recipient_of, _unique([project.assigned_leader, head])) if r is not None]
        for recipient in escalated or [NOBODY]:
            item = Planned(
                content_type_id=content_type.pk,
                object_id=milestone.pk,
                kind=Kind.MILESTONE_ESCALATED,
                due_date=milestone.due_date,
                step=ladder.escalate_after,
                recipient=recipient,
                subject=replace(subject, kind=Kind.MILESTONE_ESCALATED, days=days),
                webhook_url=ladder.webhook_url,
                webhook_style=ladder.webhook_style,
            )
            if not escalated:
                reason = UnroutedReminder.Reason.NO_ESCALATION
                _to_office(
                    plan, office, reason=reason, items=[item], existing=existing, project=project, department=unit
                )
            elif item.key not in existing:
                plan.notifications.append(item)
        if (milestone.pk, milestone.due_date) not in supervised:
            plan.supervision.append(
                SupervisionItem(
                    content_type=content_type,
                    object_id=milestone.pk,
                    project=project,
                    due_date=milestone.due_date,
                    title=f"{project.name} · {milestone.title}"[:300],
                    link=subject.path,
                    opened_on=today,
                )
            )
    return plan


# --- Issue time limits ----------------------------------------------------------------------------


# The deadlines reminded by a ladder, with their kinds of notification. The routing deadline has
# no ladder: new issues wait in the supervision office's queue, and no department owns them yet.
ISSUE_LADDERS = {
    deadlines.RESPONSE.key: ISSUE_RESPONSE_KINDS,
    deadlines.RESOLUTION.key: ISSUE_RESOLUTION_KINDS,
}


def issue_reminders(*, today: datetime.date, ladders: Ladders) -> Plan:
    """The current deadline of each open issue (issues.deadlines: the one its page shows), when it
    is the response or the resolution deadline: a ladder to the handler (else the lead
    department's head); after N days overdue, an escalation to the lead department's head."""
    plan, office = Plan([], []), Office()
    ladder = ladders.issues
    content_type = ContentType.objects.get_for_model(Issue)
    end_of_horizon = timezone.make_aware(
        datetime.datetime.combine(today + datetime.timedelta(days=ladder.lead_days + 1), datetime.time.min)
    )
    candidates = deadlines.with_current_deadline(Issue.objects.filter(status__in=Status.open_values())).filter(
        current_deadline_kind__in=list(ISSUE_LADDERS), current_deadline__lt=end_of_horizon
    )
    rows = list(
        candidates.select_related(
            "project", "enterprise", *_person_paths("handler"), *_person_paths("lead_department__head")
        ).order_by("id")
    )
    if not rows:
        return plan
    kinds = [*ISSUE_RESPONSE_KINDS, *ISSUE_RESOLUTION_KINDS, Kind.ISSUE_ESCALATED]
    existing = _existing(content_type.pk, candidates.values("pk"), kinds)
    for issue in rows:
        head = issue.lead_department.head if issue.lead_department else None
        owner = issue.handler or head
        due = timezone.localdate(issue.current_deadline)
        subject = Subject(
            kind="",
            title=str(issue),
            due_date=due,
            project=issue.project.name if issue.project else "",
            path=page_path("issues:detail", issue.pk, fallback=page_path("notifications:inbox")),
            extra={"enterprise": issue.enterprise.name, "deadline": issue.current_deadline_kind},
        )
        recipient = recipient_of(owner)
        department = issue.lead_department
        items = _ladder_plan(
            ladder=ladder,
            kinds=ISSUE_LADDERS[issue.current_deadline_kind],
            today=today,
            content_type_id=content_type.pk,
            object_id=issue.pk,
            due_date=due,
            recipient=recipient or NOBODY,
            subject=subject,
            existing=existing,
            webhook_url=ladder.webhook_url,
        )
        if recipient is None:
            reason = why_unrouted(owner, department)
            _to_office(
                plan,
                office,
                reason=reason,
                items=items,
                existing=existing,
                project=issue.project,
                department=department,
            )
        else:
            plan.notifications += items
        days = (today - due).days
        if not ladder.escalation_due(days):
            continue
        recipient = recipient_of(head)
        item = Planned(
            content_type_id=content_type.pk,
            object_id=issue.pk,
            kind=Kind.ISSUE_ESCALATED,
            due_date=due,
            step=ladder.escalate_after,
            recipient=recipient or NOBODY,
            subject=replace(subject, kind=Kind.ISSUE_ESCALATED, days=days),
            webhook_url=ladder.webhook_url,
            webhook_style=ladder.webhook_style,
        )
        if recipient is None:
            reason = UnroutedReminder.Reason.NO_ESCALATION
            _to_office(
                plan,
                office,
                reason=reason,
                items=[item],
                existing=existing,
                project=issue.project,
                department=department,
            )
        elif item.key not in existing:
            plan.notifications.append(item)
    return plan


# --- Monthly progress reports ---------------------------------------------------------------------


def report_reminders(*, today: datetime.date, ladders: Ladders) -> Plan:
    """One notice per project and month whose due report is missing (the definition of
    `projects.selectors.with_progress`), to the responsible official (else the unit head)."""
    content_type = ContentType.objects.get_for_model(Project)
    month = report_month_due(today)
    deadline = report_deadline(month)
    candidates = Project.objects.filter(report_missing_q(month))
    rows = list(
        candidates.select_related(
            *_person_paths("responsible_official"), *_person_paths("responsible_unit__head")
        ).order_by("id")
    )
    plan, office = Plan([], []), Office()
    if not rows:
        return plan
    existing = _existing(content_type.pk, candidates.values("pk"), [Kind.REPORT_MISSING])
    days = (today - deadline).days
    for project in rows:
        unit = project.responsible_unit
        owner = project.responsible_official or (unit.head if unit else None)
        recipient = recipient_of(owner)
        item = Planned(
            content_type_id=content_type.pk,
            object_id=project.pk,
            kind=Kind.REPORT_MISSING,
            due_date=deadline,
            step=1,
            recipient=recipient or NOBODY,
            subject=Subject(
                kind=Kind.REPORT_MISSING,
                title=project.name,
                due_date=deadline,
                days=days,
                project=project.name,
                path=project_path(project.pk),
                extra={"month": month},
            ),
        )
        if recipient is None:
            reason = why_unrouted(owner, unit)
            _to_office(plan, office, reason=reason, items=[item], existing=existing, project=project, department=unit)
        elif item.key not in existing:
            plan.notifications.append(item)
    return plan


# --- Deadlines registered by the apps below (core.reminders) ---------------------------------------


def _source_plan(source, *, today: datetime.date, ladders: Ladders) -> Plan:
    """A registered source's deadlines on the milestones' default ladder and escalation."""
    plan = Plan([], [])
    ladder = ladders.milestones
    items = source.due_items(
        today=today, horizon=today + datetime.timedelta(days=ladder.lead_days), person_paths=_person_paths
    )
    if not items:
        return plan
    content_type = ContentType.objects.get_for_model(source.model)
    ids = [item.object_id for item in items]
    upcoming, due_today, overdue, escalated = source.kinds
    existing = _existing(content_type.pk, ids, source.kinds)
    supervised = set(
        SupervisionItem.objects.filter(content_type=content_type, object_id__in=ids).values_list(
            "object_id", "due_date"
        )
    )
    for item in items:
        project = item.project
        subject = Subject(
            kind="",
            title=item.title,
            due_date=item.due_date,
            project=project.name,
            path=item.path,
            extra=item.extra,
        )
        plan.notifications += _ladder_plan(
            ladder=ladder,
            kinds=(upcoming, due_today, overdue),
            today=today,
            content_type_id=content_type.pk,
            object_id=item.object_id,
            due_date=item.due_date,
            recipient=recipient_of(item.owner),
            subject=subject,
            existing=existing,
            webhook_url=ladder.webhook_url,
        )
        days = (today - item.due_date).days
        if not ladder.escalation_due(days):
            continue
        for official in _unique(item.escalate_to):
            recipient = recipient_of(official)
            if recipient is None:
                continue
            planned = Planned(
                content_type_id=content_type.pk,
                object_id=item.object_id,
                kind=escalated,
                due_date=item.due_date,
                step=ladder.escalate_after,
                recipient=recipient,
                subject=replace(subject, kind=escalated, days=days),
                webhook_url=ladder.webhook_url,
                webhook_style=ladder.webhook_style,
            )
            if planned.key not in existing:
                plan.notifications.append(planned)
        if (item.object_id, item.due_date) not in supervised:
            plan.supervision.append(
                SupervisionItem(
                    content_type=content_type,
                    object_id=item.object_id,
                    project=project,
                    due_date=item.due_date,
                    title=f"{project.name} · {item.title}"[:300],
                    link=item.path,
                    opened_on=today,
                )
            )
    return plan


def registered_reminders(*, today: datetime.date, ladders: Ladders) -> Plan:
    """Every source registered in core.reminders (approval items …), planned like milestones."""
    plan = Plan([], [])
    for source in reminder_sources():
        plan.extend(_source_plan(source, today=today, ladders=ladders))
    return plan


PLANNERS = (milestone_reminders, issue_reminders, report_reminders, registered_reminders)
