"""Rates: one type and one format for every "率" the product shows (DOMAIN.md "Measures").

A Rate is a numerator over a denominator; its value is the 0–1 fraction, or None when the
denominator is empty, which is shown "—", never 0% or 100%. Shown, a rate is a percentage with
one decimal place ("45.2%"): on the pages (the `pct` filter of core.templatetags.ui), in the
e-mails and in the workbooks. The API gives the fraction (0–1, null when empty) and, for the
cockpit's figures, the counts and the percentage beside it.

Pure arithmetic: no database access here.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

DASH = "—"
HUNDRED = Decimal("100")
ONE_DECIMAL = Decimal("0.1")


@dataclass(frozen=True)
class Rate:
    """numerator ÷ denominator; `value` is None when the denominator is empty (or missing)."""

    numerator: Decimal | int | None
    denominator: Decimal | int | None

    @property
    def value(self) -> Decimal | None:
        """The fraction, 0 to 1 (more when the numerator exceeds the denominator)."""
        if not self.denominator or self.numerator is None:
            return None
        return Decimal(self.numerator) / Decimal(self.denominator)

    @property
    def percent(self) -> Decimal | None:
        """The rate in percent, one decimal place, or None."""
        return percent(self.value)

    @property
    def fraction(self) -> float | None:
        """The value as a number for JSON (the API's rate fields)."""
        value = self.value
        return None if value is None else float(value)

    @property
    def bar_width(self) -> int:
        """The rate for a progress bar's width: 0 to 100 (0 when empty)."""
        value = self.value
        return 0 if value is None else max(0, min(100, int(value * HUNDRED)))

    def __str__(self) -> str:
        return format_rate(self)

    def as_dict(self) -> dict:
        value = self.value
        return {
            "numerator": self.numerator,
            "denominator": self.denominator,
            "rate": None if value is None else float(round(value, 4)),
            "percent": None if value is None else float(self.percent),
        }


def percent(value: Decimal | float | None) -> Decimal | None:
    """A 0–1 fraction in percent, one decimal place; None stays None."""
    if value is None:
        return None
    return (Decimal(str(value)) * HUNDRED).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def format_rate(value) -> str:
    """The one way a rate is shown: "45.2%", or "—" for an empty denominator.

    `value` is a Rate or a 0–1 fraction (a stored rate, such as a league table's, or the
    time-elapsed share); None and "" are "—".
    """
    if isinstance(value, Rate):
        value = value.value
    if value is None or value == "":
        return DASH
    try:
        return f"{percent(value)}%"
    except (InvalidOperation, ValueError, TypeError):
        return DASH
