"""Small helpers for the plan's figures: exact decimals, the plan's rounding, JSON-friendly numbers."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def num(value):
    """A Decimal as an int when it is whole, else a float (for JSON); None stays None."""
    if value is None:
        return None
    value = Decimal(value)
    if value == value.to_integral_value():
        return int(value)
    return float(value.normalize())


def rate(actual, target, places: int = 1) -> Decimal | None:
    """달성율 as the plan computes it: actual / target × 100, rounded half up (one decimal)."""
    if actual is None or target is None or Decimal(target) == 0:
        return None
    quantum = Decimal(1).scaleb(-places)
    return (Decimal(actual) * 100 / Decimal(target)).quantize(quantum, rounding=ROUND_HALF_UP)


def decimals_of(text: str | None) -> int:
    """How many decimals a printed figure shows ("142.9%" -> 1, "86%" -> 0)."""
    if not text:
        return 0
    head = text.strip().split("%")[0].split()[0] if text.strip() else ""
    return len(head.split(".")[1]) if "." in head else 0


def fmt(value) -> str:
    """A figure for people: thousands separators, no trailing zeros."""
    if value is None:
        return ""
    value = num(value)
    return f"{value:,}" if isinstance(value, int) else f"{value:,.4f}".rstrip("0").rstrip(".")
