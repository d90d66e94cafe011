"""Top-ups backed by money: two-phase in ``confirmed`` mode (config ``TOPUP_MODE``).

``instant`` (development, tests, the demo) posts a top-up at once (:func:`.payments.post_topup`).
``confirmed`` (production's default) records a :class:`~.pending_models.PendingTopup` and posts
nothing: the money is not spendable until a settlement source confirms it with its reference,

- the centre's cash desk (a centre member, web page or API), or
- the payment provider's callback, signed with HMAC-SHA256 over ``"<timestamp>.<raw body>"`` with
  ``TOPUP_PROVIDER_SECRET`` (headers ``X-Topup-Timestamp`` and ``X-Topup-Signature: sha256=<hex>``),
  accepted within ``TOPUP_SIGNATURE_WINDOW_S`` seconds of the timestamp, compared in constant time
  (as Stripe's and Toss's webhooks are).

Confirming posts one ``topup`` transaction (settlement -> card) whose memo is the reference. A pending
top-up not confirmed within ``TOPUP_PENDING_HOURS`` is void: every read treats it so (``expires_at``),
and ``flask card void-pending`` (cron) marks it. Pending top-ups count toward both caps
(:func:`.payments.check_topup_caps`); the balance cap is not checked again on confirmation, since the
money has arrived by then.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from ...auth.models import User
from ...auth.services import require_centre
from ...core import idempotency as idem
from ...core.db import lock, transaction, utcnow
from ...core.errors import Conflict, Invalid, NotFound, Unauthorized
from ...core.extensions import db
from ...core.time import aware
from ...records.log import record_action
from ..pending_models import REFERENCE_MAX, PayoutRequest, PendingTopup
from . import ledger
from .ledger import total
from .payments import Topup, check_amount, check_topup_caps, post_topup, user_id_of

MODES = ("instant", "confirmed")
TIMESTAMP_HEADER = "X-Topup-Timestamp"
SIGNATURE_HEADER = "X-Topup-Signature"


def mode() -> str:
    value = current_app.config.get("TOPUP_MODE", "confirmed")
    if value not in MODES:
        raise RuntimeError(f"TOPUP_MODE must be one of {MODES}, not {value!r}")
    return value


def topup(user, amount, *, idempotency_key: str | None = None, request_hash: str | None = None) -> Topup:
    """A resident's top-up: posted at once in ``instant`` mode, pending until confirmed otherwise."""
    if mode() == "instant":
        return post_topup(user, amount, idempotency_key=idempotency_key, request_hash=request_hash)
    return request_topup(user, amount, idempotency_key=idempotency_key, request_hash=request_hash)


def status_of(row: PendingTopup) -> str:
    """``pending``, ``posted`` or ``voided`` (a pending top-up past its expiry is void already)."""
    if row.status == "pending" and aware(row.expires_at) <= utcnow():
        return "voided"
    return row.status


def _result(row: PendingTopup) -> Topup:
    _id, balance = ledger.balance_of(ledger.card_of(row.user_id))
    return Topup(row.id, row.amount, balance, aware(row.created_at), status_of(row))


def request_topup(
    user, amount, *, idempotency_key: str | None = None, request_hash: str | None = None
) -> Topup:
    """Record a pending top-up of ``amount`` (within the caps, pending ones included); nothing moves."""
    check_amount(amount)
    key = idem.check_key(idempotency_key)
    req_hash = request_hash or idem.call_hash("topup", amount=amount)
    uid = user_id_of(user)
    with transaction():
        store = ledger.Store()
        store.lock_head()  # the caps are checked under the ledger's lock, like a posted top-up's
        earlier = idem.replayed_row(PendingTopup, PendingTopup.user_id, uid, key, req_hash)
        if earlier is not None:
            return _result(earlier)
        _account, balance = ledger.balance_of(ledger.card_of(uid))  # every ledger write waits on the head
        check_topup_caps(uid, balance, amount)
        now = utcnow()
        hours = int(current_app.config.get("TOPUP_PENDING_HOURS", 24))
        row = PendingTopup(
            user_id=uid,
            amount=amount,
            status="pending",
            created_at=now,
            expires_at=now + timedelta(hours=hours),
            idempotency_key=key,
            request_hash=req_hash if key is not None else None,
        )
        db.session.add(row)
        db.session.flush()
        return Topup(row.id, amount, balance, now, "pending")


def check_reference(reference) -> str:
    """The settlement source's reference (receipt or transfer number): 1..100 printable characters."""
    if isinstance(reference, str):
        reference = reference.strip()
    if (
        not isinstance(reference, str)
        or not 1 <= len(reference) <= REFERENCE_MAX
        or any(not ch.isprintable() for ch in reference)
    ):
        raise Invalid(fields={"reference": [_("참조 번호를 1자 이상 100자 이하로 입력해 주세요.")]})
    return reference


