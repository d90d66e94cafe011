"""The ledger's hash chain: the text each transaction's MAC is taken over (its content, its payment's or
refund's figures, its entries, its Idempotency-Key and request hash, the key's id) chained to the
previous hash. The audit recomputes it.

The MAC is HMAC-SHA256 under the ledger key (:mod:`.keys`), which lives outside the database: whoever
can write to the database but does not hold the key cannot recompute a valid chain. Transactions
written before the key existed (``key_id`` NULL, migration 0010) keep their plain SHA-256 over the
older, shorter text; the audit accepts them only before the first keyed transaction."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from datetime import UTC, datetime

GENESIS = "0" * 64


def timestamp(value: datetime) -> str:
    """A stable text for a stored timestamp: UTC, microseconds (SQLite hands back naive UTC)."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat("T", "microseconds")


def _s(value) -> str:
    return "" if value is None else str(value)


def digest(
    prev_hash: str,
    seq: int,
    kind: str,
    user_id: int | None,
    organization_id: int | None,
    actor_id: int | None,
    amount: int,
    memo: str,
    created_at: str,
    detail: str,
    entries: str,
    *,
    mac: hmac.HMAC | None = None,
    key_id: str | None = None,
    idempotency_key: str | None = None,
    request_hash: str | None = None,
) -> str:
    """HMAC-SHA256 (``mac``: the key's prepared HMAC, see :meth:`.keys.Keyring.mac`) of a
    transaction's content chained to the previous transaction's hash; without ``mac``, the legacy
    unkeyed SHA-256 of the content alone (transactions from before the key, ``key_id`` NULL).

    ``created_at`` is :func:`timestamp`'s text, ``detail`` the payment's or refund's figures
    (:func:`payment_detail`, :func:`refund_detail`) and ``entries`` :func:`entries_text`.
    """
    text = "|".join(
        (
            prev_hash,
            str(seq),
            kind,
            _s(user_id),
            _s(organization_id),
            _s(actor_id),
            str(amount),
            memo,
            created_at,
            detail,
            entries,
        )
    )
    if mac is None:
        return hashlib.sha256(text.encode()).hexdigest()
    h = mac.copy()
    h.update(f"{text}|{key_id}|{_s(idempotency_key)}|{_s(request_hash)}".encode())
    return h.hexdigest()


def entries_text(entries: Iterable[tuple[int, int]]) -> str:
    return ";".join(f"{account_id}:{amount}" for account_id, amount in entries)


PAYMENT_DETAIL = (
    "amount",
    "discount",
    "paid",
    "from_card",
    "from_mileage",
    "fund_fee",
    "mileage_earned",
    "merchant_net",
    "discount_bp",
    "mileage_bp",
    "fund_rate_bp",
)
REFUND_DETAIL = (
    "payment_id",
    "amount",
    "discount",
    "paid",
    "to_card",
    "to_mileage",
    "fund_fee",
    "mileage_clawback",
    "clawback_from_card",
    "merchant_net",
)


def detail_text(prefix: str, values) -> str:
    """The figures of a payment (``P`` + :data:`PAYMENT_DETAIL`) or refund (``R`` + :data:`REFUND_DETAIL`)."""
    return prefix + ",".join(map(str, values))


def payment_detail(p) -> str:
    return detail_text("P", [getattr(p, name) for name in PAYMENT_DETAIL])


def refund_detail(payment_id: int, r, clawback_from_card: int) -> str:
    values = {"payment_id": payment_id, "clawback_from_card": clawback_from_card}
    return detail_text("R", [values[n] if n in values else getattr(r, n) for n in REFUND_DETAIL])
