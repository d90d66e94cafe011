"""Signed checkpoints: written by the CLI and the centre's button, published on the fund page, the API
and the open data; the audit checks the ledger against each of them."""

import csv
import io
import json

from sharing.card import services
from sharing.card.services import checkpoint_log as checkpoints
from sharing.card.services.audit_ledger import run
from sharing.core.extensions import db


def _lines(app) -> list[dict]:
    path = checkpoints.path()
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def _head():
    return db.session.execute(db.text("SELECT seq, hash FROM card_ledger_head")).one()


def test_cli_appends_a_signed_checkpoint(app, ledger, runner):
    result = runner.invoke(args=["card", "checkpoint"])
    assert result.exit_code == 0, result.output
    seq, head = _head()
    (line,) = _lines(app)
    assert set(line) == set(checkpoints.FIELDS)
    assert (line["seq"], line["head"]) == (seq, head) and f"seq {seq}" in result.output
    fund = services.fund_summary().balance
    assert line["fund_balance"] == fund
    assert line["issued"] == 100_000  # the one top-up
    assert line["circulating"] == 100_000 - fund  # all the money in the system but the fund's
    c = checkpoints.read_all()[0][0]
    assert c.valid()
    forged = checkpoints.Checkpoint(**{**line, "fund_balance": line["fund_balance"] + 1})
    assert not forged.valid()
    runner.invoke(args=["card", "checkpoint"])
    assert len(_lines(app)) == 2  # appended, never rewritten
    assert _lines(app)[0] == line


def test_centre_button_publishes_and_others_cannot(app, client, auth, make, ledger):
    _ids, user, owner = ledger
    for who in (user, owner):
        auth.login(who)
        assert client.post("/card/fund/checkpoints").status_code == 403
        auth.logout()
    assert _lines(app) == []
    auth.login(make.centre())
    r = client.post("/card/fund/checkpoints")
    assert r.status_code == 302 and r.headers["Location"].endswith("/card/fund")
    assert [line["seq"] for line in _lines(app)] == [_head()[0]]
    html = client.get("/card/fund").get_data(as_text=True)
    assert "지금 체크포인트 발행" in html and _head()[1] in html and "조직별 기금 적립" in html


def test_centre_button_needs_the_csrf_token(app_factory, make, tmp_path):
    strict = app_factory(WTF_CSRF_ENABLED=True, LEDGER_CHECKPOINT_FILE=str(tmp_path / "c.jsonl"))
    with strict.app_context():
        centre = make.centre()
        client = strict.test_client()
        page = client.get("/auth/login").get_data(as_text=True)
        token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        client.post(
            "/auth/login", data={"email": centre.email, "password": make.PASSWORD, "csrf_token": token}
        )
        assert client.post("/card/fund/checkpoints").status_code == 400
        assert not (tmp_path / "c.jsonl").exists()
        assert client.post("/card/fund/checkpoints", data={"csrf_token": token}).status_code == 302
        assert (tmp_path / "c.jsonl").exists()


def test_public_page_api_and_open_data(app, client, runner, ledger):
    html = client.get("/card/fund").get_data(as_text=True)  # anonymous
    assert "아직 발행한 체크포인트가 없습니다." in html
    assert client.get("/api/v1/fund/checkpoints").json == {"items": [], "page": 1, "per_page": 20, "total": 0}
    for _n in range(3):
        runner.invoke(args=["card", "checkpoint"])
    _ids, user, _owner = ledger
    services.topup(user, 1000)
    runner.invoke(args=["card", "checkpoint"])
    written = _lines(app)
    newest_first = list(reversed(written))
    r = client.get("/card/fund")
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and written[-1]["head"] in html
    assert "조직별 기금 적립" not in html and "지금 체크포인트 발행" not in html  # the centre's parts
    assert "/card/fund/checkpoints.json" in html and "/card/fund/checkpoints.csv" in html
    r = client.get("/api/v1/fund/checkpoints")
    assert r.json["total"] == 4 and r.json["items"] == newest_first
    r = client.get("/api/v1/fund/checkpoints?page=2&per_page=3")
    assert r.json["items"] == newest_first[3:] and r.json["page"] == 2
    assert client.get("/api/v1/fund/checkpoints?per_page=1000").status_code == 422
    assert client.get("/card/fund/checkpoints.json").json == {"items": newest_first, "total": 4}
    r = client.get("/card/fund/checkpoints.csv")
    assert r.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(r.get_data(as_text=True).lstrip("\ufeff"))))
    assert tuple(rows[0]) == checkpoints.FIELDS
    assert [row[1] for row in rows[1:]] == [c["head"] for c in newest_first]


