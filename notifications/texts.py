"""Reminder texts, rendered once per notification in the recipient's language (zh-hans or en).

Every text names what is due (project, milestone or issue), the due date, the days left or
overdue, and carries an absolute link (settings.SITE_URL + the page's path). Kinds planned by
another app are written by the text it registered (`notifications.registry`).
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.reminders import source_for_kind
from core.text import days_line
from issues import deadlines, workflow
from notifications.models import Kind, UnroutedReminder
from notifications.registry import TEXTS


@dataclass(frozen=True)
class Subject:
    """What a notification is about. `days` is days since the due date (negative: days left)."""

    kind: str
    title: str
    due_date: datetime.date
    days: int = 0
    project: str = ""
    path: str = "/"
    extra: dict = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class Message:
    title: str
    body: str
    link: str


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def page_path(url_name: str, *args, fallback: str = "/") -> str:
    """The path of a named page; `fallback` when the page's app is not installed in this build."""
    try:
        return reverse(url_name, args=args)
    except NoReverseMatch:
        return fallback


def _date(day: datetime.date) -> str:
    return date_format(day, "DATE_FORMAT")


def _milestone_title(subject: Subject) -> str:
    names = {"project": subject.project, "milestone": subject.title}
    if subject.kind == Kind.MILESTONE_ESCALATED:
        return _("Escalation: %(project)s · %(milestone)s is overdue") % names
    if subject.kind == Kind.MILESTONE_OVERDUE:
        return _("Overdue: %(project)s · %(milestone)s") % names
    if subject.kind == Kind.MILESTONE_DUE_TODAY:
        return _("Due today: %(project)s · %(milestone)s") % names
    return _("Due soon: %(project)s · %(milestone)s") % names


def _issue_title(subject: Subject) -> str:
    names = {"issue": subject.title}
    titles = {
        Kind.ISSUE_RESPONSE_UPCOMING: _("Response due soon: %(issue)s"),
        Kind.ISSUE_RESPONSE_DUE_TODAY: _("Response due today: %(issue)s"),
        Kind.ISSUE_RESPONSE_OVERDUE: _("Response overdue: %(issue)s"),
        Kind.ISSUE_RESOLUTION_UPCOMING: _("Resolution due soon: %(issue)s"),
        Kind.ISSUE_RESOLUTION_DUE_TODAY: _("Resolution due today: %(issue)s"),
        Kind.ISSUE_RESOLUTION_OVERDUE: _("Resolution overdue: %(issue)s"),
        Kind.ISSUE_ESCALATED: _("Escalation: issue overdue: %(issue)s"),
    }
    return titles[subject.kind] % names


def _source_lines(source, subject: Subject) -> tuple[str, list[str]]:
    """A deadline of a registered source (core.reminders): written as a milestone's, with the
    source's label for what is due (and the approving department when the source gives one)."""
    upcoming, due_today, overdue, escalated = source.kinds
    names = {"project": subject.project, "what": source.label, "title": subject.title}
    titles = {
        escalated: _("Escalation: %(project)s · %(what)s %(title)s is overdue"),
        overdue: _("Overdue: %(project)s · %(what)s %(title)s"),
        due_today: _("Due today: %(project)s · %(what)s %(title)s"),
        upcoming: _("Due soon: %(project)s · %(what)s %(title)s"),
    }
    extra = subject.extra
    lines = [
        _("Project: %(name)s") % {"name": subject.project},
        _("%(what)s: %(name)s") % {"what": source.label, "name": subject.title},
    ]
    if extra.get("department"):
        lines.append(_("Department: %(name)s") % {"name": extra["department"]})
    lines += [_("Due date: %(date)s") % {"date": _date(subject.due_date)}, days_line(subject.days)]
    if extra.get("responsible"):
        lines.append(_("Responsible: %(name)s") % {"name": extra["responsible"]})
    if subject.kind == escalated:
        lines.append(_("A supervision item (督办) has been opened for the supervision office."))
    return titles[subject.kind] % names, lines


def _lines(subject: Subject) -> tuple[str, list[str]]:
    registered = TEXTS.get(subject.kind)
    if registered is not None:
        title, lines = registered(subject)
        return title, list(lines)
    extra = subject.extra
    source = source_for_kind(subject.kind)
    if source is not None:
        return _source_lines(source, subject)
    if subject.kind.startswith("milestone_"):
        title = _milestone_title(subject)
        lines = [
            _("Project: %(name)s") % {"name": subject.project},
            _("Milestone: %(name)s") % {"name": subject.title},
            _("Due date: %(date)s") % {"date": _date(subject.due_date)},
            days_line(subject.days),
        ]
        if extra.get("responsible"):
            lines.append(_("Responsible: %(name)s") % {"name": extra["responsible"]})
        if subject.kind == Kind.MILESTONE_ESCALATED:
            lines.append(_("A supervision item (督办) has been opened for the supervision office."))
        return title, lines
    if subject.kind == Kind.REPORT_MISSING:
        month = date_format(extra["month"], "YEAR_MONTH_FORMAT")
        title = _("Monthly report missing: %(project)s, %(month)s") % {"project": subject.project, "month": month}
        lines = [
            _("Project: %(name)s") % {"name": subject.project},
            _("Report month: %(month)s") % {"month": month},
            _("Due date: %(date)s") % {"date": _date(subject.due_date)},
            days_line(subject.days),
        ]
        return title, lines
    if subject.kind == Kind.ISSUE_EVENT:
        action = workflow.event_label(extra.get("action", ""))  # the timeline's label, in this language
        title = _("%(issue)s: %(action)s") % {"issue": subject.title, "action": action}
        lines = [_("Issue: %(name)s") % {"name": subject.title}]
        if subject.project:
            lines.append(_("Project: %(name)s") % {"name": subject.project})
        if extra.get("actor"):
            lines.append(_("By: %(name)s") % {"name": extra["actor"]})
        if extra.get("note"):
            lines.append(_("Note: %(text)s") % {"text": extra["note"]})
        lines.append(_("Resolution deadline: %(date)s") % {"date": _date(subject.due_date)})
        return title, lines
    title = _issue_title(subject)
    lines = [_("Issue: %(name)s") % {"name": subject.title}]
    if subject.project:
        lines.append(_("Project: %(name)s") % {"name": subject.project})
    if extra.get("enterprise"):
        lines.append(_("Enterprise: %(name)s") % {"name": extra["enterprise"]})
    # Which deadline: the response or resolution deadline, the one the issue page shows as current.
    label = deadlines.label_of(extra.get("deadline"))
    due = _date(subject.due_date)
    lines.append(
        _("%(deadline)s: %(date)s") % {"deadline": label, "date": due}
        if label
        else _("Due date: %(date)s") % {"date": due}
    )
    lines.append(days_line(subject.days))
    return title, lines


def render(subject: Subject, language: str) -> Message:
    """The notification's title, plain-text body and absolute link, in `language`."""
    link = absolute(subject.path)
    with translation.override(language):
        title, lines = _lines(subject)
        if subject.extra.get("unrouted"):
            # Sent to the supervision office because nobody else could receive it.
            reason = UnroutedReminder.Reason(subject.extra["unrouted"]).label
            lines.append(
                _("Sent to the supervision office: nobody else could receive this reminder (%(reason)s).")
                % {"reason": reason}
            )
        lines.append(_("Open: %(link)s") % {"link": link})
    return Message(title=title[:300], body="\n".join(lines), link=link[:500])
