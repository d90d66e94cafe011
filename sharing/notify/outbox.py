"""Delivering the mail outbox: each message on its own, failures recorded and retried later.

``send_outbox`` (run by ``flask --app wsgi notify send`` from cron) delivers the queued mails that
are due through SMTP (``MAIL_SERVER``) or, when none is configured, writes each to the log. A message
that fails, for whatever reason, gets ``attempts + 1``, its ``last_error`` and a ``next_attempt_at``
``OUTBOX_RETRY_SECONDS`` × 2^(attempts − 1) later (exponential backoff); after
``OUTBOX_MAX_ATTEMPTS`` it is given up (``flask ops check`` reports it). One bad message never stops
the others: each is sent and recorded in its own transaction, and a broken SMTP connection is
opened again for the next one.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime, timedelta
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import or_, select

from ..core.db import transaction, utcnow
from ..core.extensions import db
from ..web.inputs import one_line
from .models import OutboxMail

log = logging.getLogger(__name__)


def max_attempts() -> int:
    return int(current_app.config.get("OUTBOX_MAX_ATTEMPTS", 5))


def retry_delay(attempts: int) -> timedelta:
    """How long after its ``attempts``-th failure a message is tried again."""
    base = int(current_app.config.get("OUTBOX_RETRY_SECONDS", 60))
    return timedelta(seconds=base * 2 ** max(attempts - 1, 0))


def due(now: datetime):
    """The condition of a message to send now: unsent, not given up, its retry time reached."""
    return (
        OutboxMail.sent_at.is_(None),
        OutboxMail.attempts < max_attempts(),
        or_(OutboxMail.next_attempt_at.is_(None), OutboxMail.next_attempt_at <= now),
    )


def message(mail: OutboxMail, sender: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = one_line(mail.to_address)
    msg["Subject"] = one_line(mail.subject)  # a line break would end the header
    msg.set_content(mail.body)
    return msg


class ServerUnavailable(Exception):
    """The SMTP server cannot be reached: no message's fault, the run stops and all stay due."""


class Mailer:
    """One SMTP connection, opened when first needed and again after it broke."""

    def __init__(self, cfg):
        self.cfg = cfg
        self.smtp: smtplib.SMTP | None = None

    def send(self, mail: OutboxMail) -> None:
        cfg = self.cfg
        msg = message(mail, cfg["MAIL_SENDER"])
        if not cfg["MAIL_SERVER"]:
            log.info("mail to %s: %s\n%s", msg["To"], msg["Subject"], mail.body)
            return
        if self.smtp is None:
            self.smtp = self._connect()
        try:
            self.smtp.send_message(msg)
        except (smtplib.SMTPServerDisconnected, ConnectionError, TimeoutError):
            self.close()  # the next message opens a new connection
            raise

    def _connect(self) -> smtplib.SMTP:
        cfg = self.cfg
        try:
            smtp = smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=20)
            if cfg["MAIL_USE_TLS"]:
                smtp.starttls()
            if cfg["MAIL_USERNAME"]:
                smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"])
        except (smtplib.SMTPException, OSError) as err:
            raise ServerUnavailable(str(err)) from err
        return smtp

    def close(self) -> None:
        smtp, self.smtp = self.smtp, None
        if smtp is not None:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                smtp.close()


def send_outbox(batch: int = 100, progress=None, mailer: Mailer | None = None) -> tuple[int, int]:
    """Deliver up to ``batch`` due mails, oldest first. Returns (sent, failed)."""
    ids = list(
        db.session.execute(select(OutboxMail.id).where(*due(utcnow())).order_by(OutboxMail.id).limit(batch))
        .scalars()
        .all()
    )
    db.session.rollback()
    mailer = mailer or Mailer(current_app.config)
    sent = failed = 0
    try:
        for n, mail_id in enumerate(ids, 1):
            with transaction():
                mail = db.session.get(OutboxMail, mail_id)
                if mail is None or mail.sent_at is not None:
                    continue
                try:
                    mailer.send(mail)
                except ServerUnavailable as err:
                    log.error("mail server unavailable, outbox run stopped: %s", err)
                    break
                except Exception as err:  # any failure is this message's alone
                    log.warning("mail %s to %s failed: %s", mail.id, mail.to_address, err)
                    mail.attempts += 1
                    mail.last_error = f"{type(err).__name__}: {err}"[:500]
                    mail.next_attempt_at = utcnow() + retry_delay(mail.attempts)
                    failed += 1
                else:
                    mail.sent_at = utcnow()
                    mail.next_attempt_at = None
                    sent += 1
            if progress:
                progress(n, len(ids))
    finally:
        mailer.close()
    return sent, failed
