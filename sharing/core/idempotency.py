"""Idempotency keys for money-moving calls.

A key is any string of 1..100 characters chosen by the client, unique per account holder (the user
making the call). It is stored with the SHA-256 of the request: the API hashes the method, the path
and the canonical JSON body (keys sorted, no whitespace); a service called from Python without a hash
hashes its own operation name and arguments. The first call moves money and records the key and the
hash on its transaction's row (``card_transactions.idempotency_key``, unique per actor, so append-only
like the rest of the ledger); a repeat with the same request returns the first result (the API answers
201 again, with the same body) and moves nothing; the same key with another request is a 409
(``idempotency_key_reused``). A call that fails (422, 409 ...) records nothing, so a client may retry
it with the same key once the problem is fixed. The lookup runs under the ledger's write lock, so two
concurrent calls with one key cannot both move money.

The API requires a key on every card call that moves money (top-ups, payments, refunds, payouts:
:func:`require_key`, 422 without one). The services accept calls without a key from Python (the
market's hand-over keeps its own guard); the web forms send a key generated per form render, so a
double submit is still safe.
"""

from __future__ import annotations

import hashlib
import json

from flask_babel import gettext as _
from sqlalchemy import select

from .errors import Conflict, Invalid
from .extensions import db

KEY_MAX = 100
HEADER = "Idempotency-Key"


def canonical_json(body) -> str:
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def request_hash(method: str, path: str, body) -> str:
    """SHA-256 of an HTTP request: method, path and canonical JSON body."""
    text = f"{method.upper()} {path}\n{canonical_json(body)}"
    return hashlib.sha256(text.encode()).hexdigest()


def call_hash(operation: str, **arguments) -> str:
    """SHA-256 of a service call, for callers that do not hash an HTTP request."""
    return request_hash("CALL", operation, arguments)


def check_key(key) -> str | None:
    """The key, None when absent; 422 for anything that is not a string of 1..100 characters."""
    if key is None:
        return None
    # NUL: PostgreSQL's text columns refuse it (a 500 instead of a 422)
    if not isinstance(key, str) or not 1 <= len(key) <= KEY_MAX or "\x00" in key:
        raise Invalid(
            _("Idempotency-Key는 1자 이상 100자 이하여야 합니다."),
            fields={HEADER: [_("1자 이상 100자 이하로 보내 주세요.")]},
        )
    return key


def replayed(store, user_id: int, key: str | None, req_hash: str, kind: str) -> int | None:
    """The transaction id of an earlier call with this key, or None. 409 for another request.

    ``store`` is the ledger's :class:`~sharing.card.services.ledger.Store`; call under the write lock. The key
    and the hash are stored on the transaction's row (``ledger.post(idempotency_key=...)``), whose
    ``actor_id`` is ``user_id``.
    """
    if key is None:
        return None
    row = store.idempotency(user_id, key)
    if row is None:
        return None
    stored_hash, txn_id, txn_kind = row
    if stored_hash != req_hash or txn_kind != kind:
        raise _reused()
    return txn_id


def _reused() -> Conflict:
    return Conflict(
        _("같은 Idempotency-Key로 다른 요청을 보냈습니다. 새 키를 사용해 주세요."),
        code="idempotency_key_reused",
    )


def replayed_row(model, owner_column, owner_id: int, key: str | None, req_hash: str):
    """The earlier request row with this key (a pending top-up, a payout request: rows outside the
    ledger that keep their own key and hash), or None. 409 for another request. Call under the lock."""
    if key is None:
        return None
    row = db.session.execute(
        select(model).where(owner_column == owner_id, model.idempotency_key == key)
    ).scalar_one_or_none()
    if row is not None and row.request_hash != req_hash:
        raise _reused()
    return row


def require_key(key) -> str:
    """The key of a money-moving API call: 422 when it is missing (or invalid, see :func:`check_key`)."""
    if key is None:
        raise Invalid(
            _("돈이 오가는 요청에는 Idempotency-Key 헤더가 필요합니다."),
            fields={HEADER: [_("요청마다 새로운 키(1자 이상 100자 이하)를 보내 주세요.")]},
        )
    return check_key(key)