def verify_signature(raw_body: bytes, timestamp: str | None, signature: str | None, *, now=None) -> None:
    """The payment provider's callback signature, or 401: HMAC-SHA256 of ``"<timestamp>.<body>"``
    with ``TOPUP_PROVIDER_SECRET``, the timestamp (Unix seconds) within the replay window."""
    secret = current_app.config.get("TOPUP_PROVIDER_SECRET") or ""
    refused = Unauthorized(_("결제 대행사 서명이 올바르지 않습니다."), code="invalid_signature")
    if not secret or not timestamp or not signature or not (timestamp.isascii() and timestamp.isdigit()):
        raise refused
    window = int(current_app.config.get("TOPUP_SIGNATURE_WINDOW_S", 300))
    if abs((time.time() if now is None else now) - int(timestamp)) > window:
        raise Unauthorized(_("결제 대행사 서명의 시각이 허용 범위를 벗어났습니다."), code="signature_expired")
    expected = hmac.new(secret.encode(), timestamp.encode() + b"." + raw_body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(signature.encode(), f"sha256={expected}".encode()):
        raise refused


def confirm(actor, topup_id: int, reference, *, provider: bool = False) -> PendingTopup:
    """Post a pending top-up: by a centre member (the cash desk) or, with ``provider`` (the caller
    checked :func:`verify_signature`), the payment provider. 409 when void or already posted."""
    if not provider:
        require_centre(actor)
    reference = check_reference(reference)
    with second_phase(PendingTopup, topup_id, _("충전 요청을 찾을 수 없습니다."), "topup_not_found") as (
        store,
        head,
        row,
    ):
        status = status_of(row)
        if status == "posted":
            raise Conflict(_("이미 확인된 충전입니다."), code="topup_already_posted")
        if status == "voided":
            raise Conflict(_("기한이 지나 취소된 충전 요청입니다."), code="topup_voided")
        card, settlement = ledger.card_of(row.user_id), ledger.SETTLEMENT
        accounts = store.lock_accounts([card, ledger.mileage_of(row.user_id), settlement])
        txn = ledger.post(
            store,
            head,
            "topup",
            entries=[(accounts[settlement.key], -row.amount), (accounts[card.key], row.amount)],
            amount=row.amount,
            user_id=row.user_id,
            actor_id=None if provider else actor.id,
            memo=reference,
        )
        posted(row, txn, reference)
        row.source = "provider" if provider else "cash_desk"
        row.confirmed_by = None if provider else actor.id
        if not provider:
            record_action(actor, "card.topup_confirm", "card_pending_topup", row.id, amount=row.amount)
    return row


@contextmanager
def second_phase(model, row_id: int, missing: str, code: str) -> Iterator[tuple]:
    """The unit of work that posts a pending top-up or a requested payout: (store, head, row) with
    the ledger's lock taken first, then the request's row locked; 404 when there is no such row."""
    with transaction():
        store = ledger.Store()
        head = store.lock_head()
        row = lock(model, [row_id]).get(row_id)
        if row is None:
            raise NotFound(missing, code=code)
        yield store, head, row


def posted(row, txn, reference: str) -> None:
    """Mark a pending top-up or a requested payout as posted by ``txn``, with its reference."""
    row.status, row.reference, row.transaction_id, row.resolved_at = "posted", reference, txn.id, utcnow()


def void_expired() -> int:
    """Mark every pending top-up past its expiry as void (the cron command); returns how many."""
    with transaction():
        now = utcnow()
        result = db.session.execute(
            update(PendingTopup)
            .where(PendingTopup.status == "pending", PendingTopup.expires_at <= now)
            .values(status="voided", resolved_at=now)
        )
        return result.rowcount or 0


def pending_statement():
    """The cash desk's list (paginate it): pending top-ups not yet void, oldest first. Expired ones
    are marked void first (lazily, when read)."""
    void_expired()
    return select(PendingTopup).where(PendingTopup.status == "pending").order_by(PendingTopup.id)


def user_names(ids) -> dict[int, str]:
    ids = set(ids)
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.name).where(User.id.in_(ids))).all())


def pending_summary(conn=None) -> dict:
    """Money waiting for its second phase, reported apart from the ledger by the audit."""
    run = (conn or db.session).execute
    now = utcnow()
    topups = run(
        select(func.count(), total(PendingTopup.amount)).where(
            PendingTopup.status == "pending", PendingTopup.expires_at > now
        )
    ).one()
    payouts = run(
        select(func.count(), total(PayoutRequest.amount)).where(PayoutRequest.status == "requested")
    ).one()
    return {
        "topups": int(topups[1]),
        "topup_count": int(topups[0]),
        "payouts": int(payouts[1]),
        "payout_count": int(payouts[0]),
    }
