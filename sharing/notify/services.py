"""Notifying residents: an inbox row and an outbox e-mail, inside the caller's transaction.

``send_outbox`` delivers queued mail through SMTP (``MAIL_SERVER``) or, when none is configured, writes
each mail to the log, and marks it sent. It is run by ``flask --app wsgi notify send`` (cron).
"""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import func, select, update

from ..db import transaction, utcnow
from ..extensions import db
from .models import Notification, OutboxMail

log = logging.getLogger(__name__)


def notify(user, kind: str, title: str, body: str = "", link: str = "", *, email=True, dedupe_key=None):
    """Queue an inbox notification (and an e-mail) for ``user``. Joins the caller's transaction.

    ``dedupe_key`` makes a reminder idempotent: a second call with the same key queues nothing.
    """
    if dedupe_key is not None:
        exists = db.session.execute(select(OutboxMail.id).where(OutboxMail.dedupe_key == dedupe_key)).first()
        if exists:
            return None
    note = Notification(user_id=user.id, kind=kind, title=title[:200], body=body, link=link)
    db.session.add(note)
    if email:
        db.session.add(
            OutboxMail(
                to_address=user.email,
                subject=f"[성북 공유 플랫폼] {title}"[:200],
                body=f"{body}\n\n{link}".strip(),
                dedupe_key=dedupe_key,
            )
        )
    return note


def unread_count(user) -> int:
    return db.session.execute(
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
    ).scalar_one()


def inbox(user, limit: int = 50):
    return (
        db.session.execute(
            select(Notification)
            .where(Notification.user_id == user.id)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
        )
        .scalars()
        .all()
    )


def mark_all_read(user) -> None:
    with transaction():
        db.session.execute(
            update(Notification)
            .where(Notification.user_id == user.id, Notification.read_at.is_(None))
            .values(read_at=utcnow())
        )


def send_outbox(batch: int = 100, progress=None) -> tuple[int, int]:
    """Deliver up to ``batch`` queued mails. Returns (sent, failed)."""
    cfg = current_app.config
    pending = (
        db.session.execute(
            select(OutboxMail)
            .where(OutboxMail.sent_at.is_(None), OutboxMail.attempts < 5)
            .order_by(OutboxMail.id)
            .limit(batch)
        )
        .scalars()
        .all()
    )
    ids = [m.id for m in pending]
    db.session.rollback()
    sent = failed = 0
    smtp = None
    try:
        if cfg["MAIL_SERVER"] and ids:
            smtp = smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=20)
            if cfg["MAIL_USE_TLS"]:
                smtp.starttls()
            if cfg["MAIL_USERNAME"]:
                smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"])
        for n, mail_id in enumerate(ids, 1):
            with transaction():
                mail = db.session.get(OutboxMail, mail_id)
                if mail is None or mail.sent_at is not None:
                    continue
                try:
                    if smtp is None:
                        log.info("mail to %s: %s\n%s", mail.to_address, mail.subject, mail.body)
                    else:
                        msg = EmailMessage()
                        msg["From"] = cfg["MAIL_SENDER"]
                        msg["To"] = mail.to_address
                        msg["Subject"] = mail.subject
                        msg.set_content(mail.body)
                        smtp.send_message(msg)
                    mail.sent_at = utcnow()
                    sent += 1
                except (smtplib.SMTPException, OSError) as err:
                    mail.attempts += 1
                    mail.last_error = str(err)[:500]
                    failed += 1
            if progress:
                progress(n, len(ids))
    finally:
        if smtp is not None:
            smtp.quit()
    return sent, failed


def queue_mail(to_address: str, subject: str, body: str) -> OutboxMail:
    """Queue one e-mail that has no inbox row (account mail: address confirmation, password reset).
    Joins the caller's transaction."""
    mail = OutboxMail(to_address=to_address, subject=f"[성북 공유 플랫폼] {subject}"[:200], body=body)
    db.session.add(mail)
    return mail
