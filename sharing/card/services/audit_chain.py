"""The audit's keyed chain, checkpoints and caps (see :mod:`.audit_ledger`, which calls these while it walks).

- Each transaction's hash recomputes as HMAC-SHA256 under the key its ``key_id`` names (rotated keys
  stay in the keyring); transactions from before the key (``key_id`` NULL, plain SHA-256) are accepted
  only up to ``LEDGER_LEGACY_SEQ`` (configuration, outside the database; 0 for a ledger begun with the
  key) and before the first keyed one, so nobody can write unkeyed transactions later.
- Every checkpoint in the checkpoint file must carry a valid signature, its ``seq`` must still exist
  (else the tail was cut: ``checkpoint_truncated``) and the transaction at that ``seq`` must have the
  checkpoint's head and figures (else history was rewritten or a transaction inserted before it:
  ``checkpoint_rewritten``).
- Top-ups stay within the monthly top-up cap and leave the card within the balance cap (refunds may
  legitimately take a card above it: only top-ups are capped).
- Every account's owner key matches its kind, user and organisation.

Memory stays bounded by the number of checkpoints, card accounts and (resident, month) pairs with a
top-up, never by the number of payments.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from flask_babel import gettext as _

from ...core.time import seoul
from ..keys import ring
from . import checkpoint_log as cps
from . import ledger
from .audit_report import AuditReport

HELD = ("card", "mileage", "merchant")  # what ``circulating`` counts
ACCOUNT_SQL = "SELECT id, owner_key, kind, user_id, organization_id FROM card_accounts ORDER BY id"


def _month(created_at) -> str:
    """The Seoul calendar month (the monthly cap's period) of a stored UTC timestamp."""
    if isinstance(created_at, str):
        created_at = datetime.fromisoformat(created_at)
    return seoul(created_at).strftime("%Y-%m")


class ChainCheck:
    """State carried along the walk: keys, running totals, card balances, checkpoints."""

    def __init__(self, report: AuditReport) -> None:
        self.report = report
        self.keys = ring()
        self.macs: dict[str, object] = {}
        self.keyed = False
        self.legacy_seq = int(current_app.config.get("LEDGER_LEGACY_SEQ") or 0)
        self.issued = self.circulating = self.fund = 0
        self.cards: dict[int, int] = {}
        self.months: dict[tuple[int, str], int] = {}
        self.balance_cap = current_app.config["CARD_BALANCE_CAP"]
        self.monthly_cap = current_app.config["CARD_MONTHLY_TOPUP_CAP"]
        self.at_seq: dict[int, list[cps.Checkpoint]] = {}
        self.matched: set[int] = set()
        self._load_checkpoints()

    # --- keyed hash -----------------------------------------------------------------------------

    def mac(self, txn_id: int, seq: int, key_id: str | None):
        """The prepared HMAC for this transaction's key; None for a legacy (pre-key) transaction.
        Returns False (and reports) when the key is unknown or an unkeyed row is not a legacy one."""
        if key_id is None:
            if self.keyed or seq > self.legacy_seq:
                self._chain_problem(
                    "unkeyed", _("키 없이 계산된 해시가 키로 서명된 거래 뒤에 있습니다."), txn_id
                )
                return False
            return None
        self.keyed = True
        mac = self.macs.get(key_id)
        if mac is None:
            mac = self.keys.mac(key_id)
            if mac is None:
                self._chain_problem(
                    "key_unknown", _("거래를 서명한 원장 키를 알 수 없습니다."), txn_id, key_id
                )
                return False
            self.macs[key_id] = mac
        return mac

    def _chain_problem(self, check, message, txn_id=None, stored=None, expected=None) -> None:
        self.report.chain_intact = False
        self.report.add(check, message, transaction_id=txn_id, expected=expected, stored=stored)

    # --- per transaction --------------------------------------------------------------------------

    def after(
        self, txn_id: int, seq: int, stored_hash: str, kind: str, user_id, amount: int, created_at, legs
    ):
        """Totals, caps and checkpoints once the transaction ``seq`` (with its entries) is counted."""
        for leg in legs:
            leg_kind = leg[3]
            if leg_kind in HELD:
                self.circulating += leg[2]
                if leg_kind == "card":
                    self.cards[leg[1]] = self.cards.get(leg[1], 0) + leg[2]
            elif leg_kind == "fund":
                self.fund += leg[2]
        if kind == "topup":
            self.issued += amount
            self._check_caps(txn_id, user_id, amount, created_at, legs)
        if seq in self.at_seq:
            self._check_checkpoints(txn_id, seq, stored_hash)

    def _check_caps(self, txn_id, user_id, amount, created_at, legs) -> None:
        key = (user_id, _month(created_at))
        month_total = self.months.get(key, 0) + amount
        self.months[key] = month_total
        if month_total > self.monthly_cap:
            self.report.add(
                "monthly_topup_cap",
                _("한 달 충전 누계가 충전 한도를 넘습니다."),
                transaction_id=txn_id,
                expected=self.monthly_cap,
                stored=month_total,
            )
        for leg in legs:
            if leg[3] == "card" and self.cards[leg[1]] > self.balance_cap:
                self.report.add(
                    "balance_cap",
                    _("충전 뒤 카드 잔액이 잔액 한도를 넘습니다."),
                    transaction_id=txn_id,
                    account_id=leg[1],
                    expected=self.balance_cap,
                    stored=self.cards[leg[1]],
                )

    # --- checkpoints ------------------------------------------------------------------------------

    def _load_checkpoints(self) -> None:
        items, bad = cps.read_all()
        for _n in range(bad):
            self._chain_problem("checkpoint_signature", _("체크포인트 파일에 읽을 수 없는 줄이 있습니다."))
        for c in items:
            if not c.valid():
                self._chain_problem(
                    "checkpoint_signature",
                    _("체크포인트의 서명이 맞지 않습니다(체크포인트가 위조되거나 바뀌었습니다)."),
                    stored=f"{c.seq}:{c.head}",
                )
            elif c.seq == 0:
                if c.head != ledger.GENESIS:
                    self._rewritten(None, c, ledger.GENESIS)
            else:
                self.at_seq.setdefault(c.seq, []).append(c)

    def _check_checkpoints(self, txn_id: int, seq: int, stored_hash: str) -> None:
        self.matched.add(seq)
        figures = (self.fund, self.issued, self.circulating)
        for c in self.at_seq[seq]:
            if c.head != stored_hash:
                self._rewritten(txn_id, c, stored_hash)
            elif (c.fund_balance, c.issued, c.circulating) != figures:
                self._chain_problem(
                    "checkpoint_figures",
                    _("체크포인트의 기금 잔액·발행액·유통액이 원장과 다릅니다."),
                    txn_id,
                    stored=f"{figures[0]},{figures[1]},{figures[2]}",
                    expected=f"{c.fund_balance},{c.issued},{c.circulating}",
                )

    def _rewritten(self, txn_id, c: cps.Checkpoint, stored) -> None:
        self._chain_problem(
            "checkpoint_rewritten",
            _("체크포인트 이전의 거래가 바뀌었습니다(다시 쓰이거나 끼워 넣은 거래)."),
            txn_id,
            stored=stored,
            expected=f"{c.seq}:{c.head}",
        )

    def finish(self, last_seq: int) -> None:
        """Checkpoints the walk never reached: the ledger lost its tail, or their ``seq`` is gone."""
        for seq, items in sorted(self.at_seq.items()):
            if seq > last_seq:
                self._chain_problem(
                    "checkpoint_truncated",
                    _("체크포인트에 있던 거래가 원장에서 사라졌습니다(마지막 거래들이 잘렸습니다)."),
                    expected=seq,
                    stored=last_seq,
                )
            elif seq not in self.matched:
                for c in items:
                    self._rewritten(None, c, None)


def check_owner_keys(report: AuditReport, rows) -> None:
    """Every account's owner key is the one its kind, user and organisation give."""
    for account_id, owner_key, kind, user_id, org_id in rows:
        if kind in ("card", "mileage"):
            expected, fits = f"{kind}:{user_id}", user_id is not None and org_id is None
        elif kind == "merchant":
            expected, fits = f"merchant:{org_id}", org_id is not None and user_id is None
        else:
            expected, fits = kind, user_id is None and org_id is None
        if owner_key != expected or not fits:
            report.add(
                "owner_key",
                _("계정의 소유자 키가 계정의 종류·주민·조직과 맞지 않습니다."),
                account_id=account_id,
                expected=expected,
                stored=f"{owner_key} (user {user_id}, organization {org_id})",
            )
