"""The weekly briefing as a notification (kind `weekly_briefing`), delivered by the notifications
pipeline like every reminder: the inbox, e-mail, the group robot, retries, failed deliveries.

Registered with `notifications.registry` in DashboardsConfig.ready() (notifications never
imports dashboards):
- `briefing_text`: the title and the summary lines, written when the briefing is recorded (the
  inbox entry, the e-mail body and the group-robot post);
- `briefing_attachments`: the workbook, built by the e-mail channel at send time from the week
  and the recipient, with the figures taken when the notification was recorded, so a retried or
  resent e-mail carries the same workbook. Nothing of it is stored or sent through the broker.
"""

import datetime

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from dashboards.briefing import Briefing, weekly_briefing
from dashboards.excel import briefing_workbook
from dashboards.imports import XLSX_CONTENT_TYPE
from notifications.registry import Attachment


def briefing_path(week_start: datetime.date) -> str:
    """The printable briefing page of the week."""
    return f"{reverse('dashboards:briefing')}?week={week_start.isoformat()}"


def briefing_title(briefing: Briefing) -> str:
    return _("Weekly briefing, %(start)s to %(end)s") % {
        "start": date_format(briefing.week_start, "DATE_FORMAT"),
        "end": date_format(briefing.week_end, "DATE_FORMAT"),
    }


def briefing_text(subject) -> tuple[str, list[str]]:
    """Title and summary lines of a briefing notification, in the active language.
    `subject.extra["briefing"]` is the leader's briefing, computed by the planner."""
    briefing = subject.extra["briefing"]
    colors = {c["color"]: c["count"] for c in briefing.headline["health"]["colors"]}
    summary = render_to_string("dashboards/briefing_summary.txt", {"briefing": briefing, "colors": colors})
    return briefing_title(briefing), [line.strip() for line in summary.splitlines() if line.strip()]


def briefing_for_notification(notification) -> Briefing:
    """The briefing a notification announced: its week, its recipient's view, the figures as
    they stood when it was recorded (deterministic: a resend rebuilds the same briefing)."""
    moment = notification.created_at
    return weekly_briefing(
        user=notification.recipient,
        week_start=notification.due_date,
        today=timezone.localdate(moment),
        now=moment,
    )


def briefing_filename(week_start: datetime.date) -> str:
    return f"briefing-{week_start:%Y%m%d}.xlsx"


def briefing_attachments(notification) -> list[Attachment]:
    """The workbook of the briefing, for the e-mail (called at send time, outside any lock)."""
    briefing = briefing_for_notification(notification)
    return [Attachment(briefing_filename(briefing.week_start), briefing_workbook(briefing), XLSX_CONTENT_TYPE)]
