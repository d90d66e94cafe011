"""The archive's share of a resident's data: the resources they entered (hidden when the account goes)."""

from __future__ import annotations

from sqlalchemy import update

from ..core.extensions import db
from ..core.rows import owned_rows
from .models import Resource


def export(user) -> dict:
    return {"resources": owned_rows(Resource, Resource.owner_id, user.id)}


def erase(user, now) -> None:
    db.session.execute(
        update(Resource)
        .where(Resource.owner_id == user.id, Resource.hidden_at.is_(None))
        .values(hidden_at=now)
    )
