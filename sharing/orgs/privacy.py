"""Memberships of organisations: exported, and erased with the account."""

from __future__ import annotations

from sqlalchemy import delete

from ..core.extensions import db
from ..core.rows import owned_rows
from .models import Membership


def export(user) -> dict:
    return {"organizations": owned_rows(Membership, Membership.user_id, user.id)}


def erase(user, _now) -> None:
    db.session.execute(delete(Membership).where(Membership.user_id == user.id))
