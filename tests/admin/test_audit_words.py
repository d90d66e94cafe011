"""The audit log in words: every action the code base can write has a Korean label, a line written
by an operator command or a scheduled job is the system's (not a deleted account's), the plan load is
credited to the account named with ``--as``, and the log is searched by the actor's name or e-mail."""

from __future__ import annotations

import ast
from pathlib import Path

from sqlalchemy import select

from sharing.admin.vocab import ACTION_LABELS
from sharing.core.db import transaction
from sharing.core.extensions import db
from sharing.records.log import record_action
from sharing.records.models import RESOLUTIONS, AuditLog

ROOT = Path(__file__).resolve().parents[2] / "sharing"

# The f-strings that build an action code, with every value their placeholder can take there.
BUILT_CODES = {
    "f'report.{action}'": {f"report.{a}" for a in RESOLUTIONS},
    "f'listing.{status}'": {f"listing.{s}" for s in ("active", "paused", "closed")},
}


def _codes(node: ast.expr, where: str) -> set[str]:
    """Every action code an expression can evaluate to (a string, a conditional, a known f-string)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _codes(node.body, where) | _codes(node.orelse, where)
    source = ast.unparse(node)
    if source in BUILT_CODES:
        return BUILT_CODES[source]
    raise AssertionError(f"{where}: an action code this test cannot read: {source}")


def written_action_codes() -> dict[str, str]:
    """Every action code passed to ``record_action`` anywhere in the package, with where."""
    found = {}
    for path in sorted(ROOT.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name != "record_action" or path.name == "log.py":
                continue
            where = f"{path.relative_to(ROOT.parent)}:{node.lineno}"
            action = (
                node.args[1]
                if len(node.args) > 1
                else next(k.value for k in node.keywords if k.arg == "action")
            )
            for code in _codes(action, where):
                found.setdefault(code, where)
    return found


def test_the_scan_finds_the_writers():
    codes = written_action_codes()
    # one from each kind of writer: a plain string, a conditional, a built code, the operator command
    assert {"card.refund", "user.suspend", "user.restore", "report.dismiss", "listing.paused"} <= set(codes)
    assert "plan.load" in codes and len(codes) >= 30


def test_every_action_the_code_writes_has_a_korean_label():
    missing = {code: where for code, where in written_action_codes().items() if code not in ACTION_LABELS}
    assert not missing, f"actions written without a label in sharing/admin/vocab.py: {missing}"
    assert not [c for c, text in ACTION_LABELS.items() if str(text) == c or str(text).isascii()]


def _delete(user) -> None:
    with transaction():
        db.session.delete(db.session.get(type(user), user.id))


def _line(action):
    return db.session.execute(
        select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id.desc()).limit(1)
    ).scalar_one()


def test_a_line_without_an_account_is_the_systems_and_a_deleted_accounts_is_not(app, make, centre):
    with transaction():
        record_action(None, "card.adjust", "card_account", 1, amount=10)
    assert _line("card.adjust").by_system and _line("card.adjust").detail["by"] == "system"

    gone = make.user(role="centre")
    with transaction():
        record_action(gone, "plan.scores", "plan", 1)
    _delete(gone)
    line = _line("plan.scores")
    assert line.actor_id is None and not line.by_system


def test_an_old_plan_load_line_without_the_mark_is_still_the_systems(app):
    with transaction():
        db.session.add(
            AuditLog(actor_id=None, action="plan.load", target_type="plan", target_id=1, detail={})
        )
    assert _line("plan.load").by_system


def test_the_page_says_system_and_deleted_account(client, auth, make, centre):
    gone = make.user(role="centre", name="떠난 담당자")
    with transaction():
        record_action(None, "plan.load", "plan", 1, version="x")
        record_action(gone, "post.pin", "post", 3)
    _delete(gone)
    auth.login(centre)
    html = client.get("/admin/audit-log").get_data(as_text=True)
    rows = html[html.index("<tbody>") : html.index("</tbody>")].split("<tr>")
    load = next(r for r in rows if "계획 자료 불러오기" in r)
    pin = next(r for r in rows if "마을소식 글 고정" in r)
    assert "시스템" in load and "삭제된 계정" not in load
    assert "(삭제된 계정)" in pin and "시스템" not in pin
    body = "".join(rows)
    assert "by:" not in body and "plan.load" not in body  # neither the mark nor the code on screen
    assert "자료 판: x" in load


def test_plan_load_as_an_account_is_credited_to_it(runner, make):
    ops = make.centre(email="ops@example.kr")
    result = runner.invoke(args=["plan", "load", "--as", "ops@example.kr"])
    assert result.exit_code == 0, result.output
    line = _line("plan.load")
    assert line.actor_id == ops.id and not line.by_system and line.detail["by"] == "account"
    _delete(ops)
    assert not _line("plan.load").by_system  # a deleted operator's load is not the system's


def test_plan_load_without_an_account_is_the_systems(runner):
    result = runner.invoke(args=["plan", "load"])
    assert result.exit_code == 0, result.output
    line = _line("plan.load")
    assert line.actor_id is None and line.by_system


def test_plan_load_as_refuses_an_unknown_or_resident_account(runner, make):
    make.user(email="resident@example.kr")
    result = runner.invoke(args=["plan", "load", "--as", "nobody@example.kr"])
    assert result.exit_code != 0 and "no account" in result.output
    result = runner.invoke(args=["plan", "load", "--as", "resident@example.kr"])
    assert result.exit_code != 0 and "not a centre account" in result.output
    assert db.session.execute(select(AuditLog).where(AuditLog.action == "plan.load")).first() is None


def test_the_log_is_searched_by_the_actors_name_or_email(client, auth, make, centre):
    kim = make.user(role="centre", email="kim.officer@example.kr", name="김담당")
    lee = make.user(role="centre", email="lee@example.kr", name="이담당")
    with transaction():
        record_action(kim, "post.pin", "post", 1)
        record_action(lee, "post.unpin", "post", 1)
    auth.login(centre)
    html = client.get("/admin/audit-log?who=김담당").get_data(as_text=True)
    assert "마을소식 글 고정</td>" in html and "마을소식 글 고정 해제</td>" not in html and "1건" in html
    html = client.get("/admin/audit-log?who=LEE@EXAMPLE").get_data(as_text=True)
    assert "마을소식 글 고정 해제</td>" in html and "1건" in html
    html = client.get("/admin/audit-log?who=%25").get_data(as_text=True)
    assert "0건" in html  # a wildcard is searched as itself
    # the menu still takes the code as its value
    html = client.get("/admin/audit-log?action=post.pin").get_data(as_text=True)
    assert '<option selected value="post.pin">마을소식 글 고정</option>' in html and "1건" in html
