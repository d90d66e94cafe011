"""A storm of card payments and market actions against a real gunicorn, and the checks after a crash.

:class:`Server` runs ``gunicorn wsgi:app`` (2 workers, 127.0.0.1, a free port) in its own process
group, so :meth:`Server.kill` can SIGKILL the master and every worker at once. :func:`seed` prepares
the accounts through the services; :class:`Storm` fires top-ups and payments (each with a unique
Idempotency-Key) and market requests, accepts and card-paid hand-overs from client threads, and
records what was answered. The ``check_*`` functions verify the ledger afterwards.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import random
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from sqlalchemy import text

from bench.server import GUNICORN, PYTHON, ROOT, free_port
from config import TestingConfig
from sharing.core.extensions import db

FLASK = str(Path(PYTHON).with_name("flask"))
REQUEST_TIMEOUT = 20  # seconds; a hung request fails the storm instead of hanging the test
MONEY_ATTEMPTS_PER_THREAD = 150  # bounds: the storm stops by itself even if nobody kills it
MARKET_LOANS_PER_THREAD = 40
# Every stored Idempotency-Key: (the user who sent it, the key), from its transaction's row.
KEYS_SQL = "SELECT actor_id, idempotency_key FROM card_transactions WHERE idempotency_key IS NOT NULL"


def server_env(database_url: str, instance: Path) -> dict:
    """The environment of the served app (and of ``flask --app wsgi`` commands on the same data)."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SHARING_ENV": "development",
        "SECRET_KEY": "crash-test-secret-0123456789abcdef",
        # The ledger key lives outside the database: the server, the operator's commands on a restored
        # copy and the test process that seeds the ledger all use the same one.
        "LEDGER_KEY": TestingConfig.LEDGER_KEY,
        "INSTANCE_PATH": str(instance),
        "UPLOAD_DIR": str(instance / "uploads"),
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
        # Caps high enough that the storm's top-ups are accepted (the caps have their own tests).
        "CARD_BALANCE_CAP": "1000000000",
        "CARD_MONTHLY_TOPUP_CAP": "1000000000",
    }
    env.pop("TEST_DATABASE_URL", None)
    return env


def flask_cli(env: dict, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """``flask --app wsgi ARGS`` as an operator runs it."""
    return subprocess.run(
        [FLASK, "--app", "wsgi", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


class Server:
    """gunicorn in its own process group; started, SIGKILLed and restarted by the test."""

    def __init__(self, env: dict, log_path: Path, workers: int = 2):
        self.env = env
        self.log_path = log_path
        self.workers = workers
        self.proc: subprocess.Popen | None = None
        self.base = ""

    def start(self, timeout: float = 90) -> str:
        port = free_port()
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [
                GUNICORN,
                "--workers",
                str(self.workers),
                "--bind",
                f"127.0.0.1:{port}",
                "--timeout",
                "60",
                "--log-level",
                "warning",
                "wsgi:app",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=log,
            start_new_session=True,  # its own process group: killpg reaches master and workers
        )
        log.close()
        self.base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.log_path.read_text()[-3000:]}")
            try:
                urllib.request.urlopen(self.base + "/api/v1/openapi.json", timeout=5).read()
                return self.base
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.2)

    def kill(self) -> None:
        """SIGKILL the whole process group (master and workers) and wait until every one is gone."""
        assert self.proc is not None
        pgid = self.proc.pid
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGKILL)
        self.proc.wait(30)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # the workers, re-parented, die a moment later
            try:
                os.killpg(pgid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)
        else:
            raise RuntimeError("gunicorn workers survived SIGKILL")
        self.proc = None

    def stop(self) -> None:
        """A normal shutdown (SIGTERM, then SIGKILL if it lingers); no-op when not running."""
        if self.proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.kill()
        self.proc = None


# --- HTTP ---------------------------------------------------------------------------------------


class NoAnswer(Exception):
    """The request got no HTTP answer (the server died, refused or reset the connection)."""


