"""The weekly briefing becomes a notification (kind weekly_briefing) delivered by the
notifications app; BriefingDelivery goes.

Each briefing already sent is carried over as that notification — marked read, its inbox and
e-mail deliveries recorded as sent, dated when it was sent — so the notification's unique key
(leader, week) keeps it from being sent again after the upgrade. A briefing planned but never
sent is not carried over: the hourly task records it again while the week's briefing is still
due (Monday 08:00 to Tuesday night), or by hand with `send_weekly_briefings.delay("YYYY-MM-DD")`.
"""

import datetime
import hashlib

from django.conf import settings
from django.db import migrations
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext

KIND = "weekly_briefing"


def _key(*parts) -> str:
    # The delivery key of notifications.services (frozen here).
    return hashlib.sha256("|".join(str(p) for p in parts).encode("utf-8")).hexdigest()


def _texts(week_start: datetime.date, language: str) -> tuple[str, str, str]:
    try:
        path = reverse("dashboards:briefing")
    except NoReverseMatch:
        path = "/"
    link = f"{settings.SITE_URL}{path}?week={week_start.isoformat()}"
    with translation.override(language):
        title = gettext("Weekly briefing, %(start)s to %(end)s") % {
            "start": date_format(week_start, "DATE_FORMAT"),
            "end": date_format(week_start + datetime.timedelta(days=6), "DATE_FORMAT"),
        }
        body = gettext("Open: %(link)s") % {"link": link}
    return title[:300], body, link[:500]


def carry_over(apps, schema_editor):
    BriefingDelivery = apps.get_model("dashboards", "BriefingDelivery")
    Notification = apps.get_model("notifications", "Notification")
    Delivery = apps.get_model("notifications", "Delivery")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Official = apps.get_model("core", "Official")
    sent = list(BriefingDelivery.objects.filter(sent_at__isnull=False).select_related("recipient").order_by("pk"))
    if not sent:
        return
    app_label, model_name = settings.AUTH_USER_MODEL.lower().split(".")
    user_type, _created = ContentType.objects.get_or_create(app_label=app_label, model=model_name)
    languages = dict(
        Official.objects.filter(user_id__in={row.recipient_id for row in sent}).values_list("user_id", "language")
    )
    notifications = []
    for row in sent:
        language = languages.get(row.recipient_id) or "zh-hans"
        title, body, link = _texts(row.week_start, language)
        notifications.append(
            Notification(
                recipient_id=row.recipient_id,
                content_type_id=user_type.pk,
                object_id=row.recipient_id,
                kind=KIND,
                due_date=row.week_start,
                step=0,
                language=language,
                title=title,
                body=body,
                link=link,
                read_at=row.sent_at,
            )
        )
    Notification.objects.bulk_create(notifications, ignore_conflicts=True)
    by_key = {
        (n.recipient_id, n.due_date): n
        for n in Notification.objects.filter(kind=KIND, recipient_id__in={row.recipient_id for row in sent})
    }
    dated, deliveries = [], []
    for row in sent:
        notification = by_key.get((row.recipient_id, row.week_start))
        if notification is None:
            continue
        notification.created_at = row.sent_at
        dated.append(notification)
        event = (user_type.pk, row.recipient_id, KIND, row.week_start, 0)
        deliveries.append(
            Delivery(
                notification=notification,
                channel="inbox",
                key=_key("inbox", *event, row.recipient_id),
                state="sent",
                sent_at=row.sent_at,
            )
        )
        email = row.recipient.email
        if "email" in row.channels and email:
            deliveries.append(
                Delivery(
                    notification=notification,
                    channel="email",
                    target=email,
                    key=_key("email", *event, row.recipient_id, email.lower()),
                    state="sent",
                    attempts=1,
                    sent_at=row.sent_at,
                )
            )
    Notification.objects.bulk_update(dated, ["created_at"])
    Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)


def carry_back(apps, schema_editor):
    BriefingDelivery = apps.get_model("dashboards", "BriefingDelivery")
    Notification = apps.get_model("notifications", "Notification")
    Delivery = apps.get_model("notifications", "Delivery")
    briefings = Notification.objects.filter(kind=KIND, superseded=False)
    mailed = set(
        Delivery.objects.filter(notification_id__in=briefings.values("pk"), channel="email", state="sent").values_list(
            "notification_id", flat=True
        )
    )
    BriefingDelivery.objects.bulk_create(
        [
            BriefingDelivery(
                week_start=n.due_date,
                recipient_id=n.recipient_id,
                sent_at=n.created_at,
                channels="email" if n.pk in mailed else "",
            )
            for n in briefings
        ],
        ignore_conflicts=True,
    )
    Notification.objects.filter(kind=KIND).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("dashboards", "0003_import_files_private"),
        ("notifications", "0003_weekly_briefing_kind"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0003_seed_holidays"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(carry_over, carry_back),
        migrations.DeleteModel(name="BriefingDelivery"),
    ]
