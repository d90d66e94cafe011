"""What the centre's console calls to moderate the market: ``MODERATION[target_type](actor, target_id,
hidden)`` and ``describe_target`` for its queue."""

from __future__ import annotations

from flask import url_for

from ...core.extensions import db
from ..models import Listing, LoanMessage
from .listings import set_listing_hidden
from .trust import set_message_hidden

MODERATION = {"listing": set_listing_hidden, "message": set_message_hidden}


def describe_target(target_type: str, target_id: int) -> dict | None:
    """What the centre's moderation queue shows of a reported listing or message (None when gone)."""
    if target_type == "listing":
        listing = db.session.get(Listing, target_id)
        if listing is None or listing.status == "deleted":
            return None
        return {
            "title": listing.title,
            "author_id": listing.owner_id,
            "url": url_for("market.show", listing_id=listing.id),
            "hidden": listing.hidden_at is not None,
        }
    if target_type == "message":
        message = db.session.get(LoanMessage, target_id)
        if message is None:
            return None
        return {
            "title": message.body[:80],
            "author_id": message.author_id,
            "url": url_for("market.question_page", question_id=message.question_id)
            if message.question_id is not None
            else url_for("market.request_page", loan_id=message.loan_id),
            "hidden": message.hidden_at is not None,
        }
    return None