def call(base: str, method: str, path: str, token: str, body=None, key: str | None = None):
    """(status, JSON body) of one API call; :class:`NoAnswer` when no answer came back."""
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if key is not None:
        headers["Idempotency-Key"] = key
    req = urllib.request.Request(base + path, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=REQUEST_TIMEOUT) as resp:
            status, raw = resp.status, resp.read()
    except urllib.error.HTTPError as err:
        status, raw = err.code, err.read()
    except (OSError, urllib.error.URLError) as err:  # reset, refused, remote closed
        raise NoAnswer(repr(err)) from None
    except Exception as err:  # http.client.RemoteDisconnected & co. are OSErrors; anything else too
        raise NoAnswer(repr(err)) from None
    try:
        return status, json.loads(raw) if raw else None
    except ValueError:
        return status, {"raw": raw.decode(errors="replace")}


# --- Seed ---------------------------------------------------------------------------------------


@dataclass
class World:
    centre: str
    payers: list[tuple[int, str]]  # (user id, token)
    borrowers: list[tuple[int, str]]
    owner: str  # member of the shop organisation, owns the rental listings
    shops: list[int]  # verified organisations taking the card
    listings: list[int]  # rentals of the first shop, paid by card at hand-over


def seed(app, make, *, payers: int = 4, borrowers: int = 2, listings: int = 3) -> World:
    """Residents with cards, two verified shops, card-paid rentals; through the services."""
    from sharing.card import services as card
    from sharing.market import services as market

    with app.app_context():
        centre = make.centre()
        owner = make.user(name="가게 주인")
        shop = make.org(owner, discount_bp=500, mileage_bp=300)
        plain = make.org(verified=True)
        people = [make.user() for _ in range(payers)]
        renters = [make.user() for _ in range(borrowers)]
        for person in renters:
            card.topup(person, 500_000, idempotency_key="seed-topup")
        rentals = [
            market.create(
                owner,
                market.ListingInput(
                    title=f"공구 세트 {n}",
                    kind="rent",
                    category="tools",
                    dong="장위1동",
                    description="가게에서 빌려드립니다.",
                    price_per_day=1000 + n,
                    organization_id=shop.id,
                ),
            ).id
            for n in range(listings)
        ]
        world = World(
            centre=make.token(centre),
            payers=[(p.id, make.token(p)) for p in people],
            borrowers=[(p.id, make.token(p)) for p in renters],
            owner=make.token(owner),
            shops=[shop.id, plain.id],
            listings=rentals,
        )
        db.session.remove()
        db.engine.dispose()
    return world


# --- The storm ----------------------------------------------------------------------------------


@dataclass
class Attempt:
    """One money-moving call: what was sent and what (if anything) came back."""

    user_id: int
    token: str
    path: str
    body: dict
    key: str
    status: int | None = None  # None: no answer
    answer: dict | None = None
    started: float = 0.0
    finished: float = 0.0


@dataclass
class LoanRun:
    loan_id: int
    listing_id: int
    borrower_id: int
    accepted: bool = False  # accept answered 200
    handover_key: str = ""
    handover_status: int | None = None
    handover_answer: dict | None = None


