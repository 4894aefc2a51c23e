"""Text helpers: pinyin initials for search (`zxgt` finds 中新钢铁), the days-to-a-deadline line."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from pypinyin import Style, lazy_pinyin


def pinyin_initials(text: str) -> str:
    """Lower-case first letters of each character's pinyin; other characters kept as they are.

    Heteronyms take their most common reading (pypinyin's default), e.g. 中新钢铁 → "zxgt".
    """
    letters = lazy_pinyin(text or "", style=Style.FIRST_LETTER, errors=lambda chars: list(chars))
    return "".join(letters).lower().replace(" ", "")[:100]


def days_line(days: int) -> str:
    """The "N days left" / "Due today" / "N days overdue" line; `days` since the due date."""
    if days < 0:
        return ngettext("%(n)s day left", "%(n)s days left", -days) % {"n": -days}
    if days == 0:
        return _("Due today")
    return ngettext("%(n)s day overdue", "%(n)s days overdue", days) % {"n": days}