# --- The audit against the checkpoints -----------------------------------------------------------


def rechain(tamper):
    """What someone holding the database AND the ledger key can do after changing rows: recompute
    every balance, every hash and link, and move the head (the audit's expected values are theirs)."""
    tamper(
        "UPDATE card_accounts SET balance = (SELECT COALESCE(SUM(amount), 0) FROM card_entries "
        "WHERE account_id = card_accounts.id)"
    )
    for _n in range(100):
        fix = next(
            (p for p in run().problems if p["check"] in ("chain_link", "hash", "chain_head")),
            None,
        )
        if fix is None:
            return
        if fix["check"] == "chain_head":
            seq, value = fix["stored"].split(":")
            tamper("UPDATE card_ledger_head SET seq = :seq, hash = :v", seq=int(seq), v=value)
        else:
            column = "prev_hash" if fix["check"] == "chain_link" else "hash"
            tamper(
                f"UPDATE card_transactions SET {column} = :v WHERE id = :id",
                v=fix["expected"],
                id=fix["transaction_id"],
            )
    raise AssertionError("the chain did not settle")


def _chain_checks(report):
    return sorted(p["check"] for p in report.problems)


def test_truncated_tail_is_named(app, ledger, tamper, runner):
    runner.invoke(args=["card", "checkpoint"])
    last_seq, _hash = _head()
    last = db.session.execute(
        db.text("SELECT id FROM card_transactions WHERE seq = :s"), {"s": last_seq}
    ).scalar()
    tamper(
        "DELETE FROM card_entries WHERE transaction_id = :id",
        "DELETE FROM card_refunds WHERE id = :id",
        "DELETE FROM card_transactions WHERE id = :id",
        id=last,
    )
    rechain(tamper)
    report = run()
    assert not report.ok and not report.chain_intact
    (problem,) = report.problems  # nothing else shows it: the cut ledger is consistent in itself
    assert problem["check"] == "checkpoint_truncated"
    assert (problem["expected"], problem["stored"]) == (last_seq, last_seq - 1)


def test_rewritten_history_is_named(app, ledger, tamper, runner):
    ids, _user, _owner = ledger
    runner.invoke(args=["card", "checkpoint"])
    tamper("UPDATE card_transactions SET memo = 'rewritten' WHERE id = :id", id=ids[0])
    rechain(tamper)
    report = run()
    assert _chain_checks(report) == ["checkpoint_rewritten"]
    assert report.problems[0]["expected"].startswith(f"{_head()[0]}:")


def test_forged_insert_before_the_checkpoint_is_named(app, ledger, tamper, runner):
    ids, user, _owner = ledger
    runner.invoke(args=["card", "checkpoint"])
    card = services.card_summary(user).account_id
    settlement = db.session.execute(
        db.text("SELECT id FROM card_accounts WHERE owner_key = 'settlement'")
    ).scalar()
    key_id = db.session.execute(
        db.text("SELECT key_id FROM card_transactions WHERE id = :id"), {"id": ids[0]}
    ).scalar()
    # A top-up nobody paid for, first in the ledger (id 0, seq 1), everything after it renumbered.
    tamper(
        "UPDATE card_transactions SET seq = seq + 1000",
        "UPDATE card_transactions SET seq = seq - 999",
        "INSERT INTO card_transactions (id, seq, kind, user_id, actor_id, amount, memo, created_at, prev_hash, "
        "hash, key_id) VALUES (0, 1, 'topup', :uid, :uid, 50000, '', '2026-01-01 00:00:00', :g, :g, :kid)",
        "INSERT INTO card_entries (transaction_id, account_id, amount) VALUES (0, :card, 50000)",
        "INSERT INTO card_entries (transaction_id, account_id, amount) VALUES (0, :settlement, -50000)",
        uid=user.id,
        g="0" * 64,
        kid=key_id,
        card=card,
        settlement=settlement,
    )
    rechain(tamper)
    report = run()
    assert _chain_checks(report) == ["checkpoint_rewritten"]


def test_forged_or_damaged_checkpoint_is_named(app, ledger, runner):
    runner.invoke(args=["card", "checkpoint"])
    runner.invoke(args=["card", "checkpoint"])
    assert run().ok
    path = checkpoints.path()
    lines = path.read_text().splitlines()
    first = json.loads(lines[0])
    first["fund_balance"] += 1000
    path.write_text("\n".join([json.dumps(first), lines[1], "not json"]) + "\n")
    report = run()
    assert _chain_checks(report) == ["checkpoint_signature", "checkpoint_signature"]
