"""Signed checkpoints of the ledger, published outside the database (as transparency logs do).

A checkpoint is the chain head (``seq`` and its hash) with the fund's balance, the total ever topped up
(``issued``) and what residents and shops hold (``circulating``: card, mileage and merchant balances),
taken under the ledger's write lock so the figures belong to that head, signed with HMAC-SHA256 under
the ledger key (:mod:`.keys`). It is appended, one JSON object per line, to ``LEDGER_CHECKPOINT_FILE``
(never rewritten), and published on ``/card/fund``, ``GET /api/v1/fund/checkpoints`` and the open data.

Anyone keeping copies can check that ``seq`` only grows and an earlier checkpoint's head never changes;
the audit (:mod:`.audit_chain`) checks the ledger against every checkpoint in the file: a cut tail, a
rewritten or inserted transaction before a checkpoint, a forged or altered checkpoint.
"""

from __future__ import annotations

import fcntl
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from flask import current_app

from ...core.time import seoul_now
from ..keys import ring
from . import ledger

FIELDS = ("seq", "head", "at", "fund_balance", "issued", "circulating", "key_id", "signature")
_FIGURES_SQL = (
    "SELECT (SELECT COALESCE(SUM(amount), 0) FROM card_transactions WHERE kind = 'topup'), "
    "(SELECT COALESCE(SUM(balance), 0) FROM card_accounts WHERE kind IN ('card', 'mileage', 'merchant')), "
    "(SELECT COALESCE(SUM(balance), 0) FROM card_accounts WHERE kind = 'fund')"
)


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    head: str
    at: str
    fund_balance: int
    issued: int
    circulating: int
    key_id: str
    signature: str

    def signed_text(self) -> str:
        return signed_text(
            self.seq, self.head, self.at, self.fund_balance, self.issued, self.circulating, self.key_id
        )

    def valid(self) -> bool:
        """The signature verifies under the recorded key (which the keyring must hold)."""
        expected = ring().sign(self.signed_text(), self.key_id)
        return expected is not None and expected == self.signature

    def as_dict(self) -> dict:
        return asdict(self)


def signed_text(seq, head, at, fund_balance, issued, circulating, key_id) -> str:
    return "|".join(
        (
            "sharing-ledger-checkpoint",
            str(seq),
            head,
            at,
            str(fund_balance),
            str(issued),
            str(circulating),
            key_id,
        )
    )


def path() -> Path:
    return Path(current_app.config["LEDGER_CHECKPOINT_FILE"])


def publish() -> Checkpoint:
    """Take a checkpoint of the ledger as it stands and append it to the checkpoint file."""
    keys = ring()
    with ledger.writing() as store:
        head = store.lock_head()  # the write lock: no transaction lands between the head and the sums
        store.cur.execute(_FIGURES_SQL)
        issued, circulating, fund = (int(v) for v in store.cur.fetchone())
        at = seoul_now().isoformat(timespec="seconds")
        text = signed_text(head.seq, head.hash, at, fund, issued, circulating, keys.current_id)
        checkpoint = Checkpoint(
            head.seq, head.hash, at, fund, issued, circulating, keys.current_id, keys.sign(text)
        )
        _append(checkpoint)
    return checkpoint


def _append(checkpoint: Checkpoint) -> None:
    """One line, appended under an exclusive lock and flushed to disk before the answer."""
    target = path()
    target.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(checkpoint.as_dict(), ensure_ascii=False, separators=(",", ":")) + "\n"
    fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, line.encode())
        os.fsync(fd)
    finally:
        os.close(fd)


def _parse(line: str) -> Checkpoint | None:
    try:
        data = json.loads(line)
        return Checkpoint(
            seq=int(data["seq"]),
            head=str(data["head"]),
            at=str(data["at"]),
            fund_balance=int(data["fund_balance"]),
            issued=int(data["issued"]),
            circulating=int(data["circulating"]),
            key_id=str(data["key_id"]),
            signature=str(data["signature"]),
        )
    except (ValueError, KeyError, TypeError):
        return None


def read_all() -> tuple[list[Checkpoint], int]:
    """(the file's checkpoints, oldest first; the number of lines that are not a checkpoint)."""
    target = path()
    if not target.exists():
        return [], 0
    out, bad = [], 0
    with target.open(encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            checkpoint = _parse(line)
            if checkpoint is None:
                bad += 1
            else:
                out.append(checkpoint)
    return out, bad


def newest(page: int = 1, per_page: int | None = 20) -> tuple[list[Checkpoint], int]:
    """One page of the checkpoints (all of them when ``per_page`` is None), newest first, and their count."""
    items = read_all()[0]
    items.reverse()
    if per_page is None:
        return items, len(items)
    start = (page - 1) * per_page
    return items[start : start + per_page], len(items)


CSV_HEADER = FIELDS


def csv_rows():
    yield CSV_HEADER
    for c in reversed(read_all()[0]):
        yield tuple(getattr(c, name) for name in FIELDS)
