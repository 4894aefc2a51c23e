"""Unified social credit code (统一社会信用代码), GB 32100-2015.

18 characters from the set 0-9 and A-Y without I, O, S, V, Z; the last is a check character:
C18 = 31 - (Σ value(Ci) × Wi mod 31), with the weights below, a result of 31 written as 0.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
VALUES = {ch: i for i, ch in enumerate(CHARSET)}


def credit_code_check_char(first17: str) -> str:
    total = sum(VALUES[ch] * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    code = (value or "").strip().upper()
    if len(code) != 18:
        raise ValidationError(
            _("A unified social credit code has 18 characters (this one has %(n)d)."),
            code="length",
            params={"n": len(code)},
        )
    bad = sorted({ch for ch in code if ch not in VALUES})
    if bad:
        raise ValidationError(
            _("Characters not allowed in a unified social credit code: %(chars)s"),
            code="charset",
            params={"chars": " ".join(bad)},
        )
    if not code[8:17].isalnum():
        raise ValidationError(_("Invalid organisation code part."), code="org_code")
    expected = credit_code_check_char(code[:17])
    if code[17] != expected:
        raise ValidationError(
            _("The check character of this unified social credit code is wrong (expected %(c)s)."),
            code="check",
            params={"c": expected},
        )
