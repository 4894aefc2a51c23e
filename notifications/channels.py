"""Delivery channels behind one interface: `send(delivery)` returns on success, raises on failure.

- inbox: the Notification row *is* the inbox entry, written in the sweep's own transaction, so it
  is delivered exactly once by construction; `send` has nothing left to do.
- e-mail: Django's e-mail backend (SMTP settings from the environment). The Message-ID is derived
  from the delivery's key, so the rare resend after an interrupted attempt carries the same id
  and mail clients can fold it. A kind with registered attachments (the weekly briefing's
  workbook, `notifications.registry`) has them built here, at send time, outside any lock.
- webhook: a JSON POST of the WeCom / DingTalk group-robot shape (`text`, or `markdown` in either
  dialect) to the campaign's or the department's robot URL. Both robots answer HTTP 200 with
  {"errcode": 0} on success; anything else is a failure.

Which class serves a channel is the setting NOTIFY_CHANNELS (name → dotted path); only tests
point it elsewhere (a slow or failing channel under tests/, for fault injection).
"""

import functools
import json
import urllib.error
import urllib.request
from typing import ClassVar

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils.module_loading import import_string

from notifications.models import Channel, Delivery, WebhookStyle
from notifications.registry import attachments_for


class DeliveryError(Exception):
    """The channel refused or could not take the message; the delivery will be retried."""


class DeliveryChannel:
    name: ClassVar[str]
    # External channels talk to another system: the send can fail and is retried, and a crash
    # between the call and our commit leaves the outcome unknown (see notifications.services).
    external: ClassVar[bool] = True

    def send(self, delivery: Delivery) -> None:
        raise NotImplementedError


class InboxChannel(DeliveryChannel):
    name = Channel.INBOX
    external = False

    def send(self, delivery: Delivery) -> None:
        return None


class EmailChannel(DeliveryChannel):
    name = Channel.EMAIL

    def send(self, delivery: Delivery) -> None:
        notification = delivery.notification
        domain = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "localhost"
        message = EmailMessage(
            subject=notification.title,
            body=notification.body,
            to=[delivery.target],
            headers={"Message-ID": f"<reminder-{delivery.key[:40]}@{domain}>"},
            connection=get_connection(fail_silently=False),
        )
        for attachment in attachments_for(notification):
            message.attach(attachment.filename, attachment.content, attachment.mimetype)
        message.send(fail_silently=False)


def webhook_payload(*, title: str, body: str, link: str, style: str) -> dict:
    """The robot's JSON: `text` is understood by both WeCom and DingTalk; markdown differs."""
    lines = [line for line in body.splitlines() if line and link not in line]
    if style == WebhookStyle.WECOM_MARKDOWN:
        content = "\n".join([f"**{title}**", *(f"> {line}" for line in lines), f"[{link}]({link})"])
        return {"msgtype": "markdown", "markdown": {"content": content}}
    if style == WebhookStyle.DINGTALK_MARKDOWN:
        text = "\n\n".join([f"### {title}", *(f"- {line}" for line in lines), f"[{link}]({link})"])
        return {"msgtype": "markdown", "markdown": {"title": title, "text": text}}
    return {"msgtype": "text", "text": {"content": f"{title}\n{body}"}}


class WebhookChannel(DeliveryChannel):
    name = Channel.WEBHOOK

    def send(self, delivery: Delivery) -> None:
        url = delivery.target
        if not url.startswith(("http://", "https://")):
            raise DeliveryError(f"not an http(s) URL: {url[:80]}")
        notification = delivery.notification
        payload = webhook_payload(
            title=notification.title, body=notification.body, link=notification.link, style=delivery.style
        )
        request = urllib.request.Request(  # noqa: S310 - scheme checked above
            url,
            data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
            headers={"Content-Type": "application/json; charset=utf-8"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=settings.NOTIFY_WEBHOOK_TIMEOUT) as response:  # noqa: S310
                raw = response.read(65536)
        except urllib.error.HTTPError as exc:
            raise DeliveryError(f"HTTP {exc.code} from the robot") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise DeliveryError(f"robot unreachable: {exc}") from exc
        try:
            answer = json.loads(raw or b"{}")
        except ValueError:
            answer = {}
        if isinstance(answer, dict) and answer.get("errcode", 0) != 0:
            raise DeliveryError(f"robot refused: errcode {answer.get('errcode')} {answer.get('errmsg', '')}")


@functools.cache
def _instance(path: str) -> DeliveryChannel:
    return import_string(path)()


def channel_for(name: str) -> DeliveryChannel:
    """The channel that sends deliveries of `name`: the class settings.NOTIFY_CHANNELS names."""
    return _instance(settings.NOTIFY_CHANNELS[name])
