"""Text helpers: pinyin initials for search (`zxgt` finds 中新钢铁)."""

from pypinyin import Style, lazy_pinyin


def pinyin_initials(text: str) -> str:
    """Lower-case first letters of each character's pinyin; other characters kept as they are.

    Heteronyms take their most common reading (pypinyin's default), e.g. 中新钢铁 → "zxgt".
    """
    letters = lazy_pinyin(text or "", style=Style.FIRST_LETTER, errors=lambda chars: list(chars))
    return "".join(letters).lower().replace(" ", "")[:100]
