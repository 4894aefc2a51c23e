"""Kinds that another app plans and the notifications app delivers (the weekly briefing, …).

notifications sits on the top floor beside dashboards and imports no app of its floor. An app that
records notifications of its own kind (through `notifications.services.notifications_record`)
registers here, in its AppConfig.ready(), what only it knows about that kind:

- `text(subject) -> (title, lines)`: the title and body lines, called when the notification is
  recorded, inside the recipient's language (`notifications.texts.render` adds the link line);
- `attachments(notification) -> [Attachment]`: the files of its e-mail, built by the e-mail
  channel at send time, inside the recipient's language, after the delivery was claimed and
  committed: never inside a database lock, never stored in the broker. Built from the
  notification's own fields only, so a resend carries the same files.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils import translation


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str


TextBuilder = Callable[..., tuple[str, list[str]]]
AttachmentBuilder = Callable[..., Iterable[Attachment]]

TEXTS: dict[str, TextBuilder] = {}
ATTACHMENTS: dict[str, AttachmentBuilder] = {}


def register_kind(kind: str, *, text: TextBuilder | None = None, attachments: AttachmentBuilder | None = None) -> None:
    """Tell the notifications app how to write (and what to attach to) notifications of `kind`."""
    if text is not None:
        TEXTS[kind] = text
    if attachments is not None:
        ATTACHMENTS[kind] = attachments


def attachments_for(notification) -> list[Attachment]:
    """The files to send with the notification's e-mail (none for most kinds)."""
    builder = ATTACHMENTS.get(notification.kind)
    if builder is None:
        return []
    with translation.override(notification.language):
        return list(builder(notification))
