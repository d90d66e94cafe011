"""The mail outbox: every message on its own; failures recorded, retried with exponential backoff,
given up after OUTBOX_MAX_ATTEMPTS; a newline in a title never reaches a header."""

from __future__ import annotations

import smtplib
from datetime import timedelta

import pytest
from sqlalchemy import select

from sharing.core.db import transaction, utcnow
from sharing.core.extensions import db
from sharing.notify import outbox
from sharing.notify.models import OutboxMail
from sharing.notify.services import notify


class FakeSMTP:
    """An SMTP server that refuses one address and records what it was sent."""

    sent: list = []
    refuse = "bounce@example.kr"
    down = False

    def __init__(self, host, port, timeout=None):
        if FakeSMTP.down:
            raise ConnectionRefusedError("connection refused")

    def starttls(self):
        pass

    def login(self, user, password):
        pass

    def send_message(self, msg):
        if msg["To"] == self.refuse:
            raise smtplib.SMTPRecipientsRefused({msg["To"]: (550, b"no such user")})
        FakeSMTP.sent.append((msg["To"], msg["Subject"]))

    def quit(self):
        pass


@pytest.fixture
def smtp(app, monkeypatch):
    FakeSMTP.sent, FakeSMTP.down = [], False
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.kr")
    monkeypatch.setitem(app.config, "OUTBOX_RETRY_SECONDS", 60)
    monkeypatch.setitem(app.config, "OUTBOX_MAX_ATTEMPTS", 3)
    return FakeSMTP


def _queue(*mails) -> list[int]:
    with transaction():
        rows = [OutboxMail(to_address=to, subject=subject, body="본문") for to, subject in mails]
        db.session.add_all(rows)
    return [row.id for row in rows]


def _mail(mail_id: int) -> OutboxMail:
    db.session.expire_all()
    return db.session.get(OutboxMail, mail_id)


def test_a_failing_mail_never_stops_the_others(app, smtp):
    good, bounce, broken = _queue(
        ("a@example.kr", "[성북 공유 플랫폼] 새 요청"),
        ("bounce@example.kr", "[성북 공유 플랫폼] 반납"),
        ("c@example.kr", "[성북 공유 플랫폼] 전동\r\n드릴\nBcc: x@evil.example"),  # queued before the fix
    )
    assert outbox.send_outbox() == (2, 1)
    assert [to for to, _s in smtp.sent] == ["a@example.kr", "c@example.kr"]
    assert all("\n" not in subject and "\r" not in subject for _to, subject in smtp.sent)
    assert smtp.sent[1][1] == "[성북 공유 플랫폼] 전동 드릴 Bcc: x@evil.example"
    assert _mail(good).sent_at is not None and _mail(broken).sent_at is not None
    failed = _mail(bounce)
    assert failed.sent_at is None and failed.attempts == 1
    assert "SMTPRecipientsRefused" in failed.last_error and failed.next_attempt_at is not None


def test_retries_back_off_exponentially_then_give_up(app, smtp, monkeypatch):
    (bounce,) = _queue(("bounce@example.kr", "제목"))
    start = utcnow()
    clock = {"now": start}
    monkeypatch.setattr(outbox, "utcnow", lambda: clock["now"])
    waits = []
    for attempt in range(1, 4):
        assert outbox.send_outbox() == (0, 1)
        mail = _mail(bounce)
        assert mail.attempts == attempt
        due_at = (
            mail.next_attempt_at
            if mail.next_attempt_at.tzinfo
            else mail.next_attempt_at.replace(tzinfo=start.tzinfo)
        )
        waits.append(due_at - clock["now"])
        clock["now"] = due_at - timedelta(seconds=1)
        assert outbox.send_outbox() == (0, 0)  # not due yet: not tried
        clock["now"] = due_at
    assert waits == [timedelta(seconds=60), timedelta(seconds=120), timedelta(seconds=240)]
    clock["now"] = start + timedelta(days=30)
    assert outbox.send_outbox() == (0, 0)  # given up after OUTBOX_MAX_ATTEMPTS
    assert _mail(bounce).attempts == 3


def test_an_unreachable_server_stops_the_run_without_counting_attempts(app, smtp):
    ids = _queue(("a@example.kr", "하나"), ("b@example.kr", "둘"))
    smtp.down = True
    assert outbox.send_outbox() == (0, 0)
    assert all(_mail(i).attempts == 0 and _mail(i).sent_at is None for i in ids)
    smtp.down = False
    assert outbox.send_outbox() == (2, 0)


def test_a_title_with_control_characters_queues_a_one_line_subject(app, make):
    user = make.user()
    with transaction():
        notify(user, "market.request", "'전동\n드릴\x07'에 새 요청이 왔습니다", "본문")
    subject = db.session.execute(select(OutboxMail.subject)).scalar_one()
    assert subject == "[성북 공유 플랫폼] '전동 드릴'에 새 요청이 왔습니다"