@dataclass
class Storm:
    base: str
    world: World
    seed: int = 20170101
    first_slot: int = 0  # loan days of an earlier storm on the same listings are not reused
    attempts: list[Attempt] = field(default_factory=list)
    loans: list[LoanRun] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def __post_init__(self):
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self._days = itertools.count(self.first_slot)

    # The threads -------------------------------------------------------------------------------

    def start(self) -> None:
        for n, (user_id, token) in enumerate(self.world.payers):
            self._spawn(self._money, n, user_id, token)
        for n, (user_id, token) in enumerate(self.world.borrowers):
            self._spawn(self._market, n, user_id, token)

    def _spawn(self, target, *args) -> None:
        def run():
            try:
                target(*args)
            except NoAnswer:
                pass  # the server is gone: this client stops
            except Exception as err:  # reported by the test
                with self.lock:
                    self.errors.append(f"{target.__name__}{args[:2]}: {err!r}")

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        self._threads.append(thread)

    def join(self, timeout: float = 60) -> None:
        self.stop.set()
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            thread.join(max(deadline - time.monotonic(), 0.1))
        alive = [t for t in self._threads if t.is_alive()]
        assert not alive, f"{len(alive)} storm threads did not stop"

    def _money(self, n: int, user_id: int, token: str) -> None:
        rng = random.Random(self.seed * 100 + n)
        for i in range(MONEY_ATTEMPTS_PER_THREAD):
            if self.stop.is_set():
                return
            if i % 3 == 0:
                path, body = "/api/v1/card/topups", {"amount": rng.randint(1_000, 20_000)}
            else:
                path = "/api/v1/card/payments"
                body = {
                    "organization_id": rng.choice(self.world.shops),
                    "amount": rng.randint(100, 9_000),
                    "use_mileage": rng.random() < 0.3,
                }
            attempt = Attempt(user_id, token, path, body, key=f"storm-{self.seed}-{n}-{i}")
            with self.lock:
                self.attempts.append(attempt)
            attempt.started = time.monotonic()
            status, answer = call(self.base, "POST", path, token, body, attempt.key)
            attempt.status, attempt.answer, attempt.finished = status, answer, time.monotonic()

    def _market(self, n: int, user_id: int, token: str) -> None:
        from sharing.market.common import today

        listings = self.world.listings
        for _i in range(MARKET_LOANS_PER_THREAD):
            if self.stop.is_set():
                return
            slot = next(self._days)  # a day no other loan of this listing uses: no overlap 409
            listing_id = listings[slot % len(listings)]
            day = today() + timedelta(days=1 + slot // len(listings))
            status, answer = call(
                self.base,
                "POST",
                f"/api/v1/listings/{listing_id}/requests",
                token,
                {"start_date": day.isoformat(), "end_date": day.isoformat(), "message": "빌려주세요"},
            )
            if status != 201:
                raise AssertionError(f"request answered {status}: {answer}")
            run = LoanRun(answer["id"], listing_id, user_id)
            with self.lock:
                self.loans.append(run)
            status, answer = call(
                self.base, "POST", f"/api/v1/requests/{run.loan_id}/accept", self.world.owner
            )
            if status != 200:
                raise AssertionError(f"accept answered {status}: {answer}")
            run.accepted = True
            run.handover_key = f"handover-{self.seed}-{run.loan_id}"
            status, answer = call(
                self.base,
                "POST",
                f"/api/v1/requests/{run.loan_id}/handover",
                self.world.owner,
                key=run.handover_key,
            )
            run.handover_status, run.handover_answer = status, answer
            if status != 200:
                raise AssertionError(f"handover answered {status}: {answer}")

    # Progress ----------------------------------------------------------------------------------

    def answered(self, kind: str | None = None) -> list[Attempt]:
        with self.lock:
            done = [a for a in self.attempts if a.status == 201]
        return [a for a in done if kind is None or a.path.endswith(kind)]

    def handed_over(self) -> list[LoanRun]:
        with self.lock:
            return [r for r in self.loans if r.handover_status == 200]

    def wait_for(self, payments: int, handovers: int, timeout: float = 60) -> None:
        """Until at least this many payments and hand-overs were answered (or the threads ended)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.answered("payments")) >= payments and len(self.handed_over()) >= handovers:
                return
            if not any(t.is_alive() for t in self._threads):
                break
            time.sleep(0.02)
        raise AssertionError(
            f"the storm did not get going: {len(self.answered('payments'))} payments, "
            f"{len(self.handed_over())} hand-overs answered; errors: {self.errors[:3]}"
        )


# --- Checks ---------------------------------------------------------------------------------------

PAYMENT_FIGURES = (
    "organization_id",
    "amount",
    "discount",
    "paid",
    "from_card",
    "from_mileage",
    "fund_fee",
    "mileage_earned",
    "merchant_net",
)


def ledger_state(conn) -> tuple:
    """(head seq, head hash, {account id: balance}): what a replay must leave exactly as it was."""
    head = conn.execute(text("SELECT seq, hash FROM card_ledger_head WHERE id = 1")).first()
    balances = dict(conn.execute(text("SELECT id, balance FROM card_accounts")).all())
    return (head[0], head[1], balances) if head else (0, None, balances)


def check_ledger_complete(conn) -> int:
    """No transaction without its entries, its payment or refund row, or a gap in the chain.
    Returns the number of transactions."""
    short = conn.execute(
        text(
            "SELECT t.id, COUNT(e.id), COALESCE(SUM(e.amount), 0) FROM card_transactions t "
            "LEFT JOIN card_entries e ON e.transaction_id = t.id GROUP BY t.id "
            "HAVING COUNT(e.id) < 2 OR COALESCE(SUM(e.amount), 0) <> 0"
        )
    ).all()
    assert short == [], f"transactions without their balancing entries: {short[:5]}"
    orphans = conn.execute(
        text(
            "SELECT e.id FROM card_entries e LEFT JOIN card_transactions t ON t.id = e.transaction_id "
            "WHERE t.id IS NULL"
        )
    ).all()
    assert orphans == [], f"entries without a transaction: {orphans[:5]}"
    for kind, table in (("payment", "card_payments"), ("refund", "card_refunds")):
        missing = conn.execute(
            text(
                f"SELECT t.id FROM card_transactions t LEFT JOIN {table} d ON d.id = t.id "
                f"WHERE t.kind = '{kind}' AND d.id IS NULL"
            )
        ).all()
        assert missing == [], f"{kind} transactions without their {table} row: {missing[:5]}"
    seqs = [r[0] for r in conn.execute(text("SELECT seq FROM card_transactions ORDER BY seq"))]
    assert seqs == list(range(1, len(seqs) + 1)), "the transactions' seq has a gap"
    head = conn.execute(text("SELECT seq FROM card_ledger_head WHERE id = 1")).scalar()
    assert (head or 0) == len(seqs), f"the chain head ({head}) is not the last transaction ({len(seqs)})"
    return len(seqs)


def check_answered_payments(conn, attempts: list[Attempt]) -> None:
    """Every payment answered 201 is in the ledger, whole: its row with the answered figures, its
    transaction, its entries (card, mileage, merchant, fund legs) and its idempotency key."""
    for a in attempts:
        if a.status != 201 or not a.path.endswith("/payments"):
            continue
        row = (
            conn.execute(
                text(
                    "SELECT p.payer_id, "
                    + ", ".join(f"p.{n}" for n in PAYMENT_FIGURES)
                    + ", t.kind, t.user_id "
                    "FROM card_payments p JOIN card_transactions t ON t.id = p.id WHERE p.id = :id"
                ),
                {"id": a.answer["id"]},
            )
            .mappings()
            .first()
        )
        assert row is not None, f"payment {a.answer['id']} was answered 201 and is not in the ledger"
        assert row["payer_id"] == a.user_id and row["kind"] == "payment" and row["user_id"] == a.user_id
        for name in PAYMENT_FIGURES:
            assert row[name] == a.answer[name], (a.answer["id"], name, row[name], a.answer[name])
        legs = dict(
            conn.execute(
                text(
                    "SELECT a.kind, SUM(e.amount) FROM card_entries e JOIN card_accounts a ON a.id = e.account_id "
                    "WHERE e.transaction_id = :id GROUP BY a.kind"
                ),
                {"id": a.answer["id"]},
            ).all()
        )
        expected = {
            "card": -a.answer["from_card"],
            "mileage": a.answer["mileage_earned"] - a.answer["from_mileage"],
            "merchant": a.answer["merchant_net"],
            "fund": a.answer["fund_fee"],
        }
        assert {k: int(v) for k, v in legs.items() if v} == {k: v for k, v in expected.items() if v}
        _check_key(conn, a)


def check_answered_topups(conn, attempts: list[Attempt]) -> None:
    for a in attempts:
        if a.status != 201 or not a.path.endswith("/topups"):
            continue
        row = conn.execute(
            text("SELECT kind, amount, user_id FROM card_transactions WHERE id = :id"), {"id": a.answer["id"]}
        ).first()
        assert row is not None, f"top-up {a.answer['id']} was answered 201 and is not in the ledger"
        assert tuple(row) == ("topup", a.body["amount"], a.user_id)
        _check_key(conn, a)


def _check_key(conn, a: Attempt) -> None:
    txn = conn.execute(
        text("SELECT id FROM card_transactions WHERE actor_id = :u AND idempotency_key = :k"),
        {"u": a.user_id, "k": a.key},
    ).scalar()
    assert txn == a.answer["id"], f"the Idempotency-Key {a.key} does not name transaction {a.answer['id']}"


def check_keys_account_for_everything(conn, attempts: list[Attempt], allowed_extra: set[tuple[int, str]]):
    """Every stored key was sent by a client (answered or not), and every answered one is stored; a
    key sent without an answer is either stored with its whole transaction or not there at all."""
    stored = {(u, k) for u, k in conn.execute(text(KEYS_SQL))}
    sent = {(a.user_id, a.key) for a in attempts}
    answered = {(a.user_id, a.key) for a in attempts if a.status == 201}
    assert answered <= stored
    invented = stored - sent - allowed_extra
    assert not invented, f"keys nobody sent: {sorted(invented)[:5]}"
    unkeyed = conn.execute(text("SELECT id FROM card_transactions WHERE idempotency_key IS NULL")).all()
    assert unkeyed == [], f"transactions no client asked for: {unkeyed[:5]}"


def check_loans(conn, loans: list[LoanRun]) -> None:
    """Accepts and hand-overs answered 200 stuck; hand-overs hold their payment; no overlap."""
    for run in loans:
        row = conn.execute(
            text("SELECT status, payment_id, amount FROM loans WHERE id = :id"), {"id": run.loan_id}
        ).first()
        assert row is not None, f"loan {run.loan_id} was answered 201 and is gone"
        if run.accepted:
            assert row[0] in ("accepted", "borrowed"), (run.loan_id, row[0])
        if run.handover_status == 200:
            assert row[0] == "borrowed" and row[1] == run.handover_answer["payment_id"], (run.loan_id, row)
            payment = conn.execute(
                text("SELECT amount, payer_id FROM card_payments WHERE id = :id"), {"id": row[1]}
            ).first()
            assert payment is not None and tuple(payment) == (row[2], run.borrower_id)
        elif row[1] is not None:  # handed over without an answer: then it was paid, whole
            assert row[0] == "borrowed"
            assert conn.execute(text("SELECT 1 FROM card_payments WHERE id = :id"), {"id": row[1]}).first()
        else:
            assert row[0] in ("requested", "accepted"), (run.loan_id, row[0])
    clash = conn.execute(
        text(
            "SELECT a.id, b.id FROM loans a JOIN loans b ON a.listing_id = b.listing_id "
            "AND a.id < b.id AND a.start_date <= b.end_date AND b.start_date <= a.end_date "
            "WHERE a.status IN ('accepted', 'borrowed') AND b.status IN ('accepted', 'borrowed')"
        )
    ).all()
    assert clash == [], f"overlapping accepted loans: {clash[:5]}"


def replay(base: str, attempts: list[Attempt], handovers: list[LoanRun], owner: str, engine) -> int:
    """Send answered money calls and hand-overs again with their keys: the same answer, nothing
    moves. Returns the number of replays."""
    with engine.connect() as conn:
        before = ledger_state(conn)
    count = 0
    for a in attempts:
        if a.status != 201:
            continue
        status, answer = call(base, "POST", a.path, a.token, a.body, a.key)
        assert (status, answer) == (201, a.answer), (a.key, status, answer, a.answer)
        count += 1
    for run in handovers:
        status, answer = call(
            base, "POST", f"/api/v1/requests/{run.loan_id}/handover", owner, key=run.handover_key
        )
        assert status == 200 and answer["payment_id"] == run.handover_answer["payment_id"], (status, answer)
        assert answer["status"] == "borrowed"
        count += 1
    with engine.connect() as conn:
        assert ledger_state(conn) == before, "a replayed Idempotency-Key moved money"
    return count


def retry_unanswered(base: str, attempts: list[Attempt], engine) -> int:
    """A client whose call got no answer retries it with the same key: it completes once (whether
    or not the first try had committed) and a second retry moves nothing."""
    pending = [a for a in attempts if a.status is None]
    for a in pending:
        status, answer = call(base, "POST", a.path, a.token, a.body, a.key)
        assert status in (201, 409), (a.key, status, answer)  # 409: e.g. the card ran short meanwhile
        a.status, a.answer = status, answer
    with engine.connect() as conn:
        before = ledger_state(conn)
    for a in pending:
        status, answer = call(base, "POST", a.path, a.token, a.body, a.key)
        if a.status == 201:
            assert (status, answer) == (201, a.answer), (a.key, status, answer)
        else:
            assert status == 409, (a.key, status, answer)
    with engine.connect() as conn:
        assert ledger_state(conn) == before, "a second retry moved money"
    return len(pending)
