"""The one amount rule: every price, payment, top-up and refund is a whole number of won, 1..10,000,000."""

AMOUNT_MIN = 1
AMOUNT_MAX = 10_000_000


def in_range(amount: int) -> bool:
    """Whether ``amount`` is a storable amount of won (an int, not a bool, within the bounds)."""
    return isinstance(amount, int) and not isinstance(amount, bool) and AMOUNT_MIN <= amount <= AMOUNT_MAX
