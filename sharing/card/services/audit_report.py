"""The audit's report: what every check adds its problems to (:mod:`.audit_ledger` walks the ledger,
:mod:`.audit_checks`, :mod:`.audit_chain` and :mod:`.audit_totals` check), its API answer and its CSV."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class AuditReport:
    ok: bool = True
    payments_checked: int = 0
    transactions_checked: int = 0
    fund_balance: int = 0
    expected_fund_balance: int = 0
    ledger_balanced: bool = True
    chain_intact: bool = True
    problems: list[dict] = field(default_factory=list)
    problem_count: int = 0
    max_problems: int = 1000
    # Money waiting for its second phase, outside the ledger (see .topups.pending_summary).
    pending: dict = field(default_factory=dict)

    def add(
        self, check: str, message: str, *, transaction_id=None, account_id=None, expected=None, stored=None
    ):
        self.ok = False
        self.problem_count += 1
        if len(self.problems) < self.max_problems:
            self.problems.append(
                {
                    "check": check,
                    "transaction_id": transaction_id,
                    "account_id": account_id,
                    "expected": expected,
                    "stored": stored,
                    "message": message,
                }
            )

    def as_dict(self) -> dict:
        """The API's answer, exactly."""
        return {
            "ok": self.ok,
            "payments_checked": self.payments_checked,
            "fund_balance": self.fund_balance,
            "expected_fund_balance": self.expected_fund_balance,
            "ledger_balanced": self.ledger_balanced,
            "chain_intact": self.chain_intact,
            "problem_count": self.problem_count,
            "truncated": self.truncated,
            "problems": self.problems,
            "pending": self.pending,
        }

    @property
    def truncated(self) -> bool:
        """Whether more problems were found than the list holds (``problem_count`` has them all)."""
        return self.problem_count > len(self.problems)


CSV_HEADER = ("check", "transaction_id", "account_id", "expected", "stored", "message")


def csv_rows(report: AuditReport):
    """The audit as CSV rows: a summary, then one row per problem."""
    yield (
        "ok",
        "payments_checked",
        "fund_balance",
        "expected_fund_balance",
        "ledger_balanced",
        "chain_intact",
        "problem_count",
        "truncated",
    )
    yield (
        report.ok,
        report.payments_checked,
        report.fund_balance,
        report.expected_fund_balance,
        report.ledger_balanced,
        report.chain_intact,
        report.problem_count,
        report.truncated,
    )
    yield ()
    yield CSV_HEADER
    for p in report.problems:
        yield tuple("" if p[k] is None else p[k] for k in CSV_HEADER)
