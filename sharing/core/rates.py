"""Card rates (discount, mileage, the fund's share): people read and type percent, the data keeps
basis points (1 bp = 0.01 %, so 5 % is 500 bp). This is the one conversion both ways: forms read with
:func:`to_bp`, pages and messages show :func:`percent` (the ``|percent`` filter)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

BP_PER_PERCENT = 100
RATE_MAX_BP = 2000  # 20 %: the organisations' check constraints
DECIMALS = 2  # a basis point is 0.01 %


class RateError(ValueError):
    """Why a typed percent is not a rate: ``reason`` is ``format``, ``decimals`` or ``range``."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def to_bp(value, *, max_bp: int = RATE_MAX_BP) -> int:
    """A percent as typed (``"5"``, ``"2.5"``, ``"0.25 %"``, ``"2,5"``, a Decimal or an int) -> basis
    points (500, 250, 25). :class:`RateError` when it is not a number, has more than two decimals, or
    lies outside 0..``max_bp``."""
    if isinstance(value, bool) or value is None:
        raise RateError("format")
    if isinstance(value, float):
        value = repr(value)
    text = str(value).strip().removesuffix("%").strip().replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise RateError("format") from None
    if not number.is_finite():
        raise RateError("format")
    bp = number * BP_PER_PERCENT
    if bp != bp.to_integral_value():
        raise RateError("decimals")
    if not 0 <= bp <= max_bp:
        raise RateError("range")
    return int(bp)


def percent(bp) -> str:
    """Basis points -> the percent as people write it, without a sign: 500 -> ``5``, 250 -> ``2.5``,
    25 -> ``0.25``, 0 -> ``0``."""
    value = Decimal(int(bp or 0)) / BP_PER_PERCENT
    text = f"{value:.{DECIMALS}f}".rstrip("0").rstrip(".")
    return text or "0"
