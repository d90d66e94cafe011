"""Notifying residents: an inbox row and an outbox e-mail, inside the caller's transaction.

The outbox is delivered by :mod:`sharing.notify.outbox` (``flask --app wsgi notify send``, cron).
"""

from __future__ import annotations

from sqlalchemy import func, select, update

from ..core.db import transaction, utcnow
from ..core.extensions import db
from ..web.inputs import one_line
from .models import Notification, OutboxMail


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
                subject=one_line(f"[성북 공유 플랫폼] {title}")[:200],  # one header line
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


def queue_mail(to_address: str, subject: str, body: str) -> OutboxMail:
    """Queue one e-mail that has no inbox row (account mail: address confirmation, password reset).
    Joins the caller's transaction."""
    mail = OutboxMail(
        to_address=to_address, subject=one_line(f"[성북 공유 플랫폼] {subject}")[:200], body=body
    )
    db.session.add(mail)
    return mail
