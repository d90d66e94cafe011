"""The trade card benchmark's large ledger: a bulk-seeded, hash-chained ledger of N payments and its
audit in a fresh process (wall time and peak memory). Used by :mod:`bench.card`."""

from __future__ import annotations

import random
import resource
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

# The benchmark ledger's key: the served platform (bench.card_http) and the audit must share it.
LEDGER_KEY = "bench-ledger-key-0123456789abcdef0123456789"


def card_app(db_path: str):
    """The platform on a SQLite file (or a database URL), with caps high enough for any benchmark's
    payments."""
    from sharing import create_app

    return create_app(
        "development",
        SQLALCHEMY_DATABASE_URI=db_path if "://" in db_path else f"sqlite:///{db_path}",
        CARD_BALANCE_CAP=10**12,
        CARD_MONTHLY_TOPUP_CAP=10**12,
        LEDGER_KEY=LEDGER_KEY,
    )


def seed_ledger(db_path: str, payments: int, residents: int = 2000, shops: int = 20) -> float:
    """Bulk-insert a valid ledger: a top-up per resident, then ``payments`` payments, hash-chained."""
    from sharing.card import keys
    from sharing.card.money import payment_figures
    from sharing.card.services import ledger
    from sharing.core.extensions import db

    app = card_app(db_path)
    with app.app_context():
        db.create_all()
        db.engine.dispose()
        ring = keys.ring()
    mac, key_id = ring.mac(), ring.current_id
    started = time.perf_counter()
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("BEGIN")
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    stamp = t0.strftime("%Y-%m-%d %H:%M:%S.%f")
    conn.executemany(
        "INSERT INTO users (id, email, password_hash, name, dong, role, created_at) VALUES (?, ?, '!', ?, '성북동', "
        "'resident', ?)",
        [(u, f"a{u}@example.kr", f"주민{u}", stamp) for u in range(1, residents + 1)],
    )
    conn.executemany(
        "INSERT INTO organizations (id, name, kind, dong, description, verified_at, discount_bp, mileage_bp, "
        "created_at) VALUES (?, ?, 'small_business', '성북동', '', ?, ?, ?, ?)",
        [(o, f"가게{o}", stamp, (o * 137) % 1000, (o * 71) % 500, stamp) for o in range(1, shops + 1)],
    )
    policies = {o: ((o * 137) % 1000, (o * 71) % 500) for o in range(1, shops + 1)}
    accounts = []  # (id, key, kind, user, org)
    card, mileage, merchant = {}, {}, {}
    next_id = 1
    for u in range(1, residents + 1):
        card[u], mileage[u] = next_id, next_id + 1
        accounts += [
            (next_id, f"card:{u}", "card", u, None),
            (next_id + 1, f"mileage:{u}", "mileage", u, None),
        ]
        next_id += 2
    for o in range(1, shops + 1):
        merchant[o] = next_id
        accounts.append((next_id, f"merchant:{o}", "merchant", None, o))
        next_id += 1
    fund, settlement = next_id, next_id + 1
    accounts += [(fund, "fund", "fund", None, None), (settlement, "settlement", "settlement", None, None)]
    balance = dict.fromkeys(range(1, settlement + 1), 0)
    rng = random.Random(7)
    prev, seq, txn_id = ledger.GENESIS, 0, 0
    tx_rows, pay_rows, entry_rows = [], [], []
    digest, entries_text, ts = ledger.digest, ledger.entries_text, ledger.timestamp

    def flush():
        conn.executemany(
            "INSERT INTO card_transactions (id, seq, kind, user_id, organization_id, actor_id, amount, memo, "
            "created_at, prev_hash, hash, key_id) VALUES (?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?)",
            tx_rows,
        )
        conn.executemany(
            "INSERT INTO card_payments (id, payer_id, organization_id, amount, discount, paid, from_card, "
            "from_mileage, fund_fee, mileage_earned, merchant_net, discount_bp, mileage_bp, fund_rate_bp, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            pay_rows,
        )
        conn.executemany(
            "INSERT INTO card_entries (transaction_id, account_id, amount) VALUES (?, ?, ?)", entry_rows
        )
        tx_rows.clear()
        pay_rows.clear()
        entry_rows.clear()

    def post(kind, user, org, amount, legs, detail, when):
        nonlocal prev, seq, txn_id
        seq += 1
        txn_id += 1
        legs = [(a, n) for a, n in legs if n]
        text = ts(when)
        h = digest(
            prev,
            seq,
            kind,
            user,
            org,
            user,
            amount,
            "",
            text,
            detail,
            entries_text(legs),
            mac=mac,
            key_id=key_id,
        )
        tx_rows.append((txn_id, seq, kind, user, org, user, amount, text.replace("T", " "), prev, h, key_id))
        for a, n in legs:
            entry_rows.append((txn_id, a, n))
            balance[a] += n
        prev = h
        if len(entry_rows) > 50_000:
            flush()
        return txn_id

    per_resident = payments * 30_000 // residents + 200_000
    for u in range(1, residents + 1):
        post("topup", u, None, per_resident, [(settlement, -per_resident), (card[u], per_resident)], "", t0)
    for i in range(payments):
        u = rng.randint(1, residents)
        o = rng.randint(1, shops)
        amount = rng.randint(1, 20_000)
        dbp, mbp = policies[o]
        f = payment_figures(
            amount,
            discount_bp=dbp,
            mileage_bp=mbp,
            fund_rate_bp=100,
            mileage_available=balance[mileage[u]],
            use_mileage=i % 3 == 0,
        )
        when = t0 + timedelta(seconds=i * 20)
        tid = post(
            "payment",
            u,
            o,
            amount,
            [
                (card[u], -f.from_card),
                (mileage[u], -f.from_mileage),
                (merchant[o], f.merchant_net),
                (fund, f.fund_fee),
                (mileage[u], f.mileage_earned),
            ],
            ledger.payment_detail(f),
            when,
        )
        pay_rows.append(
            (tid, u, o, *(getattr(f, n) for n in ledger.PAYMENT_DETAIL), ts(when).replace("T", " "))
        )
    flush()
    conn.executemany(
        "INSERT INTO card_accounts (id, owner_key, kind, user_id, organization_id, balance, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(a, k, kind, u, o, balance[a], stamp) for a, k, kind, u, o in accounts],
    )
    conn.execute(
        "INSERT INTO card_ledger_head (id, seq, hash, updated_at) VALUES (?, ?, ?, ?)",
        (ledger.HEAD_ID, seq, prev, stamp),
    )
    conn.execute("COMMIT")
    conn.close()
    return time.perf_counter() - started


def _hwm_mb() -> float | None:
    """This process's own peak RSS (VmHWM, reset by exec), where /proc exists."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def audit_child(db_path: str) -> dict:
    """Run in a fresh process so its peak RSS is the audit's own."""
    app = card_app(db_path)
    base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    base_hwm = _hwm_mb()
    with app.app_context():
        from sharing.card.services.audit_ledger import run

        started = time.perf_counter()
        report = run()
        elapsed = time.perf_counter() - started
    return {
        "seconds": elapsed,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "rss_before_mb": base_rss / 1024,
        "vmhwm_before_mb": base_hwm,
        "vmhwm_mb": _hwm_mb(),
        "ok": report.ok,
        "payments_checked": report.payments_checked,
        "transactions_checked": report.transactions_checked,
        "problems": report.problem_count,
    }
